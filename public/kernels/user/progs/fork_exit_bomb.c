/*
 * user/progs/fork_exit_bomb.c - fork children that exit at once, while forking more (small)
 *
 * Each child vanishes immediately, so child vanishes race with the parent's
 * next fork; the parent then collects every child.
 */
#include <syscall.h>
#include <test.h>

#define CHILDREN 2

int main(void)
{
    int sum = 0, expected = 0;
    for (int i = 1; i <= CHILDREN; i++) {
        int pid = fork();
        if (pid == 0) {
            set_status(i);
            vanish();
        }
        if (pid < 0)
            return test_report("fork_exit_bomb", 0, "fork failed");
        expected += i;
    }
    for (int i = 0; i < CHILDREN; i++) {
        int status;
        if (wait(&status) < 0)
            return test_report("fork_exit_bomb", 0, "wait failed");
        sum += status;
    }
    return test_report("fork_exit_bomb", sum == expected && wait(0) < 0, "wrong statuses");
}
