/*
 * kern/traps.c - processor exceptions: kill the faulting user thread, or panic
 *
 * A fault in user mode kills only the thread that caused it: the kernel
 * prints what happened, sets the task's exit status to -2 and makes the
 * thread vanish (thread_killed).  A fault in kernel mode is a kernel bug and
 * panics.
 */
#include <seg.h>
#include <simics.h>
#include <stdio.h>
#include <x86.h>
#include "panic.h"
#include "process.h"
#include "sched.h"
#include "trap.h"

#define KILLED_STATUS (-2)

static const char *const exception_names[] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "BOUND range exceeded",
    "invalid opcode", "device not available", "double fault", "coprocessor segment overrun",
    "invalid TSS", "segment not present", "stack fault", "general protection fault",
    "page fault", "reserved", "x87 floating-point error", "alignment check",
};

static const char *exception_name(uint32_t vector)
{
    return vector < sizeof(exception_names) / sizeof(exception_names[0]) ? exception_names[vector] : "exception";
}

static int from_user(const trapframe_t *tf)
{
    return (tf->cs & 3) == 3;
}

__attribute__((noinline)) void thread_killed(int reason)
{
    (void)reason;
    process_set_status(KILLED_STATUS);
    process_vanish();
}

void exception_handler(trapframe_t *tf)
{
    if (!from_user(tf))
        panic("%s (vector %u, error %x) in the kernel at eip %p", exception_name(tf->vector),
              (unsigned)tf->vector, (unsigned)tf->error, (void *)tf->eip);
    enable_interrupts();
    printf("Thread %d killed: %s at eip %p\n", sched_current_tid(), exception_name(tf->vector),
           (void *)tf->eip);
    lprintf("thread %d killed by exception %u at eip %p", sched_current_tid(), (unsigned)tf->vector,
            (void *)tf->eip);
    thread_killed(THREAD_KILLED_EXCEPTION);
}

void page_fault_handler(trapframe_t *tf)
{
    uint32_t addr = get_cr2();
    if (!from_user(tf))
        panic("kernel page fault at eip %p, address %p (error %x)", (void *)tf->eip, (void *)addr,
              (unsigned)tf->error);
    enable_interrupts();
    printf("Thread %d killed: page fault at eip %p, address %p\n", sched_current_tid(), (void *)tf->eip,
           (void *)addr);
    lprintf("thread %d killed by a page fault at eip %p, address %p", sched_current_tid(), (void *)tf->eip,
            (void *)addr);
    thread_killed(THREAD_KILLED_PAGE_FAULT);
}
