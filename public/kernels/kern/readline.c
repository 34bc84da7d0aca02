/*
 * kern/readline.c - the console line discipline
 *
 * One thread reads at a time (readline_lock); the others queue on the mutex.
 * Typed characters are echoed as they arrive; backspace erases the previous
 * character of the line (and nothing before it).  The line ends at '\n',
 * which is stored and echoed, or when the buffer is full.
 */
#include "console.h"
#include "keyboard.h"
#include "mutex.h"
#include "readline.h"

static mutex_t readline_lock;

void readline_init(void)
{
    mutex_init(&readline_lock);
}

static void echo(char c)
{
    mutex_lock(&console_lock);
    console_putbyte(c);
    mutex_unlock(&console_lock);
}

int readline(int len, char *buf)
{
    int n = 0;
    mutex_lock(&readline_lock);
    while (n < len) {
        char c = (char)kbd_getchar();
        if (c == '\b') {
            if (n > 0) {
                n--;
                echo(c);
            }
            continue;
        }
        buf[n++] = c;
        echo(c);
        if (c == '\n')
            break;
    }
    mutex_unlock(&readline_lock);
    return n;
}

int readline_getchar(void)
{
    mutex_lock(&readline_lock);
    int c = kbd_getchar();
    mutex_unlock(&readline_lock);
    return c;
}
