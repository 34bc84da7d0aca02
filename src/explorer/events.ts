// The explorer's event stream and commands: plain, structured-clonable data only, so that the worker
// protocol (src/workers/protocol.ts) can mirror these types and the CLI can consume the same stream.
// Events come in batches (arrays) in the order they happened. Described in docs/explorer.md.

import type { BugClass } from './detectors/bug.ts';
import type { RaceFinding } from './detectors/data-race.ts';
import type { ThreadId } from './model/transition.ts';
import type { NodeStatus } from './search/tree.ts';

/** A bug as reported to users: the detector's bug plus how to reproduce it. */
export interface BugReport {
  class: BugClass;
  message: string;
  tid: ThreadId | null;
  /** "TID 4" or "TID 2 (shell)". */
  thread: string | null;
  location: string | null;
  details: string[];
  /** The schedule string that reproduces it (see search/schedule.ts). */
  schedule: string;
  /** Branch number (1-based) in which it was first found. */
  branch: number;
  /** Main-tree node where the branch ended; -1 for a bug only a data-race probe found (session.ts). */
  node: number;
  /** Branches in which the same bug (class, message, location) was seen. */
  occurrences: number;
}

export interface Progress {
  branches: number;
  estimatedBranches: number;
  /** 0..100. */
  percent: number;
  elapsedSeconds: number;
  etaSeconds: number;
  nodes: number;
  bugs: number;
  races: number;
  complete: boolean;
}

export type SessionState = 'idle' | 'running' | 'paused' | 'finished' | 'stopped' | 'error';

export type ExplorerEvent =
  /** A new preemption point in the tree. */
  | { kind: 'node'; id: number; parent: number; tid: ThreadId; depth: number; reason: string; location: string;
      current: ThreadId; runnable: ThreadId[]; status: NodeStatus }
  /** A node changed: its status, its backtrack (todo) and sleep sets. */
  | { kind: 'node-status'; id: number; status: NodeStatus; todo: ThreadId[]; done: ThreadId[]; sleep: ThreadId[] }
  /** The transition into node `node`: what it touched and which earlier transitions it depends on. */
  | { kind: 'transition'; node: number; tid: ThreadId; instructions: number; reads: number[]; writes: number[];
      conflicts: { node: number; words: number[] }[] }
  | { kind: 'progress'; progress: Progress }
  | { kind: 'bug'; bug: BugReport }
  | { kind: 'race'; race: RaceFinding }
  | { kind: 'state'; state: SessionState; message?: string }
  /**
   * Navigation put the guest at tree node `node`, `offset` instructions into running `tid` (offset 0:
   * at the point itself; -1: at the end of a transition not in the tree yet). `stack` is the stack of
   * the thread on the CPU.
   */
  | { kind: 'position'; node: number; tid: ThreadId | null; offset: number; current: ThreadId; location: string;
      stack: string[]; schedule: string };

export type EventSink = (batch: ExplorerEvent[]) => void;

/** Commands a client (worker or CLI) sends to an exploration session. */
export type ExplorerCommand =
  | { kind: 'start' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'stop' }
  /** Explore the subtree below `node` reached by running `tid` there. */
  | { kind: 'branch'; node: number; tid: ThreadId }
  /** Put the guest in the state of tree node `node`. */
  | { kind: 'goto'; node: number }
  /** Move along the current schedule by preemption points (or by instructions when the guest allows). */
  | { kind: 'step'; unit: 'point' | 'instruction'; direction: 'forward' | 'backward'; count?: number };
