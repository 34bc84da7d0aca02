// The user programs a Pebbles kernel carries, as laid out by the 15-410 `exec2obj` tool
// (410kern/inc/exec2obj.h): `exec2obj_userapp_TOC`, an array of
// `{ char execname[256]; const char *execbytes; int execlen; }`, and `int exec2obj_userapp_count`.
// The table is read from the kernel image's own data (the kernel is statically linked, so the pointers
// are final virtual addresses); each entry's bytes are a complete ELF linked at 0x1000000.
//
// Never throws: an unreadable table gives no programs and a warning; a bad entry is kept with `error`.

import type { Elf32 } from '../loader/elf.ts';
import type { SymbolTable } from './symbols.ts';

export const EXEC2OBJ_NAME_LENGTH = 256;
/** sizeof(exec2obj_userapp_TOC_entry) on i386: name, pointer, int. */
export const EXEC2OBJ_ENTRY_SIZE = 264;
const MAX_ENTRIES = 4096;

export interface Exec2objEntry {
  index: number;
  name: string;
  /** Kernel virtual address of the program's bytes. */
  execbytes: number;
  execlen: number;
  /** The program's ELF bytes, or null when the entry points outside the kernel image. */
  bytes: Uint8Array | null;
}

/** The entries of the kernel's exec2obj table (empty when the kernel has none). */
export function readExec2objTable(kernel: Elf32, symbols: SymbolTable, warnings: string[]): Exec2objEntry[] {
  const tocAddress = symbols.address('exec2obj_userapp_TOC');
  const countAddress = symbols.address('exec2obj_userapp_count');
  if (tocAddress === undefined || countAddress === undefined) return [];
  const countBytes = kernel.readVirtual(countAddress, 4);
  if (!countBytes) {
    warnings.push('exec2obj_userapp_count lies outside the kernel image; no user programs listed');
    return [];
  }
  let count = new DataView(countBytes.buffer).getInt32(0, true);
  if (count < 0 || count > MAX_ENTRIES) {
    warnings.push(`exec2obj_userapp_count is ${count}, which is not a plausible number of programs; none listed`);
    return [];
  }
  const toc = symbols.range('exec2obj_userapp_TOC');
  const capacity = toc && toc.end > toc.start ? Math.floor((toc.end - toc.start) / EXEC2OBJ_ENTRY_SIZE) : count;
  if (count > capacity) {
    warnings.push(`exec2obj_userapp_count is ${count} but exec2obj_userapp_TOC holds only ${capacity} entries; the rest are ignored`);
    count = capacity;
  }
  const entries: Exec2objEntry[] = [];
  for (let i = 0; i < count; i++) {
    const raw = kernel.readVirtual(tocAddress + i * EXEC2OBJ_ENTRY_SIZE, EXEC2OBJ_ENTRY_SIZE);
    if (!raw) {
      warnings.push(`exec2obj_userapp_TOC entry ${i} lies outside the kernel image; the table is cut short there`);
      break;
    }
    const view = new DataView(raw.buffer);
    const nameEnd = raw.subarray(0, EXEC2OBJ_NAME_LENGTH).indexOf(0);
    const name = String.fromCharCode(...raw.subarray(0, nameEnd < 0 ? EXEC2OBJ_NAME_LENGTH : nameEnd));
    const execbytes = view.getUint32(EXEC2OBJ_NAME_LENGTH, true);
    const execlen = view.getInt32(EXEC2OBJ_NAME_LENGTH + 4, true);
    const bytes = execlen > 0 ? kernel.readVirtual(execbytes, execlen) : null;
    entries.push({ index: i, name, execbytes, execlen, bytes });
  }
  return entries;
}
