import { describe, expect, it } from 'vitest';
import { AccessRecorder, type TransitionSummary } from '../model/transition.ts';
import { mergeTransitions, pointSite } from './preemption-sites.ts';

describe('preemption sites', () => {
  it('names a site by its reason and location', () => {
    expect(pointSite({ reason: 'mutex_lock', location: 'mutex_lock (kern/mutex.c:41)' })).toBe('mutex_lock@mutex_lock (kern/mutex.c:41)');
  });

  it('merges one thread\'s consecutive transitions into one, in any number', () => {
    const r = new AccessRecorder();
    const step = (reads: number[], writes: number[], freed: [number, number][], instructions: number): TransitionSummary => {
      for (const a of reads) r.access(a, 4, false, 0x100 + a);
      for (const a of writes) r.access(a, 4, true, 0x200 + a);
      for (const [s, e] of freed) r.free(s, e);
      return r.finish(7, instructions);
    };
    const parts = [step([8, 16, 400], [8], [], 10), step([], [], [[64, 80]], 1), step([4, 16, 20], [12, 8], [[96, 112]], 5), step([400, 404], [], [], 2)];
    const merged = mergeTransitions(parts);
    expect(merged).toMatchObject({ tid: 7, reads: [4, 8, 16, 20, 400, 404], writes: [8, 12], freed: [[64, 80], [96, 112]], instructions: 18 });
    expect(merged.accesses.length).toBe(parts.reduce((n, t) => n + t.accesses.length, 0));
    expect([merged.accesses.addr(0), merged.accesses.eip(merged.accesses.length - 1)]).toEqual([8, 0x100 + 404]);
    expect(mergeTransitions([parts[0]])).toBe(parts[0]);
  });
});
