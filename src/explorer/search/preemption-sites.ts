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

/** Sorted union of two sorted arrays of distinct numbers. */
function union2(a: readonly number[], b: readonly number[]): readonly number[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
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

/** Sorted union of sorted arrays of distinct numbers, merged pairwise in rounds (each element is copied log k times). */
function union(lists: readonly (readonly number[])[]): readonly number[] {
  let round = lists;
  while (round.length > 1) {
    const next: (readonly number[])[] = [];
    for (let k = 0; k < round.length; k += 2) next.push(k + 1 < round.length ? union2(round[k], round[k + 1]) : round[k]);
    round = next;
  }
  return round[0] ?? [];
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
