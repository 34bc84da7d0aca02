/*
 * kern/process.h - tasks: address space, threads, parent/child relation, exit status
 *
 * Locking: tree_lock (global) guards every pcb's parent pointer and the list
 * of live processes; a pcb's `lock` guards its counters, zombie list and
 * status; `mem_lock` guards its address space.  Order: tree_lock before any
 * pcb lock, never two pcb locks at once, mem_lock innermost.
 */
#ifndef PROCESS_H
#define PROCESS_H

#include <stdint.h>
#include "cond.h"
#include "mutex.h"
#include "thread.h"

typedef struct region {           /* one new_pages() allocation */
    uint32_t base, len;
    struct region *next;
} region_t;

typedef struct pcb {
    int pid;                      /* tid of the task's first thread */
    uint32_t pd;                  /* page directory */
    struct pcb *parent;           /* tree_lock */
    struct pcb *live_next;        /* list of live processes, tree_lock */
    mutex_t lock;
    cond_t wait_cv;               /* signalled when a child becomes a zombie */
    int nthreads;                 /* lock */
    int live_children;            /* children not yet collected by wait(), lock */
    int waiters;                  /* threads blocked in wait(), lock */
    struct pcb *zombies;          /* exited children, lock */
    struct pcb *zombie_next;
    int status;                   /* exit status, lock */
    tcb_t *last_thread;           /* the thread whose vanish ended the task */
    mutex_t mem_lock;
    region_t *regions;            /* mem_lock */
} pcb_t;

void process_init(void);
/* Boot: create the init task and its first thread (running the user program "init"). */
tcb_t *process_create_init(void);

int process_fork(trapframe_t *tf);
int process_thread_fork(trapframe_t *tf);
int process_exec(trapframe_t *tf, const char *name, char *const argv[], int argc);
int process_wait(int *status_ptr);
void process_vanish(void) __attribute__((noreturn));
void process_set_status(int status);

#endif /* PROCESS_H */
