// Tests of the split-pane layout math (gutter moves, minimum sizes, normalising weights).
import { describe, expect, it } from 'vitest';
import { normaliseSizes, resizeSplit } from './split-layout.ts';

describe('split layout', () => {
  it('moves size from one panel to the next', () => {
    const sizes = resizeSplit([0.5, 0.3, 0.2], 0, 0.1, 0.05);
    expect(sizes[0]).toBeCloseTo(0.6);
    expect(sizes[1]).toBeCloseTo(0.2);
    expect(sizes[2]).toBe(0.2);
  });

  it('never shrinks a panel below the minimum', () => {
    expect(resizeSplit([0.5, 0.5], 0, 0.9, 0.1)).toEqual([0.9, 0.09999999999999998]);
    expect(resizeSplit([0.5, 0.5], 0, -0.9, 0.1)[0]).toBeCloseTo(0.1);
  });

  it('rejects a gutter that does not exist', () => {
    expect(() => resizeSplit([1], 0, 0.1, 0.1)).toThrow(RangeError);
  });

  it('normalises weights', () => {
    expect(normaliseSizes([2, 1, 1])).toEqual([0.5, 0.25, 0.25]);
    expect(() => normaliseSizes([0, 0])).toThrow(RangeError);
  });
});
