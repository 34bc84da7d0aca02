// LazyPoint: its fields at once, its runnable and live threads asked of the guest once, on first read.
import { describe, expect, it } from 'vitest';
import { LazyPoint } from './lazy-point.ts';

describe('LazyPoint', () => {
  it('asks for its runnable and live threads on the first read only, and not for its other fields', () => {
    let asked = 0;
    const point = new LazyPoint(4, 'mutex_lock', 'mutex_lock (kern/mutex.c:41)', true, () => {
      asked++;
      return { runnable: [4, 5], live: [4, 5, 6] };
    });
    expect(point).toMatchObject({ status: 'running', current: 4, reason: 'mutex_lock', currentRunnable: true });
    expect(asked).toBe(0);
    expect(point.live).toEqual([4, 5, 6]);
    expect(point.runnable).toEqual([4, 5]);
    expect(point.threads()).toEqual({ runnable: [4, 5], live: [4, 5, 6] });
    expect(asked).toBe(1);
  });
});
