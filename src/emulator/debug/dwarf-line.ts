// DWARF line-number information (.debug_line), versions 2, 3, 4 and 5, 32- and 64-bit DWARF: the
// line-number program header (DWARF 5 with its entry-format-described directory and file tables, strings
// in .debug_line_str or .debug_str), the state machine (standard, extended and special opcodes), and a
// table for address -> file:line and file:line -> addresses. Follows the DWARF Debugging Information
// Format, version 2 section 6.2, versions 3/4 section 6.2, version 5 section 6.2.
//
// Never throws: a damaged unit ends the parse of that unit with a warning; earlier rows are kept.

import type { Elf32 } from '../loader/elf.ts';
import { parseStabs } from './stabs-line.ts';

export interface LineRow {
  address: number;
  /** Source path, relative to the compilation directory when it is below it. */
  file: string;
  line: number;
  column: number;
  isStmt: boolean;
}

export interface SourceLine {
  file: string;
  line: number;
}

// Standard opcodes (DWARF 5 table 7.25).
const DW_LNS_copy = 1;
const DW_LNS_advance_pc = 2;
const DW_LNS_advance_line = 3;
const DW_LNS_set_file = 4;
const DW_LNS_set_column = 5;
const DW_LNS_negate_stmt = 6;
const DW_LNS_set_basic_block = 7;
const DW_LNS_const_add_pc = 8;
const DW_LNS_fixed_advance_pc = 9;
// Extended opcodes (table 7.26).
const DW_LNE_end_sequence = 1;
const DW_LNE_set_address = 2;
const DW_LNE_define_file = 3;
// Line-number header entry content types (table 7.27).
const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;
// Attribute forms used in DWARF 5 line headers (table 7.6).
const DW_FORM_block2 = 0x03;
const DW_FORM_block4 = 0x04;
const DW_FORM_data2 = 0x05;
const DW_FORM_data4 = 0x06;
const DW_FORM_data8 = 0x07;
const DW_FORM_string = 0x08;
const DW_FORM_block = 0x09;
const DW_FORM_block1 = 0x0a;
const DW_FORM_data1 = 0x0b;
const DW_FORM_sdata = 0x0d;
const DW_FORM_strp = 0x0e;
const DW_FORM_udata = 0x0f;
const DW_FORM_data16 = 0x1e;
const DW_FORM_line_strp = 0x1f;

/** A cursor over a section; reads past the end throw `Truncated`, caught per unit. */
class Cursor {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number): void {
    if (this.pos + n > this.bytes.length) throw new Truncated();
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  /** A 64-bit value as a number (exact below 2^53; addresses and offsets here are far smaller). */
  u64(): number {
    const lo = this.u32();
    return this.u32() * 0x100000000 + lo;
  }
  offset(is64: boolean): number {
    return is64 ? this.u64() : this.u32();
  }
  uleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (!(b & 0x80)) return result;
    }
  }
  sleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (!(b & 0x80)) return b & 0x40 ? result - scale : result;
    }
  }
  cstring(): string {
    let s = '';
    for (;;) {
      const b = this.u8();
      if (b === 0) return decodeUtf8(s);
      s += String.fromCharCode(b);
    }
  }
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
}

class Truncated extends Error {}

function decodeUtf8(latin1: string): string {
  if (!/[\x80-\xff]/.test(latin1)) return latin1;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(latin1, (c) => c.charCodeAt(0)));
  } catch {
    return latin1;
  }
}

function stringAt(section: Uint8Array | undefined, offset: number): string {
  if (!section || offset >= section.length) return '';
  const c = new Cursor(section, offset);
  try {
    return c.cstring();
  } catch {
    return '';
  }
}

export interface StringSections {
  /** .debug_line_str (DW_FORM_line_strp). */
  lineStr?: Uint8Array;
  /** .debug_str (DW_FORM_strp). */
  str?: Uint8Array;
}

interface UnitHeader {
  version: number;
  is64: boolean;
  minInstLength: number;
  maxOpsPerInst: number;
  defaultIsStmt: boolean;
  lineBase: number;
  lineRange: number;
  opcodeBase: number;
  standardLengths: number[];
  /** Display paths by file index (DWARF 5: from 0; earlier: from 1, index 0 unused). */
  files: string[];
  /** Directory table (DWARF 5: index 0 is the compilation directory). */
  dirs: string[];
  programStart: number;
  end: number;
}

/**
 * Parses every unit of a .debug_line section into sequences of rows (each sequence sorted by address
 * as emitted, ending at its end_sequence address, which is recorded as a row with line 0).
 */
export function parseDebugLine(debugLine: Uint8Array, strings: StringSections = {}, warnings: string[] = []): LineRow[][] {
  const sequences: LineRow[][] = [];
  let pos = 0;
  while (pos + 4 <= debugLine.length) {
    const unitStart = pos;
    let header: UnitHeader;
    try {
      header = readHeader(new Cursor(debugLine, pos), strings);
    } catch (e) {
      warnings.push(`.debug_line unit at offset ${unitStart}: ${e instanceof Truncated ? 'truncated header' : (e as Error).message}; later units ignored`);
      break;
    }
    try {
      runProgram(debugLine, header, sequences);
    } catch (e) {
      warnings.push(`.debug_line unit at offset ${unitStart}: ${e instanceof Truncated ? 'truncated line program' : (e as Error).message}`);
    }
    if (header.end <= pos) break;
    pos = header.end;
  }
  return sequences;
}

function readHeader(c: Cursor, strings: StringSections): UnitHeader {
  let length = c.u32();
  let is64 = false;
  if (length === 0xffffffff) {
    is64 = true;
    length = c.u64();
  } else if (length >= 0xfffffff0) {
    throw new Error(`reserved unit length ${length.toString(16)}`);
  }
  const end = Math.min(c.pos + length, c.bytes.length);
  const version = c.u16();
  if (version < 2 || version > 5) throw new Error(`unsupported DWARF line table version ${version}`);
  if (version >= 5) {
    const addressSize = c.u8();
    c.u8(); // segment_selector_size
    if (addressSize !== 4 && addressSize !== 8) throw new Error(`unsupported address size ${addressSize}`);
  }
  const headerLength = c.offset(is64);
  const programStart = c.pos + headerLength;
  const minInstLength = c.u8();
  const maxOpsPerInst = version >= 4 ? c.u8() : 1;
  const defaultIsStmt = c.u8() !== 0;
  const lineBase = (c.u8() << 24) >> 24;
  const lineRange = c.u8();
  const opcodeBase = c.u8();
  if (lineRange === 0) throw new Error('line_range is 0');
  const standardLengths = [0];
  for (let i = 1; i < opcodeBase; i++) standardLengths.push(c.u8());

  const dirs: string[] = [];
  const files: string[] = [];
  if (version >= 5) {
    const dirEntries = readEntryTable(c, is64, strings);
    for (const e of dirEntries) dirs.push(e.path);
    const compDir = dirs[0] ?? '';
    for (const e of readEntryTable(c, is64, strings)) files.push(displayPath(dirs[e.dir] ?? '', e.path, compDir, e.dir === 0));
  } else {
    dirs.push('');
    for (;;) {
      const d = c.cstring();
      if (!d) break;
      dirs.push(d);
    }
    files.push('');
    for (;;) {
      const name = c.cstring();
      if (!name) break;
      const dir = c.uleb();
      c.uleb(); // modification time
      c.uleb(); // length
      files.push(displayPath(dirs[dir] ?? '', name, '', dir === 0));
    }
  }
  return { version, is64, minInstLength, maxOpsPerInst: maxOpsPerInst || 1, defaultIsStmt, lineBase, lineRange, opcodeBase, standardLengths, files, dirs, programStart, end };
}

/** A DWARF 5 directory or file-name table: format descriptions, then entries. */
function readEntryTable(c: Cursor, is64: boolean, strings: StringSections): { path: string; dir: number }[] {
  const formatCount = c.u8();
  const format: [number, number][] = [];
  for (let i = 0; i < formatCount; i++) format.push([c.uleb(), c.uleb()]);
  const count = c.uleb();
  // Every entry takes at least one byte unless the format is empty; a count beyond that is damage.
  if (count > 0 && (format.length === 0 || count > c.bytes.length - c.pos)) {
    throw new Error(`implausible directory/file entry count ${count}`);
  }
  const entries: { path: string; dir: number }[] = [];
  for (let i = 0; i < count; i++) {
    let path = '';
    let dir = 0;
    for (const [type, form] of format) {
      const value = readForm(c, form, is64, strings);
      if (type === DW_LNCT_path && typeof value === 'string') path = value;
      else if (type === DW_LNCT_directory_index && typeof value === 'number') dir = value;
    }
    entries.push({ path, dir });
  }
  return entries;
}

function readForm(c: Cursor, form: number, is64: boolean, strings: StringSections): string | number | null {
  switch (form) {
    case DW_FORM_string:
      return c.cstring();
    case DW_FORM_line_strp:
      return stringAt(strings.lineStr, c.offset(is64));
    case DW_FORM_strp:
      return stringAt(strings.str, c.offset(is64));
    case DW_FORM_udata:
      return c.uleb();
    case DW_FORM_sdata:
      return c.sleb();
    case DW_FORM_data1:
      return c.u8();
    case DW_FORM_data2:
      return c.u16();
    case DW_FORM_data4:
      return c.u32();
    case DW_FORM_data8:
      return c.u64();
    case DW_FORM_data16:
      c.skip(16);
      return null;
    case DW_FORM_block:
      c.skip(c.uleb());
      return null;
    case DW_FORM_block1:
      c.skip(c.u8());
      return null;
    case DW_FORM_block2:
      c.skip(c.u16());
      return null;
    case DW_FORM_block4:
      c.skip(c.u32());
      return null;
    default:
      throw new Error(`unsupported attribute form 0x${form.toString(16)} in the line table header`);
  }
}

/**
 * The path shown to users: relative to the compilation directory when the file is in or below it,
 * otherwise as complete as the table gives it.
 */
function displayPath(dir: string, name: string, compDir: string, isCompDir: boolean): string {
  if (name.startsWith('/')) return stripPrefix(name, compDir);
  if (!dir || isCompDir) return name;
  const full = dir.endsWith('/') ? dir + name : `${dir}/${name}`;
  return stripPrefix(full, compDir);
}

function stripPrefix(path: string, compDir: string): string {
  if (!compDir) return path;
  const prefix = compDir.endsWith('/') ? compDir : compDir + '/';
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

function runProgram(bytes: Uint8Array, h: UnitHeader, sequences: LineRow[][]): void {
  const c = new Cursor(bytes.subarray(0, h.end), h.programStart);
  const fileName = (index: number) => h.files[index] ?? `<file ${index}>`;
  let address = 0;
  let opIndex = 0;
  let file = 1;
  let line = 1;
  let column = 0;
  let isStmt = h.defaultIsStmt;
  let rows: LineRow[] = [];
  const reset = () => {
    address = 0;
    opIndex = 0;
    file = 1;
    line = 1;
    column = 0;
    isStmt = h.defaultIsStmt;
  };
  const emit = () => rows.push({ address: address >>> 0, file: fileName(file), line, column, isStmt });
  const advance = (operationAdvance: number) => {
    if (h.maxOpsPerInst === 1) {
      address += h.minInstLength * operationAdvance;
    } else {
      address += h.minInstLength * Math.floor((opIndex + operationAdvance) / h.maxOpsPerInst);
      opIndex = (opIndex + operationAdvance) % h.maxOpsPerInst;
    }
  };
  while (c.pos < h.end) {
    const op = c.u8();
    if (op >= h.opcodeBase) {
      const adjusted = op - h.opcodeBase;
      advance(Math.floor(adjusted / h.lineRange));
      line += h.lineBase + (adjusted % h.lineRange);
      emit();
      continue;
    }
    switch (op) {
      case 0: {
        const len = c.uleb();
        const start = c.pos;
        const sub = len > 0 ? c.u8() : 0;
        if (sub === DW_LNE_end_sequence) {
          emit();
          rows[rows.length - 1].line = 0;
          sequences.push(rows);
          rows = [];
          reset();
        } else if (sub === DW_LNE_set_address) {
          address = len - 1 >= 8 ? c.u64() : c.u32();
          opIndex = 0;
        } else if (sub === DW_LNE_define_file) {
          const name = c.cstring();
          const dir = c.uleb();
          h.files.push(displayPath(h.dirs[dir] ?? '', name, '', dir === 0));
        }
        c.pos = start + len;
        break;
      }
      case DW_LNS_copy:
        emit();
        break;
      case DW_LNS_advance_pc:
        advance(c.uleb());
        break;
      case DW_LNS_advance_line:
        line += c.sleb();
        break;
      case DW_LNS_set_file:
        file = c.uleb();
        break;
      case DW_LNS_set_column:
        column = c.uleb();
        break;
      case DW_LNS_negate_stmt:
        isStmt = !isStmt;
        break;
      case DW_LNS_set_basic_block:
        break;
      case DW_LNS_const_add_pc:
        advance(Math.floor((255 - h.opcodeBase) / h.lineRange));
        break;
      case DW_LNS_fixed_advance_pc:
        address += c.u16();
        opIndex = 0;
        break;
      default:
        // DWARF 3+ opcodes (prologue_end, epilogue_begin, set_isa) and unknown ones: skip their operands.
        for (let i = 0; i < (h.standardLengths[op] ?? 0); i++) c.uleb();
    }
  }
  if (rows.length > 0) sequences.push(rows); // a unit missing its final end_sequence
}

interface Range {
  start: number;
  end: number;
  file: string;
  line: number;
}

/** Address <-> source line lookups over all sequences of an image. */
export class LineTable {
  /** All rows (end-of-sequence markers excluded), sorted by address. */
  readonly rows: readonly LineRow[];
  private readonly ranges: Range[];

  private constructor(sequences: LineRow[][]) {
    const ranges: Range[] = [];
    const rows: LineRow[] = [];
    for (const seq of sequences) {
      for (let i = 0; i + 1 < seq.length; i++) {
        const row = seq[i];
        const next = seq[i + 1];
        rows.push(row);
        if (next.address > row.address) ranges.push({ start: row.address, end: next.address, file: row.file, line: row.line });
      }
    }
    // Sequences of code discarded at link time sit at address 0; keep them out of lookups.
    this.ranges = ranges.filter((r) => r.start !== 0).sort((a, b) => a.start - b.start);
    this.rows = rows.sort((a, b) => a.address - b.address);
  }

  static empty(): LineTable {
    return new LineTable([]);
  }

  /** The line table of an ELF image (empty when it has no .debug_line). */
  /**
   * The line table of an ELF image: .debug_line and STABS (.stab/.stabstr) together, since one image can
   * mix objects built either way (15-410's exec2obj output carries stabs, older course toolchains built
   * with -gstabs); each compilation unit uses one format, so their addresses do not overlap.
   */
  static fromElf(elf: Elf32, warnings: string[] = []): LineTable {
    const data = (name: string) => {
      const s = elf.section(name);
      return s ? elf.sectionData(s) : undefined;
    };
    const debugLine = data('.debug_line');
    const stab = data('.stab');
    const stabstr = data('.stabstr');
    return new LineTable([
      ...(debugLine ? parseDebugLine(debugLine, { lineStr: data('.debug_line_str'), str: data('.debug_str') }, warnings) : []),
      ...(stab && stabstr ? parseStabs(stab, stabstr, warnings) : []),
    ]);
  }

  /** The source line of the instruction at an address (the last row for that address, as gdb does). */
  lookup(address: number): SourceLine | null {
    const a = address >>> 0;
    let lo = 0;
    let hi = this.ranges.length - 1;
    let found: Range | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.ranges[mid];
      if (r.start <= a) {
        if (a < r.end) found = r;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found ? { file: found.file, line: found.line } : null;
  }

  /**
   * The addresses where a source line starts (is_stmt rows), sorted; `file` matches a table path equal
   * to it or ending in "/" + it, so "mutex.c" and "kern/mutex.c" both find "kern/mutex.c".
   */
  addressesOf(file: string, line: number): number[] {
    const wanted = file.replace(/^\.\//, '');
    const matches = (path: string) => path === wanted || path.endsWith('/' + wanted);
    const out = new Set<number>();
    for (const r of this.rows) if (r.line === line && r.isStmt && r.address !== 0 && matches(r.file)) out.add(r.address);
    return [...out].sort((a, b) => a - b);
  }

  /** The source files the table mentions, sorted. */
  files(): string[] {
    return [...new Set(this.rows.map((r) => r.file))].sort();
  }
}
