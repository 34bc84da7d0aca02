/*
 * user/lib/syscall.S - system call stubs
 *
 * No argument: just `int`.  One argument: in %esi.  Several: %esi holds the
 * address of the packet, which is simply the caller's argument list on the
 * stack.  %esi is callee-saved in the i386 calling convention, so it is
 * preserved; the kernel preserves every other register except %eax.
 */
#include <syscall_int.h>

.macro SYSCALL0 name, vector
.globl \name
.type \name, @function
\name:
    int $\vector
    ret
.size \name, . - \name
.endm

.macro SYSCALL1 name, vector
.globl \name
.type \name, @function
\name:
    pushl %esi
    movl 8(%esp), %esi
    int $\vector
    popl %esi
    ret
.size \name, . - \name
.endm

.macro SYSCALLN name, vector
.globl \name
.type \name, @function
\name:
    pushl %esi
    leal 8(%esp), %esi
    int $\vector
    popl %esi
    ret
.size \name, . - \name
.endm

.text
SYSCALL0 fork, FORK_INT
SYSCALLN exec, EXEC_INT
SYSCALL1 set_status, SET_STATUS_INT
SYSCALL0 vanish, VANISH_INT
SYSCALL1 wait, WAIT_INT
SYSCALL0 gettid, GETTID_INT
SYSCALL1 yield, YIELD_INT
SYSCALL1 deschedule, DESCHEDULE_INT
SYSCALL1 make_runnable, MAKE_RUNNABLE_INT
SYSCALL0 get_ticks, GET_TICKS_INT
SYSCALL1 sleep, SLEEP_INT
SYSCALLN new_pages, NEW_PAGES_INT
SYSCALL1 remove_pages, REMOVE_PAGES_INT
SYSCALL0 getchar, GETCHAR_INT
SYSCALLN readline, READLINE_INT
SYSCALLN print, PRINT_INT
SYSCALL1 set_term_color, SET_TERM_COLOR_INT
SYSCALLN set_cursor_pos, SET_CURSOR_POS_INT
SYSCALLN get_cursor_pos, GET_CURSOR_POS_INT
SYSCALL0 thread_fork, THREAD_FORK_INT
SYSCALL0 halt, HALT_INT
SYSCALL1 misbehave, MISBEHAVE_INT
