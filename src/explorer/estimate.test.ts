import { describe, expect, it } from 'vitest';
import { Estimator } from './estimate.ts';

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
});
