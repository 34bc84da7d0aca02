import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from './memory/physical-memory.ts';
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
    expect(snaps.hash()).toEqual([s1.h1, s1.h2]);
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
    expect(snaps.hash()).not.toEqual([written.h1, written.h2]);
    snaps.restore(written);
    expect([...mem.readBytes(0x1ffe, 4)]).toEqual([1, 2, 3, 4]);
    expect(snaps.restore(base)).toBe(4);
    expect(snaps.hash()).toEqual([0, 0]);
  });
});
