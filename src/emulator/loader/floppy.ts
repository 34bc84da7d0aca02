// Reads the kernel out of a 15-410 `bootfd.img`: a 1.44 MB floppy with GRUB legacy and a FAT12 file
// system holding `boot/kernel.gz` (the course's `mcopy` step; menu.lst says `kernel (fd0)/boot/kernel.gz`).
// Follows the Microsoft FAT specification (BPB at offset 11 of the boot sector, FAT12 packed 12-bit
// entries, 32-byte 8.3 directory entries; FAT type decided by the count of data clusters) and RFC 1952
// for the gzip wrapper (decompressed with fflate).
//
// Contract note: extractKernelFromFloppy returns { kernel, path } (the path found, e.g. "boot/kernel.gz",
// so the caller can pass GRUB's command line), not the bare kernel bytes of contracts.md.

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
  name: string;
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

/** The kernel ELF inside a bootfd.img: boot/kernel.gz gunzipped, or boot/kernel as is. */
export function extractKernelFromFloppy(bytes: Uint8Array): { kernel: Uint8Array; path: string } {
  const volume = openVolume(bytes);
  if (!volume) {
    throw new LoadError('This is not a FAT12 floppy image (no valid boot sector with a FAT12 BIOS parameter block).');
  }
  const boot = findEntry(rootEntries(volume), 'BOOT');
  const bootDir = boot?.isDirectory ? directoryEntries(volume, boot.firstCluster) : [];
  for (const name of ['KERNEL.GZ', 'KERNEL']) {
    const entry = findEntry(bootDir, name);
    if (!entry || entry.isDirectory) continue;
    const path = `boot/${name.toLowerCase()}`;
    const data = readFile(volume, entry, path);
    return { kernel: name.endsWith('.GZ') ? gunzip(data, path) : data, path };
  }
  throw new LoadError(
    boot?.isDirectory
      ? 'The floppy image has no boot/kernel.gz (nor boot/kernel): copy your kernel in with `mcopy kernel.gz ::/boot/` as the 15-410 Makefile does.'
      : 'The floppy image has no boot directory, so there is no boot/kernel.gz in it.',
  );
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

function directoryEntries(v: Volume, firstCluster: number): DirEntry[] {
  const chain = clusterChain(v, firstCluster, 'the boot directory');
  const data = new Uint8Array(chain.length * v.clusterBytes);
  chain.forEach((c, i) => data.set(clusterData(v, c), i * v.clusterBytes));
  return parseEntries(data);
}

function parseEntries(data: Uint8Array): DirEntry[] {
  const r = new ByteReader(data);
  const entries: DirEntry[] = [];
  for (let o = 0; o + DIR_ENTRY <= data.length; o += DIR_ENTRY) {
    const first = data[o];
    if (first === 0x00) break; // end of directory
    const attr = data[o + 11];
    if (first === 0xe5 || attr === ATTR_LONG_NAME || attr & ATTR_VOLUME_ID) continue;
    const base = new ByteReader(data.subarray(o, o + 8)).cstring(0, 8).trimEnd();
    const ext = new ByteReader(data.subarray(o + 8, o + 11)).cstring(0, 3).trimEnd();
    entries.push({
      name: (first === 0x05 ? '\u00e5' + base.slice(1) : base) + (ext ? `.${ext}` : ''),
      isDirectory: (attr & ATTR_DIRECTORY) !== 0,
      firstCluster: r.u16(o + 26) as number,
      size: r.u32(o + 28) as number,
    });
  }
  return entries;
}

function findEntry(entries: DirEntry[], name: string): DirEntry | undefined {
  return entries.find((e) => e.name.toUpperCase() === name);
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
