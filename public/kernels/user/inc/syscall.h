/*
 * user/inc/syscall.h - the Pebbles system call interface (spec/syscall.h prototypes)
 */
#ifndef SYSCALL_H
#define SYSCALL_H

#define PAGE_SIZE 4096

int fork(void);
int exec(char *execname, char *argvec[]);
void set_status(int status);
void vanish(void) __attribute__((noreturn));
int wait(int *status_ptr);
int gettid(void);
int yield(int tid);
int deschedule(int *reject);
int make_runnable(int tid);
unsigned int get_ticks(void);
int sleep(int ticks);
int new_pages(void *addr, int len);
int remove_pages(void *addr);
int getchar(void);
int readline(int size, char *buf);
int print(int size, char *buf);
int set_term_color(int color);
int set_cursor_pos(int row, int col);
int get_cursor_pos(int *row, int *col);
int thread_fork(void);
void halt(void) __attribute__((noreturn));
void misbehave(int mode);

#endif /* SYSCALL_H */
