// Reports: the JSON report of an exploration (the shape issue 6 fixes) and the per-preemption-point
// trace of a schedule that the HTML report tabulates (Landslide's TABULAR_TRACE, landslide.md §6).

import type { BugReport, Progress } from './events.ts';
import type { RaceFinding } from './detectors/data-race.ts';
import type { ThreadId } from './model/transition.ts';
import type { Guest } from './search/guest.ts';
import { startWithPoints } from './search/replay.ts';
import { decodeSchedule } from './search/schedule.ts';

export interface JsonReport {
  test: string;
  kernel: string;
  mode: 'dpor' | 'dfs';
  preemptionBound: number | null;
  branches: number;
  complete: boolean;
  estimate: { branches: number; seconds: number };
  elapsedSeconds: number;
  bugs: { class: string; message: string; thread: string | null; schedule: string; branch: number; location: string | null; details: string[] }[];
  races: { address: string; confirmed: boolean; first: string; second: string }[];
}

export function jsonReport(info: { test: string; kernel: string; mode: 'dpor' | 'dfs'; preemptionBound: number | null },
  progress: Progress, bugs: readonly BugReport[], races: readonly RaceFinding[], locate: (eip: number) => string): JsonReport {
  const side = (a: RaceFinding['first']) => `TID ${a.tid} ${a.write ? 'writes' : 'reads'} at ${locate(a.eip)}${a.locks.length ? ` holding ${a.locks.map((l) => `0x${l.toString(16)}`).join(', ')}` : ''}`;
  return {
    ...info,
    branches: progress.branches,
    complete: progress.complete,
    estimate: { branches: progress.estimatedBranches, seconds: Math.round((progress.elapsedSeconds + progress.etaSeconds) * 10) / 10 },
    elapsedSeconds: Math.round(progress.elapsedSeconds * 10) / 10,
    bugs: bugs.map((b) => ({ class: b.class, message: b.message, thread: b.thread, schedule: b.schedule, branch: b.branch, location: b.location, details: b.details })),
    races: races.map((r) => ({ address: `0x${r.addr.toString(16)}`, confirmed: r.confirmed, first: side(r.first), second: side(r.second) })),
  };
}

/** One row of a trace: the thread that ran to this preemption point and the stack there. */
export interface TraceRow {
  tid: ThreadId;
  /** The thread on the CPU at the point (differs from `tid` after a voluntary switch). */
  current: ThreadId;
  reason: string;
  stack: string[];
}

/** Replays `schedule` (its string form, with its data-race preemption points) and records each transition's thread and the stack at the point it reached. */
export function traceSchedule(guest: Guest, schedule: string, budget: number): TraceRow[] {
  const rows: TraceRow[] = [];
  const { choices, dataRacePoints } = decodeSchedule(schedule);
  let point = startWithPoints(guest, dataRacePoints);
  rows.push({ tid: point.current, current: point.current, reason: point.reason, stack: guest.stack() });
  for (const tid of choices) {
    if (point.status !== 'running' || !point.runnable.includes(tid)) break;
    point = guest.step(tid, budget).point;
    rows.push({ tid, current: point.current, reason: point.bug ? `${point.reason}: ${point.bug.message}` : point.reason, stack: guest.stack() });
  }
  return rows;
}
