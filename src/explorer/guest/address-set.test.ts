import { describe, expect, it } from 'vitest';
import { AddressSet } from './address-set.ts';

describe('AddressSet', () => {
  it('holds exactly the addresses of its ranges', () => {
    const set = new AddressSet([{ start: 0x100040, end: 0x100047 }, { start: 0x100010, end: 0x100011 }, { start: 0x100050, end: 0x100050 }]);
    const inside = [];
    for (let a = 0x100000; a < 0x100060; a++) if (set.has(a)) inside.push(a - 0x100000);
    expect(inside).toEqual([0x10, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46]);
    expect([set.has(0), set.has(0xffffffff), set.has(-1)]).toEqual([false, false, false]);
  });

  it('is empty without ranges', () => {
    expect(new AddressSet([]).has(0)).toBe(false);
  });
});
