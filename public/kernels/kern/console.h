/*
 * kern/console.h - the 80x25 VGA text console
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stddef.h>
#include "mutex.h"

#define CONSOLE_MEM_BASE 0xB8000
#define CONSOLE_WIDTH    80
#define CONSOLE_HEIGHT   25

/* Serializes screen output between threads (print, readline echo, printf). */
extern mutex_t console_lock;

void console_init(void);
/* The raw writers below do not lock: callers hold console_lock (or are panicking). */
void console_putbyte(char ch);
void console_putbytes(const char *s, size_t len);
int console_set_color(int color);
int console_set_cursor(int row, int col);
void console_get_cursor(int *row, int *col);
/* Locked convenience: writes a string. */
void console_write(const char *s, size_t len);

#endif /* CONSOLE_H */
