/*
 * kern/sched.h - the round-robin scheduler and the context switch
 *
 * Functions marked "irq off" must be called with interrupts disabled.
 */
#ifndef SCHED_H
#define SCHED_H

#include "thread.h"

tcb_t *sched_current(void);
int sched_current_tid(void);         /* 0 before the first thread runs */

void sched_init(void);
/* Adds a never-run thread to the runqueue (tell_landslide_forking() comes first). */
void sched_add_new(tcb_t *t);
/* Switches from the boot stack to the first thread; never returns. */
void sched_start(tcb_t *idle) __attribute__((noreturn));

void sched_preempt(void);            /* irq off: timer tick, current goes to the back */
void sched_block(void);              /* irq off: current stops; someone will sched_wake() it */
void sched_wake(tcb_t *t);           /* irq off: blocked or sleeping thread -> runqueue */
void sched_wake_sleepers(unsigned now); /* irq off */
void sched_exit(void) __attribute__((noreturn)); /* current vanishes */

/* Yields the CPU, to thread `tid` if it is runnable, else to whoever is next. Returns 0,
 * or -1 if tid names no runnable thread (then no yield happens unless tid is -1). */
int sched_yield_to(int tid);
/* Sleeps for `ticks` timer ticks. */
void sched_sleep(unsigned ticks);
/* True if some thread other than the caller is waiting to run. */
int sched_others_runnable(void);

/* The idle thread's wait (kern/switch.S): call with interrupts disabled; enables them and halts. */
void hlt(void);

/* The first code a new thread runs, from kern/wrappers.S. */
void sched_thread_start(void);

#endif /* SCHED_H */
