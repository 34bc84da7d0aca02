import { describe, expect, it } from 'vitest';
import { PAGE_CODE, PhysicalMemory } from './memory/physical-memory.ts';
import { hashPage, MemorySnapshots } from './snapshot.ts';

/** Full-memory hash computed from scratch, to check the incremental one. */
function fullHash(mem: PhysicalMemory): [number, number] {
  let a = 0;
  let b = 0;
  for (let p = 0; p < mem.pageCount; p++) {
    const [x, y] = hashPage(p, mem.bytes, p * 4096);
    a = (a + x) >>> 0;
    b = (b + y) >>> 0;
  }
  return [a, b];
}

describe('copy-on-write memory snapshots', () => {
  it('restores exactly the dirty pages and keeps the incremental hash equal to a full hash', () => {
    const mem = new PhysicalMemory(4 << 20);
    const snaps = new MemorySnapshots(mem);
    mem.write32(0x1000, 0xdeadbeef);
    mem.write8(0x3ff000, 7);
    expect(snaps.dirtyPages).toBe(2);
    expect(snaps.hash()).toEqual(fullHash(mem));
    const s1 = snaps.take();
    expect(snaps.dirtyPages).toBe(0);
    mem.write32(0x1000, 1);
    mem.write32(0x2000, 2);
    expect(snaps.hash()).toEqual(fullHash(mem));
    expect(snaps.restore(s1)).toBe(2);
    expect(mem.read32(0x1000)).toBe(0xdeadbeef);
    expect(mem.read32(0x2000)).toBe(0);
    expect(snaps.hash()).toEqual(snaps.hashOf(s1));
    expect(snaps.hash()).toEqual(fullHash(mem));
  });

  it('keeps many snapshots alive, shares unchanged pages, and restores any of them', () => {
    const mem = new PhysicalMemory(2 << 20);
    const snaps = new MemorySnapshots(mem);
    const images = [];
    const expected: number[][] = [];
    for (let i = 0; i < 50; i++) {
      mem.write32(0x10000 + (i % 7) * 4096, i);
      mem.write32(0x80000, i * 3);
      images.push(snaps.take());
      expected.push([0, 1, 2, 3, 4, 5, 6].map((k) => mem.read32(0x10000 + k * 4096)));
      expect(images[i].ownPages).toBe(2);
    }
    for (const i of [3, 49, 0, 17, 17, 42]) {
      snaps.restore(images[i]);
      expect([0, 1, 2, 3, 4, 5, 6].map((k) => mem.read32(0x10000 + k * 4096))).toEqual(expected[i]);
      expect(mem.read32(0x80000)).toBe(i * 3);
      expect(snaps.hash()).toEqual(fullHash(mem));
      mem.write8(0x1f0000, i); // scribble between restores
    }
  });

  it('restores after branching: a snapshot taken after a restore shares the older history', () => {
    const mem = new PhysicalMemory(1 << 20);
    const snaps = new MemorySnapshots(mem);
    mem.write8(0x5000, 1);
    const root = snaps.take();
    mem.write8(0x6000, 2);
    const a = snaps.take();
    snaps.restore(root);
    mem.write8(0x7000, 3);
    const b = snaps.take();
    expect(snaps.restore(a)).toBe(2); // 0x6000 back, 0x7000 cleared
    expect([mem.read8(0x5000), mem.read8(0x6000), mem.read8(0x7000)]).toEqual([1, 2, 0]);
    snaps.restore(b);
    expect([mem.read8(0x5000), mem.read8(0x6000), mem.read8(0x7000)]).toEqual([1, 0, 3]);
    expect(snaps.restore(b)).toBe(0);
  });

  it('tracks writes that straddle pages and restores a page written back to zero', () => {
    const mem = new PhysicalMemory(1 << 20);
    const snaps = new MemorySnapshots(mem);
    const base = snaps.take();
    mem.writeBytes(0x1ffe, new Uint8Array([1, 2, 3, 4])); // pages 1 and 2
    mem.write32(0x8ffe, 0xaabbccdd); // pages 8 and 9
    expect(snaps.dirtyPages).toBe(4);
    const written = snaps.take();
    mem.writeBytes(0x1ffe, new Uint8Array(4)); // back to zeros
    expect(snaps.hash()).not.toEqual(snaps.hashOf(written));
    snaps.restore(written);
    expect([...mem.readBytes(0x1ffe, 4)]).toEqual([1, 2, 3, 4]);
    expect(snaps.restore(base)).toBe(4);
    expect(snaps.hash()).toEqual([0, 0]);
  });

  // 1280 and 512 pages: page numbers of 11 and 9 bits, so the top level of the trie is partly used.
  it.each([5 << 20, 2 << 20])('restores any of many snapshots, in any order, to their exact bytes across every level of the page trie (%i bytes)', (size) => {
    const mem = new PhysicalMemory(size);
    const snaps = new MemorySnapshots(mem);
    // Pages in different subtrees at every level, the first and last page, and neighbours.
    const pages = [0, 1, 15, 16, 17, 255, 256, 300, 511, 512, 1000, 1024, 1279].filter((p) => p < mem.pageCount);
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const images = [];
    const contents: Uint8Array[][] = [];
    const hashes: [number, number][] = [];
    for (let i = 0; i < 24; i++) {
      if (i % 5 === 4) snaps.restore(images[next() % images.length]); // branch off an older snapshot
      for (let k = 0; k < 4; k++) {
        const page = pages[next() % pages.length];
        if (next() % 4 === 0) mem.writeBytes(page * 4096, new Uint8Array(4096)); // back to zeros
        else mem.write32(page * 4096 + (next() & 0xffc), next());
      }
      images.push(snaps.take());
      contents.push(pages.map((p) => mem.readBytes(p * 4096, 4096)));
      hashes.push(fullHash(mem));
    }
    for (let k = 0; k < 40; k++) {
      const other = next() % images.length;
      expect(snaps.hashOf(images[other])).toEqual(hashes[other]); // hashed from whichever image was hashed last
      const i = next() % images.length;
      snaps.restore(images[i]);
      pages.forEach((p, j) => expect(Buffer.compare(mem.readBytes(p * 4096, 4096), contents[i][j]), `page ${p}`).toBe(0));
      expect(snaps.hash()).toEqual(hashes[i]);
      mem.write8(pages[next() % pages.length] * 4096 + 5, k); // scribble between restores
      expect(snaps.hash()).toEqual(fullHash(mem));
    }
  });

  it('rewrites only the changed words of a page holding decoded code, so the rest of its code stays decoded', () => {
    const mem = new PhysicalMemory(1 << 20);
    const snaps = new MemorySnapshots(mem);
    const codeWritten: [number, number][] = [];
    mem.listener = { codeWritten: (paddr, length) => codeWritten.push([paddr, length]), pageProtected: () => {} };
    mem.writeBytes(0x5000, new Uint8Array(4096).fill(0x90));
    const image = snaps.take();
    mem.pageFlags[5] |= PAGE_CODE; // as the CPU marks a page it decoded instructions from
    mem.write32(0x5100, 0x12345678); // e.g. a TSS field next to the code
    mem.write8(0x5ffe, 0);
    codeWritten.length = 0;
    snaps.restore(image);
    expect(mem.readBytes(0x5000, 4096)).toEqual(new Uint8Array(4096).fill(0x90));
    expect(codeWritten.length).toBeGreaterThan(0);
    for (const [paddr, length] of codeWritten) expect([paddr >= 0x5100, paddr + length <= 0x6000]).toEqual([true, true]);
    expect(codeWritten.some(([paddr, length]) => paddr <= 0x5100 && paddr + length >= 0x5104)).toBe(true);
    mem.write32(0x5100, 1);
    mem.write32(0x5100, 0x90909090); // written, but back to what the image holds
    codeWritten.length = 0;
    snaps.restore(image);
    expect(codeWritten).toEqual([]);
  });

  it('takes an image with no pages of its own when nothing was written', () => {
    const mem = new PhysicalMemory(1 << 20);
    const snaps = new MemorySnapshots(mem);
    mem.write8(0x3000, 9);
    const first = snaps.take();
    const second = snaps.take();
    expect(second.ownPages).toBe(0);
    expect(snaps.hashOf(second)).toEqual(snaps.hashOf(first));
    mem.write8(0x3000, 1);
    expect(snaps.restore(second)).toBe(1);
    expect(mem.read8(0x3000)).toBe(9);
  });
});
