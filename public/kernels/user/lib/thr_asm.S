/*
 * user/lib/thr_asm.S - the two steps of the thread library that must not use a stack
 *
 * int thr_fork_on(void *stack_top, void (*entry)(void *), void *arg):
 *   thread_fork(); the child (EAX = 0) starts with the parent's registers,
 *   including %esp, so before touching memory it moves to its own stack and
 *   calls entry(arg), which never returns.  The parent gets the child's tid.
 *
 * void thr_vanish_releasing(volatile int *stack_released):
 *   stores 1 into *stack_released and vanishes, with no stack access in
 *   between: from the store on, a joiner may free this thread's stack.
 */
#include <syscall_int.h>

.text
.globl thr_fork_on
.type thr_fork_on, @function
thr_fork_on:
    pushl %ebx
    pushl %esi
    pushl %edi
    movl 16(%esp), %ebx             /* stack_top */
    movl 20(%esp), %esi             /* entry */
    movl 24(%esp), %edi             /* arg */
    int $THREAD_FORK_INT
    testl %eax, %eax
    jnz 1f
    movl %ebx, %esp                 /* child: own stack from here on */
    xorl %ebp, %ebp
    pushl %edi
    call *%esi
    int $VANISH_INT                 /* not reached: entry() calls thr_exit() */
1:  popl %edi
    popl %esi
    popl %ebx
    ret
.size thr_fork_on, . - thr_fork_on

.globl thr_vanish_releasing
.type thr_vanish_releasing, @function
thr_vanish_releasing:
    movl 4(%esp), %eax
    movl $1, (%eax)
    int $VANISH_INT
.size thr_vanish_releasing, . - thr_vanish_releasing
