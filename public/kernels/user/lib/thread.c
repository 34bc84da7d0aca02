/*
 * user/lib/thread.c - user threads on thread_fork (15-410 P2 style)
 *
 * Every thread has a record (uthread_t) on the `threads` list, guarded by
 * thr_lock.  thr_create() holds thr_lock across thread_fork() so the record
 * (with the child's tid) is published before the child can look for it.
 *
 * Exit and join: thr_exit() records the status under thr_lock, then wakes
 * the joiner and vanishes.  The exiting thread still runs on its stack (and
 * uses its record's condition variable) until the vanish system call, so the
 * joiner may free the stack and the record only after `stack_released` is
 * set, by thr_vanish_releasing() (user/lib/thr_asm.S) in the same breath as
 * vanish.
 *
 * Planted bug BUG_THR_EXIT_EARLY_RELEASE: thr_exit() sets stack_released
 * together with the status.  A joiner that gets thr_lock while the exiting
 * thread is still in cond_broadcast() (e.g. at its gettid system call) frees
 * the stack and the record under it: use-after-free on the user heap.
 */
#include <cond.h>
#include <mutex.h>
#include <stdlib.h>
#include <syscall.h>
#include <thread.h>

typedef struct uthread {
    int tid;
    void *stack;                 /* NULL for the main thread */
    void *(*func)(void *);
    void *arg;
    void *status;
    int exited, joined;
    volatile int stack_released;
    cond_t done;
    struct uthread *next;
} uthread_t;

int thr_fork_on(void *stack_top, void (*entry)(void *), void *arg);
void thr_vanish_releasing(volatile int *stack_released) __attribute__((noreturn));

static mutex_t thr_lock = MUTEX_INITIALIZER;
static uthread_t *threads;
static unsigned stack_size = 8192;
static uthread_t main_thread;

int thr_init(unsigned int size)
{
    if (size < 1024)
        return -1;
    stack_size = (size + 15) & ~15u;
    main_thread.tid = gettid();
    cond_init(&main_thread.done);
    mutex_lock(&thr_lock);
    main_thread.next = threads;
    threads = &main_thread;
    mutex_unlock(&thr_lock);
    return 0;
}

/* Call with thr_lock held. */
static uthread_t *find(int tid)
{
    for (uthread_t *t = threads; t; t = t->next) {
        if (t->tid == tid)
            return t;
    }
    return NULL;
}

static void unlink_thread(uthread_t *t)
{
    uthread_t **link = &threads;
    while (*link != t)
        link = &(*link)->next;
    *link = t->next;
}

static void child_main(void *arg)
{
    uthread_t *t = arg;
    thr_exit(t->func(t->arg));
}

int thr_create(void *(*func)(void *), void *arg)
{
    uthread_t *t = calloc(1, sizeof(*t));
    void *stack = malloc(stack_size);
    if (!t || !stack) {
        free(t);
        free(stack);
        return -1;
    }
    t->stack = stack;
    t->func = func;
    t->arg = arg;
    cond_init(&t->done);

    mutex_lock(&thr_lock);
    int tid = thr_fork_on((char *)stack + stack_size, child_main, t);
    if (tid >= 0) {
        t->tid = tid;
        t->next = threads;
        threads = t;
    }
    mutex_unlock(&thr_lock);
    if (tid < 0) {
        free(stack);
        free(t);
    }
    return tid;
}

int thr_join(int tid, void **statusp)
{
    mutex_lock(&thr_lock);
    uthread_t *t = find(tid);
    if (!t || t->joined) {
        mutex_unlock(&thr_lock);
        return -1;
    }
    t->joined = 1;
    while (!t->exited)
        cond_wait(&t->done, &thr_lock);
    unlink_thread(t);
    mutex_unlock(&thr_lock);

    while (!t->stack_released) {   /* it is between its unlock and its vanish */
        if (yield(tid) < 0)
            yield(-1);
    }
    if (statusp)
        *statusp = t->status;
    if (t != &main_thread) {
        free(t->stack);
        free(t);
    }
    return 0;
}

void thr_exit(void *status)
{
    mutex_lock(&thr_lock);
    uthread_t *t = find(gettid());
    if (!t) {                     /* the main thread without thr_init(): nothing to publish */
        mutex_unlock(&thr_lock);
        vanish();
    }
    t->status = status;
    t->exited = 1;
#ifdef BUG_THR_EXIT_EARLY_RELEASE
    t->stack_released = 1;        /* BUG: this thread is still using its stack */
#endif
    mutex_unlock(&thr_lock);
    cond_broadcast(&t->done);
#ifdef BUG_THR_EXIT_EARLY_RELEASE
    vanish();
#else
    thr_vanish_releasing(&t->stack_released);
#endif
}

int thr_getid(void)
{
    return gettid();
}

int thr_yield(int tid)
{
    return yield(tid);
}
