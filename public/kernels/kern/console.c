/*
 * kern/console.c - VGA text-mode console with a hardware cursor
 *
 * Characters go to the 80x25 cell array at 0xB8000 (character byte, then
 * attribute byte).  The blinking cursor is the CRTC's cursor location
 * register pair (index 14/15 through ports 0x3D4/0x3D5).  '\n' moves to the
 * next line, '\r' to column 0, '\b' one cell back (erasing it); writing past
 * the last line scrolls.  Kernel printf() lives here too.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <x86.h>
#include "console.h"

#define CRTC_INDEX       0x3D4
#define CRTC_DATA        0x3D5
#define CRTC_CURSOR_HIGH 14
#define CRTC_CURSOR_LOW  15
#define DEFAULT_COLOR    0x07   /* light grey on black */

mutex_t console_lock;

static volatile uint16_t *const screen = (volatile uint16_t *)CONSOLE_MEM_BASE;
static int cur_row, cur_col;
static uint8_t color = DEFAULT_COLOR;

static void update_cursor(void)
{
    uint16_t pos = (uint16_t)(cur_row * CONSOLE_WIDTH + cur_col);
    outb(CRTC_INDEX, CRTC_CURSOR_HIGH);
    outb(CRTC_DATA, pos >> 8);
    outb(CRTC_INDEX, CRTC_CURSOR_LOW);
    outb(CRTC_DATA, pos & 0xFF);
}

static uint16_t blank(void)
{
    return (uint16_t)(' ' | (color << 8));
}

static void scroll(void)
{
    for (int i = 0; i < (CONSOLE_HEIGHT - 1) * CONSOLE_WIDTH; i++)
        screen[i] = screen[i + CONSOLE_WIDTH];
    for (int i = 0; i < CONSOLE_WIDTH; i++)
        screen[(CONSOLE_HEIGHT - 1) * CONSOLE_WIDTH + i] = blank();
}

static void newline(void)
{
    cur_col = 0;
    if (++cur_row == CONSOLE_HEIGHT) {
        scroll();
        cur_row = CONSOLE_HEIGHT - 1;
    }
}

void console_init(void)
{
    mutex_init(&console_lock);
    for (int i = 0; i < CONSOLE_HEIGHT * CONSOLE_WIDTH; i++)
        screen[i] = blank();
    cur_row = cur_col = 0;
    update_cursor();
}

static void put_raw(char ch)
{
    switch (ch) {
    case '\n':
        newline();
        break;
    case '\r':
        cur_col = 0;
        break;
    case '\b':
        if (cur_col > 0) {
            cur_col--;
            screen[cur_row * CONSOLE_WIDTH + cur_col] = blank();
        }
        break;
    default:
        screen[cur_row * CONSOLE_WIDTH + cur_col] = (uint16_t)((uint8_t)ch | (color << 8));
        if (++cur_col == CONSOLE_WIDTH)
            newline();
        break;
    }
}

void console_putbyte(char ch)
{
    put_raw(ch);
    update_cursor();
}

void console_putbytes(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        put_raw(s[i]);
    update_cursor();
}

int console_set_color(int c)
{
    if (c < 0 || c > 0xFF)
        return -1;
    color = (uint8_t)c;
    return 0;
}

int console_set_cursor(int row, int col)
{
    if (row < 0 || row >= CONSOLE_HEIGHT || col < 0 || col >= CONSOLE_WIDTH)
        return -1;
    cur_row = row;
    cur_col = col;
    update_cursor();
    return 0;
}

void console_get_cursor(int *row, int *col)
{
    *row = cur_row;
    *col = cur_col;
}

void console_write(const char *s, size_t len)
{
    mutex_lock(&console_lock);
    console_putbytes(s, len);
    mutex_unlock(&console_lock);
}

int printf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    console_write(buf, (size_t)n);
    return n;
}
