/*
 * kern/mutex.h - kernel mutexes: an xchg test-and-set lock that yields to its owner
 */
#ifndef MUTEX_H
#define MUTEX_H

#define MUTEX_NO_OWNER (-1)

typedef struct mutex {
    volatile int locked;   /* 1 while held; only ever changed with xchg */
    volatile int owner;    /* tid of the holder, MUTEX_NO_OWNER when free */
} mutex_t;

void mutex_init(mutex_t *mp);
void mutex_lock(mutex_t *mp);
void mutex_unlock(mutex_t *mp);

#endif /* MUTEX_H */
