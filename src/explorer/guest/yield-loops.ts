// Yield loops (landslide.md §4.1, Landslide's yield-loop detection): a thread that gives the CPU away
// voluntarily while staying runnable, TOO_MANY_YIELDS times in a row, is waiting for another thread
// (`while (!done) yield();`). Offering it at every preemption point only grows the tree with unfair
// schedules in which it spins while the thread it waits for is kept off the CPU; they end as false
// "infinite loop" reports. So such a thread is left out of the runnable set offered to the search
// until another transition writes (or frees) memory it read while yielding, or until nothing else
// could run: then every thread is offered again (Landslide's try_avoid_fp_deadlock). The kernel may still
// run it on its own; only the explorer stops choosing it.

import { AccessList, conflicts, type ThreadId, type TransitionSummary } from '../model/transition.ts';
import { mergeTransitions } from '../search/preemption-sites.ts';

export const TOO_MANY_YIELDS = 10;

interface Streak {
  readonly tid: ThreadId;
  readonly count: number;
  /** What the thread read over its yields, as a summary with reads only (for `conflicts`). */
  readonly reads: TransitionSummary;
}

/** What a transition read, as a summary of its own. */
function onlyReads(t: TransitionSummary): TransitionSummary {
  return { tid: t.tid, reads: t.reads, writes: [], freed: [], foreignStacks: [], accesses: AccessList.EMPTY, instructions: 0 };
}

export class YieldLoops {
  private streaks: readonly Streak[] = [];

  /** After a transition: whether its thread yielded (switched away voluntarily and stayed runnable). */
  transition(t: TransitionSummary, yielded: boolean): void {
    const next: Streak[] = [];
    for (const s of this.streaks) {
      if (s.tid === t.tid || conflicts(s.reads, t)) continue; // re-counted below, or its wait may be over
      next.push(s);
    }
    if (yielded) {
      const previous = this.streaks.find((s) => s.tid === t.tid); // its own writes do not end its wait
      const reads = onlyReads(t);
      next.push({ tid: t.tid, count: (previous?.count ?? 0) + 1, reads: previous ? mergeTransitions(previous.reads, reads) : reads });
    }
    this.streaks = next;
  }

  /** Whether `tid` spins in a yield loop. */
  spinning(tid: ThreadId): boolean {
    return this.streaks.some((s) => s.tid === tid && s.count >= TOO_MANY_YIELDS);
  }

  /** The threads to offer among `runnable`: all but the spinning ones, unless that leaves none. */
  offered(runnable: readonly ThreadId[]): readonly ThreadId[] {
    if (!this.streaks.some((s) => s.count >= TOO_MANY_YIELDS)) return runnable;
    const rest = runnable.filter((t) => !this.spinning(t));
    return rest.length ? rest : runnable;
  }

  /** Streaks are replaced, never changed, so the list itself is the saved state. */
  save(): unknown {
    return this.streaks;
  }

  restore(saved: unknown): void {
    this.streaks = saved as readonly Streak[];
  }
}
