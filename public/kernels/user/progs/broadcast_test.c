/*
 * user/progs/broadcast_test.c - cond_broadcast wakes a waiter whenever it started waiting
 */
#include <cond.h>
#include <mutex.h>
#include <test.h>
#include <thread.h>

static mutex_t lock;
static cond_t cv;
static int ready;

static void *waiter(void *arg)
{
    mutex_lock(&lock);
    while (!ready)
        cond_wait(&cv, &lock);
    mutex_unlock(&lock);
    return arg;
}

int main(void)
{
    thr_init(4096);
    mutex_init(&lock);
    cond_init(&cv);
    int tid = thr_create(waiter, (void *)3);
    mutex_lock(&lock);
    ready = 1;
    cond_broadcast(&cv);
    mutex_unlock(&lock);
    void *status = 0;
    int ok = thr_join(tid, &status) == 0 && (int)status == 3;
    return test_report("broadcast_test", ok, "the waiter did not wake");
}
