/*
 * user/progs/shell.c - the 15-410 style shell
 *
 * Prints "[410-shell]$ ", reads a line, runs the named program from the
 * kernel's table (with the rest of the line as arguments), waits for it and
 * prints its exit status.
 */
#include <stdio.h>
#include <string.h>
#include <syscall.h>

#define LINE_MAX 128
#define MAX_ARGS 8

/* Splits line in place at blanks; returns the number of words (argv NULL-terminated). */
static int split(char *line, char *argv[])
{
    int argc = 0;
    char *p = line;
    while (*p && argc < MAX_ARGS) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            *p++ = '\0';
        if (!*p)
            break;
        argv[argc++] = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n')
            p++;
    }
    *p = '\0';
    argv[argc] = NULL;
    return argc;
}

int main(void)
{
    char line[LINE_MAX + 1];
    char *argv[MAX_ARGS + 1];
    for (;;) {
        printf("[410-shell]$ ");
        int n = readline(LINE_MAX, line);
        if (n <= 0)
            continue;
        line[n] = '\0';
        if (split(line, argv) == 0)
            continue;
        int pid = fork();
        if (pid < 0) {
            printf("shell: fork failed\n");
            continue;
        }
        if (pid == 0) {
            exec(argv[0], argv);
            printf("%s: no such program\n", argv[0]);
            set_status(-1);
            vanish();
        }
        int status;
        if (wait(&status) == pid)
            printf("[%s exited with status %d]\n", argv[0], status);
    }
}
