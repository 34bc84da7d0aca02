// The Pebbles system call interface as the machine and its users recognise it: `int $N` from user mode,
// with the vectors of the 15-410 kernel specification (spec/syscall_int.h; landslide.md section 8).

/** The first and last vectors of the classic system calls (fork 0x41 .. vanish 0x60). */
export const SYSCALL_FIRST = 0x41;
export const SYSCALL_LAST = 0x60;
export const SYSCALL_GETTID = 0x48;
export const SYSCALL_GETCHAR = 0x4c;
export const SYSCALL_READLINE = 0x4d;
