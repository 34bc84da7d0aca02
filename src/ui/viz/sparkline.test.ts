// Tests of the sparkline path.
import { describe, expect, it } from 'vitest';
import { sparklinePath } from './sparkline.ts';

describe('sparkline', () => {
  it('spans the box with the maximum at the top', () => {
    expect(sparklinePath([0, 10, 5], 100, 21)).toBe('M0,20L50,1L100,10.5');
  });

  it('draws nothing for fewer than two points', () => {
    expect(sparklinePath([3], 100, 20)).toBe('');
  });
});
