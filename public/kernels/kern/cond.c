/*
 * kern/cond.c - kernel condition variables
 *
 * cond_wait() queues the caller and releases the mutex with interrupts
 * disabled, then blocks, so a cond_signal() cannot fall between "release"
 * and "block" and be lost.  Waiters are woken in FIFO order and must re-check
 * their condition (Mesa semantics: the mutex is re-acquired after waking).
 */
#include <x86.h>
#include "cond.h"
#include "sched.h"

void cond_init(cond_t *cv)
{
    tq_init(&cv->waiters);
}

void cond_wait(cond_t *cv, mutex_t *mp)
{
    int s = intr_save();
    tq_push(&cv->waiters, sched_current());
    mutex_unlock(mp);
    sched_block();
    intr_restore(s);
    mutex_lock(mp);
}

void cond_signal(cond_t *cv)
{
    int s = intr_save();
    tcb_t *t = tq_pop(&cv->waiters);
    if (t)
        sched_wake(t);
    intr_restore(s);
}

void cond_broadcast(cond_t *cv)
{
    int s = intr_save();
    tcb_t *t;
    while ((t = tq_pop(&cv->waiters)) != NULL)
        sched_wake(t);
    intr_restore(s);
}
