/*
 * kern/landslide.c - bodies of the tell_landslide_* annotations (see kern/landslide.h)
 *
 * The bodies are intentionally empty.  `noipa` keeps gcc from inlining them or
 * deleting calls to them as side-effect free; `used` keeps the symbols.
 */
#ifndef NO_LANDSLIDE
#include "landslide.h"

#define ANNOTATION __attribute__((noipa, used))

ANNOTATION void tell_landslide_thread_switch(int new_tid) { (void)new_tid; }
ANNOTATION void tell_landslide_sched_init_done(void) {}
ANNOTATION void tell_landslide_forking(void) {}
ANNOTATION void tell_landslide_vanishing(void) {}
ANNOTATION void tell_landslide_sleeping(void) {}
ANNOTATION void tell_landslide_thread_on_rq(int tid) { (void)tid; }
ANNOTATION void tell_landslide_thread_off_rq(int tid) { (void)tid; }
ANNOTATION void tell_landslide_mutex_locking(void *mutex_addr) { (void)mutex_addr; }
ANNOTATION void tell_landslide_mutex_blocking(int owner_tid) { (void)owner_tid; }
ANNOTATION void tell_landslide_mutex_locking_done(void *mutex_addr) { (void)mutex_addr; }
ANNOTATION void tell_landslide_mutex_unlocking(void *mutex_addr) { (void)mutex_addr; }
ANNOTATION void tell_landslide_mutex_unlocking_done(void) {}
ANNOTATION void tell_landslide_preempt(void) {}
#endif
