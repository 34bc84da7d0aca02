import { describe, expect, it } from 'vitest';
import { AccessRecorder, type TransitionSummary } from '../model/transition.ts';
import { Explorer } from '../search/explorer.ts';
import { HappensBeforeAnalyser } from '../search/happens-before.ts';
import { RaceDetector } from './data-race.ts';
import { TOY_SHARED_BASE, ToyGuest, type ToyProgram } from '../testing/toy-guest.ts';

const program = (body: string, main = 'spawn w a; spawn w b; join a; join b'): ToyProgram => ({
  shared: { x: 0 }, mutexes: ['m'], threads: { main, w: body },
});

function races(body: string, raceMode: 'lockset' | 'happens-before', main?: string) {
  const e = new Explorer(new ToyGuest(program(body, main)), { raceMode });
  e.runToCompletion();
  expect(e.races.count).toBe(e.races.findings().length);
  return e.races.findings();
}

describe('data-race findings', () => {
  it('reports an unlocked read-modify-write with both accesses, confirmed once both orders ran', () => {
    for (const mode of ['lockset', 'happens-before'] as const) {
      const found = races('load x r; pp; store x r+1', mode).filter((r) => r.addr === TOY_SHARED_BASE);
      expect(found.length).toBeGreaterThan(0);
      const w = found.find((r) => r.first.write && r.second.write) ?? found[0];
      expect(w.first.tid).not.toBe(w.second.tid);
      expect(w.first.write || w.second.write).toBe(true);
      expect(found.some((r) => r.confirmed)).toBe(true);
    }
  });

  it('reports nothing on x when every access holds the same lock (lockset mode)', () => {
    expect(races('lock m; load x r; pp; store x r+1; unlock m', 'lockset').filter((r) => r.addr === TOY_SHARED_BASE)).toEqual([]);
  });

  it('never pairs two atomic read-modify-writes, but an atomic one with a plain access races', () => {
    expect(races('xchg x r 1; pp; xchg x r 0', 'lockset').filter((r) => r.addr === TOY_SHARED_BASE)).toEqual([]);
    expect(races('xchg x r 1; pp; store x 0', 'lockset').filter((r) => r.addr === TOY_SHARED_BASE).length).toBeGreaterThan(0);
  });

  it('orders a thread after the accesses its creator made before creating it (lockset mode)', () => {
    // main writes x, then creates the reader: no race. A sibling's write is unordered with the reader's read.
    expect(races('load x r', 'lockset', 'store x 1; pp; spawn w a; join a').filter((r) => r.addr === TOY_SHARED_BASE)).toEqual([]);
    const sibling: ToyProgram = { shared: { x: 0 }, mutexes: [], threads: { main: 'spawn v a; spawn w b; join a; join b', v: 'store x 1', w: 'load x r' } };
    const e = new Explorer(new ToyGuest(sibling), { raceMode: 'lockset' });
    e.runToCompletion();
    expect(e.races.findings().filter((r) => r.addr === TOY_SHARED_BASE).length).toBeGreaterThan(0);
  });

  it('finds each pair from its own accesses when later transitions come and come back (their chains are made in scratch arrays)', () => {
    const recorder = new AccessRecorder();
    const summary = (tid: number, accesses: [addr: number, write: boolean, eip: number][]): TransitionSummary => {
      for (const [addr, write, eip] of accesses) recorder.access(addr, 4, write, eip);
      return recorder.finish(tid, accesses.length);
    };
    const writer = summary(1, [[0x100, true, 10]]);
    // x (0x100) is the last of b's accesses but the first of its words; c reads x first, then enough words to outgrow the scratch arrays.
    const b = summary(2, [[0x300, false, 21], [0x200, false, 22], [0x100, false, 20]]);
    const c = summary(3, [[0x100, false, 30], ...Array.from({ length: 300 }, (_, i): [number, boolean, number] => [0x1000 + 4 * i, false, 31])]);
    const detector = new RaceDetector('happens-before');
    const analyser = new HappensBeforeAnalyser();
    for (const later of [b, c, b]) {
      const path = [writer, later];
      const runnables = [[1, 2, 3], [1, 2, 3], [2, 3]];
      detector.observe(path, runnables, analyser.analyse(path, runnables), [0, 1, 2]);
    }
    expect(detector.findings().map((f) => [f.addr, f.first.eip, f.second.eip, f.count])).toEqual([[0x100, 10, 20, 2], [0x100, 10, 30, 1]]);
  });
});
