/*
 * kern/syscall/syscall.c - route a system call vector to its handler
 *
 * Every system call enters here through its own wrapper in kern/wrappers.S (a
 * DPL-3 trap gate, so interrupts stay enabled).  The entry is also the
 * kernel's explicit preemption point for Landslide-style tools.
 */
#include <stddef.h>
#include <syscall_int.h>
#include "../landslide.h"
#include "syscall.h"

typedef int (*syscall_fn)(trapframe_t *tf);

static const syscall_fn handlers[SYSCALL_LAST_INT - SYSCALL_FIRST_INT + 1] = {
    [FORK_INT - SYSCALL_FIRST_INT] = sys_fork,
    [EXEC_INT - SYSCALL_FIRST_INT] = sys_exec,
    [WAIT_INT - SYSCALL_FIRST_INT] = sys_wait,
    [YIELD_INT - SYSCALL_FIRST_INT] = sys_yield,
    [DESCHEDULE_INT - SYSCALL_FIRST_INT] = sys_deschedule,
    [MAKE_RUNNABLE_INT - SYSCALL_FIRST_INT] = sys_make_runnable,
    [GETTID_INT - SYSCALL_FIRST_INT] = sys_gettid,
    [NEW_PAGES_INT - SYSCALL_FIRST_INT] = sys_new_pages,
    [REMOVE_PAGES_INT - SYSCALL_FIRST_INT] = sys_remove_pages,
    [SLEEP_INT - SYSCALL_FIRST_INT] = sys_sleep,
    [GETCHAR_INT - SYSCALL_FIRST_INT] = sys_getchar,
    [READLINE_INT - SYSCALL_FIRST_INT] = sys_readline,
    [PRINT_INT - SYSCALL_FIRST_INT] = sys_print,
    [SET_TERM_COLOR_INT - SYSCALL_FIRST_INT] = sys_set_term_color,
    [SET_CURSOR_POS_INT - SYSCALL_FIRST_INT] = sys_set_cursor_pos,
    [GET_CURSOR_POS_INT - SYSCALL_FIRST_INT] = sys_get_cursor_pos,
    [THREAD_FORK_INT - SYSCALL_FIRST_INT] = sys_thread_fork,
    [GET_TICKS_INT - SYSCALL_FIRST_INT] = sys_get_ticks,
    [MISBEHAVE_INT - SYSCALL_FIRST_INT] = sys_misbehave,
    [HALT_INT - SYSCALL_FIRST_INT] = sys_halt,
    [SET_STATUS_INT - SYSCALL_FIRST_INT] = sys_set_status,
    [VANISH_INT - SYSCALL_FIRST_INT] = sys_vanish,
};

void syscall_dispatch(trapframe_t *tf)
{
    tell_landslide_preempt();
    syscall_fn fn = NULL;
    if (tf->vector >= SYSCALL_FIRST_INT && tf->vector <= SYSCALL_LAST_INT)
        fn = handlers[tf->vector - SYSCALL_FIRST_INT];
    tf->eax = fn ? (uint32_t)fn(tf) : (uint32_t)-1;
}
