/*
 * kern/syscall/uaccess.h - checked access to the current task's user memory
 *
 * A system call must never fault in the kernel on a bad user pointer: each
 * range is checked against the page tables (present, user, writable when
 * written) before it is touched.  The copy functions hold the task's mem_lock
 * so that a remove_pages() in another thread cannot unmap the range mid-copy.
 */
#ifndef UACCESS_H
#define UACCESS_H

#include <stddef.h>

#define UACCESS_READ  0
#define UACCESS_WRITE 1

/* 1 if [uaddr, uaddr+len) is mapped user memory (writable if `write`), else 0. */
int uaccess_ok(const void *uaddr, size_t len, int write);
int copy_from_user(void *dst, const void *usrc, size_t len);   /* 0 or -1 */
int copy_to_user(void *udst, const void *src, size_t len);     /* 0 or -1 */
/* Copies a NUL-terminated string of at most max-1 characters; returns its length or -1. */
int copy_string_from_user(char *dst, const char *usrc, size_t max);

#endif /* UACCESS_H */
