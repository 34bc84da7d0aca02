/*
 * user/progs/readline_test.c - readline() returns the typed line, newline included
 *
 * Expects the line "hello" to be typed (the test harness types it).
 */
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <test.h>

int main(void)
{
    char buf[32];
    printf("readline_test: type hello\n");
    int n = readline(sizeof(buf) - 1, buf);
    if (n < 0)
        return test_report("readline_test", 0, "readline failed");
    buf[n] = '\0';
    int ok = n == 6 && strcmp(buf, "hello\n") == 0 && readline(0, buf) < 0;
    return test_report("readline_test", ok, "wrong line");
}
