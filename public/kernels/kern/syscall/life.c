/*
 * kern/syscall/life.c - task and thread life cycle: fork, thread_fork, exec, wait,
 * vanish, set_status
 *
 * These unpack arguments; the work is in kern/process.c.
 */
#include <string.h>
#include "../heap.h"
#include "../process.h"
#include "syscall.h"
#include "uaccess.h"

#define EXEC_MAX_ARGS   16
#define EXEC_MAX_ARGLEN 128

int sys_fork(trapframe_t *tf)
{
    return process_fork(tf);
}

int sys_thread_fork(trapframe_t *tf)
{
    return process_thread_fork(tf);
}

/* exec(char *execname, char *argvec[]): packet { execname, argvec } */
int sys_exec(trapframe_t *tf)
{
    struct { const char *execname; const char *const *argvec; } packet;
    if (copy_from_user(&packet, (const void *)tf->esi, sizeof(packet)) < 0)
        return -1;

    char *buf = malloc(EXEC_MAX_ARGS * EXEC_MAX_ARGLEN);
    char *name = malloc(EXEC_MAX_ARGLEN);
    char *argv[EXEC_MAX_ARGS + 1];
    int argc = 0, result = -1;
    if (!buf || !name || copy_string_from_user(name, packet.execname, EXEC_MAX_ARGLEN) < 0)
        goto out;
    for (;; argc++) {
        const char *arg;
        if (copy_from_user(&arg, &packet.argvec[argc], sizeof(arg)) < 0)
            goto out;
        if (!arg)
            break;
        if (argc == EXEC_MAX_ARGS)
            goto out;
        argv[argc] = buf + argc * EXEC_MAX_ARGLEN;
        if (copy_string_from_user(argv[argc], arg, EXEC_MAX_ARGLEN) < 0)
            goto out;
    }
    if (argc == 0)
        argv[argc++] = name;
    argv[argc] = NULL;
    result = process_exec(tf, name, argv, argc);
out:
    free(buf);
    free(name);
    return result;
}

int sys_wait(trapframe_t *tf)
{
    return process_wait((int *)tf->esi);
}

int sys_vanish(trapframe_t *tf)
{
    (void)tf;
    process_vanish();
}

int sys_set_status(trapframe_t *tf)
{
    process_set_status((int)tf->esi);
    return 0;
}
