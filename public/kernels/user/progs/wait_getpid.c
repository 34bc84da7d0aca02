/*
 * user/progs/wait_getpid.c - wait() returns the pid that the child sees as its own tid
 */
#include <syscall.h>
#include <test.h>

int main(void)
{
    int pid = fork();
    if (pid == 0) {
        set_status(gettid());
        vanish();
    }
    int status = -1;
    int got = wait(&status);
    return test_report("wait_getpid", got == pid && status == pid, "pid mismatch");
}
