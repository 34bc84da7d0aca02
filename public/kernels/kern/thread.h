/*
 * kern/thread.h - thread control blocks, FIFO queues of them, creation and reaping
 */
#ifndef THREAD_H
#define THREAD_H

#include <stddef.h>
#include <stdint.h>
#include "trap.h"

#define KSTACK_SIZE 8192

typedef enum {
    TCB_RUNNING,    /* on the CPU */
    TCB_RUNNABLE,   /* on the runqueue */
    TCB_BLOCKED,    /* waiting: condition variable, deschedule() or the keyboard */
    TCB_SLEEPING,   /* on the sleep queue until wake_tick */
    TCB_DEAD,       /* vanished, but still executing on its kernel stack */
    TCB_GONE,       /* switched away for good: its stack may be freed */
} tcb_state_t;

struct pcb;

typedef struct tcb {
    int tid;
    volatile tcb_state_t state;
    uint32_t esp;               /* saved kernel stack pointer while switched out */
    void *kstack;               /* lowest address of the kernel stack */
    uint32_t kstack_top;        /* ESP0 for this thread */
    uint32_t pd;                /* page directory (physical = kernel virtual address) */
    struct pcb *pcb;
    struct tcb *q_next;         /* link in the one queue the thread is in, if any */
    struct tcb *all_next;       /* the list of all threads, for lookup by tid */
    unsigned wake_tick;         /* TCB_SLEEPING: tick at which to wake */
    int descheduled;            /* blocked in deschedule(), waiting for make_runnable() */
    int last_in_process;        /* its vanish ended the process: wait() frees it */
} tcb_t;

typedef struct tcb_queue {
    tcb_t *head, *tail;
} tcb_queue_t;

void tq_init(tcb_queue_t *q);
void tq_push(tcb_queue_t *q, tcb_t *t);
tcb_t *tq_pop(tcb_queue_t *q);
int tq_remove(tcb_queue_t *q, tcb_t *t);
int tq_empty(const tcb_queue_t *q);

/* Allocates a thread (tid, kernel stack) in `pcb`; NULL when out of memory. */
tcb_t *thread_create(struct pcb *pcb);
/* Prepares t to start in user mode from a copy of `tf` (with EAX = eax). */
void thread_setup_user(tcb_t *t, const trapframe_t *tf, uint32_t eax);
/* Prepares t to start in the kernel, calling fn(arg) with interrupts enabled. */
void thread_setup_kernel(tcb_t *t, void (*fn)(void *), void *arg);
/* Frees a thread that has left the CPU for good (TCB_GONE), or never ran. */
void thread_free(tcb_t *t);
/* Finds a thread by tid; call with interrupts disabled. */
tcb_t *thread_find(int tid);
/* Frees the threads that vanished (other than a process's last) since the last call. */
void thread_reap_dead(void);
/* Called by the scheduler, interrupts disabled, once `t` has switched away for the last time. */
void thread_retire(tcb_t *t);

#endif /* THREAD_H */
