/*
 * kern/readline.h - line input with echo, on top of the keyboard buffer
 */
#ifndef READLINE_H
#define READLINE_H

#define READLINE_MAX 4096

/* Reads one line (up to and including '\n', at most len characters) into buf; returns its length. */
int readline(int len, char *buf);
/* Returns the next character typed, without echo. */
int readline_getchar(void);
void readline_init(void);

#endif /* READLINE_H */
