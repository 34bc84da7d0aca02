/*
 * user/progs/double_thread_fork.c - two threads created and vanishing concurrently
 *
 * Each child prints and exits while the main thread, which also prints after
 * each thread_fork, creates the second one; then the main thread joins both.
 * The prints contend for the kernel's console and memory locks.
 */
#include <stdio.h>
#include <test.h>
#include <thread.h>

static void *child(void *arg)
{
    printf("double_thread_fork: thread %d\n", (int)arg);
    return arg;
}

int main(void)
{
    thr_init(4096);
    int a = thr_create(child, (void *)1);
    printf("double_thread_fork: created %d\n", a >= 0);
    int b = thr_create(child, (void *)2);
    printf("double_thread_fork: created %d\n", b >= 0);
    void *sa = 0, *sb = 0;
    int ok = a >= 0 && b >= 0 && thr_join(a, &sa) == 0 && thr_join(b, &sb) == 0;
    return test_report("double_thread_fork", ok && (int)sa == 1 && (int)sb == 2, "create/join failed");
}
