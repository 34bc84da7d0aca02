/*
 * kern/landslide.h - the tell_landslide_* annotations (Landslide's Pebbles interface)
 *
 * Each is an empty, never-inlined function: a tool watching the kernel finds
 * it by symbol name and reads its arguments from the stack at entry.  Building
 * with -DNO_LANDSLIDE (make ANNOTATE=0) compiles every call away, for testing
 * the unannotated mode.  Where each is called:
 *   thread_switch(tid)      kern/sched.c context_switch(), interrupts off
 *   sched_init_done()       kern/entry.c kernel_main(), once boot threads exist
 *   forking()               fork and thread_fork, right before the child joins the runqueue
 *   vanishing()             kern/sched.c sched_exit(), before the final switch away
 *   sleeping()              sleep(), before the thread moves to the sleep queue
 *   thread_on_rq(tid)       whenever a blocked/new/sleeping thread becomes runnable
 *   thread_off_rq(tid)      whenever a thread blocks (deschedule, cond_wait, keyboard wait)
 *   mutex_locking(m) ... mutex_unlocking_done()   kern/mutex.c
 *   mutex_blocking(owner)   kern/mutex.c, before yielding to the owner
 *   preempt()               kern/syscall/syscall.c, at every system call entry (and, in the
 *                           BUG_MUTEX_TEST_THEN_SET and BUG_KEYBOARD_UNMASKED variants only,
 *                           inside their race windows)
 * The running thread counts as being on the runqueue (CURRENT_THREAD_LIVES_ON_RQ=1).
 */
#ifndef LANDSLIDE_H
#define LANDSLIDE_H

#ifdef NO_LANDSLIDE
#define tell_landslide_thread_switch(tid) ((void)(tid))
#define tell_landslide_sched_init_done() ((void)0)
#define tell_landslide_forking() ((void)0)
#define tell_landslide_vanishing() ((void)0)
#define tell_landslide_sleeping() ((void)0)
#define tell_landslide_thread_on_rq(tid) ((void)(tid))
#define tell_landslide_thread_off_rq(tid) ((void)(tid))
#define tell_landslide_mutex_locking(m) ((void)(m))
#define tell_landslide_mutex_blocking(owner) ((void)(owner))
#define tell_landslide_mutex_locking_done(m) ((void)(m))
#define tell_landslide_mutex_unlocking(m) ((void)(m))
#define tell_landslide_mutex_unlocking_done() ((void)0)
#define tell_landslide_preempt() ((void)0)
#else
void tell_landslide_thread_switch(int new_tid);
void tell_landslide_sched_init_done(void);
void tell_landslide_forking(void);
void tell_landslide_vanishing(void);
void tell_landslide_sleeping(void);
void tell_landslide_thread_on_rq(int tid);
void tell_landslide_thread_off_rq(int tid);
void tell_landslide_mutex_locking(void *mutex_addr);
void tell_landslide_mutex_blocking(int owner_tid);
void tell_landslide_mutex_locking_done(void *mutex_addr);
void tell_landslide_mutex_unlocking(void *mutex_addr);
void tell_landslide_mutex_unlocking_done(void);
void tell_landslide_preempt(void);
#endif

#endif /* LANDSLIDE_H */
