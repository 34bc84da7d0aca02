/*
 * user/progs/print_basic.c - print() writes a buffer and rejects bad arguments
 */
#include <syscall.h>
#include <test.h>

int main(void)
{
    char msg[] = "print_basic: hello from user space\n";
    int ok = print(sizeof(msg) - 1, msg) == 0;
    ok = ok && print(-1, msg) < 0;
    ok = ok && print(4, (char *)0) < 0;
    return test_report("print_basic", ok, "print() returned the wrong value");
}
