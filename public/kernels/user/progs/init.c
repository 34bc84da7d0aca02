/*
 * user/progs/init.c - the first user process
 *
 * Starts the shell and waits forever, collecting the exit status of the
 * shell and of every orphan the kernel hands over; restarts the shell if it
 * ever exits.
 */
#include <stdio.h>
#include <syscall.h>

int main(void)
{
    char *argv[] = { "shell", NULL };
    for (;;) {
        int shell = fork();
        if (shell == 0) {
            exec("shell", argv);
            printf("init: cannot run the shell\n");
            set_status(-1);
            vanish();
        }
        int status;
        while (wait(&status) != shell)
            continue;
        printf("init: the shell exited (status %d), restarting it\n", status);
    }
}
