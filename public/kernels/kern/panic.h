/*
 * kern/panic.h - panic() and assert() in the 15-410 format
 *
 * A failed assertion calls panic("%s:%u: failed assertion `%s'", file, line,
 * expression), so a debugger stopped at `panic` finds file, line and
 * expression as its 2nd, 3rd and 4th arguments.
 */
#ifndef PANIC_H
#define PANIC_H

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define assert(expr) \
    ((expr) ? (void)0 : panic("%s:%u: failed assertion `%s'", __FILE__, __LINE__, #expr))

#endif /* PANIC_H */
