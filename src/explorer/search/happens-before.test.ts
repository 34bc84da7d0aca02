import { describe, expect, it } from 'vitest';
import { AccessList, conflicts, conflictWords, type TransitionSummary } from '../model/transition.ts';
import { happensBefore, HappensBeforeAnalyser, type HappensBefore } from './happens-before.ts';

/** A small seeded generator (mulberry32). */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const WORDS = [0x100, 0x104, 0x108, 0x10c, 0x110, 0x200];

function words(r: (n: number) => number): number[] {
  return [...new Set(Array.from({ length: r(3) }, () => WORDS[r(WORDS.length)]))].sort((a, b) => a - b);
}

/** Sometimes a transition reads a long run of words, as copying an address space does. */
function reads(r: (n: number) => number): number[] {
  return r(10) === 0 ? Array.from({ length: 80 }, (_, i) => 0xf0 + 4 * i) : words(r);
}

function transition(r: (n: number) => number): TransitionSummary {
  const tid = 1 + r(3);
  return {
    tid, reads: reads(r), writes: words(r), accesses: AccessList.EMPTY, instructions: 1,
    freed: r(12) === 0 ? [[0x104, 0x10c]] : [],
    foreignStacks: r(12) === 0 ? [1 + r(3)] : [],
  };
}

/** Dependences by definition: every earlier transition of another thread that conflicts (`onWords`: on a word). */
function expectedDependencies(transitions: readonly TransitionSummary[], onWords = false): number[][] {
  const conflicting = (u: TransitionSummary, t: TransitionSummary) => (onWords ? conflictWords(u, t).length > 0 : conflicts(u, t));
  return [[], ...transitions.map((t, i) => transitions.slice(0, i).flatMap((u, j) => (u.tid !== t.tid && conflicting(u, t) ? [j + 1] : [])))];
}

function relation(hb: HappensBefore, transitions: readonly TransitionSummary[]): boolean[] {
  const out: boolean[] = [];
  for (let k = 1; k <= transitions.length; k++) for (let j = 1; j < k; j++) out.push(happensBefore(hb, transitions, j, k));
  return out;
}

describe('HappensBeforeAnalyser', () => {
  it('finds every conflicting earlier transition, and analyses executions sharing prefixes as it would afresh', () => {
    const r = rng(7);
    const analyser = new HappensBeforeAnalyser();
    let execution: TransitionSummary[] = [];
    let enabled: number[][] = [[1, 2, 3]];
    let racesSeen = 0;
    for (let round = 0; round < 60; round++) {
      // Keep a prefix (the same summary objects) and continue differently, as the next branch or a probe does.
      const keep = r(execution.length + 1);
      execution = execution.slice(0, keep);
      enabled = enabled.slice(0, keep + 1);
      for (let n = 1 + r(25); n > 0; n--) {
        execution.push(transition(r));
        enabled.push([1, 2, 3].filter(() => r(4) !== 0));
      }
      const hb = analyser.analyse(execution, enabled);
      const fresh = new HappensBeforeAnalyser().analyse(execution, enabled);
      expect(hb.dependencies).toEqual(expectedDependencies(execution));
      expect(hb.wordDependencies).toEqual(expectedDependencies(execution, true));
      expect(hb.races).toEqual(fresh.races);
      expect(relation(hb, execution)).toEqual(relation(fresh, execution));
      racesSeen += hb.races.length;
    }
    expect(racesSeen).toBeGreaterThan(100);
  });

  it('orders a transition after the one that enabled its thread, and reports races only between unordered dependent pairs', () => {
    const t = (tid: number, reads: number[], writes: number[]): TransitionSummary => ({ tid, reads, writes, freed: [], foreignStacks: [], accesses: AccessList.EMPTY, instructions: 1 });
    // 1 writes x; 2 (thread 2, enabled by 1) reads x; 3 (thread 3) writes x.
    const execution = [t(1, [], [0x100]), t(2, [0x100], []), t(3, [], [0x100])];
    const hb = new HappensBeforeAnalyser().analyse(execution, [[1, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]]);
    expect(hb.dependencies).toEqual([[], [], [1], [1, 2]]);
    expect(hb.wordDependencies).toEqual(hb.dependencies);
    // 1 -> 3 is no race: 1 happens before 2 (enabler and read), which 3 is ordered after by their race.
    expect(hb.races).toEqual([{ first: 2, second: 3 }]);
    expect([happensBefore(hb, execution, 1, 2), happensBefore(hb, execution, 1, 3)]).toEqual([true, true]);
  });

  it('tells the dependences on a word from those through a freed chunk or a stack only', () => {
    const t = (tid: number, reads: number[], writes: number[], freed: [number, number][] = [], foreignStacks: number[] = []): TransitionSummary => (
      { tid, reads, writes, freed, foreignStacks, accesses: AccessList.EMPTY, instructions: 1 });
    // 2 frees the chunk 1 read from; 3 touches 1's stack and writes what 2 read.
    const execution = [t(1, [0x100], []), t(2, [0x200], [], [[0x100, 0x108]]), t(3, [], [0x200], [], [1])];
    const hb = new HappensBeforeAnalyser().analyse(execution, [[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]]);
    expect(hb.dependencies).toEqual([[], [], [1], [1, 2]]);
    expect(hb.wordDependencies).toEqual([[], [], [], [2]]);
  });
});
