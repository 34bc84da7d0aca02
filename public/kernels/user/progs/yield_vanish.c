/*
 * user/progs/yield_vanish.c - yield() to a thread that may be vanishing
 *
 * The child yields back and exits; the parent yields to it repeatedly, while
 * it runs, vanishes or is gone: each yield must either work or fail cleanly
 * (-1), never crash.  Yielding to a tid that never existed must fail.
 */
#include <syscall.h>
#include <test.h>
#include <thread.h>

static void *child(void *arg)
{
    yield(-1);
    return arg;
}

int main(void)
{
    thr_init(4096);
    int tid = thr_create(child, (void *)5);
    for (int i = 0; i < 2; i++)
        yield(tid);
    void *status = 0;
    int ok = thr_join(tid, &status) == 0 && (int)status == 5;
    yield(tid);
    ok = ok && yield(0x7FFFFFFF) < 0;
    return test_report("yield_vanish", ok, "join or yield misbehaved");
}
