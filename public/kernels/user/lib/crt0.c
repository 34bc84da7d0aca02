/*
 * user/lib/crt0.c - program entry point
 *
 * The kernel starts every program at _main (the ELF entry) as if it had been
 * called with (argc, argv, stack_high, stack_low); _main runs main() and
 * exits with its return value.
 */
#include <stdlib.h>

int main(int argc, char *argv[]);

void _main(int argc, char *argv[], void *stack_high, void *stack_low)
{
    (void)stack_high;
    (void)stack_low;
    exit(main(argc, argv));
}
