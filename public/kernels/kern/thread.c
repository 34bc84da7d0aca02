/*
 * kern/thread.c - creating, finding and freeing threads
 *
 * A thread is a tcb_t plus an 8 KB kernel stack, both from the kernel heap.
 * A new thread's stack is laid out so that the first swap_stacks() to it
 * "returns" into kthread_trampoline or thread_return_to_user (kern/wrappers.S).
 *
 * A vanished thread cannot free its own stack, since it is running on it.
 * The scheduler retires it once it has switched away (thread_retire), and its
 * memory is freed later by thread_reap_dead(), or by wait() for the thread
 * whose vanish ended its process (kern/process.c).
 */
#include <string.h>
#include <x86.h>
#include "heap.h"
#include "paging.h"
#include "panic.h"
#include "process.h"
#include "sched.h"
#include "thread.h"

static int next_tid = 1;
static tcb_t *all_threads;        /* guarded by disabling interrupts */
static tcb_queue_t reap_queue;    /* likewise */

void tq_init(tcb_queue_t *q)
{
    q->head = q->tail = NULL;
}

int tq_empty(const tcb_queue_t *q)
{
    return q->head == NULL;
}

void tq_push(tcb_queue_t *q, tcb_t *t)
{
    t->q_next = NULL;
    if (q->tail)
        q->tail->q_next = t;
    else
        q->head = t;
    q->tail = t;
}

tcb_t *tq_pop(tcb_queue_t *q)
{
    tcb_t *t = q->head;
    if (t) {
        q->head = t->q_next;
        if (!q->head)
            q->tail = NULL;
        t->q_next = NULL;
    }
    return t;
}

int tq_remove(tcb_queue_t *q, tcb_t *t)
{
    tcb_t *prev = NULL;
    for (tcb_t *cur = q->head; cur; prev = cur, cur = cur->q_next) {
        if (cur != t)
            continue;
        if (prev)
            prev->q_next = cur->q_next;
        else
            q->head = cur->q_next;
        if (q->tail == cur)
            q->tail = prev;
        cur->q_next = NULL;
        return 1;
    }
    return 0;
}

tcb_t *thread_create(struct pcb *pcb)
{
    tcb_t *t = malloc(sizeof(*t));
    void *kstack = malloc(KSTACK_SIZE);
    if (!t || !kstack) {
        free(t);
        free(kstack);
        return NULL;
    }
    memset(t, 0, sizeof(*t));
    t->kstack = kstack;
    t->kstack_top = (uint32_t)kstack + KSTACK_SIZE;
    t->pcb = pcb;
    t->pd = pcb ? pcb->pd : kernel_pd;
    t->state = TCB_BLOCKED;

    int s = intr_save();
    t->tid = next_tid++;
    t->all_next = all_threads;
    all_threads = t;
    intr_restore(s);
    return t;
}

/* Pushes the registers swap_stacks() pops (edi, esi, ebx, ebp = 0) and its return address. */
static void push_switch_frame(tcb_t *t, uint32_t *sp, void (*resume)(void))
{
    *--sp = (uint32_t)resume;
    for (int i = 0; i < 4; i++)
        *--sp = 0;
    t->esp = (uint32_t)sp;
}

void thread_setup_user(tcb_t *t, const trapframe_t *tf, uint32_t eax)
{
    trapframe_t *frame = (trapframe_t *)(t->kstack_top - sizeof(trapframe_t));
    *frame = *tf;
    frame->eax = eax;
    push_switch_frame(t, (uint32_t *)frame, thread_return_to_user);
}

void thread_setup_kernel(tcb_t *t, void (*fn)(void *), void *arg)
{
    /* Leave room for a trapframe on top, in case the thread later enters user mode (init). */
    uint32_t *sp = (uint32_t *)(t->kstack_top - sizeof(trapframe_t));
    *--sp = (uint32_t)arg;
    *--sp = (uint32_t)fn;
    push_switch_frame(t, sp, kthread_trampoline);
}

tcb_t *thread_find(int tid)
{
    for (tcb_t *t = all_threads; t; t = t->all_next) {
        if (t->tid == tid)
            return t;
    }
    return NULL;
}

void thread_free(tcb_t *t)
{
    int s = intr_save();
    tcb_t **link = &all_threads;
    while (*link != t)
        link = &(*link)->all_next;
    *link = t->all_next;
    intr_restore(s);
    free(t->kstack);
    free(t);
}

void thread_retire(tcb_t *t)
{
    t->state = TCB_GONE;
    if (!t->last_in_process)
        tq_push(&reap_queue, t);
}

void thread_reap_dead(void)
{
    for (;;) {
        int s = intr_save();
        tcb_t *t = tq_pop(&reap_queue);
        intr_restore(s);
        if (!t)
            return;
        thread_free(t);
    }
}

/* Reached if a kernel thread's entry function returns (kern/wrappers.S). */
void kthread_returned(void)
{
    panic("kernel thread %d returned from its entry function", sched_current_tid());
}
