/*
 * kern/syscall/misc.c - halt and misbehave
 */
#include <simics.h>
#include <x86.h>
#include "../console.h"
#include "syscall.h"

int sys_halt(trapframe_t *tf)
{
    (void)tf;
    console_write("\nSystem halted.\n", 16);
    sim_halt();
    disable_interrupts();
    for (;;)
        __asm__ volatile("hlt");
}

/* misbehave(mode) selects scheduler quirks in the reference kernel; this one has none. */
int sys_misbehave(trapframe_t *tf)
{
    (void)tf;
    return 0;
}
