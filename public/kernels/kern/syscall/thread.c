/*
 * kern/syscall/thread.c - gettid, yield, deschedule, make_runnable, sleep, get_ticks
 *
 * deschedule(&reject) must check *reject and block as one atomic step with
 * respect to make_runnable(): both run with interrupts disabled.  Otherwise a
 * make_runnable() that arrives between the check and the block finds the
 * thread not yet descheduled, fails, and the thread then sleeps forever.
 *
 * Planted bug BUG_DESCHEDULE_LOST_WAKEUP: exactly that - *reject is checked
 * with interrupts enabled and the thread blocks afterwards (lost wakeup).
 */
#include <x86.h>
#include "../process.h"
#include "../sched.h"
#include "../timer.h"
#include "syscall.h"
#include "uaccess.h"

int sys_gettid(trapframe_t *tf)
{
    (void)tf;
    return sched_current_tid();
}

int sys_yield(trapframe_t *tf)
{
    return sched_yield_to((int)tf->esi);
}

int sys_deschedule(trapframe_t *tf)
{
    const int *reject = (const int *)tf->esi;
    tcb_t *self = sched_current();
    pcb_t *p = self->pcb;
    mutex_lock(&p->mem_lock);
    if (!uaccess_ok(reject, sizeof(int), UACCESS_READ)) {
        mutex_unlock(&p->mem_lock);
        return -1;
    }
#ifdef BUG_DESCHEDULE_LOST_WAKEUP
    int rejected = *reject;
    mutex_unlock(&p->mem_lock);
    if (rejected)
        return 0;
    int s = intr_save();          /* BUG: a make_runnable() may already have come and gone */
#else
    int s = intr_save();
    int rejected = *reject;
    mutex_unlock(&p->mem_lock);
    if (rejected) {
        intr_restore(s);
        return 0;
    }
#endif
    self->descheduled = 1;
    sched_block();
    intr_restore(s);
    return 0;
}

int sys_make_runnable(trapframe_t *tf)
{
    int s = intr_save();
    tcb_t *t = thread_find((int)tf->esi);
    if (!t || !t->descheduled || t->state != TCB_BLOCKED) {
        intr_restore(s);
        return -1;
    }
    t->descheduled = 0;
    sched_wake(t);
    intr_restore(s);
    return 0;
}

int sys_sleep(trapframe_t *tf)
{
    int ticks = (int)tf->esi;
    if (ticks < 0)
        return -1;
    if (ticks > 0)
        sched_sleep((unsigned)ticks);
    return 0;
}

int sys_get_ticks(trapframe_t *tf)
{
    (void)tf;
    return (int)timer_ticks();
}
