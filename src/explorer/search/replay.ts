// Replaying a schedule: run the guest from the start of the test with the given choice at each
// preemption point, and report where it ends. Used by `faultline replay`, by navigation and by tests.

import type { Bug } from '../detectors/bug.ts';
import type { TransitionSummary } from '../model/transition.ts';
import type { Guest, Point } from './guest.ts';
import { pointBug } from './point-bug.ts';
import type { Schedule } from './schedule.ts';

export class ReplayError extends Error {
  override name = 'ReplayError';
}

export interface ReplayResult {
  /** The point reached after the last choice. */
  point: Point;
  /** The bug at that point, judged as the search does (deadlock when nothing can run...), or null. */
  bug: Bug | null;
  /** Every point along the way, starting with the first. */
  points: Point[];
  instructions: number;
}

/**
 * Replays `schedule` on `guest`. Throws ReplayError when a choice is not runnable where it is made, or
 * when the branch ends before the schedule does.
 */
export function replaySchedule(guest: Guest, schedule: Schedule, budget = Number.MAX_SAFE_INTEGER): ReplayResult {
  let point = guest.start();
  const points = [point];
  let instructions = 0;
  let last: TransitionSummary | undefined;
  schedule.forEach((tid, i) => {
    if (point.status !== 'running') throw new ReplayError(`the run ended (${point.status}) at point ${i}, before the schedule's ${schedule.length} choices`);
    if (!point.runnable.includes(tid)) {
      throw new ReplayError(`choice ${i} of the schedule is TID ${tid}, but the runnable threads there are [${point.runnable.join(', ')}]`);
    }
    const step = guest.step(tid, budget);
    instructions += step.transition.instructions;
    last = step.transition;
    point = step.point;
    points.push(point);
  });
  return { point, bug: pointBug(point, last), points, instructions };
}
