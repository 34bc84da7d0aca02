/*
 * kern/syscall/syscall.h - the system call handlers, one per Pebbles call
 *
 * Each takes the caller's trapframe (argument in tf->esi: a value or the
 * address of an argument packet) and returns the value for %eax.
 */
#ifndef SYSCALL_H
#define SYSCALL_H

#include "../trap.h"

void syscall_dispatch(trapframe_t *tf);

/* kern/syscall/life.c */
int sys_fork(trapframe_t *tf);
int sys_thread_fork(trapframe_t *tf);
int sys_exec(trapframe_t *tf);
int sys_wait(trapframe_t *tf);
int sys_vanish(trapframe_t *tf);
int sys_set_status(trapframe_t *tf);
/* kern/syscall/thread.c */
int sys_gettid(trapframe_t *tf);
int sys_yield(trapframe_t *tf);
int sys_deschedule(trapframe_t *tf);
int sys_make_runnable(trapframe_t *tf);
int sys_sleep(trapframe_t *tf);
int sys_get_ticks(trapframe_t *tf);
/* kern/syscall/memory.c */
int sys_new_pages(trapframe_t *tf);
int sys_remove_pages(trapframe_t *tf);
/* kern/syscall/console.c */
int sys_print(trapframe_t *tf);
int sys_readline(trapframe_t *tf);
int sys_getchar(trapframe_t *tf);
int sys_set_term_color(trapframe_t *tf);
int sys_set_cursor_pos(trapframe_t *tf);
int sys_get_cursor_pos(trapframe_t *tf);
/* kern/syscall/misc.c */
int sys_halt(trapframe_t *tf);
int sys_misbehave(trapframe_t *tf);

#endif /* SYSCALL_H */
