/*
 * kern/panic.c - report an unrecoverable kernel error and stop
 *
 * The message goes to the simulator log (lprintf) and to the screen, written
 * directly without taking console_lock (the lock's holder may be the reason we
 * are here).  Interrupts stay disabled and the CPU halts for good.
 */
#include <simics.h>
#include <stdarg.h>
#include <stdio.h>
#include <x86.h>
#include "console.h"
#include "panic.h"

void panic(const char *fmt, ...)
{
    char buf[256];
    disable_interrupts();
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    lprintf("kernel panic: %s", buf);
    console_putbytes("\nKERNEL PANIC: ", 15);
    console_putbytes(buf, (size_t)n);
    console_putbyte('\n');
    for (;;)
        __asm__ volatile("hlt");
}
