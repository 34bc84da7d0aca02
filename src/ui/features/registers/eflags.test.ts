// Tests of the EFLAGS decoding.
import { describe, expect, it } from 'vitest';
import { decodeEflags } from './eflags.ts';

describe('EFLAGS', () => {
  it('names the set flags and the IOPL', () => {
    const flags = decodeEflags(0x00003246); // IOPL 3, IF, ZF, PF, bit 1
    expect(flags.set.map((f) => f.name)).toEqual(['PF', 'ZF', 'IF']);
    expect(flags.iopl).toBe(3);
  });

  it('handles the reset value', () => {
    expect(decodeEflags(0x2)).toEqual({ set: [], iopl: 0 });
  });
});
