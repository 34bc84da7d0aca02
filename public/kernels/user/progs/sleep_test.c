/*
 * user/progs/sleep_test.c - sleep() for a few ticks while another thread sleeps less
 */
#include <syscall.h>
#include <test.h>
#include <thread.h>

static void *napper(void *arg)
{
    (void)arg;
    unsigned start = get_ticks();
    sleep(2);
    return (void *)(get_ticks() - start >= 2u ? 1 : 0);
}

int main(void)
{
    thr_init(4096);
    int tid = thr_create(napper, 0);
    unsigned start = get_ticks();
    int ok = sleep(3) == 0 && get_ticks() - start >= 3u;
    void *theirs = 0;
    thr_join(tid, &theirs);
    ok = ok && (int)theirs == 1 && sleep(0) == 0 && sleep(-1) < 0;
    return test_report("sleep_test", ok, "woke too early or bad return value");
}
