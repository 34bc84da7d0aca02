/*
 * kern/timer.h - the 8254 PIT as the scheduler's clock
 */
#ifndef TIMER_H
#define TIMER_H

#define TIMER_RATE 1193182   /* PIT input clock, Hz */
#define TIMER_HZ   100       /* ticks per second: a 10 ms quantum */

void timer_init(void);
unsigned timer_ticks(void);

#endif /* TIMER_H */
