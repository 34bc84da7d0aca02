// ELF32 little-endian i386 parser: file header, program headers, section headers with their names,
// and the symbol tables (.symtab and .dynsym). Follows the System V gABI (ELF "Object Files" chapter)
// and the i386 psABI (EM_386).
//
// What a kernel needs to boot (header, program headers, segment data inside the file) is validated
// strictly and reported as a LoadError. What only debugging needs (section headers, symbols) is read
// leniently: a damaged or missing part is skipped with a note in `warnings`, never an exception, so that
// stripped and odd images still load.

import { unzlibSync } from 'fflate';
import { ByteReader } from './byte-reader.ts';
import { LoadError, describeFirstBytes, hex } from './load-error.ts';

export const PT_LOAD = 1;
export const SHT_SYMTAB = 2;
export const SHT_NOBITS = 8;
export const SHT_DYNSYM = 11;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
const SHF_COMPRESSED = 0x800;
const ELFCOMPRESS_ZLIB = 1;
export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;

const EHDR_SIZE = 52;
const PHDR_SIZE = 32;
const SHDR_SIZE = 40;
const SYM_SIZE = 16;
const EM_386 = 3;

/** Machine names for the wrong-machine message (a few common ones; others are shown by number). */
const MACHINE_NAMES: Record<number, string> = {
  2: 'SPARC', 8: 'MIPS', 20: 'PowerPC', 40: 'ARM', 62: 'x86-64', 183: 'AArch64', 243: 'RISC-V',
};

export interface ElfHeader {
  type: number;
  machine: number;
  version: number;
  entry: number;
  phoff: number;
  shoff: number;
  flags: number;
  ehsize: number;
  phentsize: number;
  phnum: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
}

export interface ElfProgramHeader {
  type: number;
  offset: number;
  vaddr: number;
  paddr: number;
  filesz: number;
  memsz: number;
  flags: number;
  align: number;
}

export interface ElfSection {
  index: number;
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

export type ElfSymbolType = 'notype' | 'object' | 'func' | 'section' | 'file' | 'other';
export type ElfSymbolBind = 'local' | 'global' | 'weak' | 'other';

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  type: ElfSymbolType;
  bind: ElfSymbolBind;
  sectionIndex: number;
  table: 'symtab' | 'dynsym';
}

export interface Elf32 {
  readonly bytes: Uint8Array;
  readonly header: ElfHeader;
  readonly programHeaders: readonly ElfProgramHeader[];
  readonly sections: readonly ElfSection[];
  readonly symbols: readonly ElfSymbol[];
  /** Non-fatal problems met while reading sections and symbols. */
  readonly warnings: readonly string[];
  /** The first section with this name. */
  section(name: string): ElfSection | undefined;
  /**
   * The bytes of a section in the file, inflated if it is zlib-compressed (SHF_COMPRESSED); empty for
   * NOBITS, a section lying outside the file, or undecodable compressed data (with a warning).
   */
  sectionData(section: ElfSection): Uint8Array;
  /**
   * The image's bytes at a virtual address as the loaded program would see them (PT_LOAD segments; the
   * allocated sections when there are no program headers); zero-filled memory reads as 0. Null when any
   * byte of the range is not part of the image.
   */
  readVirtual(vaddr: number, length: number): Uint8Array | null;
}

/** True when the bytes start with the ELF magic 7f 'E' 'L' 'F'. */
export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** Parses an ELF32 little-endian i386 file. Throws LoadError for anything that cannot be booted. */
export function parseElf32(bytes: Uint8Array): Elf32 {
  const r = new ByteReader(bytes);
  checkIdent(bytes);
  if (bytes.length < EHDR_SIZE) {
    throw new LoadError(`The ELF file is truncated: its ${bytes.length} bytes end inside the ${EHDR_SIZE}-byte ELF header.`);
  }
  const header = readHeader(r);
  if (header.machine !== EM_386) {
    const name = MACHINE_NAMES[header.machine];
    throw new LoadError(
      `This ELF is built for ${name ?? `machine ${header.machine}`}, not Intel 80386 (e_machine ${header.machine}, expected ${EM_386}); Pebbles kernels are 32-bit i386.`,
    );
  }
  const programHeaders = readProgramHeaders(r, header);
  const warnings: string[] = [];
  const sections = readSections(r, header, warnings);
  const symbols = readSymbols(r, sections, warnings);
  return makeElf(bytes, header, programHeaders, sections, symbols, warnings);
}

function checkIdent(bytes: Uint8Array): void {
  if (!isElf(bytes)) {
    throw new LoadError(`This is not an ELF file (expected the bytes 7f 45 4c 46, "\\x7fELF"): ${describeFirstBytes(bytes)}.`);
  }
  const cls = bytes[4];
  if (cls === 2) throw new LoadError('This is a 64-bit ELF; Pebbles kernels are 32-bit i386 ELF files (build with gcc -m32).');
  if (cls !== 1) throw new LoadError(`This ELF has an unknown class ${cls ?? 'byte (missing)'} (expected 1, 32-bit).`);
  const data = bytes[5];
  if (data === 2) throw new LoadError('This ELF is big-endian; Pebbles kernels are little-endian i386 ELF files.');
  if (data !== 1) throw new LoadError(`This ELF has an unknown data encoding ${data ?? '(missing)'} (expected 1, little-endian).`);
}

function readHeader(r: ByteReader): ElfHeader {
  const u16 = (o: number) => r.u16(o) as number;
  const u32 = (o: number) => r.u32(o) as number;
  return {
    type: u16(16),
    machine: u16(18),
    version: u32(20),
    entry: u32(24),
    phoff: u32(28),
    shoff: u32(32),
    flags: u32(36),
    ehsize: u16(40),
    phentsize: u16(42),
    phnum: u16(44),
    shentsize: u16(46),
    shnum: u16(48),
    shstrndx: u16(50),
  };
}

function readProgramHeaders(r: ByteReader, h: ElfHeader): ElfProgramHeader[] {
  if (h.phnum === 0) return [];
  if (h.phentsize < PHDR_SIZE) {
    throw new LoadError(`The ELF program headers are malformed: entry size ${h.phentsize} is smaller than ${PHDR_SIZE} bytes.`);
  }
  const tableSize = h.phentsize * h.phnum;
  if (!r.has(h.phoff, tableSize)) {
    throw new LoadError(
      `The ELF file is truncated: its program header table (offset ${hex(h.phoff)}, ${h.phnum} entries, ${tableSize} bytes) lies past the end of the ${r.length}-byte file.`,
    );
  }
  const list: ElfProgramHeader[] = [];
  for (let i = 0; i < h.phnum; i++) {
    const o = h.phoff + i * h.phentsize;
    const ph: ElfProgramHeader = {
      type: r.u32(o) as number,
      offset: r.u32(o + 4) as number,
      vaddr: r.u32(o + 8) as number,
      paddr: r.u32(o + 12) as number,
      filesz: r.u32(o + 16) as number,
      memsz: r.u32(o + 20) as number,
      flags: r.u32(o + 24) as number,
      align: r.u32(o + 28) as number,
    };
    if (ph.type === PT_LOAD) {
      if (ph.filesz > ph.memsz) {
        throw new LoadError(
          `ELF program header ${i} is malformed: the segment at ${hex(ph.paddr)} has more file bytes (${ph.filesz}) than memory bytes (${ph.memsz}).`,
        );
      }
      if (!r.has(ph.offset, ph.filesz)) {
        throw new LoadError(
          `The ELF file is truncated: segment ${i} (at ${hex(ph.paddr)}) needs file bytes ${hex(ph.offset)}..${hex(ph.offset + ph.filesz)} but the file has only ${r.length} bytes.`,
        );
      }
    }
    list.push(ph);
  }
  return list;
}

function readSections(r: ByteReader, h: ElfHeader, warnings: string[]): ElfSection[] {
  if (h.shoff === 0 || h.shnum === 0) return [];
  if (h.shentsize < SHDR_SIZE) {
    warnings.push(`section headers ignored: entry size ${h.shentsize} is smaller than ${SHDR_SIZE} bytes`);
    return [];
  }
  if (!r.has(h.shoff, h.shentsize * h.shnum)) {
    throw new LoadError(
      `The ELF file is truncated: its section header table (offset ${hex(h.shoff)}, ${h.shnum} entries) lies past the end of the ${r.length}-byte file.`,
    );
  }
  const sections: ElfSection[] = [];
  for (let i = 0; i < h.shnum; i++) {
    const o = h.shoff + i * h.shentsize;
    sections.push({
      index: i,
      name: '',
      type: r.u32(o + 4) as number,
      flags: r.u32(o + 8) as number,
      addr: r.u32(o + 12) as number,
      offset: r.u32(o + 16) as number,
      size: r.u32(o + 20) as number,
      link: r.u32(o + 24) as number,
      info: r.u32(o + 28) as number,
      addralign: r.u32(o + 32) as number,
      entsize: r.u32(o + 36) as number,
    });
  }
  const strtab = sections[h.shstrndx];
  if (h.shstrndx !== SHN_UNDEF && strtab && r.has(strtab.offset, strtab.size)) {
    for (let i = 0; i < h.shnum; i++) {
      const nameOffset = r.u32(h.shoff + i * h.shentsize) as number;
      if (nameOffset < strtab.size) sections[i].name = r.cstring(strtab.offset + nameOffset, strtab.size - nameOffset);
    }
  } else if (h.shstrndx !== SHN_UNDEF) {
    warnings.push(`section names unavailable: the section name table (section ${h.shstrndx}) is missing or outside the file`);
  }
  return sections;
}

const SYMBOL_TYPES: ElfSymbolType[] = ['notype', 'object', 'func', 'section', 'file'];
const SYMBOL_BINDS: ElfSymbolBind[] = ['local', 'global', 'weak'];

function readSymbols(r: ByteReader, sections: ElfSection[], warnings: string[]): ElfSymbol[] {
  const symbols: ElfSymbol[] = [];
  for (const table of sections) {
    if (table.type !== SHT_SYMTAB && table.type !== SHT_DYNSYM) continue;
    const kind = table.type === SHT_SYMTAB ? 'symtab' : 'dynsym';
    if (!r.has(table.offset, table.size)) {
      warnings.push(`symbol table ${table.name || table.index} ignored: it lies outside the file`);
      continue;
    }
    const entsize = table.entsize >= SYM_SIZE ? table.entsize : SYM_SIZE;
    if (table.size % entsize !== 0) {
      warnings.push(`symbol table ${table.name || table.index}: size ${table.size} is not a multiple of ${entsize}; the trailing bytes are ignored`);
    }
    const strtab = sections[table.link];
    const strOk = strtab !== undefined && r.has(strtab.offset, strtab.size);
    if (!strOk) warnings.push(`symbol table ${table.name || table.index}: its string table is missing; symbols are unnamed`);
    const count = Math.floor(table.size / entsize);
    for (let i = 1; i < count; i++) {
      const o = table.offset + i * entsize;
      const nameOffset = r.u32(o) as number;
      const info = r.u8(o + 12) as number;
      symbols.push({
        name: strOk && nameOffset < strtab.size ? r.cstring(strtab.offset + nameOffset, strtab.size - nameOffset) : '',
        value: r.u32(o + 4) as number,
        size: r.u32(o + 8) as number,
        type: SYMBOL_TYPES[info & 0xf] ?? 'other',
        bind: SYMBOL_BINDS[info >> 4] ?? 'other',
        sectionIndex: r.u16(o + 14) as number,
        table: kind,
      });
    }
  }
  return symbols;
}

interface Region {
  vaddr: number;
  memsz: number;
  offset: number;
  filesz: number;
}

function makeElf(
  bytes: Uint8Array,
  header: ElfHeader,
  programHeaders: ElfProgramHeader[],
  sections: ElfSection[],
  symbols: ElfSymbol[],
  warnings: string[],
): Elf32 {
  const loads = programHeaders.filter((p) => p.type === PT_LOAD);
  const regions: Region[] =
    loads.length > 0
      ? loads.map((p) => ({ vaddr: p.vaddr, memsz: p.memsz, offset: p.offset, filesz: p.filesz }))
      : sections
          .filter((s) => (s.flags & SHF_ALLOC) !== 0 && s.size > 0)
          .map((s) => ({
            vaddr: s.addr,
            memsz: s.size,
            offset: s.offset,
            filesz: s.type === SHT_NOBITS || s.offset + s.size > bytes.length ? 0 : s.size,
          }));
  return {
    bytes,
    header,
    programHeaders,
    sections,
    symbols,
    warnings,
    section: (name) => sections.find((s) => s.name === name),
    sectionData: (s) => sectionData(bytes, s, warnings),
    readVirtual: (vaddr, length) => readVirtual(bytes, regions, vaddr >>> 0, length),
  };
}

/**
 * A section's bytes; SHF_COMPRESSED sections (gABI "Section Compression": an Elf32_Chdr with ch_type,
 * ch_size, ch_addralign, then the data) are inflated when zlib-compressed, as `ld
 * --compress-debug-sections=zlib` leaves debug sections.
 */
function sectionData(bytes: Uint8Array, s: ElfSection, warnings: string[]): Uint8Array {
  if (s.type === SHT_NOBITS || s.offset + s.size > bytes.length) return new Uint8Array(0);
  const raw = bytes.subarray(s.offset, s.offset + s.size);
  if ((s.flags & SHF_COMPRESSED) === 0) return raw;
  const chdr = new ByteReader(raw);
  const type = chdr.u32(0);
  const size = chdr.u32(4) ?? 0;
  if (type !== ELFCOMPRESS_ZLIB || size > MAX_VIRTUAL_READ) {
    warnings.push(`section ${s.name}: compression type ${type ?? '(missing)'} is not supported; its contents are ignored`);
    return new Uint8Array(0);
  }
  try {
    return unzlibSync(raw.subarray(12), { out: new Uint8Array(size) });
  } catch (e) {
    warnings.push(`section ${s.name}: cannot inflate its zlib data (${e instanceof Error ? e.message : String(e)})`);
    return new Uint8Array(0);
  }
}

/** Reads longer than this are refused (a damaged table must not make us allocate gigabytes). */
const MAX_VIRTUAL_READ = 64 << 20;

function readVirtual(bytes: Uint8Array, regions: Region[], vaddr: number, length: number): Uint8Array | null {
  if (!(length >= 0 && length <= MAX_VIRTUAL_READ)) return null;
  const pieces: { region: Region; inRegion: number; chunk: number }[] = [];
  for (let done = 0; done < length; ) {
    const at = vaddr + done;
    const region = regions.find((g) => at >= g.vaddr && at < g.vaddr + g.memsz);
    if (!region) return null;
    const inRegion = at - region.vaddr;
    const chunk = Math.min(length - done, region.memsz - inRegion);
    pieces.push({ region, inRegion, chunk });
    done += chunk;
  }
  const out = new Uint8Array(length);
  let done = 0;
  for (const { region, inRegion, chunk } of pieces) {
    const fromFile = Math.max(0, Math.min(chunk, region.filesz - inRegion));
    if (fromFile > 0) out.set(bytes.subarray(region.offset + inRegion, region.offset + inRegion + fromFile), done);
    done += chunk;
  }
  return out;
}
