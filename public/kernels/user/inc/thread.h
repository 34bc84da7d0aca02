/*
 * user/inc/thread.h - the user thread library (15-410 P2 interface)
 */
#ifndef THREAD_H
#define THREAD_H

int thr_init(unsigned int size);
int thr_create(void *(*func)(void *), void *arg);
int thr_join(int tid, void **statusp);
void thr_exit(void *status) __attribute__((noreturn));
int thr_getid(void);
int thr_yield(int tid);

#endif /* THREAD_H */
