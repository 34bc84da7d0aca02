/*
 * user/progs/fork_wait.c - a child exits with a status; its parent collects it with wait()
 *
 * Races: the child's vanish against the parent's wait (who gets there first,
 * and the parent freeing the child while the child is still on its way out).
 */
#include <syscall.h>
#include <test.h>

int main(void)
{
    int pid = fork();
    if (pid == 0) {
        set_status(42);
        vanish();
    }
    int status = 0;
    int got = wait(&status);
    return test_report("fork_wait", pid > 0 && got == pid && status == 42, "wrong pid or status from wait");
}
