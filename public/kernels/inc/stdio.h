/*
 * inc/stdio.h - formatted output: a small vsnprintf shared by kernel and user space
 *
 * Supports %d %i %u %x %X %p %s %c %% with optional '-', '0', width and the
 * 'l' length modifier (ignored: int and long are both 32 bits here).
 */
#ifndef STDIO_H
#define STDIO_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* STDIO_H */
