/*
 * user/inc/mutex.h - user-space mutexes (xchg lock, yield to the owner while waiting)
 */
#ifndef MUTEX_H
#define MUTEX_H

typedef struct mutex {
    volatile int locked;
    volatile int owner;   /* tid of the holder, -1 when free */
} mutex_t;

#define MUTEX_INITIALIZER { 0, -1 }

int mutex_init(mutex_t *mp);
void mutex_destroy(mutex_t *mp);
void mutex_lock(mutex_t *mp);
void mutex_unlock(mutex_t *mp);

#endif /* MUTEX_H */
