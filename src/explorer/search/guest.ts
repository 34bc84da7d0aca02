// The seam between the search and what it explores (Nidhugg's TraceBuilder / shuttle's Execution in
// reverse): a Guest runs one thread from one preemption point to the next and reports what happened.
// The emulator adapter (src/explorer/guest) and the toy interpreter (src/explorer/testing) implement
// it; the search never sees anything else of them. Guests are deterministic: the same choices from
// the same checkpoint give the same points and transitions. A point's runnable set may be computed only
// when read (the unannotated kernel guest probes the scheduler for it).

import type { Bug } from '../detectors/bug.ts';
import type { ThreadId, TransitionSummary } from '../model/transition.ts';

/** A preemption point (a state of the tree), or the end of a branch. */
export interface Point {
  /**
   * running: the test goes on; done: the test ended normally; bug: a detector fired; stuck: the
   * transition used up its instruction budget without reaching a preemption point.
   */
  readonly status: 'running' | 'done' | 'bug' | 'stuck';
  /** The thread on the CPU here; running it on is the default choice (Landslide's policy). */
  readonly current: ThreadId;
  /**
   * Threads the explorer may choose here, sorted ascending. A guest may compute it (and `live`) on first
   * read, which must come before the guest moves on (its next step, start or restore).
   */
  readonly runnable: readonly ThreadId[];
  /** Whether `current` is in `runnable`, when the guest knows it without computing `runnable`. */
  readonly currentRunnable?: boolean;
  /** Threads of the test that still exist (for deadlock reports), sorted. */
  readonly live: readonly ThreadId[];
  /** Why this is a preemption point: 'start', 'mutex_lock', 'mutex_unlock', 'yield', 'hlt', 'preempt'... */
  readonly reason: string;
  /** Where the current thread is, as "function (file:line)" or a toy label. */
  readonly location: string;
  readonly bug?: Bug;
  /**
   * Fingerprint of the final state (status done), for comparing explorations. A guest may compute it on
   * first read, which must come before the guest moves on (as for `runnable`).
   */
  readonly stateHash?: string;
}

export interface Step {
  readonly transition: TransitionSummary;
  readonly point: Point;
}

/** What the search needs from a guest. `C` is the guest's opaque checkpoint. */
export interface Guest<C = unknown> {
  /** Goes back to the start of the test and returns the first preemption point. */
  start(): Point;
  /**
   * Runs `tid` (one of the current point's runnable threads) until the next preemption point, or
   * until `budget` instructions have run (then the point's status is 'stuck').
   */
  step(tid: ThreadId, budget: number): Step;
  /** A checkpoint of the current state; `restore` returns to it (any number of times). */
  save(): C;
  restore(checkpoint: C): void;
  /**
   * Preferred spacing of checkpoints along the path (save cost against re-execution cost); the
   * explorer uses it unless its options say otherwise.
   */
  readonly checkpointInterval?: number;
  /** A human name for a thread ("TID 3 (shell)"), for reports. */
  threadName(tid: ThreadId): string;
  /** The stack of the thread on the CPU now, innermost first ("0x00101234 in f (f.c:12)"), for reports. */
  stack(): string[];
  /** "function (file:line)" for a code address, for race reports. */
  locate(address: number): string;
  /**
   * Optional, for stepping by instruction in the IDE: runs `tid` for at most `count` instructions and
   * stops early at the next preemption point (then returns its step).
   */
  stepInstructions?(tid: ThreadId, count: number): { executed: number; step: Step | null };
  /**
   * Optional: data-race preemption points (Landslide's DR PPs), in force from the next `start()` or
   * `restore()` on: the guest also stops just before the instruction at each of these code addresses
   * (reason 'data-race', location `locate(address)`), where the current thread runs on by default.
   * Explorations sharing a guest each set theirs before they start or restore it.
   */
  setDataRacePoints?(addresses: readonly number[]): void;
}
