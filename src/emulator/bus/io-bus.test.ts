import { describe, expect, it } from 'vitest';
import { IoBus } from './io-bus.ts';

describe('IoBus', () => {
  it('reads all ones from unclaimed ports and ignores writes', () => {
    const io = new IoBus();
    io.out8(0x1234, 0x55);
    expect(io.in8(0x1234)).toBe(0xff);
    expect(io.in16(0x1234)).toBe(0xffff);
    expect(io.in32(0xcfc)).toBe(0xffffffff);
  });

  it('splits wide accesses into byte accesses when a device has only byte handlers', () => {
    const io = new IoBus();
    const regs = new Uint8Array(4);
    io.register(0x70, 4, { read8: (p) => regs[p - 0x70], write8: (p, v) => { regs[p - 0x70] = v; } });
    io.out32(0x70, 0x11223344);
    expect([...regs]).toEqual([0x44, 0x33, 0x22, 0x11]);
    expect(io.in16(0x71)).toBe(0x2233);
    expect(io.in32(0x70)).toBe(0x11223344);
  });

  it('prefers a device handler of the access width', () => {
    const io = new IoBus();
    io.register(0x1f0, 1, { read16: () => 0xbeef, read8: () => 0x12 });
    expect(io.in16(0x1f0)).toBe(0xbeef);
    expect(io.in8(0x1f0)).toBe(0x12);
  });

  it('reports accesses to an observer', () => {
    const io = new IoBus();
    const seen: string[] = [];
    io.observer = { onIo: (port, size, value, isWrite) => seen.push(`${isWrite ? 'out' : 'in'}${size} ${port.toString(16)}=${value.toString(16)}`) };
    io.out8(0xe9, 0x41);
    io.in8(0x60);
    expect(seen).toEqual(['out1 e9=41', 'in1 60=ff']);
  });
});
