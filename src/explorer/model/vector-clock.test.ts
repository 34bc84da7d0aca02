import { describe, expect, it } from 'vitest';
import { VectorClock } from './vector-clock.ts';

describe('VectorClock', () => {
  it('joins pointwise and grows', () => {
    const a = new VectorClock([1, 0, 3]);
    a.join(new VectorClock([0, 2, 1, 4]));
    expect(a.toArray()).toEqual([1, 2, 3, 4]);
  });

  it('orders clocks by pointwise <=, with missing entries as 0', () => {
    const a = new VectorClock([1, 2]);
    const b = new VectorClock([1, 2, 5]);
    expect(a.leq(b)).toBe(true);
    expect(b.leq(a)).toBe(false);
    const c = new VectorClock([2, 1]);
    expect(a.leq(c) || c.leq(a)).toBe(false);
  });

  it('copies independently', () => {
    const a = new VectorClock([1]);
    const b = a.copy();
    b.set(3, 7);
    expect(a.toArray()).toEqual([1]);
    expect(b.get(3)).toBe(7);
    expect(b.get(2)).toBe(0);
  });
});
