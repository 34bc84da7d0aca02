import { describe, expect, it } from 'vitest';
import { Estimator, type EstimateSnapshot } from './estimate.ts';
import { Explorer } from './search/explorer.ts';
import { ToyGuest, type ToyProgram } from './testing/toy-guest.ts';

describe('Estimator', () => {
  it('estimates a uniform tree exactly from its first branch (weighted backtrack estimator)', () => {
    const e = new Estimator();
    // A binary tree of depth 3: every level has 2 marked children, 1 explored so far; edges cost 10.
    e.addCost(30);
    e.addBranch([0, 1, 2].map(() => ({ marked: 2, explored: 1, finishedCost: 0, edgeCost: 10 })));
    const s = e.snapshot();
    expect(s.estimatedBranches).toBe(8);
    // Recursive estimator: 2 + 4 + 8 edges of cost 10.
    expect(s.estimatedCost).toBe(140);
    expect(s.fraction).toBe(30 / 140);
    expect(e.eta(3)).toBeCloseTo((3 * (140 - 30)) / 30);
  });

  it('caps the recursive cost estimate on a deep path by the branch estimate', () => {
    const e = new Estimator();
    // Four branches seen, together a quarter of the tree by the branch estimator (16 branches)...
    for (let b = 0; b < 4; b++) {
      e.addCost(100);
      e.addBranch([{ marked: 16, explored: 1, finishedCost: 0, edgeCost: 100 }]);
    }
    // ...then one 1,000 levels deep, each level with one untried sibling: recursively 2^1000 edges.
    e.addCost(1000);
    e.addBranch(Array.from({ length: 1000 }, () => ({ marked: 2, explored: 1, finishedCost: 0, edgeCost: 1 })));
    const s = e.snapshot();
    const proportion = 4 / 16 + 2 ** -1000;
    expect(s.estimatedBranches).toBeCloseTo(5 / proportion);
    expect(s.estimatedCost).toBeCloseTo(1400 / proportion);
    expect(s.fraction).toBeCloseTo(proportion);
    expect(Number.isFinite(e.eta(1))).toBe(true);
    expect(e.eta(1)).toBeCloseTo(1 / proportion - 1);
  });

  it('adjusts when later branches reveal fewer children than marked', () => {
    const e = new Estimator();
    e.addBranch([{ marked: 2, explored: 1, finishedCost: 0, edgeCost: 1 }]);
    expect(e.snapshot().estimatedBranches).toBe(2);
    // The second child's subtree turns out to have 3 leaves.
    e.addBranch([{ marked: 2, explored: 2, finishedCost: 1, edgeCost: 1 }, { marked: 3, explored: 1, finishedCost: 0, edgeCost: 1 }]);
    expect(e.snapshot().estimatedBranches).toBeCloseTo(2 / (1 / 2 + 1 / 6));
  });

  it('falls back to the cost fraction when the proportions overshoot', () => {
    const e = new Estimator();
    e.addCost(10);
    e.addBranch([{ marked: 1, explored: 1, finishedCost: 0, edgeCost: 10 }]);
    e.addCost(10);
    e.addBranch([{ marked: 2, explored: 2, finishedCost: 10, edgeCost: 10 }]);
    const s = e.snapshot();
    expect(s.fraction).toBe(1);
    expect(s.estimatedBranches).toBe(2);
  });

  it('estimates unexplored preempting children from explored ones of their kind (a tree of known cost)', () => {
    // Root: the default child A (edge 10, then two leaves of edge 10: subtree cost 30) and two
    // preempting leaves B and C (edge 1 each). Total cost 32; DFS explores A's leaves, then B, then C.
    const withKinds = new Estimator();
    const plain = new Estimator();
    const branches = [
      [{ marked: 3, explored: 1, finishedCost: 0, edgeCost: 10, preempting: { marked: 2, explored: 0, finishedCost: 0, onPath: false } },
        { marked: 2, explored: 1, finishedCost: 0, edgeCost: 10, preempting: { marked: 1, explored: 0, finishedCost: 0, onPath: false } }],
      [{ marked: 3, explored: 1, finishedCost: 0, edgeCost: 10, preempting: { marked: 2, explored: 0, finishedCost: 0, onPath: false } },
        { marked: 2, explored: 2, finishedCost: 10, edgeCost: 10, preempting: { marked: 1, explored: 1, finishedCost: 0, onPath: true } }],
      [{ marked: 3, explored: 2, finishedCost: 30, edgeCost: 1, preempting: { marked: 2, explored: 1, finishedCost: 0, onPath: true } }],
    ];
    for (const levels of branches) {
      withKinds.addBranch(levels);
      plain.addBranch(levels.map(({ preempting: _, ...l }) => l));
    }
    expect(withKinds.snapshot().estimatedCost).toBe(32);
    expect(plain.snapshot().estimatedCost).toBe(31 + 31 / 2);
  });

  it('follows a DPOR exploration of known size (90 Mazurkiewicz traces of six writes)', () => {
    // Three threads each write x twice: 6!/(2!2!2!) = 90 orders of the writes, one branch each.
    const program: ToyProgram = {
      shared: { x: 0 },
      threads: {
        main: 'spawn w0 a; spawn w1 b; spawn w2 c; join a; join b; join c',
        w0: 'store x 1; pp; store x 2; pp', w1: 'store x 3; pp; store x 4; pp', w2: 'store x 5; pp; store x 6; pp',
      },
    };
    const explorer = new Explorer(new ToyGuest(program));
    const snapshots: EstimateSnapshot[] = [];
    while (explorer.runBranch()) snapshots.push(explorer.estimator.snapshot());
    expect(explorer.branchCount - explorer.result().sleepBlocked).toBe(90);
    const total = explorer.estimator.snapshot().exploredCost;
    for (const q of [0.5, 0.9]) {
      const s = snapshots[Math.floor(q * (snapshots.length - 1))];
      expect(Math.abs(s.fraction - s.exploredCost / total)).toBeLessThan(0.1);
      expect(s.estimatedBranches / explorer.branchCount).toBeGreaterThan(0.8);
      expect(s.estimatedBranches / explorer.branchCount).toBeLessThan(1.25);
    }
  });
});
