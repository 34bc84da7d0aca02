// Test support: the committed fixture kernel (src/emulator/debug/fixtures, rebuilt by its build.sh), so the
// core loader and debug tests run without a compiler.

import { readFileSync } from 'node:fs';

/** A fresh copy of fixtures/kernel.elf: a multiboot ELF with DWARF 5 lines and two exec2obj programs. */
export function fixtureKernel(): Uint8Array {
  return new Uint8Array(readFileSync(new URL('../../debug/fixtures/kernel.elf', import.meta.url)));
}
