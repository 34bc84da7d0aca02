import { describe, expect, it } from 'vitest';
import { hashState } from './state-hash.ts';

const STATE = { regs: [1, -2, 0x7fffffff], eip: 0x100000, flags: new Uint8Array([1, 2, 3]), pic: { irr: 0, mode: 'edge', ready: true, time: 1.5 }, pending: null };

describe('hashState', () => {
  it('gives equal data equal hashes, and changes with any value inside', () => {
    expect(hashState(STATE)).toEqual(hashState(structuredClone(STATE)));
    const variants: unknown[] = [
      { ...STATE, regs: [1, -2, 0x7ffffffe] },
      { ...STATE, flags: new Uint8Array([1, 2, 4]) },
      { ...STATE, pic: { ...STATE.pic, mode: 'level' } },
      { ...STATE, pic: { ...STATE.pic, ready: false } },
      { ...STATE, pic: { ...STATE.pic, time: 1.25 } },
      { ...STATE, pending: 0 },
    ];
    const base = hashState(STATE);
    for (const v of variants) expect(hashState(v)).not.toEqual(base);
  });

  it('tells kinds apart: a number, its string, a boolean, an array of it', () => {
    const hashes = [1, '1', true, [1], { a: 1 }, null, undefined, 1.5].map((v) => hashState(v).join());
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('keeps its values (fingerprints and final-state sets compare them across runs and versions)', () => {
    const mixed = [7, -1, 'ab', [2, 3.5, null, undefined, [0x7fffffff, -0x80000000]], { x: true, y: false, z: [1, 'c'] }, new Uint8Array([4, 5]), 2 ** 40];
    expect(hashState(mixed)).toEqual([2958381923, 1413312138]);
  });

  it('refuses what is not plain state data', () => {
    expect(() => hashState({ f: () => 0 })).toThrow('cannot hash a function in machine state');
  });
});
