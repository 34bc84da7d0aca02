// Preemption-point sets (Quicksand, Blum et al., OOPSLA 2016; landslide.md §4.4): an exploration may
// keep only some of the guest's preemption points, named by site (why the point is there and where the
// current thread is: "mutex_lock@mutex_lock (kern/mutex.c:41)"). At a point left out, the current thread
// simply runs on, as if the explorer had chosen it there; the transitions before and after the point are
// then one transition of that thread, whose access summary is the union of theirs.

import { AccessList, type TransitionSummary } from '../model/transition.ts';
import type { Point } from './guest.ts';

/** The site of a preemption point: its reason and the current thread's location. */
export function pointSite(point: Pick<Point, 'reason' | 'location'>): string {
  return `${point.reason}@${point.location}`;
}

/** Sorted union of sorted arrays of distinct numbers. */
function union(lists: readonly (readonly number[])[]): readonly number[] {
  const some = lists.filter((l) => l.length > 0);
  if (some.length <= 1) return some[0] ?? [];
  const all = new Float64Array(some.reduce((n, l) => n + l.length, 0));
  for (let k = 0, at = 0; k < some.length; at += some[k].length, k++) all.set(some[k], at);
  all.sort();
  const out: number[] = [];
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) out.push(all[i]);
  return out;
}

/**
 * One thread's consecutive transitions `parts` as one transition, merged at once (a thread running on
 * through many points left out would otherwise copy its growing summary at each of them).
 */
export function mergeTransitions(parts: readonly TransitionSummary[]): TransitionSummary {
  if (parts.length === 1) return parts[0];
  return {
    tid: parts[0].tid,
    reads: union(parts.map((t) => t.reads)),
    writes: union(parts.map((t) => t.writes)),
    freed: parts.flatMap((t) => t.freed),
    foreignStacks: union(parts.map((t) => t.foreignStacks)),
    accesses: AccessList.concat(parts.map((t) => t.accesses)),
    instructions: parts.reduce((n, t) => n + t.instructions, 0),
  };
}
