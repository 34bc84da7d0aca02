/*
 * kern/wrappers.S - interrupt, exception and system call entry wrappers
 *
 * Every IDT entry gets its own small wrapper (so that each, e.g.
 * timer_wrapper, has exactly one `iret`, which tools locate by symbol): it
 * completes a trapframe_t (kern/trap.h), switches to the kernel data
 * segments, calls the C handler with a pointer to the frame, then restores
 * everything and returns with `iret`.
 */
#include <seg.h>
#include <syscall_int.h>

.macro RESTORE_AND_IRET
    popl %gs
    popl %fs
    popl %es
    popl %ds
    popa
    addl $8, %esp                   /* vector and error code */
    iret
.endm

.macro WRAPPER name, vector, handler, has_error
.globl \name
.type \name, @function
\name:
.if \has_error == 0
    pushl $0
.endif
    pushl $\vector
    pusha
    pushl %ds
    pushl %es
    pushl %fs
    pushl %gs
    movl $SEGSEL_KERNEL_DS, %eax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    cld
    pushl %esp                      /* trapframe_t * */
    call \handler
    addl $4, %esp
    RESTORE_AND_IRET
.size \name, . - \name
.endm

.text

/* Hardware interrupts (8259 IRQs remapped to 0x20..) */
WRAPPER timer_wrapper, 0x20, timer_handler, 0
WRAPPER keyboard_wrapper, 0x21, keyboard_handler, 0

/* Processor exceptions (vector 8, the double fault, goes to boot/head.S) */
WRAPPER divide_error_wrapper, 0, exception_handler, 0
WRAPPER debug_wrapper, 1, exception_handler, 0
WRAPPER nmi_wrapper, 2, exception_handler, 0
WRAPPER breakpoint_wrapper, 3, exception_handler, 0
WRAPPER overflow_wrapper, 4, exception_handler, 0
WRAPPER bound_wrapper, 5, exception_handler, 0
WRAPPER invalid_opcode_wrapper, 6, exception_handler, 0
WRAPPER no_fpu_wrapper, 7, exception_handler, 0
WRAPPER invalid_tss_wrapper, 10, exception_handler, 1
WRAPPER segment_not_present_wrapper, 11, exception_handler, 1
WRAPPER stack_fault_wrapper, 12, exception_handler, 1
WRAPPER general_protection_wrapper, 13, exception_handler, 1
WRAPPER page_fault_wrapper, 14, page_fault_handler, 1
WRAPPER fpu_error_wrapper, 16, exception_handler, 0
WRAPPER alignment_check_wrapper, 17, exception_handler, 1

/* System calls: one wrapper per vector, all dispatched by kern/syscall/syscall.c */
WRAPPER fork_wrapper, FORK_INT, syscall_dispatch, 0
WRAPPER exec_wrapper, EXEC_INT, syscall_dispatch, 0
WRAPPER wait_wrapper, WAIT_INT, syscall_dispatch, 0
WRAPPER yield_wrapper, YIELD_INT, syscall_dispatch, 0
WRAPPER deschedule_wrapper, DESCHEDULE_INT, syscall_dispatch, 0
WRAPPER make_runnable_wrapper, MAKE_RUNNABLE_INT, syscall_dispatch, 0
WRAPPER gettid_wrapper, GETTID_INT, syscall_dispatch, 0
WRAPPER new_pages_wrapper, NEW_PAGES_INT, syscall_dispatch, 0
WRAPPER remove_pages_wrapper, REMOVE_PAGES_INT, syscall_dispatch, 0
WRAPPER sleep_wrapper, SLEEP_INT, syscall_dispatch, 0
WRAPPER getchar_wrapper, GETCHAR_INT, syscall_dispatch, 0
WRAPPER readline_wrapper, READLINE_INT, syscall_dispatch, 0
WRAPPER print_wrapper, PRINT_INT, syscall_dispatch, 0
WRAPPER set_term_color_wrapper, SET_TERM_COLOR_INT, syscall_dispatch, 0
WRAPPER set_cursor_pos_wrapper, SET_CURSOR_POS_INT, syscall_dispatch, 0
WRAPPER get_cursor_pos_wrapper, GET_CURSOR_POS_INT, syscall_dispatch, 0
WRAPPER thread_fork_wrapper, THREAD_FORK_INT, syscall_dispatch, 0
WRAPPER get_ticks_wrapper, GET_TICKS_INT, syscall_dispatch, 0
WRAPPER misbehave_wrapper, MISBEHAVE_INT, syscall_dispatch, 0
WRAPPER halt_wrapper, HALT_INT, syscall_dispatch, 0
WRAPPER set_status_wrapper, SET_STATUS_INT, syscall_dispatch, 0
WRAPPER vanish_wrapper, VANISH_INT, syscall_dispatch, 0

/*
 * First run of a forked user thread: kern/thread.c left a trapframe at the top
 * of its kernel stack and made swap_stacks "return" here.
 */
.globl thread_return_to_user
.type thread_return_to_user, @function
thread_return_to_user:
    call sched_thread_start
    RESTORE_AND_IRET
.size thread_return_to_user, . - thread_return_to_user

/* void enter_user(trapframe_t *tf): leave the kernel through a prepared frame (exec at boot). */
.globl enter_user
.type enter_user, @function
enter_user:
    movl 4(%esp), %esp
    RESTORE_AND_IRET
.size enter_user, . - enter_user

/*
 * First run of a kernel thread: the stack holds the entry function and its
 * argument (kern/thread.c thread_setup_kernel).
 */
.globl kthread_trampoline
.type kthread_trampoline, @function
kthread_trampoline:
    call sched_thread_start
    sti
    popl %eax                       /* entry function; its argument is now at (%esp) */
    call *%eax
    call kthread_returned           /* kernel threads never return */
.size kthread_trampoline, . - kthread_trampoline
