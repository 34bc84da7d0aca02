/*
 * user/progs/yield_desc_mkrun.c - deschedule/make_runnable handshake with a reject word
 *
 * The child deschedules itself unless `reject` is already set; the parent
 * sets `reject` and then calls make_runnable().  Whatever the interleaving,
 * the child must wake: either it sees reject != 0, or make_runnable finds it
 * descheduled.  A kernel whose deschedule checks and blocks non-atomically
 * loses the wake-up: the child stays descheduled and the parent blocks in
 * thr_join forever (deadlock).
 */
#include <syscall.h>
#include <test.h>
#include <thread.h>

static volatile int reject;
static volatile int woke;

static void *child(void *arg)
{
    (void)arg;
    deschedule((int *)&reject);
    woke = 1;
    return 0;
}

int main(void)
{
    thr_init(4096);
    int tid = thr_create(child, 0);
    if (tid < 0)
        return test_report("yield_desc_mkrun", 0, "thr_create failed");
    yield(tid);
    reject = 1;
    make_runnable(tid);
    int ok = thr_join(tid, 0) == 0 && woke;
    return test_report("yield_desc_mkrun", ok, "the child did not wake");
}
