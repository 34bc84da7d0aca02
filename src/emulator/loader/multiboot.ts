// Multiboot v1 loader, as GRUB legacy (0.97, the 15-410 boot floppy's loader) does it: find the header in
// the first 8192 bytes, load the kernel (ELF PT_LOAD segments at their physical addresses, or the a.out
// kludge addresses when header flag bit 16 is set), and build the multiboot information structure in
// low memory. Follows the Multiboot Specification version 0.6.96 (sections 3.1 "OS image format",
// 3.2 "Machine state", 3.3 "Boot information format").
//
// The caller puts the machine in the state of section 3.2: EAX = 0x2BADB002, EBX = infoAddress, flat
// protected mode, paging and interrupts off, EIP = entry.

import { ByteReader } from './byte-reader.ts';
import { PT_LOAD, isElf, parseElf32, type Elf32 } from './elf.ts';
import { LoadError, hex } from './load-error.ts';

export const MULTIBOOT_HEADER_MAGIC = 0x1badb002;
export const MULTIBOOT_BOOTLOADER_MAGIC = 0x2badb002;
const SEARCH_LIMIT = 8192;
const FLAG_AOUT_KLUDGE = 1 << 16;
/** Required-feature bits we honour: 0 page-align modules (none are loaded), 1 memory info, 2 video mode
 * (text mode is what we have; GRUB legacy also boots such kernels in text mode). */
const SUPPORTED_REQUIRED_FLAGS = 0x7;

const ONE_MB = 0x100000;
/** Where the boot information lives: in conventional memory, below the EBDA, away from the kernel. */
const INFO_BASE = 0x9000;
const INFO_SIZE = 0x58;
const CMDLINE_AT = INFO_BASE + 0x100;
const LOADER_NAME_AT = INFO_BASE + 0x200;
const MMAP_AT = INFO_BASE + 0x280;
const INFO_LIMIT = INFO_BASE + 0x1000;
/** Video memory (graphics and text windows) and the VGA BIOS: never RAM for a kernel to load into. */
const VGA_WINDOW_START = 0xa0000;
const VGA_WINDOW_END = 0xc0000;
/** The BIOS's ACPI/SMBIOS tables at the top of RAM, and its ROM alias just below 4 GB (SeaBIOS). */
const BIOS_TABLES_SIZE = 0x20000;
const BIOS_ROM_ALIAS = 0xfffc0000;
/** Conventional memory below the EBDA: 639 KB. */
const LOW_MEMORY_END = 0x9fc00;

// multiboot_info.flags bits (spec 3.3).
const INFO_MEMORY = 1 << 0;
const INFO_BOOTDEV = 1 << 1;
const INFO_CMDLINE = 1 << 2;
const INFO_MODS = 1 << 3;
const INFO_MEM_MAP = 1 << 6;
const INFO_LOADER_NAME = 1 << 9;
/** BIOS drive 0x00 (the first floppy, GRUB's "fd0"), no partition. */
const BOOT_DEVICE_FD0 = 0x00ffffff;

export interface AoutKludge {
  headerAddr: number;
  loadAddr: number;
  loadEndAddr: number;
  bssEndAddr: number;
  entryAddr: number;
}

export interface MultibootHeader {
  /** Byte offset of the header in the image. */
  offset: number;
  flags: number;
  checksum: number;
  aout: AoutKludge | null;
}

/** The slice of guest physical memory the loader writes. PhysicalMemory satisfies it. */
export interface GuestMemory {
  readonly size: number;
  writeBytes(paddr: number, data: Uint8Array): void;
}

export interface MultibootOptions {
  /** The kernel command line, as GRUB passes the `kernel` line of menu.lst. Default "(fd0)/boot/kernel". */
  cmdline?: string;
  /** Default "GRUB 0.97". */
  bootLoaderName?: string;
}

export interface LoadedRange {
  start: number;
  /** Exclusive. */
  end: number;
  what: string;
}

export interface MultibootBoot {
  entry: number;
  infoAddress: number;
  eax: number;
  ebx: number;
  format: 'elf' | 'aout-kludge';
  loadedRanges: LoadedRange[];
  /** One past the highest loaded byte (including bss). */
  kernelEnd: number;
  memLowerKB: number;
  memUpperKB: number;
  elf: Elf32 | null;
}

/**
 * The multiboot header: the first 4-byte-aligned magic in the first 8192 bytes whose checksum adds up.
 * Returns null when there is none.
 */
export function findMultibootHeader(bytes: Uint8Array): MultibootHeader | null {
  const r = new ByteReader(bytes);
  const limit = Math.min(SEARCH_LIMIT, bytes.length) - 12;
  for (let offset = 0; offset <= limit; offset += 4) {
    if (r.u32(offset) !== MULTIBOOT_HEADER_MAGIC) continue;
    const flags = r.u32(offset + 4) as number;
    const checksum = r.u32(offset + 8) as number;
    if (((MULTIBOOT_HEADER_MAGIC + flags + checksum) | 0) !== 0) continue;
    let aout: AoutKludge | null = null;
    if (flags & FLAG_AOUT_KLUDGE) {
      if (!r.has(offset + 12, 20)) continue;
      aout = {
        headerAddr: r.u32(offset + 12) as number,
        loadAddr: r.u32(offset + 16) as number,
        loadEndAddr: r.u32(offset + 20) as number,
        bssEndAddr: r.u32(offset + 24) as number,
        entryAddr: r.u32(offset + 28) as number,
      };
    }
    return { offset, flags, checksum, aout };
  }
  return null;
}

/**
 * Loads a multiboot kernel into guest memory and writes the boot information. Throws LoadError with a
 * user-facing message for anything GRUB would refuse or that does not fit the machine.
 */
export function loadMultiboot(bytes: Uint8Array, memory: GuestMemory, options: MultibootOptions = {}): MultibootBoot {
  const header = findMultibootHeader(bytes);
  if (!header) throw new LoadError(noHeaderMessage(bytes));
  const unsupported = header.flags & 0xffff & ~SUPPORTED_REQUIRED_FLAGS;
  if (unsupported) {
    throw new LoadError(
      `The kernel's multiboot header requires features this loader does not provide (flags ${hex(header.flags)}, unsupported required bits ${hex(unsupported)}).`,
    );
  }
  let placed: Placement;
  if (header.aout) {
    placed = placeAout(bytes, header, header.aout);
  } else if (isElf(bytes)) {
    placed = placeElf(parseElf32(bytes));
  } else {
    throw new LoadError(
      'The kernel has a multiboot header without the a.out address fields (flag bit 16) and is not an ELF file, so there is no way to know where to load it.',
    );
  }
  for (const seg of placed.segments) checkPlacement(seg, memory.size);
  for (const seg of placed.segments) {
    memory.writeBytes(seg.paddr, seg.data);
    writeZeros(memory, seg.paddr + seg.data.length, seg.memsz - seg.data.length);
  }
  const info = writeBootInfo(memory, options);
  const loadedRanges = placed.segments.map((s) => ({ start: s.paddr, end: s.paddr + s.memsz, what: s.what }));
  return {
    entry: placed.entry,
    infoAddress: INFO_BASE,
    eax: MULTIBOOT_BOOTLOADER_MAGIC,
    ebx: INFO_BASE,
    format: header.aout ? 'aout-kludge' : 'elf',
    loadedRanges,
    kernelEnd: Math.max(...loadedRanges.map((r) => r.end)),
    memLowerKB: info.memLowerKB,
    memUpperKB: info.memUpperKB,
    elf: placed.elf,
  };
}

/** Pebbles user programs are linked here (15-410 ULDFLAGS -Ttext 1000000). */
const USER_PROGRAM_BASE = 0x1000000;

function noHeaderMessage(bytes: Uint8Array): string {
  const base = 'This kernel has no multiboot header (magic 0x1BADB002 with a valid checksum in its first 8192 bytes), so a multiboot loader such as GRUB cannot boot it.';
  if (!isElf(bytes)) return base;
  const entry = parseElf32(bytes).header.entry;
  if (entry >= USER_PROGRAM_BASE && entry < USER_PROGRAM_BASE + 0x1000000) {
    return `${base} Its entry point ${hex(entry)} suggests a Pebbles user program (linked at 0x01000000); load the kernel that embeds it instead.`;
  }
  return `${base} Pebbles kernels start with one in 410kern/boot/head.S.`;
}

interface Segment {
  paddr: number;
  memsz: number;
  data: Uint8Array;
  what: string;
}

interface Placement {
  entry: number;
  segments: Segment[];
  elf: Elf32 | null;
}

const ET_REL = 1;
const ET_CORE = 4;

function placeElf(elf: Elf32): Placement {
  if (elf.header.type === ET_REL) {
    throw new LoadError(
      'This is a relocatable object file (.o), not a linked kernel: link it first (ld -m elf_i386 -Ttext 0x100000 ...), as the 15-410 Makefile does.',
    );
  }
  if (elf.header.type === ET_CORE) throw new LoadError('This is a core dump, not a kernel.');
  const segments: Segment[] = [];
  elf.programHeaders.forEach((ph, i) => {
    if (ph.type !== PT_LOAD || ph.memsz === 0) return;
    segments.push({
      paddr: ph.paddr,
      memsz: ph.memsz,
      data: elf.bytes.subarray(ph.offset, ph.offset + ph.filesz),
      what: `ELF segment ${i}`,
    });
  });
  if (segments.length === 0) throw new LoadError('The kernel ELF has no loadable (PT_LOAD) segments.');
  // GRUB loads at p_paddr and jumps to e_entry. When a kernel links its virtual addresses elsewhere,
  // translate an entry point that lies in a segment's virtual range to that segment's physical address.
  let entry = elf.header.entry;
  const inPhysical = segments.some((s) => entry >= s.paddr && entry < s.paddr + s.memsz);
  if (!inPhysical) {
    const ph = elf.programHeaders.find((p) => p.type === PT_LOAD && entry >= p.vaddr && entry < p.vaddr + p.memsz);
    if (ph) entry = entry - ph.vaddr + ph.paddr;
  }
  return { entry: entry >>> 0, segments, elf };
}

function placeAout(bytes: Uint8Array, header: MultibootHeader, a: AoutKludge): Placement {
  // Spec 3.1.3: the file offset of header_addr is the header's own offset; load_addr maps to
  // (header offset - (header_addr - load_addr)); load_end_addr 0 means "to the end of the file".
  if (a.loadAddr > a.headerAddr) {
    throw new LoadError(`The multiboot a.out fields are inconsistent: load_addr ${hex(a.loadAddr)} is above header_addr ${hex(a.headerAddr)}.`);
  }
  const fileStart = header.offset - (a.headerAddr - a.loadAddr);
  if (fileStart < 0) {
    throw new LoadError(`The multiboot a.out fields are inconsistent: load_addr ${hex(a.loadAddr)} would start before the beginning of the file.`);
  }
  const loadLength = a.loadEndAddr === 0 ? bytes.length - fileStart : a.loadEndAddr - a.loadAddr;
  if (loadLength <= 0 || fileStart + loadLength > bytes.length) {
    throw new LoadError(
      `The kernel file is truncated: the multiboot header asks to load ${hex(a.loadAddr)}..${hex(a.loadAddr + Math.max(loadLength, 0))} but the file has only ${bytes.length} bytes.`,
    );
  }
  const bssEnd = a.bssEndAddr === 0 ? a.loadAddr + loadLength : a.bssEndAddr;
  if (bssEnd < a.loadAddr + loadLength) {
    throw new LoadError(`The multiboot a.out fields are inconsistent: bss_end_addr ${hex(bssEnd)} is below the end of the loaded data.`);
  }
  return {
    entry: a.entryAddr,
    segments: [{ paddr: a.loadAddr, memsz: bssEnd - a.loadAddr, data: bytes.subarray(fileStart, fileStart + loadLength), what: 'a.out kludge image' }],
    elf: null,
  };
}

/**
 * Where a kernel may not be loaded: outside RAM, over our boot information, or over the VGA window.
 * Segments below 1 MB are otherwise accepted (as QEMU -kernel does): modern ld puts a read-only segment
 * holding the ELF headers just below a kernel linked at 0x100000.
 */
function checkPlacement(seg: Segment, ramSize: number): void {
  const end = seg.paddr + seg.memsz;
  const where = `The kernel's ${seg.what} at ${hex(seg.paddr)} (size ${hex(seg.memsz)})`;
  if (end > ramSize || end > 0x100000000) {
    throw new LoadError(`${where} lies outside the ${ramSize / ONE_MB} MB of RAM.`);
  }
  const overlaps = (start: number, stop: number) => seg.paddr < stop && end > start;
  if (overlaps(INFO_BASE, INFO_LIMIT)) {
    throw new LoadError(`${where} overlaps the multiboot information area at ${hex(INFO_BASE)}..${hex(INFO_LIMIT)}; link the kernel at or above 1 MB.`);
  }
  if (overlaps(VGA_WINDOW_START, VGA_WINDOW_END)) {
    throw new LoadError(`${where} overlaps the VGA memory window ${hex(VGA_WINDOW_START)}..${hex(VGA_WINDOW_END)}; link the kernel at or above 1 MB.`);
  }
}

function writeZeros(memory: GuestMemory, paddr: number, length: number): void {
  const chunk = new Uint8Array(Math.min(length, 0x10000));
  for (let done = 0; done < length; done += chunk.length) {
    memory.writeBytes(paddr + done, length - done >= chunk.length ? chunk : chunk.subarray(0, length - done));
  }
}

function writeBootInfo(memory: GuestMemory, options: MultibootOptions): { memLowerKB: number; memUpperKB: number } {
  const memLowerKB = LOW_MEMORY_END / 1024;
  const memUpperKB = Math.max(0, Math.floor((usableTop(memory.size) - ONE_MB) / 1024));
  const cmdline = cString(options.cmdline ?? '(fd0)/boot/kernel', LOADER_NAME_AT - CMDLINE_AT);
  const loaderName = cString(options.bootLoaderName ?? 'GRUB 0.97', MMAP_AT - LOADER_NAME_AT);
  const mmap = memoryMap(memory.size);

  const info = new DataView(new ArrayBuffer(INFO_SIZE));
  info.setUint32(0, INFO_MEMORY | INFO_BOOTDEV | INFO_CMDLINE | INFO_MODS | INFO_MEM_MAP | INFO_LOADER_NAME, true);
  info.setUint32(4, memLowerKB, true);
  info.setUint32(8, memUpperKB, true);
  info.setUint32(12, BOOT_DEVICE_FD0, true);
  info.setUint32(16, CMDLINE_AT, true);
  info.setUint32(20, 0, true); // mods_count
  info.setUint32(24, INFO_LIMIT, true); // mods_addr: an empty list
  info.setUint32(44, mmap.length, true);
  info.setUint32(48, MMAP_AT, true);
  info.setUint32(64, LOADER_NAME_AT, true);

  memory.writeBytes(INFO_BASE, new Uint8Array(INFO_LIMIT - INFO_BASE)); // clear the whole area first
  memory.writeBytes(INFO_BASE, new Uint8Array(info.buffer));
  memory.writeBytes(CMDLINE_AT, cmdline);
  memory.writeBytes(LOADER_NAME_AT, loaderName);
  memory.writeBytes(MMAP_AT, mmap);
  return { memLowerKB, memUpperKB };
}

/**
 * The end of usable RAM: the BIOS keeps its ACPI/SMBIOS tables in the top 128 KB (what QEMU's SeaBIOS
 * reports through e820, so mem_upper and the map match `qemu-system-i386 -kernel`: 255 MB usable of 256).
 */
function usableTop(ramSize: number): number {
  return ramSize > ONE_MB + BIOS_TABLES_SIZE ? ramSize - BIOS_TABLES_SIZE : ramSize;
}

/**
 * The PC memory map as SeaBIOS gives it (spec 3.3 mmap entries: size, base_addr, length, type; 1 = usable
 * RAM, 2 = reserved): conventional memory, the EBDA, the BIOS area, RAM above 1 MB, the BIOS tables at
 * the top of RAM, and the BIOS ROM alias below 4 GB.
 */
function memoryMap(ramSize: number): Uint8Array {
  const top = usableTop(ramSize);
  const ranges: [number, number, number][] = [
    [0, LOW_MEMORY_END, 1],
    [LOW_MEMORY_END, 0xa0000, 2],
    [0xf0000, ONE_MB, 2],
    [ONE_MB, top, 1],
    ...(top < ramSize ? [[top, ramSize, 2] as [number, number, number]] : []),
    [BIOS_ROM_ALIAS, 0x100000000, 2],
  ];
  const out = new DataView(new ArrayBuffer(ranges.length * 24));
  ranges.forEach(([start, end, type], i) => {
    const o = i * 24;
    out.setUint32(o, 20, true); // size of the entry, not counting this field
    out.setUint32(o + 4, start, true);
    out.setUint32(o + 8, 0, true);
    out.setUint32(o + 12, Math.max(0, end - start), true);
    out.setUint32(o + 16, 0, true);
    out.setUint32(o + 20, type, true);
  });
  return new Uint8Array(out.buffer);
}

function cString(text: string, max: number): Uint8Array {
  const out = new Uint8Array(Math.min(text.length, max - 1) + 1);
  for (let i = 0; i < out.length - 1; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}
