/*
 * kern/mutex.c - kernel mutexes
 *
 * The lock word is claimed with an atomic exchange.  A thread that finds the
 * mutex taken does not spin on the CPU: it yields to the owner (so the owner
 * can finish its critical section) and tries again.  Blocked threads thus
 * stay runnable, which is what tell_landslide_mutex_blocking() describes.
 *
 * Invariant: owner == MUTEX_NO_OWNER whenever locked == 0, so a thread that
 * has just acquired the lock must find no owner (asserted below).
 *
 * Planted bug BUG_MUTEX_TEST_THEN_SET: the lock is taken by reading the lock
 * word and then writing it, instead of one atomic exchange.  A thread
 * preempted between its read (seeing 0) and its write lets a second thread
 * take the lock too; when the first resumes, both are in the critical
 * section, and the first one's ownership assertion fails.  The window is
 * marked with tell_landslide_preempt() so that an explorer preempting only at
 * annotated points can reach it (Landslide itself would find it through a
 * data-race preemption point on mp->locked).
 */
#include "landslide.h"
#include "mutex.h"
#include "panic.h"
#include "sched.h"
#include <x86.h>

/* Lets the holder run; if it cannot run right now (e.g. it is blocked), lets anyone run. */
static void yield_to_owner(mutex_t *mp)
{
    if (sched_yield_to(mp->owner) < 0)
        sched_yield_to(-1);
}

void mutex_init(mutex_t *mp)
{
    mp->locked = 0;
    mp->owner = MUTEX_NO_OWNER;
}

void mutex_lock(mutex_t *mp)
{
    tell_landslide_mutex_locking(mp);
#ifdef BUG_MUTEX_TEST_THEN_SET
    for (;;) {
        if (mp->locked == 0) {
            tell_landslide_preempt();
            mp->locked = 1;   /* BUG: not atomic with the test above */
            break;
        }
        tell_landslide_mutex_blocking(mp->owner);
        yield_to_owner(mp);
    }
#else
    while (xchg(&mp->locked, 1) != 0) {
        tell_landslide_mutex_blocking(mp->owner);
        yield_to_owner(mp);
    }
#endif
    assert(mp->owner == MUTEX_NO_OWNER);
    mp->owner = sched_current_tid();
    tell_landslide_mutex_locking_done(mp);
}

void mutex_unlock(mutex_t *mp)
{
    tell_landslide_mutex_unlocking(mp);
    assert(mp->owner == sched_current_tid());
    mp->owner = MUTEX_NO_OWNER;
    xchg(&mp->locked, 0);
    tell_landslide_mutex_unlocking_done();
}
