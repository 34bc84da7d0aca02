/*
 * user/progs/thr_join_exit.c - a child joins the main thread, which exits first
 */
#include <stdlib.h>
#include <test.h>
#include <thread.h>

static int main_tid;

static void *child(void *arg)
{
    (void)arg;
    void *status = 0;
    int ok = thr_join(main_tid, &status) == 0 && (int)status == 17;
    exit(test_report("thr_join_exit", ok, "wrong status from the main thread"));
}

int main(void)
{
    thr_init(4096);
    main_tid = thr_getid();
    if (thr_create(child, 0) < 0)
        return test_report("thr_join_exit", 0, "thr_create failed");
    thr_exit((void *)17);
}
