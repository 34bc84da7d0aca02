/*
 * user/progs/double_thread_fork.c - two threads created and vanishing concurrently
 *
 * Both children print (contending for the kernel's console lock) and exit
 * while the main thread creates the second one and joins them.
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
    int b = thr_create(child, (void *)2);
    void *sa = 0, *sb = 0;
    int ok = a >= 0 && b >= 0 && thr_join(a, &sa) == 0 && thr_join(b, &sb) == 0;
    return test_report("double_thread_fork", ok && (int)sa == 1 && (int)sb == 2, "create/join failed");
}
