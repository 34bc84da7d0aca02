import { describe, expect, it } from 'vitest';
import { AccessList, AccessRecorder, conflicts, conflictWords } from './transition.ts';

const all = (list: AccessList) => Array.from({ length: list.length }, (_, i) => list.at(i));

describe('AccessRecorder', () => {
  it('keeps the first access per word, kind and lockset, and sums them up as sorted read and write sets', () => {
    const r = new AccessRecorder();
    r.access(0x108, 4, false, 0x10);
    r.access(0x108, 4, false, 0x11); // same word, kind and lockset: not kept
    r.setLocks([0x900, 0x800]);
    r.access(0x108, 4, false, 0x12); // another lockset
    r.access(0x102, 4, true, 0x13, false); // straddles two words
    r.setLocks([]);
    r.access(0x10a, 2, false, 0x14); // the first lockset again
    r.access(0x100, 1, true, 0x15);
    const s = r.finish(3, 40);
    expect(all(s.accesses).map((a) => [a.addr, a.write, a.eip, a.locks, a.interruptsEnabled])).toEqual([
      [0x108, false, 0x10, [], true],
      [0x108, false, 0x12, [0x800, 0x900], true],
      [0x100, true, 0x13, [0x800, 0x900], false],
      [0x104, true, 0x13, [0x800, 0x900], false],
      [0x100, true, 0x15, [], true],
    ]);
    expect([s.tid, s.reads, s.writes, s.instructions]).toEqual([3, [0x108], [0x100, 0x104], 40]);
    expect(r.finish(4, 0).accesses).toHaveLength(0);
  });

  it('marks the accesses of atomic instructions, asking only for the accesses kept', () => {
    const asked: number[] = [];
    const r = new AccessRecorder((eip) => (asked.push(eip), eip === 0x20));
    r.access(0x100, 4, false, 0x20);
    r.access(0x100, 4, true, 0x20);
    r.access(0x100, 4, true, 0x21); // seen: not kept, not asked
    r.access(0x104, 4, false, 0x22);
    expect(all(r.finish(1, 3).accesses).map((a) => [a.addr, a.write, a.atomic])).toEqual([[0x100, false, true], [0x100, true, true], [0x104, false, false]]);
    expect(asked).toEqual([0x20, 0x20, 0x22]);
  });

  it('concatenates the access lists of one recorder, and only of one', () => {
    const r = new AccessRecorder();
    r.setLocks([0x800]);
    r.access(0x100, 4, true, 1);
    const a = r.finish(1, 1).accesses;
    r.setLocks([]);
    r.access(0x104, 4, false, 2);
    const b = r.finish(1, 1).accesses;
    expect(all(AccessList.concat([a, b, a])).map((x) => [x.addr, x.write, x.eip, x.locks]))
      .toEqual([[0x100, true, 1, [0x800]], [0x104, false, 2, []], [0x100, true, 1, [0x800]]]);
    expect(AccessList.concat([r.finish(1, 0).accesses, a, r.finish(1, 0).accesses])).toBe(a);
    const other = new AccessRecorder();
    other.access(0x100, 4, false, 3);
    expect(() => AccessList.concat([a, other.finish(2, 1).accesses])).toThrow();
  });

  it('keeps thousands of words, across transitions', () => {
    const r = new AccessRecorder();
    for (let round = 0; round < 3; round++) {
      const words = Array.from({ length: 1500 }, (_, i) => 0xc0000000 + 8 * ((i * 7919) % 1500));
      for (const w of words) r.access(w, 4, round === 1, w);
      for (const w of words) r.access(w, 4, round === 1, w + 1); // seen: not kept
      const s = r.finish(1, 0);
      expect(s.accesses).toHaveLength(1500);
      expect(round === 1 ? s.writes : s.reads).toEqual([...words].sort((a, b) => a - b));
      expect(round === 1 ? s.reads : s.writes).toEqual([]);
    }
  });

  it('sums up words from pages touched in any order, at page edges and at the top of memory, afresh per transition', () => {
    const r = new AccessRecorder();
    const words = [0xfffffffc, 0x403c, 0x3ffc, 0x4000, 0x4038, 0x1000, 0x403c, 0x4ffc];
    words.forEach((w, i) => r.access(w, 4, i % 2 === 1, i));
    r.access(0x3ffe, 4, true, 9); // straddles pages 3 and 4
    const s = r.finish(1, 0);
    expect(s.reads).toEqual([0x3ffc, 0x4038, 0x403c, 0xfffffffc]);
    expect(s.writes).toEqual([0x1000, 0x3ffc, 0x4000, 0x403c, 0x4ffc]);
    expect(s.accesses).toHaveLength(9); // the straddling write keeps its first word only: 0x4000 was written before
    r.access(0x4004, 4, true, 10); // a page of the last transition, reused: only this word now
    expect([r.finish(1, 0).writes, r.finish(1, 0).writes]).toEqual([[0x4004], []]);
  });

  it('keeps words of a hundred pages, and the transitions after it only their own', () => {
    const r = new AccessRecorder();
    const words = Array.from({ length: 100 }, (_, i) => 0x1000 * (100 - i) + 4 * i);
    for (const w of words) r.access(w, 4, true, 1);
    expect(r.finish(1, 0).writes).toEqual([...words].reverse());
    r.access(0x5000, 4, true, 1);
    r.access(0x64000, 4, false, 1);
    const s = r.finish(1, 0);
    expect([s.reads, s.writes]).toEqual([[0x64000], [0x5000]]);
  });

  it('makes transitions conflict on a word one writes, on a chunk one frees, and on a stack one touches', () => {
    const r = new AccessRecorder();
    r.access(0x200, 4, true, 1);
    const writer = r.finish(1, 1);
    r.access(0x200, 4, false, 2);
    r.access(0x300, 4, false, 2);
    const reader = r.finish(2, 1);
    r.access(0x300, 4, false, 3);
    const otherReader = r.finish(3, 1);
    expect([conflicts(writer, reader), conflicts(reader, otherReader)]).toEqual([true, false]);
    expect(conflictWords(writer, reader)).toEqual([0x200]);
    r.free(0x2fc, 0x304);
    const freer = r.finish(4, 1);
    r.foreignStack(2);
    const toucher = r.finish(5, 1);
    expect([conflicts(freer, otherReader), conflicts(toucher, reader), conflicts(toucher, otherReader)]).toEqual([true, true, false]);
  });

  it('lists the conflict words of two transitions sorted and once each: a word one writes and the other reads or writes', () => {
    const r = new AccessRecorder();
    const summary = (reads: number[], writes: number[]) => {
      for (const w of reads) r.access(w, 4, false, 1);
      for (const w of writes) r.access(w, 4, true, 1);
      return r.finish(1, 1);
    };
    // Words 0x100 + 4i: a writes 1, 2, 3, 6 and reads 0, 2, 4, 7; b writes 3, 4, 5, 8 and reads 0, 1, 6, 7 (a long read set).
    const word = (i: number) => 0x100 + 4 * i;
    const a = summary([0, 2, 4, 7].map(word), [1, 2, 3, 6].map(word));
    const b = summary([0, 1, 6, 7, ...Array.from({ length: 40 }, (_, i) => 20 + i)].map(word), [3, 4, 5, 8].map(word));
    expect(conflictWords(a, b)).toEqual([1, 3, 4, 6].map(word));
    expect(conflictWords(b, a)).toEqual([1, 3, 4, 6].map(word));
    expect(conflictWords(a, summary([word(0), word(7)], []))).toEqual([]);
  });
});
