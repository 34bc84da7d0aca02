/*
 * user/inc/sem.h - counting semaphores (mutex + condition variable)
 */
#ifndef SEM_H
#define SEM_H

#include <cond.h>
#include <mutex.h>

typedef struct sem {
    mutex_t lock;
    cond_t nonzero;
    int count;
} sem_t;

int sem_init(sem_t *sem, int count);
void sem_destroy(sem_t *sem);
void sem_wait(sem_t *sem);
void sem_signal(sem_t *sem);

#endif /* SEM_H */
