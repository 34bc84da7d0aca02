// Line numbers from STABS debugging information (.stab/.stabstr), for kernels built with -gstabs by
// older toolchains instead of DWARF. Follows "The "stabs" debug format" (Menapace, Kingdon, MacKenzie;
// GNU), chapters on source files (N_SO, N_SOL), procedures (N_FUN) and line numbers (N_SLINE), and the
// ELF conventions of its "Stabs in Sections" appendix: 12-byte entries, a header entry (type 0) opening
// each compilation unit whose value is the size of that unit's part of .stabstr, and N_SLINE values
// relative to the enclosing function (absolute when there is none, as `as --gstabs` writes them).
//
// Never throws: damaged input gives fewer rows (and a warning for a .stab of odd size), never an exception.

import { ByteReader } from '../loader/byte-reader.ts';
import type { LineRow } from './dwarf-line.ts';

const STAB_SIZE = 12;
const N_UNDF = 0x00;
const N_FUN = 0x24;
const N_SLINE = 0x44;
const N_SO = 0x64;
const N_SOL = 0x84;

/** Line rows per function (each sequence ends with a line-0 row at the function's end). */
export function parseStabs(stab: Uint8Array, stabstr: Uint8Array, warnings: string[] = []): LineRow[][] {
  const r = new ByteReader(stab);
  const strings = new ByteReader(stabstr);
  const sequences: LineRow[][] = [];
  let unitBase = 0;
  let nextUnitBase = 0;
  let dir = '';
  let file = '';
  let fnStart: number | null = null;
  let rows: LineRow[] = [];
  const close = (end: number) => {
    if (rows.length > 0) {
      rows.push({ address: end >>> 0, file, line: 0, column: 0, isStmt: false });
      sequences.push(rows);
    }
    rows = [];
    fnStart = null;
  };
  if (stab.length % STAB_SIZE !== 0) warnings.push(`.stab size ${stab.length} is not a multiple of ${STAB_SIZE}; the trailing bytes are ignored`);
  for (let o = 0; o + STAB_SIZE <= stab.length; o += STAB_SIZE) {
    const strx = r.u32(o) as number;
    const type = r.u8(o + 4) as number;
    const desc = r.u16(o + 6) as number;
    const value = r.u32(o + 8) as number;
    if (type === N_UNDF) {
      unitBase = nextUnitBase;
      nextUnitBase = unitBase + value;
      continue;
    }
    const name = strx === 0 ? '' : strings.cstring(unitBase + strx, 4096);
    if (type === N_SO) {
      if (name === '') {
        close(value); // end of the compilation unit, at its end address
        dir = '';
        file = '';
      } else if (name.endsWith('/')) {
        dir = name;
      } else {
        close(value);
        file = displayPath(dir, name);
      }
    } else if (type === N_SOL) {
      file = displayPath(dir, name);
    } else if (type === N_FUN) {
      if (name === '') {
        if (fnStart !== null) close(fnStart + value); // end of function: value is its size
      } else {
        close(value);
        fnStart = value;
      }
    } else if (type === N_SLINE) {
      const address = (fnStart ?? 0) + value;
      if (rows.length > 0 && address < rows[rows.length - 1].address) close(rows[rows.length - 1].address);
      rows.push({ address: address >>> 0, file, line: desc, column: 0, isStmt: true });
    }
  }
  // `as --gstabs` leaves its unit open (no closing N_SO): its last line then covers one byte.
  if (rows.length > 0) close(rows[rows.length - 1].address + 1);
  return sequences;
}

/** A source path as shown to users: relative to the compilation directory when it is below it. */
function displayPath(dir: string, name: string): string {
  return dir && name.startsWith(dir) ? name.slice(dir.length) : name;
}
