/*
 * user/progs/paradise_lost.c - a binary semaphore must give mutual exclusion
 *
 * Two threads each enter critical_section() once under sem_wait/sem_signal.
 */
#include <sem.h>
#include <syscall.h>
#include <test.h>
#include <thread.h>

static sem_t sem;
static volatile int inside, violations, entries;

static void critical_section(void)
{
    if (inside++)
        violations++;
    yield(-1);
    entries++;
    inside--;
}

static void *worker(void *arg)
{
    sem_wait(&sem);
    critical_section();
    sem_signal(&sem);
    return arg;
}

int main(void)
{
    thr_init(4096);
    sem_init(&sem, 1);
    int tid = thr_create(worker, 0);
    worker(0);
    thr_join(tid, 0);
    return test_report("paradise_lost", entries == 2 && !violations, "two threads in the critical section");
}
