/*
 * kern/trap.h - the register frame every interrupt, exception and system call saves
 *
 * Built by the wrappers in kern/wrappers.S: the CPU pushes (ss, esp when coming
 * from ring 3), eflags, cs, eip and maybe an error code; the wrapper pushes a
 * zero error code when the CPU does not, the vector number, PUSHA and the four
 * data segment registers.  A new user thread starts by "returning" through the
 * same frame (thread_return_to_user).
 */
#ifndef TRAP_H
#define TRAP_H

#include <stdint.h>

typedef struct trapframe {
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, pusha_esp, ebx, edx, ecx, eax;
    uint32_t vector, error;
    uint32_t eip, cs, eflags;
    uint32_t user_esp, user_ss;     /* valid only when cs is the user code segment */
} trapframe_t;

/* In kern/wrappers.S */
void thread_return_to_user(void);
void kthread_trampoline(void);
void enter_user(trapframe_t *tf) __attribute__((noreturn));

/* In kern/traps.c */
void exception_handler(trapframe_t *tf);
void page_fault_handler(trapframe_t *tf);
void thread_killed(int reason) __attribute__((noreturn));

#define THREAD_KILLED_PAGE_FAULT 0x15410  /* thread_killed() argument for a fatal user page fault */
#define THREAD_KILLED_EXCEPTION  0x15411  /* ... for any other fatal user exception */

#endif /* TRAP_H */
