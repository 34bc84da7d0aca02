// Yield loops (landslide.md §4.1, Landslide's yield-loop detection): a thread that gives the CPU away
// voluntarily while staying runnable, TOO_MANY_YIELDS times in a row, is waiting for another thread
// (`while (!done) yield();`). Offering it at every preemption point only grows the tree with unfair
// schedules in which it spins while the thread it waits for is kept off the CPU; they end as false
// "infinite loop" reports. So such a thread is left out of the runnable set offered to the search
// until another transition writes (or frees) memory it read while yielding, or until nothing else
// could run: then every thread is offered again (Landslide's try_avoid_fp_deadlock). The kernel may still
// run it on its own; only the explorer stops choosing it. A loop may take two transitions per round
// (a point between its yields, such as the system call of the next yield): a transition of the thread
// that does not yield keeps its streak when it writes nothing but what the same part of the last round
// wrote (the first such transition sets that) and frees nothing; a second one in a row, or any other,
// ends it.

import { AccessList, conflicts, type ThreadId, type TransitionSummary } from '../model/transition.ts';
import { mergeTransitions } from '../search/preemption-sites.ts';

export const TOO_MANY_YIELDS = 10;

interface Streak {
  readonly tid: ThreadId;
  readonly count: number;
  /** Whether the thread's last transition did not yield (one such may be part of a round). */
  readonly between: boolean;
  /** The words the round's transition between yields wrote (null until there was one). */
  readonly betweenWrites: readonly number[] | null;
  /** What the thread read over its yields, as a summary with reads only (for `conflicts`). */
  readonly reads: TransitionSummary;
}

/** What a transition read, as a summary of its own. */
function onlyReads(t: TransitionSummary): TransitionSummary {
  return { tid: t.tid, reads: t.reads, writes: [], freed: [], foreignStacks: [], accesses: AccessList.EMPTY, instructions: 0 };
}

/** Whether `writes` (sorted) are all among the last round's between-yields writes (any, in the first round). */
function sameRound(last: readonly number[] | null, writes: readonly number[]): boolean {
  if (last === null) return true;
  let j = 0;
  for (const w of writes) {
    while (j < last.length && last[j] < w) j++;
    if (last[j] !== w) return false;
  }
  return true;
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
    const previous = this.streaks.find((s) => s.tid === t.tid); // its own writes do not end its wait
    const reads = onlyReads(t);
    if (yielded) {
      next.push({ tid: t.tid, count: (previous?.count ?? 0) + 1, between: false, betweenWrites: previous?.betweenWrites ?? null,
        reads: previous ? mergeTransitions([previous.reads, reads]) : reads });
    } else if (previous && !previous.between && t.freed.length === 0 && sameRound(previous.betweenWrites, t.writes)) {
      next.push({ ...previous, between: true, betweenWrites: t.writes, reads: mergeTransitions([previous.reads, reads]) });
    }
    this.streaks = next;
  }

  /** Whether `tid` spins in a yield loop. */
  spinning(tid: ThreadId): boolean {
    return this.streaks.some((s) => s.tid === tid && s.count >= TOO_MANY_YIELDS);
  }

  /** Whether some thread spins in a yield loop (else `offered` leaves every runnable set as it is). */
  get active(): boolean {
    return this.streaks.some((s) => s.count >= TOO_MANY_YIELDS);
  }

  /** The threads to offer among `runnable`: all but the spinning ones, unless that leaves none. */
  offered(runnable: readonly ThreadId[]): readonly ThreadId[] {
    if (!this.active) return runnable;
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
