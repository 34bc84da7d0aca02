/*
 * kern/cond.h - kernel condition variables (Mesa semantics)
 */
#ifndef COND_H
#define COND_H

#include "mutex.h"
#include "thread.h"

typedef struct cond {
    tcb_queue_t waiters;
} cond_t;

void cond_init(cond_t *cv);
void cond_wait(cond_t *cv, mutex_t *mp);
void cond_signal(cond_t *cv);
void cond_broadcast(cond_t *cv);

#endif /* COND_H */
