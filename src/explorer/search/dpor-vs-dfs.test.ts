// Differential test (Nidhugg's idea): on small random programs, DPOR with sleep sets must reach exactly
// the bugs and final states that exhaustive DFS reaches, with no more branches.
import { describe, expect, it } from 'vitest';
import { randomToyProgram } from '../testing/random-program.ts';
import { ToyGuest, type ToyProgram } from '../testing/toy-guest.ts';
import { Explorer } from './explorer.ts';

function outcome(program: ToyProgram, mode: 'dpor' | 'dfs') {
  const r = new Explorer(new ToyGuest(program), { mode, maxBranches: 800 }).runToCompletion();
  return { complete: r.complete, bugs: r.bugs.map((b) => `${b.class}: ${b.message}`).sort(), finalStates: r.finalStates, branches: r.branches };
}

describe('DPOR against exhaustive DFS', () => {
  it('agrees on bugs and final states of random programs small enough for DFS, with fewer branches', () => {
    let dporBranches = 0;
    let dfsBranches = 0;
    let compared = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const program = randomToyProgram(seed);
      const dfs = outcome(program, 'dfs');
      if (!dfs.complete) continue;
      const dpor = outcome(program, 'dpor');
      expect(dpor.complete).toBe(true);
      compared++;
      expect({ seed, bugs: dpor.bugs, finalStates: dpor.finalStates }).toEqual({ seed, bugs: dfs.bugs, finalStates: dfs.finalStates });
      expect(dpor.branches).toBeLessThanOrEqual(dfs.branches);
      dporBranches += dpor.branches;
      dfsBranches += dfs.branches;
    }
    expect(compared).toBeGreaterThanOrEqual(12);
    expect(dporBranches * 10).toBeLessThan(dfsBranches);
  }, 60_000);
});
