/*
 * user/lib/cond.c - condition variables on deschedule()/make_runnable()
 *
 * A waiter queues a node on its own stack, releases the mutex and
 * deschedules itself with the node's `signalled` flag as the reject word: if
 * a signal comes first, deschedule() returns at once; if after, the
 * signaller's make_runnable() wakes it.  The signaller copies the tid out of
 * the node before setting the flag, because once the flag is set the waiter
 * may return and its stack frame (the node) is gone.  A wake-up without the
 * flag set (a late make_runnable from an earlier round) just deschedules again.
 */
#include <cond.h>
#include <stddef.h>
#include <syscall.h>

typedef struct cond_waiter {
    int tid;
    volatile int signalled;
    struct cond_waiter *next;
} cond_waiter_t;

int cond_init(cond_t *cv)
{
    mutex_init(&cv->qlock);
    cv->head = cv->tail = NULL;
    return 0;
}

void cond_destroy(cond_t *cv)
{
    (void)cv;
}

void cond_wait(cond_t *cv, mutex_t *mp)
{
    cond_waiter_t self = { gettid(), 0, NULL };
    mutex_lock(&cv->qlock);
    if (cv->tail)
        cv->tail->next = &self;
    else
        cv->head = &self;
    cv->tail = &self;
    mutex_unlock(&cv->qlock);
    mutex_unlock(mp);
    while (!self.signalled)
        deschedule((int *)&self.signalled);
    mutex_lock(mp);
}

/* Removes the first waiter; returns its tid after marking it signalled, or -1. */
static int wake_one(cond_t *cv)
{
    cond_waiter_t *w = cv->head;
    if (!w)
        return -1;
    cv->head = w->next;
    if (!cv->head)
        cv->tail = NULL;
    int tid = w->tid;
    w->signalled = 1;
    return tid;
}

void cond_signal(cond_t *cv)
{
    mutex_lock(&cv->qlock);
    int tid = wake_one(cv);
    mutex_unlock(&cv->qlock);
    if (tid >= 0)
        make_runnable(tid);
}

void cond_broadcast(cond_t *cv)
{
    for (;;) {
        mutex_lock(&cv->qlock);
        int tid = wake_one(cv);
        mutex_unlock(&cv->qlock);
        if (tid < 0)
            return;
        make_runnable(tid);
    }
}
