// Reads the kernel out of a 15-410 `bootfd.img`: a 1.44 MB floppy with GRUB legacy and a FAT12 file
// system holding `boot/kernel.gz` (the course's `mcopy` step; menu.lst says `kernel (fd0)/boot/kernel.gz`).
// The kernel is the file GRUB would boot: the first `kernel` line of its menu.lst, else boot/kernel.gz or
// boot/kernel. Follows the Microsoft FAT specification (BPB at offset 11 of the boot sector, FAT12 packed
// 12-bit entries, 32-byte 8.3 directory entries with VFAT long names; FAT type decided by the count of data
// clusters) and RFC 1952 for the gzip wrapper (decompressed with fflate).
// extractKernelFromFloppy returns the kernel with the path it was found at (e.g. "boot/kernel.gz"), so
// the caller can pass GRUB's command line.

import { gunzipSync } from 'fflate';
import { ByteReader } from './byte-reader.ts';
import { LoadError } from './load-error.ts';

/** Clusters count below which a FAT volume is FAT12 (Microsoft FAT spec, "FAT type determination"). */
const FAT12_MAX_CLUSTERS = 4084;
const DIR_ENTRY = 32;
const ATTR_VOLUME_ID = 0x08;
const ATTR_DIRECTORY = 0x10;
const ATTR_LONG_NAME = 0x0f;

interface Bpb {
  bytesPerSector: number;
  sectorsPerCluster: number;
  reservedSectors: number;
  fatCount: number;
  rootEntries: number;
  totalSectors: number;
  sectorsPerFat: number;
}

interface DirEntry {
  /** The 8.3 name, e.g. "KERNEL.GZ". */
  name: string;
  /** The VFAT long name, when there is one. */
  longName: string | null;
  isDirectory: boolean;
  firstCluster: number;
  size: number;
}

interface Volume {
  r: ByteReader;
  bpb: Bpb;
  fatStart: number;
  rootStart: number;
  dataStart: number;
  clusterBytes: number;
  clusterCount: number;
}

/** True when the bytes look like a FAT12 volume (boot signature and a sane BPB). */
export function isFatImage(bytes: Uint8Array): boolean {
  return openVolume(bytes) !== null;
}

/** Where GRUB legacy looks for its menu on a floppy; 15-410's Makefile copies it to ::/boot/. */
const MENU_PATHS = ['boot/grub/menu.lst', 'boot/menu.lst'];
const DEFAULT_KERNEL_PATHS = ['boot/kernel.gz', 'boot/kernel'];

/**
 * The kernel ELF inside a bootfd.img: the file named by the first `kernel` line of GRUB's menu.lst,
 * else boot/kernel.gz or boot/kernel; gunzipped when gzip'd (GRUB legacy does the same on the fly).
 */
export function extractKernelFromFloppy(bytes: Uint8Array): { kernel: Uint8Array; path: string } {
  const volume = openVolume(bytes);
  if (!volume) {
    throw new LoadError('This is not a FAT12 floppy image (no valid boot sector with a FAT12 BIOS parameter block).');
  }
  const menuKernel = MENU_PATHS.map((p) => findPath(volume, p))
    .filter((e): e is DirEntry => e !== null && !e.isDirectory)
    .map((e) => kernelLine(readFile(volume, e, 'menu.lst')))
    .find((p) => p !== null);
  for (const path of [...(menuKernel ? [menuKernel] : []), ...DEFAULT_KERNEL_PATHS]) {
    const entry = findPath(volume, path);
    if (!entry || entry.isDirectory) continue;
    const data = readFile(volume, entry, path);
    return { kernel: isGzip(data) ? gunzip(data, path) : data, path };
  }
  if (menuKernel) throw new LoadError(`The floppy image's menu.lst boots ${menuKernel}, but there is no such file on the floppy.`);
  throw new LoadError(
    findPath(volume, 'boot')?.isDirectory
      ? 'The floppy image has no boot/kernel.gz (nor boot/kernel): copy your kernel in with `mcopy kernel.gz ::/boot/` as the 15-410 Makefile does.'
      : 'The floppy image has no boot directory, so there is no boot/kernel.gz in it.',
  );
}

/** The path of GRUB's first `kernel` command, without its device: `kernel (fd0)/boot/kernel.gz` -> boot/kernel.gz. */
function kernelLine(menu: Uint8Array): string | null {
  const text = String.fromCharCode(...menu.subarray(0, 16384));
  const m = /^[ \t]*kernel[ \t=]+(?:\([^)]*\))?\/?(\S+)/m.exec(text);
  return m ? m[1] : null;
}

/** True when the bytes start with the gzip magic 1f 8b (RFC 1952). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzips (RFC 1952) with a clear error naming the file. */
export function gunzip(data: Uint8Array, what: string): Uint8Array {
  try {
    return gunzipSync(data);
  } catch (e) {
    throw new LoadError(`${what} is not a valid gzip file (${e instanceof Error ? e.message : String(e)}).`);
  }
}

function openVolume(bytes: Uint8Array): Volume | null {
  const r = new ByteReader(bytes);
  if (r.u8(510) !== 0x55 || r.u8(511) !== 0xaa) return null;
  const bpb: Bpb = {
    bytesPerSector: r.u16(11) ?? 0,
    sectorsPerCluster: r.u8(13) ?? 0,
    reservedSectors: r.u16(14) ?? 0,
    fatCount: r.u8(16) ?? 0,
    rootEntries: r.u16(17) ?? 0,
    totalSectors: r.u16(19) || (r.u32(32) ?? 0),
    sectorsPerFat: r.u16(22) ?? 0,
  };
  const powerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;
  if (![512, 1024, 2048, 4096].includes(bpb.bytesPerSector) || !powerOfTwo(bpb.sectorsPerCluster)) return null;
  if (bpb.reservedSectors === 0 || bpb.fatCount === 0 || bpb.sectorsPerFat === 0 || bpb.rootEntries === 0) return null;
  const fatStart = bpb.reservedSectors * bpb.bytesPerSector;
  const rootStart = fatStart + bpb.fatCount * bpb.sectorsPerFat * bpb.bytesPerSector;
  const rootBytes = Math.ceil((bpb.rootEntries * DIR_ENTRY) / bpb.bytesPerSector) * bpb.bytesPerSector;
  const dataStart = rootStart + rootBytes;
  const clusterBytes = bpb.sectorsPerCluster * bpb.bytesPerSector;
  const clusterCount = Math.floor((bpb.totalSectors * bpb.bytesPerSector - dataStart) / clusterBytes);
  if (clusterCount <= 0 || clusterCount > FAT12_MAX_CLUSTERS || !r.has(rootStart, rootBytes)) return null;
  return { r, bpb, fatStart, rootStart, dataStart, clusterBytes, clusterCount };
}

function rootEntries(v: Volume): DirEntry[] {
  return parseEntries(v.r.bytes.subarray(v.rootStart, v.rootStart + v.bpb.rootEntries * DIR_ENTRY));
}

function directoryEntries(v: Volume, firstCluster: number, path: string): DirEntry[] {
  const chain = clusterChain(v, firstCluster, path);
  const data = new Uint8Array(chain.length * v.clusterBytes);
  chain.forEach((c, i) => data.set(clusterData(v, c), i * v.clusterBytes));
  return parseEntries(data);
}

/**
 * The entries of a directory: 8.3 names, with the VFAT long name when the long-name entries just before
 * an entry spell one (UCS-2, 13 characters per entry, last part first).
 */
function parseEntries(data: Uint8Array): DirEntry[] {
  const r = new ByteReader(data);
  const entries: DirEntry[] = [];
  // Long-name parts seen since the last short entry, by sequence number, and their checksum.
  let longParts: string[] = [];
  let longCount = 0;
  let longChecksum = -1;
  for (let o = 0; o + DIR_ENTRY <= data.length; o += DIR_ENTRY) {
    const first = data[o];
    if (first === 0x00) break; // end of directory
    const attr = data[o + 11];
    if (first === 0xe5) {
      longCount = 0;
      continue;
    }
    if (attr === ATTR_LONG_NAME) {
      if (first & 0x40) {
        longParts = [];
        longCount = first & 0x1f;
        longChecksum = data[o + 13];
      }
      const seq = first & 0x1f;
      if (seq >= 1 && seq <= longCount && data[o + 13] === longChecksum) longParts[seq - 1] = longNamePart(r, o);
      continue;
    }
    const complete = longCount > 0 && longParts.filter((p) => p !== undefined).length === longCount;
    const longName = complete && shortNameChecksum(data, o) === longChecksum ? longParts.join('') : null;
    longCount = 0;
    if (attr & ATTR_VOLUME_ID) continue;
    const base = new ByteReader(data.subarray(o, o + 8)).cstring(0, 8).trimEnd();
    const ext = new ByteReader(data.subarray(o + 8, o + 11)).cstring(0, 3).trimEnd();
    entries.push({
      name: (first === 0x05 ? '\u00e5' + base.slice(1) : base) + (ext ? `.${ext}` : ''),
      longName,
      isDirectory: (attr & ATTR_DIRECTORY) !== 0,
      firstCluster: r.u16(o + 26) as number,
      size: r.u32(o + 28) as number,
    });
  }
  return entries;
}

/** The checksum of an entry's 11-byte short name that its long-name entries carry (FAT spec, LFN). */
export function shortNameChecksum(data: Uint8Array, o: number): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = ((((sum & 1) << 7) | (sum >> 1)) + data[o + i]) & 0xff;
  return sum;
}

/** The 13 UCS-2 characters of one long-name entry (offsets 1, 14 and 28), up to a NUL. */
function longNamePart(r: ByteReader, o: number): string {
  let part = '';
  for (const [start, count] of [[1, 5], [14, 6], [28, 2]]) {
    for (let i = 0; i < count; i++) {
      const c = r.u16(o + start + 2 * i) ?? 0;
      if (c === 0 || c === 0xffff) return part;
      part += String.fromCharCode(c);
    }
  }
  return part;
}

/** A file or directory by path from the root ("boot/kernel.gz"), matching short or long names, any case. */
function findPath(v: Volume, path: string): DirEntry | null {
  let entries = rootEntries(v);
  let found: DirEntry | null = null;
  const parts = path.split('/').filter((p) => p !== '');
  for (let i = 0; i < parts.length; i++) {
    const want = parts[i].toUpperCase();
    found = entries.find((e) => e.name.toUpperCase() === want || e.longName?.toUpperCase() === want) ?? null;
    if (!found) return null;
    if (i + 1 < parts.length) {
      if (!found.isDirectory) return null;
      entries = directoryEntries(v, found.firstCluster, parts.slice(0, i + 1).join('/'));
    }
  }
  return found;
}

function fatEntry(v: Volume, cluster: number): number {
  const o = v.fatStart + Math.floor((cluster * 3) / 2);
  const pair = v.r.u16(o) ?? 0xfff;
  return cluster & 1 ? pair >> 4 : pair & 0xfff;
}

/** The clusters of a file, in order; stops at end-of-chain, and rejects loops and out-of-range links. */
function clusterChain(v: Volume, first: number, what: string): number[] {
  const chain: number[] = [];
  const seen = new Set<number>();
  let c = first;
  while (c >= 2 && c < 0xff8) {
    if (c >= v.clusterCount + 2 || seen.has(c)) {
      throw new LoadError(`The floppy image's FAT is damaged: the cluster chain of ${what} is broken at cluster ${c}.`);
    }
    seen.add(c);
    chain.push(c);
    c = fatEntry(v, c);
  }
  return chain;
}

function clusterData(v: Volume, cluster: number): Uint8Array {
  const start = v.dataStart + (cluster - 2) * v.clusterBytes;
  const out = new Uint8Array(v.clusterBytes);
  out.set(v.r.bytes.subarray(start, Math.min(start + v.clusterBytes, v.r.length)));
  return out;
}

function readFile(v: Volume, entry: DirEntry, path: string): Uint8Array {
  const chain = entry.size === 0 ? [] : clusterChain(v, entry.firstCluster, path);
  if (chain.length * v.clusterBytes < entry.size) {
    throw new LoadError(`The floppy image is damaged: ${path} is ${entry.size} bytes but its clusters hold only ${chain.length * v.clusterBytes}.`);
  }
  const out = new Uint8Array(entry.size);
  chain.forEach((c, i) => {
    const piece = clusterData(v, c).subarray(0, Math.min(v.clusterBytes, entry.size - i * v.clusterBytes));
    out.set(piece, i * v.clusterBytes);
  });
  return out;
}
