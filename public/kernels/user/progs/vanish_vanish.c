/*
 * user/progs/vanish_vanish.c - parent and child vanish at the same time
 *
 * The parent does not wait: the child becomes an orphan (handed to init),
 * possibly while the parent is still tearing itself down.
 */
#include <syscall.h>
#include <test.h>

int main(void)
{
    int pid = fork();
    if (pid == 0) {
        set_status(1);
        vanish();
    }
    return test_report("vanish_vanish", pid > 0, "fork failed");
}
