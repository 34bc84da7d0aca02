// Differential tests (Nidhugg's idea): on small random programs, DPOR with sleep sets must reach exactly
// the bugs and final states that exhaustive DFS reaches, with no more branches; under a preemption bound,
// bounded partial-order reduction must reach exactly what bounded DFS reaches; and so with some
// preemption-point sites left out.
import { describe, expect, it } from 'vitest';
import { randomToyProgram, type RandomProgramShape } from '../testing/random-program.ts';
import { ToyGuest, type ToyProgram } from '../testing/toy-guest.ts';
import { Explorer } from './explorer.ts';
import { pointSite } from './preemption-sites.ts';

function outcome(program: ToyProgram, mode: 'dpor' | 'dfs', preemptionBound: number | null = null, maxBranches = 800) {
  const r = new Explorer(new ToyGuest(program), { mode, maxBranches, preemptionBound, finalStates: true }).runToCompletion();
  return { complete: r.complete, bugs: r.bugs.map((b) => `${b.class}: ${b.message}`).sort(), finalStates: r.finalStates, branches: r.branches };
}

describe('DPOR against exhaustive DFS', () => {
  it('agrees on bugs and final states of random programs small enough for DFS, with fewer branches', () => {
    let dporBranches = 0;
    let dfsBranches = 0;
    let compared = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const program = randomToyProgram(seed);
      const dfs = outcome(program, 'dfs', null, 350);
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

  it('agrees under preemption bounds 0 to 3 (bounded partial-order reduction), with fewer branches', () => {
    // Larger programs than above (three shared words, plain stores, bare preemption points), so that
    // the bound matters.
    const EXTENDED: RandomProgramShape = { maxThreads: 3, maxStatements: 4, extended: true };
    const cases: { program: ToyProgram; bounds: number[] }[] = [
      // Sleep sets under a bound (a sleeping thread's equivalent branch was cut by the bound): 38, 62;
      // tagging one source-set initial instead of the racing thread: 41.
      ...[38, 41, 62].map((seed) => ({ program: randomToyProgram(seed), bounds: [1, 2] })),
      // Without BPOR's conservative backtrack points.
      ...[88, 242].map((seed) => ({ program: randomToyProgram(seed, EXTENDED), bounds: [2] })),
      ...[81, 84, 85, 86, 87, 90, 92, 93, 94].map((seed) => ({ program: randomToyProgram(seed, EXTENDED), bounds: [0, 1, 2, 3] })),
    ];
    let dporBranches = 0;
    let dfsBranches = 0;
    for (const [i, { program, bounds }] of cases.entries()) {
      for (const bound of bounds) {
        const dfs = outcome(program, 'dfs', bound);
        expect(dfs.complete).toBe(true);
        const dpor = outcome(program, 'dpor', bound);
        expect(dpor.complete).toBe(true);
        expect({ i, bound, bugs: dpor.bugs, finalStates: dpor.finalStates }).toEqual({ i, bound, bugs: dfs.bugs, finalStates: dfs.finalStates });
        expect(dpor.branches).toBeLessThanOrEqual(dfs.branches);
        dporBranches += dpor.branches;
        dfsBranches += dfs.branches;
      }
    }
    expect(dporBranches * 5).toBeLessThan(dfsBranches);
  }, 60_000);

  it('agrees when only some preemption-point sites are kept', () => {
    const EXTENDED: RandomProgramShape = { maxThreads: 3, maxStatements: 4, extended: true };
    let compared = 0;
    for (const seed of [81, 84, 85, 86, 87, 90, 92, 93, 94]) {
      const program = randomToyProgram(seed, EXTENDED);
      const first = new Explorer(new ToyGuest(program), { maxBranches: 1 });
      first.runBranch();
      const sites = [...new Set(first.tree.nodes().filter((n) => n.parent >= 0 && n.runnable.length > 1).map((n) => pointSite(n)))];
      for (const preemptionSites of [sites.slice(0, 1), sites.slice(1, 3)]) {
        for (const preemptionBound of [null, 2]) {
          const run = (mode: 'dpor' | 'dfs') => {
            const r = new Explorer(new ToyGuest(program), { mode, maxBranches: 800, preemptionBound, preemptionSites, finalStates: true }).runToCompletion();
            return { complete: r.complete, bugs: r.bugs.map((b) => b.message).sort(), finalStates: r.finalStates };
          };
          const dfs = run('dfs');
          if (!dfs.complete) continue;
          compared++;
          expect({ seed, preemptionSites, preemptionBound, ...run('dpor') }).toEqual({ seed, preemptionSites, preemptionBound, ...dfs });
        }
      }
    }
    expect(compared).toBeGreaterThanOrEqual(20);
  }, 60_000);
});
