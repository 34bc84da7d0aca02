// Happens-before over one execution and its races (Flanagan & Godefroid, POPL 2005; races and
// reversal initials as in Source-DPOR, Abdulla et al., POPL 2014). Transition k (1-based position in
// the execution) happens after: the previous transition of its thread (program order); the
// transition that enabled its thread (made it runnable: forking, waking, unlocking; Landslide's
// "enabler", needed because scheduler bookkeeping is not tracked as memory); and every earlier
// dependent transition. Two transitions j < k of different threads race when they are dependent and
// j does not happen before k through anything but their own direct edge: reversing them may give a
// new Mazurkiewicz trace.

import { conflicts, type ThreadId, type TransitionSummary } from '../model/transition.ts';
import { VectorClock } from '../model/vector-clock.ts';

export interface Race {
  /** Positions (1-based) of the earlier and the later transition. */
  readonly first: number;
  readonly second: number;
}

export interface HappensBefore {
  /** `clocks[k]` is the clock of transition k (index 0 is the empty clock of the start). */
  readonly clocks: readonly VectorClock[];
  /** Ordered by the later transition (`second`), then as found. */
  readonly races: readonly Race[];
  /** Dense index of each thread in the clocks. */
  readonly index: ReadonlyMap<ThreadId, number>;
  /** `dependencies[k]`: earlier positions of other threads that k is dependent on (for the event stream). */
  readonly dependencies: readonly (readonly number[])[];
}

/**
 * Analyses the execution `transitions` (transitions[k-1] is position k) given the runnable threads of
 * each state (`enabled[k]` after k transitions; enabled[0] at the start). With `previous`, the analysis
 * of an execution sharing a prefix (the same summary objects), only the new suffix is analysed; clocks
 * are never mutated after they are built, so they are shared.
 */
export function analyseExecution(transitions: readonly TransitionSummary[],
  enabled: readonly (readonly ThreadId[])[], previous?: { hb: HappensBefore; transitions: readonly TransitionSummary[] }): HappensBefore {
  // Positions before `from` are the same transitions (same objects) as in `previous`: reuse its work.
  let from = 1;
  if (previous) {
    const limit = Math.min(previous.transitions.length, transitions.length);
    while (from <= limit && previous.transitions[from - 1] === transitions[from - 1]) from++;
  }
  const index = new Map<ThreadId, number>(from > 1 ? previous!.hb.index : []);
  const idx = (t: ThreadId) => {
    let i = index.get(t);
    if (i === undefined) {
      i = index.size;
      index.set(t, i);
    }
    return i;
  };
  for (const t of enabled[0] ?? []) idx(t);
  const clocks: VectorClock[] = [new VectorClock()];
  const last = new Map<ThreadId, number>();
  const races: Race[] = [];
  const dependencies: (readonly number[])[] = [[]];
  if (from > 1) {
    const p = previous!.hb;
    for (let k = 1; k < from; k++) {
      clocks.push(p.clocks[k]);
      dependencies.push(p.dependencies[k]);
      last.set(transitions[k - 1].tid, k);
    }
    for (const r of p.races) if (r.second < from) races.push(r);
  }
  for (let k = from; k <= transitions.length; k++) {
    const t = transitions[k - 1];
    const p = idx(t.tid);
    const prev = last.get(t.tid) ?? 0;
    const acc = clocks[prev].copy();
    // The enabler: the latest transition after which t.tid became runnable.
    for (let m = k - 1; m > prev; m--) {
      if (!enabled[m - 1]?.includes(t.tid) && enabled[m]?.includes(t.tid)) {
        acc.join(clocks[m]);
        break;
      }
    }
    const deps: number[] = [];
    for (let j = k - 1; j >= 1; j--) {
      const u = transitions[j - 1];
      if (u.tid === t.tid || !conflicts(u, t)) continue;
      deps.push(j);
      // Already ordered before k: clocks[j] is covered by acc, the join would change nothing.
      if (acc.get(idx(u.tid)) >= j) continue;
      races.push({ first: j, second: k });
      acc.join(clocks[j]);
    }
    acc.set(p, k);
    clocks.push(acc);
    last.set(t.tid, k);
    dependencies.push(deps.reverse());
  }
  return { clocks, races, index, dependencies };
}

/** Whether position j happens before position k (j < k) in the analysed execution. */
export function happensBefore(hb: HappensBefore, transitions: readonly TransitionSummary[], j: number, k: number): boolean {
  if (j === 0) return true;
  const i = hb.index.get(transitions[j - 1].tid)!;
  return hb.clocks[k].get(i) >= j;
}

/**
 * The threads that can start a reversal of `race`: the initials of v = (the transitions after
 * `first` that do not happen after it) followed by `second`, i.e. the threads whose first event in v
 * has no happens-before predecessor in v.
 */
export function reversalInitials(hb: HappensBefore, transitions: readonly TransitionSummary[], race: Race): ThreadId[] {
  const v: number[] = [];
  for (let m = race.first + 1; m < race.second; m++) {
    if (!happensBefore(hb, transitions, race.first, m)) v.push(m);
  }
  v.push(race.second);
  const seen = new Set<ThreadId>();
  const initials: ThreadId[] = [];
  for (let a = 0; a < v.length; a++) {
    const tid = transitions[v[a] - 1].tid;
    if (seen.has(tid)) continue;
    seen.add(tid);
    let hasPredecessor = false;
    for (let b = 0; b < a && !hasPredecessor; b++) hasPredecessor = happensBefore(hb, transitions, v[b], v[a]);
    if (!hasPredecessor) initials.push(tid);
  }
  return initials;
}
