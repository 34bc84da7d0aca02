import { describe, expect, it } from 'vitest';
import { ProgressMonitor } from './infinite-loop.ts';

describe('ProgressMonitor (Landslide numbers)', () => {
  it('allows 4000x the average transition (floored at 1000 instructions), 2000x in sync primitives', () => {
    const m = new ProgressMonitor();
    expect(m.instructionBudget()).toBe(4000 * 1000);
    m.recordTransition(3000);
    m.recordTransition(5000);
    expect(m.instructionBudget()).toBe(4000 * 4000);
    expect(m.instructionBudget(true)).toBe(2000 * 4000);
  });

  it('stops the first branch at depth 4000, then allows 20x the average depth, relaxed while warming up', () => {
    const m = new ProgressMonitor();
    expect(m.depthLimit()).toBe(4000);
    m.recordBranch(10);
    expect(m.depthLimit()).toBe(Math.ceil(20 * 1.1 ** 9 * 10));
    for (let i = 0; i < 9; i++) m.recordBranch(10);
    expect(m.depthLimit()).toBe(200);
  });
});
