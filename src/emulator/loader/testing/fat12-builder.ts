// Test support: writes a 1.44 MB FAT12 floppy image (Microsoft FAT specification layout: boot sector with
// BPB, two FATs, a 224-entry root directory, 512-byte clusters) holding the given files, so floppy tests
// need neither mtools nor mkfs.fat. Files may sit in the root or one directory down ("boot/kernel.gz").

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
  const entry = (name: string, attr: number, cluster: number, size: number): Uint8Array => {
    const e = new Uint8Array(32);
    const [base, ext = ''] = name.toUpperCase().split('.');
    e.set(Array.from(base.padEnd(8).slice(0, 8) + ext.padEnd(3).slice(0, 3), (c) => c.charCodeAt(0)));
    e[11] = attr;
    new DataView(e.buffer).setUint16(26, cluster, true);
    new DataView(e.buffer).setUint32(28, size, true);
    return e;
  };
  const withClutter = (e: Uint8Array): Uint8Array[] => {
    if (!options.clutter) return [e];
    const lfn = new Uint8Array(32);
    lfn[0] = 0x41;
    lfn[11] = 0x0f;
    const deleted = entry('OLD.TXT', 0x20, 0, 0);
    deleted[0] = 0xe5;
    return [deleted, lfn, e];
  };

  const root: Uint8Array[] = [];
  const dirs = new Map<string, Uint8Array[]>();
  for (const file of files) {
    const parts = file.path.split('/');
    const cluster = allocate(file.data);
    const e = entry(parts[parts.length - 1], 0x20, cluster, file.data.length);
    if (parts.length === 1) root.push(...withClutter(e));
    else dirs.set(parts[0], [...(dirs.get(parts[0]) ?? []), ...withClutter(e)]);
  }
  for (const [name, entries] of dirs) {
    const data = new Uint8Array(Math.max(SECTOR, Math.ceil((entries.length * 32) / SECTOR) * SECTOR));
    entries.forEach((e, i) => data.set(e, i * 32));
    root.push(entry(name, 0x10, allocate(data), 0));
  }
  const label = entry('PEBBLES', 0x08, 0, 0);
  [label, ...root].forEach((e, i) => img.set(e, ROOT_START + i * 32));
  return img;
}
