/*
 * user/progs/mutex_test.c - two threads, two iterations each, through one mutex
 *
 * Inside the critical section each thread checks that it is alone and yields
 * to widen the window; the counter must come out exact.
 */
#include <mutex.h>
#include <syscall.h>
#include <test.h>
#include <thread.h>

#define ITERATIONS 2

static mutex_t lock;
static volatile int inside, counter, violations;

static void *worker(void *arg)
{
    for (int i = 0; i < ITERATIONS; i++) {
        mutex_lock(&lock);
        if (inside++)
            violations++;
        int c = counter;
        yield(-1);
        counter = c + 1;
        inside--;
        mutex_unlock(&lock);
    }
    return arg;
}

int main(void)
{
    thr_init(4096);
    mutex_init(&lock);
    int tid = thr_create(worker, 0);
    worker(0);
    thr_join(tid, 0);
    return test_report("mutex_test", counter == 2 * ITERATIONS && !violations, "mutual exclusion violated");
}
