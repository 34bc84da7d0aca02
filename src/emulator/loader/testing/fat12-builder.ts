// Test support: writes a 1.44 MB FAT12 floppy image (Microsoft FAT specification layout: boot sector with
// BPB, two FATs, a 224-entry root directory, 512-byte clusters) holding the given files, so floppy tests
// need neither mtools nor mkfs.fat. Paths may nest ("boot/grub/menu.lst"); names that do not fit 8.3 in
// capitals get VFAT long-name entries, as mcopy writes them.

import { shortNameChecksum } from '../floppy.ts';

const SECTOR = 512;
const TOTAL_SECTORS = 2880;
const SECTORS_PER_FAT = 9;
const ROOT_ENTRIES = 224;
const FAT_START = SECTOR;
const ROOT_START = FAT_START + 2 * SECTORS_PER_FAT * SECTOR;
const DATA_START = ROOT_START + (ROOT_ENTRIES * 32);

export interface FloppyFile {
  path: string;
  data: Uint8Array;
}

export interface Fat12Options {
  /** Add a long-file-name entry and a deleted entry before each file, as real tools leave them. */
  clutter?: boolean;
}

export function buildFat12(files: FloppyFile[], options: Fat12Options = {}): Uint8Array {
  const img = new Uint8Array(TOTAL_SECTORS * SECTOR);
  const view = new DataView(img.buffer);
  img.set([0xeb, 0x3c, 0x90], 0);
  img.set(Array.from('GRUB 4.0', (c) => c.charCodeAt(0)), 3);
  view.setUint16(11, SECTOR, true);
  img[13] = 1; // sectors per cluster
  view.setUint16(14, 1, true); // reserved sectors
  img[16] = 2; // FATs
  view.setUint16(17, ROOT_ENTRIES, true);
  view.setUint16(19, TOTAL_SECTORS, true);
  img[21] = 0xf0;
  view.setUint16(22, SECTORS_PER_FAT, true);
  img[510] = 0x55;
  img[511] = 0xaa;

  let nextCluster = 2;
  const setFat = (cluster: number, value: number) => {
    for (let f = 0; f < 2; f++) {
      const o = FAT_START + f * SECTORS_PER_FAT * SECTOR + Math.floor((cluster * 3) / 2);
      const pair = view.getUint16(o, true);
      view.setUint16(o, cluster & 1 ? (pair & 0x000f) | (value << 4) : (pair & 0xf000) | value, true);
    }
  };
  setFat(0, 0xff0);
  setFat(1, 0xfff);
  const allocate = (data: Uint8Array): number => {
    const count = Math.max(1, Math.ceil(data.length / SECTOR));
    const first = nextCluster;
    for (let i = 0; i < count; i++) {
      const c = nextCluster++;
      setFat(c, i === count - 1 ? 0xfff : c + 1);
      img.set(data.subarray(i * SECTOR, (i + 1) * SECTOR), DATA_START + (c - 2) * SECTOR);
    }
    return first;
  };
  const shortEntry = (short: string, attr: number, cluster: number, size: number): Uint8Array => {
    const e = new Uint8Array(32);
    e.set(Array.from(short, (c) => c.charCodeAt(0)));
    e[11] = attr;
    new DataView(e.buffer).setUint16(26, cluster, true);
    new DataView(e.buffer).setUint32(28, size, true);
    return e;
  };
  /** The short entry, preceded by VFAT long-name entries when the name does not fit 8.3 in capitals. */
  const entry = (name: string, attr: number, cluster: number, size: number): Uint8Array => {
    const [base, ext = ''] = name.toUpperCase().split('.');
    // One case throughout fits 8.3 (mcopy records all-lowercase names with the NT case flags, no long name).
    const fits = /^[A-Z0-9_-]{1,8}$/.test(base) && /^[A-Z0-9_-]{0,3}$/.test(ext) && name.split('.').length <= 2 &&
      (name === name.toUpperCase() || name === name.toLowerCase());
    const short = fits ? base.padEnd(8) + ext.padEnd(3) : base.replace(/[^A-Z0-9]/g, '').slice(0, 6).padEnd(6, '_') + '~1' + ext.slice(0, 3).padEnd(3);
    const main = shortEntry(short, attr, cluster, size);
    if (fits || name === '.' || name === '..') return main;
    const checksum = shortNameChecksum(main, 0);
    const units = [...Array.from(name, (c) => c.charCodeAt(0)), 0];
    const count = Math.ceil(units.length / 13);
    const parts: Uint8Array[] = [];
    for (let seq = count; seq >= 1; seq--) {
      const e = new Uint8Array(32);
      const v = new DataView(e.buffer);
      e[0] = seq | (seq === count ? 0x40 : 0);
      e[11] = 0x0f;
      e[13] = checksum;
      const offsets = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30];
      offsets.forEach((off, i) => v.setUint16(off, units[(seq - 1) * 13 + i] ?? 0xffff, true));
      parts.push(e);
    }
    const out = new Uint8Array(32 * (parts.length + 1));
    [...parts, main].forEach((e, i) => out.set(e, i * 32));
    return out;
  };
  const withClutter = (e: Uint8Array): Uint8Array[] => {
    if (!options.clutter) return [e];
    const lfn = new Uint8Array(32);
    lfn[0] = 0x41;
    lfn[11] = 0x0f;
    const deleted = shortEntry('OLD     TXT', 0x20, 0, 0);
    deleted[0] = 0xe5;
    return [deleted, lfn, e];
  };

  interface Dir {
    entries: Uint8Array[];
    subdirs: Map<string, Dir>;
  }
  const root: Dir = { entries: [], subdirs: new Map() };
  for (const file of files) {
    const parts = file.path.split('/');
    let dir = root;
    for (const name of parts.slice(0, -1)) {
      const sub = dir.subdirs.get(name) ?? { entries: [], subdirs: new Map() };
      dir.subdirs.set(name, sub);
      dir = sub;
    }
    dir.entries.push(...withClutter(entry(parts[parts.length - 1], 0x20, allocate(file.data), file.data.length)));
  }
  /** A directory's entries, after writing its subdirectories to clusters of their own. */
  const directory = (dir: Dir): Uint8Array => {
    const subEntries = [...dir.subdirs].map(([name, sub]) => {
      const flat = directory(sub);
      const data = new Uint8Array(Math.max(SECTOR, Math.ceil(flat.length / SECTOR) * SECTOR));
      data.set(flat);
      return entry(name, 0x10, allocate(data), 0);
    });
    return concat([...dir.entries, ...subEntries]);
  };
  img.set(concat([shortEntry('PEBBLES    ', 0x08, 0, 0), directory(root)]), ROOT_START);
  return img;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
