import { describe, expect, it } from 'vitest';
import { Explorer } from '../search/explorer.ts';
import { TOY_SHARED_BASE, ToyGuest, type ToyProgram } from '../testing/toy-guest.ts';

const program = (body: string): ToyProgram => ({
  shared: { x: 0 }, mutexes: ['m'], threads: { main: 'spawn w a; spawn w b; join a; join b', w: body },
});

function races(body: string, raceMode: 'lockset' | 'happens-before') {
  const e = new Explorer(new ToyGuest(program(body)), { raceMode });
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
});
