/*
 * user/progs/double_wait.c - two threads wait() for the one child
 *
 * Exactly one waiter must get the child; the other must get -1 (no child it
 * could wait for), whatever the order of the three threads.
 */
#include <syscall.h>
#include <test.h>
#include <thread.h>

static int child_pid;

static void *waiter(void *arg)
{
    (void)arg;
    int status;
    int got = wait(&status);
    return (void *)(got == child_pid && status == 7 ? 1 : got < 0 ? 0 : 100);
}

int main(void)
{
    child_pid = fork();
    if (child_pid == 0) {
        set_status(7);
        vanish();
    }
    thr_init(4096);
    int tid = thr_create(waiter, 0);
    int mine = (int)waiter(0);
    void *theirs = 0;
    thr_join(tid, &theirs);
    return test_report("double_wait", mine + (int)theirs == 1, "the child was not collected exactly once");
}
