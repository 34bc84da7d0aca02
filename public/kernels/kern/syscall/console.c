/*
 * kern/syscall/console.c - print, readline, getchar and the terminal calls
 *
 * print() writes the whole buffer under console_lock, so concurrent prints
 * never interleave within one call.  readline() and getchar() read through
 * kern/readline.c, which admits one reader at a time.
 */
#include "../console.h"
#include "../heap.h"
#include "../readline.h"
#include "syscall.h"
#include "uaccess.h"

#define PRINT_MAX   65536
#define PRINT_CHUNK 256

/* print(int len, char *buf): packet { len, buf } */
int sys_print(trapframe_t *tf)
{
    struct { int len; const char *buf; } packet;
    if (copy_from_user(&packet, (const void *)tf->esi, sizeof(packet)) < 0)
        return -1;
    if (packet.len < 0 || packet.len > PRINT_MAX || !uaccess_ok(packet.buf, (size_t)packet.len, UACCESS_READ))
        return -1;
    char chunk[PRINT_CHUNK];
    int result = 0;
    mutex_lock(&console_lock);
    for (int done = 0; done < packet.len; done += PRINT_CHUNK) {
        int n = packet.len - done < PRINT_CHUNK ? packet.len - done : PRINT_CHUNK;
        if (copy_from_user(chunk, packet.buf + done, (size_t)n) < 0) {
            result = -1;
            break;
        }
        console_putbytes(chunk, (size_t)n);
    }
    mutex_unlock(&console_lock);
    return result;
}

/* readline(int len, char *buf): packet { len, buf } */
int sys_readline(trapframe_t *tf)
{
    struct { int len; char *buf; } packet;
    if (copy_from_user(&packet, (const void *)tf->esi, sizeof(packet)) < 0)
        return -1;
    if (packet.len <= 0 || packet.len > READLINE_MAX || !uaccess_ok(packet.buf, (size_t)packet.len, UACCESS_WRITE))
        return -1;
    char *line = malloc((size_t)packet.len);
    if (!line)
        return -1;
    int n = readline(packet.len, line);
    if (copy_to_user(packet.buf, line, (size_t)n) < 0)
        n = -1;
    free(line);
    return n;
}

int sys_getchar(trapframe_t *tf)
{
    (void)tf;
    return readline_getchar();
}

int sys_set_term_color(trapframe_t *tf)
{
    mutex_lock(&console_lock);
    int result = console_set_color((int)tf->esi);
    mutex_unlock(&console_lock);
    return result;
}

/* set_cursor_pos(int row, int col): packet { row, col } */
int sys_set_cursor_pos(trapframe_t *tf)
{
    struct { int row, col; } packet;
    if (copy_from_user(&packet, (const void *)tf->esi, sizeof(packet)) < 0)
        return -1;
    mutex_lock(&console_lock);
    int result = console_set_cursor(packet.row, packet.col);
    mutex_unlock(&console_lock);
    return result;
}

/* get_cursor_pos(int *row, int *col): packet { row, col } */
int sys_get_cursor_pos(trapframe_t *tf)
{
    struct { int *row, *col; } packet;
    int row, col;
    if (copy_from_user(&packet, (const void *)tf->esi, sizeof(packet)) < 0)
        return -1;
    mutex_lock(&console_lock);
    console_get_cursor(&row, &col);
    mutex_unlock(&console_lock);
    if (copy_to_user(packet.row, &row, sizeof(row)) < 0 || copy_to_user(packet.col, &col, sizeof(col)) < 0)
        return -1;
    return 0;
}
