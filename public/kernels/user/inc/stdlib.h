/*
 * user/inc/stdlib.h - memory allocation, exit and assertions for user programs
 */
#ifndef STDLIB_H
#define STDLIB_H

#include <stddef.h>

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void free(void *p);

/* set_status(status), then vanish this thread. */
void exit(int status) __attribute__((noreturn));
/* Prints the message and exits the calling thread with status -1. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define assert(expr) \
    ((expr) ? (void)0 : panic("%s:%u: failed assertion `%s'", __FILE__, __LINE__, #expr))

#endif /* STDLIB_H */
