// The Pebbles system call interface as the machine and its users recognise it: `int $N` from user mode,
// with the vectors of the 15-410 kernel specification (spec/syscall_int.h; landslide.md section 8).

export const SYSCALL_GETTID = 0x48;
export const SYSCALL_GETCHAR = 0x4c;
export const SYSCALL_READLINE = 0x4d;

/** Fork (0x41) to readfile (0x62), retired vectors included, and swexn (0x74); 0x80-0x8F are the students'. */
export function isPebblesSyscall(vector: number): boolean {
  return (vector >= 0x41 && vector <= 0x62) || vector === 0x74;
}
