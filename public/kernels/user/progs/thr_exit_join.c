/*
 * user/progs/thr_exit_join.c - a thread exits while its creator joins it
 *
 * The joiner frees the exited thread's stack; it must not do so while the
 * exiting thread is still running on it.
 */
#include <test.h>
#include <thread.h>

static void *child(void *arg)
{
    thr_exit(arg);
}

int main(void)
{
    thr_init(4096);
    int tid = thr_create(child, (void *)42);
    void *status = 0;
    int ok = tid >= 0 && thr_join(tid, &status) == 0 && (int)status == 42;
    return test_report("thr_exit_join", ok, "wrong join status");
}
