/*
 * kern/sched.c - round-robin scheduling and the context switch
 *
 * One runqueue (FIFO), one sleep queue ordered by wake-up tick, and the idle
 * thread, which runs only when the runqueue is empty and is never queued.
 * The running thread is not kept on the runqueue, though for the Landslide
 * annotations it counts as being on it: tell_landslide_thread_off_rq() marks
 * the moment a thread blocks, tell_landslide_thread_on_rq() the moment it
 * becomes runnable again.  Everything here runs with interrupts disabled;
 * that is the scheduler's only lock.
 */
#include <x86.h>
#include "gdt.h"
#include "landslide.h"
#include "panic.h"
#include "sched.h"
#include "timer.h"

void swap_stacks(uint32_t *save_esp, uint32_t new_esp);

static tcb_t boot_tcb;            /* stands for the boot stack until the first switch */
static tcb_t *current = &boot_tcb;
static tcb_t *idle_thread;
static tcb_queue_t runq;
static tcb_t *sleepers;           /* sorted by wake_tick, linked through q_next */
static tcb_t *switch_prev;        /* the thread the last context switch left */

tcb_t *sched_current(void)
{
    return current;
}

int sched_current_tid(void)
{
    return current->tid;
}

void sched_init(void)
{
    tq_init(&runq);
    boot_tcb.state = TCB_RUNNING;
    boot_tcb.pd = get_cr3();
}

/* The thread we switched away from has stopped using its stack: retire it if it vanished. */
static void finish_switch(void)
{
    if (switch_prev->state == TCB_DEAD)
        thread_retire(switch_prev);
}

void sched_thread_start(void)
{
    finish_switch();
}

/*
 * Runs `next` on the CPU (irq off): tell Landslide, point ESP0 at next's
 * kernel stack, change address space if needed, and swap stacks.  Returns
 * when some later context switch comes back to the calling thread.
 */
__attribute__((noinline)) void context_switch(tcb_t *next)
{
    tcb_t *prev = current;
    tell_landslide_thread_switch(next->tid);
    tss_set_esp0(next->kstack_top);
    if (next->pd != prev->pd)
        set_cr3(next->pd);
    switch_prev = prev;
    current = next;
    swap_stacks(&prev->esp, next->esp);
    finish_switch();
}

/* Picks the next thread (irq off); the caller has already queued or parked the current one. */
static void switch_to_next(void)
{
    tcb_t *next = tq_pop(&runq);
    if (!next)
        next = idle_thread;
    next->state = TCB_RUNNING;
    if (next != current)
        context_switch(next);
}

/* Puts the current thread at the back of the runqueue (the idle thread is never queued). */
static void requeue_current(void)
{
    if (current != idle_thread) {
        current->state = TCB_RUNNABLE;
        tq_push(&runq, current);
    }
}

void sched_add_new(tcb_t *t)
{
    int s = intr_save();
    t->state = TCB_RUNNABLE;
    tq_push(&runq, t);
    tell_landslide_thread_on_rq(t->tid);
    intr_restore(s);
}

void sched_start(tcb_t *idle)
{
    disable_interrupts();
    idle_thread = idle;
    idle->state = TCB_RUNNABLE;
    switch_to_next();
    panic("sched_start: the boot context was resumed");
}

void sched_preempt(void)
{
    requeue_current();
    switch_to_next();
}

void sched_block(void)
{
    current->state = TCB_BLOCKED;
    tell_landslide_thread_off_rq(current->tid);
    switch_to_next();
}

void sched_wake(tcb_t *t)
{
    t->state = TCB_RUNNABLE;
    tq_push(&runq, t);
    tell_landslide_thread_on_rq(t->tid);
}

void sched_wake_sleepers(unsigned now)
{
    while (sleepers && (int)(sleepers->wake_tick - now) <= 0) {
        tcb_t *t = sleepers;
        sleepers = t->q_next;
        sched_wake(t);
    }
}

void sched_exit(void)
{
    disable_interrupts();
    tell_landslide_vanishing();
    current->state = TCB_DEAD;
    switch_to_next();
    panic("sched_exit: a vanished thread was resumed");
}

int sched_yield_to(int tid)
{
    int s = intr_save();
    tcb_t *target = NULL;
    if (tid != -1) {
        target = thread_find(tid);
        if (!target || target->state != TCB_RUNNABLE) {
            intr_restore(s);
            return -1;
        }
    }
    requeue_current();
    if (target) {
        tq_remove(&runq, target);
        target->state = TCB_RUNNING;
        context_switch(target);
    } else {
        switch_to_next();
    }
    intr_restore(s);
    return 0;
}

void sched_sleep(unsigned ticks)
{
    tell_landslide_sleeping();
    int s = intr_save();
    current->wake_tick = timer_ticks() + ticks;
    tcb_t **link = &sleepers;
    while (*link && (int)((*link)->wake_tick - current->wake_tick) <= 0)
        link = &(*link)->q_next;
    current->q_next = *link;
    *link = current;
    current->state = TCB_SLEEPING;
    switch_to_next();
    intr_restore(s);
}

int sched_others_runnable(void)
{
    return !tq_empty(&runq);
}
