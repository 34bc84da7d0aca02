// Test support: the committed fixture kernel (src/emulator/debug/fixtures, rebuilt by its build.sh), so the
// core loader and debug tests run without a compiler.

import { readFileSync } from 'node:fs';

/** A fresh copy of fixtures/kernel.elf: a multiboot ELF with DWARF 5 lines and two exec2obj programs. */
export function fixtureKernel(): Uint8Array {
  return new Uint8Array(readFileSync(new URL('../../debug/fixtures/kernel.elf', import.meta.url)));
}

/**
 * fixtures/live-kernel.elf: the same kernel entered at `live_start`, which loads a GDT (Pebbles selectors),
 * TSS and IDT, raises `int $0x30` in kernel mode, then drops to ring 3 in the "hello" program, whose
 * `gettid` makes an `int $0x48` system call. Both interrupts go to `syscall_stub` -> `syscall_handler`.
 */
export function fixtureLiveKernel(): Uint8Array {
  return new Uint8Array(readFileSync(new URL('../../debug/fixtures/live-kernel.elf', import.meta.url)));
}
