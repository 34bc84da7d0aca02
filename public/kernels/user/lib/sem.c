/*
 * user/lib/sem.c - counting semaphores
 */
#include <sem.h>

int sem_init(sem_t *sem, int count)
{
    mutex_init(&sem->lock);
    cond_init(&sem->nonzero);
    sem->count = count;
    return 0;
}

void sem_destroy(sem_t *sem)
{
    (void)sem;
}

void sem_wait(sem_t *sem)
{
    mutex_lock(&sem->lock);
    while (sem->count == 0)
        cond_wait(&sem->nonzero, &sem->lock);
    sem->count--;
    mutex_unlock(&sem->lock);
}

void sem_signal(sem_t *sem)
{
    mutex_lock(&sem->lock);
    sem->count++;
    cond_signal(&sem->nonzero);
    mutex_unlock(&sem->lock);
}
