// PhysicalMemory: little-endian access, above-RAM behaviour, write tracking and code-page notifications.
import { describe, expect, it } from 'vitest';
import { PAGE_CODE, PhysicalMemory } from './physical-memory.ts';

describe('PhysicalMemory', () => {
  it('reads and writes little-endian values, unaligned too', () => {
    const m = new PhysicalMemory(1 << 16);
    m.write32(0x101, 0x11223344);
    expect(m.read8(0x101)).toBe(0x44);
    expect(m.read16(0x102)).toBe(0x2233);
    expect(m.read32(0x101)).toBe(0x11223344);
    m.writeBytes(0x200, new Uint8Array([1, 2, 3]));
    expect([...m.readBytes(0x1ff, 5)]).toEqual([0, 1, 2, 3, 0]);
  });

  it('reads all ones above RAM and ignores writes there, also for straddling accesses', () => {
    const m = new PhysicalMemory(4096);
    m.write32(0x5000, 0x12345678);
    expect(m.read32(0x5000)).toBe(0xffffffff);
    m.write32(0xffe, 0xaabbccdd);
    expect(m.read16(0xffe)).toBe(0xccdd);
    expect(m.read32(0xffe)).toBe(0xffffccdd);
    expect([...m.readBytes(0xffe, 4)]).toEqual([0xdd, 0xcc, 0xff, 0xff]);
  });

  it('rejects sizes that are not whole pages', () => {
    expect(() => new PhysicalMemory(1000)).toThrow(/multiple of 4 KiB/);
  });

  it('reports the first write per armed page to each tracker, then re-arms on request', () => {
    const m = new PhysicalMemory(1 << 16);
    const a: number[] = [];
    const b: number[] = [];
    const ta = m.trackWrites({ pageWritten: (p) => a.push(p) });
    const tb = m.trackWrites({ pageWritten: (p) => b.push(p) });
    ta.watchAll();
    tb.watch(3);
    m.write8(0x3010, 1);
    m.write8(0x3011, 1);
    m.writeBytes(0x4ffe, new Uint8Array(4));
    expect(a).toEqual([3, 4, 5]);
    expect(b).toEqual([3]);
    expect(ta.isWatched(3)).toBe(false);
    expect(ta.isWatched(6)).toBe(true);
    ta.watch(3);
    m.write16(0x3000, 7);
    expect(a).toEqual([3, 4, 5, 3]);
    tb.dispose();
    m.write8(0x6000, 1);
    expect(a).toEqual([3, 4, 5, 3, 6]);
    expect(b).toEqual([3]);
  });

  it('tells its listener about protected pages and writes to code pages', () => {
    const m = new PhysicalMemory(1 << 16);
    const code: [number, number][] = [];
    const protectedPages: number[] = [];
    m.listener = { codeWritten: (p, l) => code.push([p, l]), pageProtected: (p) => protectedPages.push(p) };
    m.pageFlags[2] |= PAGE_CODE;
    m.write32(0x1ffe, 0);
    expect(code).toEqual([[0x2000, 2]]);
    const t = m.trackWrites({ pageWritten: () => {} });
    t.watch(9);
    t.watchAll();
    expect(protectedPages).toEqual([9, -1]);
  });

  it('counts as code written only the bytes writeBytes changes on a code page', () => {
    const m = new PhysicalMemory(1 << 16);
    const code: [number, number][] = [];
    m.listener = { codeWritten: (p, l) => code.push([p, l]), pageProtected: () => {} };
    m.writeBytes(0x2000, new Uint8Array(0x2000).fill(0x90));
    m.pageFlags[2] |= PAGE_CODE;
    m.pageFlags[3] |= PAGE_CODE;
    const page = m.readBytes(0x2000, 0x2000);
    m.writeBytes(0x2000, page); // a restore with nothing changed
    expect(code).toEqual([]);
    page[0x10] = 0xc3;
    page[0x12] = 0xc3;
    page[0x1004] = 0xcc;
    m.writeBytes(0x2000, page);
    expect(code).toEqual([[0x2010, 3], [0x3004, 1]]);
    expect([m.bytes[0x2010], m.bytes[0x2011], m.bytes[0x2012], m.bytes[0x3004]]).toEqual([0xc3, 0x90, 0xc3, 0xcc]);
  });
});
