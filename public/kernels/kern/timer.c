/*
 * kern/timer.c - PIT channel 0 in mode 3 (square wave) at TIMER_HZ, and the tick handler
 *
 * Each tick: acknowledge the PIC, count the tick, wake the sleepers whose
 * time has come, and preempt the running thread (round robin).
 */
#include <x86.h>
#include "pic.h"
#include "sched.h"
#include "timer.h"
#include "trap.h"

#define TIMER_PERIOD_IO_PORT 0x40
#define TIMER_MODE_IO_PORT   0x43
#define TIMER_SQUARE_WAVE    0x36   /* channel 0, lobyte/hibyte, mode 3, binary */

static volatile unsigned ticks;

void timer_init(void)
{
    unsigned divisor = TIMER_RATE / TIMER_HZ;
    outb(TIMER_MODE_IO_PORT, TIMER_SQUARE_WAVE);
    outb(TIMER_PERIOD_IO_PORT, divisor & 0xFF);
    outb(TIMER_PERIOD_IO_PORT, (divisor >> 8) & 0xFF);
}

unsigned timer_ticks(void)
{
    return ticks;
}

/* Called from timer_wrapper (kern/wrappers.S) with interrupts disabled. */
void timer_handler(trapframe_t *tf)
{
    (void)tf;
    pic_ack();
    ticks++;
    sched_wake_sleepers(ticks);
    sched_preempt();
}
