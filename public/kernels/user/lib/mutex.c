/*
 * user/lib/mutex.c - user-space mutexes
 *
 * The lock word is claimed with xchg.  A waiter yields to the holder (or to
 * anyone, if the holder cannot run right now) instead of spinning, so the
 * holder gets the CPU it needs to release the lock.
 */
#include <mutex.h>
#include <syscall.h>

static inline int xchg(volatile int *addr, int val)
{
    __asm__ volatile("xchgl %0, %1" : "+r"(val), "+m"(*addr) : : "memory");
    return val;
}

int mutex_init(mutex_t *mp)
{
    mp->locked = 0;
    mp->owner = -1;
    return 0;
}

void mutex_destroy(mutex_t *mp)
{
    (void)mp;
}

void mutex_lock(mutex_t *mp)
{
    while (xchg(&mp->locked, 1) != 0) {
        if (yield(mp->owner) < 0)
            yield(-1);
    }
    mp->owner = gettid();
}

void mutex_unlock(mutex_t *mp)
{
    mp->owner = -1;
    xchg(&mp->locked, 0);
}
