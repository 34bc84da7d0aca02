import { describe, expect, it } from 'vitest';
import { Explorer } from '../search/explorer.ts';
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
});
