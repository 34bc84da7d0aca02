/*
 * kern/process.c - fork, thread_fork, exec, wait, vanish and set_status
 *
 * A task (pcb_t) owns an address space and one or more threads.  When the
 * last thread of a task vanishes, the task becomes a zombie on its parent's
 * list: the parent's wait() collects its exit status and frees it.  Children
 * of a vanishing task are handed to init, which waits for them forever.
 *
 * Freeing a vanished task's last thread is subtle: after publishing the
 * zombie, that thread still runs (on its kernel stack) until it switches
 * away.  wait() therefore waits for it to be TCB_GONE before freeing it.
 *
 * Planted bugs (build flags, off by default):
 *   BUG_WAIT_FREES_RUNNING_THREAD - wait() frees the zombie's last thread and
 *     kernel stack without waiting for it to leave the CPU: if the parent runs
 *     between the child's cond_signal and its final context switch, the child
 *     keeps executing on freed memory (use-after-free).
 *   BUG_FORK_LOCK_ORDER - fork takes the parent's lock before tree_lock, while
 *     vanish takes tree_lock before the parent's lock: a parent preempted
 *     inside fork's critical section while a child vanishes deadlocks both.
 *   BUG_WAIT_DROPS_LOCK - wait() checks the status pointer only once it has
 *     found a zombie, dropping the task's lock to do so, and then takes the
 *     first zombie without looking again: another waiter may have taken it in
 *     between, and it dereferences an empty list (a kernel NULL pointer fault).
 */
#include <seg.h>
#include <simics.h>
#include <string.h>
#include <x86.h>
#include "heap.h"
#include "landslide.h"
#include "loader.h"
#include "panic.h"
#include "paging.h"
#include "process.h"
#include "sched.h"
#include "syscall/uaccess.h"

static mutex_t tree_lock;
static pcb_t *live_processes;   /* tree_lock */
static pcb_t *init_pcb;

void process_init(void)
{
    mutex_init(&tree_lock);
}

static pcb_t *pcb_alloc(void)
{
    pcb_t *p = malloc(sizeof(*p));
    if (!p)
        return NULL;
    memset(p, 0, sizeof(*p));
    mutex_init(&p->lock);
    mutex_init(&p->mem_lock);
    cond_init(&p->wait_cv);
    return p;
}

static void free_regions(pcb_t *p)
{
    while (p->regions) {
        region_t *r = p->regions;
        p->regions = r->next;
        free(r);
    }
}

static int copy_regions(pcb_t *dst, const pcb_t *src)
{
    for (const region_t *r = src->regions; r; r = r->next) {
        region_t *copy = malloc(sizeof(*copy));
        if (!copy)
            return -1;
        *copy = *r;
        copy->next = dst->regions;
        dst->regions = copy;
    }
    return 0;
}

/* Undoes a fork whose child never ran. */
static void pcb_discard(pcb_t *p)
{
    if (p->pd)
        pd_destroy(p->pd);
    free_regions(p);
    free(p);
}

/* The boot thread that becomes init: exec the "init" program, then drop to user mode. */
static void init_thread_main(void *arg)
{
    (void)arg;
    tcb_t *self = sched_current();
    trapframe_t *tf = (trapframe_t *)(self->kstack_top - sizeof(trapframe_t));
    char *argv[] = { "init", NULL };
    if (process_exec(tf, "init", argv, 1) < 0)
        panic("cannot load the init program");
    enter_user(tf);
}

tcb_t *process_create_init(void)
{
    init_pcb = pcb_alloc();
    assert(init_pcb != NULL);
    init_pcb->pd = pd_create();
    tcb_t *t = thread_create(init_pcb);
    assert(init_pcb->pd && t);
    init_pcb->pid = t->tid;
    init_pcb->nthreads = 1;
    init_pcb->parent = init_pcb;
    live_processes = init_pcb;
    thread_setup_kernel(t, init_thread_main, NULL);
    return t;
}

/* Publishes a new child in the process tree. */
static void link_child(pcb_t *parent, pcb_t *child)
{
#ifdef BUG_FORK_LOCK_ORDER
    mutex_lock(&parent->lock);
    parent->live_children++;
    mutex_lock(&tree_lock);           /* BUG: vanish takes these two in the other order */
#else
    mutex_lock(&tree_lock);
    mutex_lock(&parent->lock);
    parent->live_children++;
#endif
    child->parent = parent;
    child->live_next = live_processes;
    live_processes = child;
#ifdef BUG_FORK_LOCK_ORDER
    mutex_unlock(&tree_lock);
    mutex_unlock(&parent->lock);
#else
    mutex_unlock(&parent->lock);
    mutex_unlock(&tree_lock);
#endif
}

int process_fork(trapframe_t *tf)
{
    pcb_t *parent = sched_current()->pcb;
    thread_reap_dead();

    mutex_lock(&parent->lock);
    int nthreads = parent->nthreads;
    mutex_unlock(&parent->lock);
    if (nthreads != 1)
        return -1;

    pcb_t *child = pcb_alloc();
    if (!child)
        return -1;
    child->pd = pd_create();
    if (!child->pd) {
        pcb_discard(child);
        return -1;
    }
    mutex_lock(&parent->mem_lock);
    int copied = pd_copy_user(child->pd, parent->pd) == 0 && copy_regions(child, parent) == 0;
    mutex_unlock(&parent->mem_lock);
    tcb_t *t = copied ? thread_create(child) : NULL;
    if (!t) {
        pcb_discard(child);
        return -1;
    }
    child->pid = t->tid;
    child->nthreads = 1;
    thread_setup_user(t, tf, 0);
    sim_reg_child((void *)child->pd, (void *)parent->pd);
    link_child(parent, child);

    tell_landslide_forking();
    sched_add_new(t);
    return t->tid;
}

int process_thread_fork(trapframe_t *tf)
{
    pcb_t *p = sched_current()->pcb;
    thread_reap_dead();
    tcb_t *t = thread_create(p);
    if (!t)
        return -1;
    mutex_lock(&p->lock);
    p->nthreads++;
    mutex_unlock(&p->lock);
    thread_setup_user(t, tf, 0);

    tell_landslide_forking();
    sched_add_new(t);
    return t->tid;
}

int process_exec(trapframe_t *tf, const char *name, char *const argv[], int argc)
{
    tcb_t *self = sched_current();
    pcb_t *p = self->pcb;
    mutex_lock(&p->lock);
    int nthreads = p->nthreads;
    mutex_unlock(&p->lock);
    if (nthreads != 1)
        return -1;

    uint32_t entry, esp;
    uint32_t pd = loader_load(name, argv, argc, &entry, &esp);
    if (!pd)
        return -1;

    mutex_lock(&p->mem_lock);
    uint32_t old = p->pd;
    int s = intr_save();
    p->pd = pd;
    self->pd = pd;
    set_cr3(pd);
    intr_restore(s);
    free_regions(p);
    mutex_unlock(&p->mem_lock);
    sim_unreg_process((void *)old);
    pd_destroy(old);
    sim_reg_process((void *)pd, name);

    memset(tf, 0, sizeof(*tf));
    tf->eip = entry;
    tf->cs = SEGSEL_USER_CS;
    tf->eflags = EFLAGS_IF | EFLAGS_RESERVED;
    tf->user_esp = esp;
    tf->user_ss = tf->ds = tf->es = tf->fs = tf->gs = SEGSEL_USER_DS;
    return 0;
}

void process_set_status(int status)
{
    pcb_t *p = sched_current()->pcb;
    mutex_lock(&p->lock);
    p->status = status;
    mutex_unlock(&p->lock);
}

int process_wait(int *status_ptr)
{
    pcb_t *p = sched_current()->pcb;
#ifndef BUG_WAIT_DROPS_LOCK
    if (status_ptr && !uaccess_ok(status_ptr, sizeof(int), UACCESS_WRITE))
        return -1;
#endif
    thread_reap_dead();

    mutex_lock(&p->lock);
    while (!p->zombies) {
        if (p->live_children <= p->waiters) {   /* every child already has a waiter */
            mutex_unlock(&p->lock);
            return -1;
        }
        p->waiters++;
        cond_wait(&p->wait_cv, &p->lock);
        p->waiters--;
    }
#ifdef BUG_WAIT_DROPS_LOCK
    mutex_unlock(&p->lock);
    if (status_ptr && !uaccess_ok(status_ptr, sizeof(int), UACCESS_WRITE))
        return -1;
    mutex_lock(&p->lock);
#endif
    pcb_t *z = p->zombies;
    p->zombies = z->zombie_next;
    p->live_children--;
    mutex_unlock(&p->lock);

    int pid = z->pid, status = z->status;
    tcb_t *last = z->last_thread;
#ifndef BUG_WAIT_FREES_RUNNING_THREAD
    while (last->state != TCB_GONE) {   /* still on its way out: let it finish */
        if (sched_yield_to(last->tid) < 0)
            sched_yield_to(-1);
    }
#endif
    thread_free(last);
    free(z);
    if (status_ptr)
        copy_to_user(status_ptr, &status, sizeof(status));
    return pid;
}

/* The last thread of task p is leaving: give its children to init and become a zombie. */
static void become_zombie(pcb_t *p)
{
    mutex_lock(&tree_lock);
    pcb_t **link = &live_processes;
    while (*link != p)
        link = &(*link)->live_next;
    *link = p->live_next;

    int orphans = 0;
    for (pcb_t *q = live_processes; q; q = q->live_next) {
        if (q->parent == p) {
            q->parent = init_pcb;
            orphans++;
        }
    }
    mutex_lock(&p->lock);
    pcb_t *zombies = p->zombies;
    p->zombies = NULL;
    mutex_unlock(&p->lock);
    if (orphans || zombies) {
        mutex_lock(&init_pcb->lock);
        while (zombies) {
            pcb_t *z = zombies;
            zombies = z->zombie_next;
            z->zombie_next = init_pcb->zombies;
            init_pcb->zombies = z;
            orphans++;
        }
        init_pcb->live_children += orphans;
        cond_broadcast(&init_pcb->wait_cv);
        mutex_unlock(&init_pcb->lock);
    }

    pcb_t *parent = p->parent;
    mutex_lock(&parent->lock);
    p->zombie_next = parent->zombies;
    parent->zombies = p;
    cond_signal(&parent->wait_cv);
    mutex_unlock(&parent->lock);
    mutex_unlock(&tree_lock);
}

void process_vanish(void)
{
    tcb_t *self = sched_current();
    pcb_t *p = self->pcb;
    thread_reap_dead();

    /*
     * Leave the task's address space first: once this thread is no longer
     * counted, the task's last thread may free the page directory, and this
     * thread must not be switched back in on it.
     */
    int s = intr_save();
    self->pd = kernel_pd;
    set_cr3(kernel_pd);
    intr_restore(s);

    mutex_lock(&p->lock);
    int last = --p->nthreads == 0;
    mutex_unlock(&p->lock);
    if (!last)
        sched_exit();
    if (p == init_pcb)
        panic("init vanished");

    sim_unreg_process((void *)p->pd);
    pd_destroy(p->pd);
    p->pd = 0;
    free_regions(p);

    self->last_in_process = 1;
    p->last_thread = self;
    become_zombie(p);
    sched_exit();
}
