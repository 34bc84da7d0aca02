// Preemption-point sets (Quicksand, Blum et al., OOPSLA 2016; landslide.md §4.4): an exploration may
// keep only some of the guest's preemption points, named by site (why the point is there and where the
// current thread is: "mutex_lock@mutex_lock (kern/mutex.c:41)"). At a point left out, the current thread
// simply runs on, as if the explorer had chosen it there; the transitions before and after the point are
// then one transition of that thread, whose access summary is the union of theirs.

import type { TransitionSummary } from '../model/transition.ts';
import type { Point } from './guest.ts';

/** The site of a preemption point: its reason and the current thread's location. */
export function pointSite(point: Pick<Point, 'reason' | 'location'>): string {
  return `${point.reason}@${point.location}`;
}

/** Sorted union of two sorted arrays of distinct numbers. */
function union(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
    else if (i >= a.length || b[j] < a[i]) out.push(b[j++]);
    else {
      out.push(a[i++]);
      j++;
    }
  }
  return out;
}

/** One thread's transition `a` followed by its transition `b`, as one transition. */
export function mergeTransitions(a: TransitionSummary, b: TransitionSummary): TransitionSummary {
  return {
    tid: a.tid,
    reads: union(a.reads, b.reads),
    writes: union(a.writes, b.writes),
    freed: [...a.freed, ...b.freed],
    foreignStacks: union(a.foreignStacks, b.foreignStacks),
    accesses: a.accesses.concat(b.accesses),
    instructions: a.instructions + b.instructions,
  };
}
