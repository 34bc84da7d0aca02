/*
 * user/inc/cond.h - user-space condition variables built on deschedule/make_runnable
 */
#ifndef COND_H
#define COND_H

#include <mutex.h>

struct cond_waiter;

typedef struct cond {
    mutex_t qlock;                  /* guards the waiter queue */
    struct cond_waiter *head, *tail;
} cond_t;

int cond_init(cond_t *cv);
void cond_destroy(cond_t *cv);
void cond_wait(cond_t *cv, mutex_t *mp);
void cond_signal(cond_t *cv);
void cond_broadcast(cond_t *cv);

#endif /* COND_H */
