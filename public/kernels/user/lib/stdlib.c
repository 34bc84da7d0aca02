/*
 * user/lib/stdlib.c - printf, exit and panic for user programs
 */
#include <simics.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

int printf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    print(n, buf);
    return n;
}

void exit(int status)
{
    set_status(status);
    vanish();
}

void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    lprintf("user panic: %s", buf);
    printf("PANIC: %s\n", buf);
    exit(-1);
}
