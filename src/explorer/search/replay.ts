// Replaying a schedule: run the guest from the start of the test with the given choice at each
// preemption point, and report where it ends, with the data-race preemption points the schedule was
// taken with. Used by `faultline replay`, by the reports' traces and by tests.

import type { Bug } from '../detectors/bug.ts';
import type { TransitionSummary } from '../model/transition.ts';
import type { Guest, Point } from './guest.ts';
import { pointBug } from './point-bug.ts';
import type { ScheduleWithPoints } from './schedule.ts';

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
 * Starts `guest` at the beginning of the test with the schedule's data-race preemption points (none
 * when it has none); throws ReplayError when it needs some and the guest has none.
 */
export function startWithPoints(guest: Guest, dataRacePoints: readonly number[]): Point {
  if (dataRacePoints.length && !guest.setDataRacePoints) throw new ReplayError('the schedule has data-race preemption points, which this guest does not have');
  guest.setDataRacePoints?.(dataRacePoints);
  return guest.start();
}

/**
 * Replays `schedule` on `guest`, with its data-race preemption points. Throws ReplayError when a choice
 * is not runnable where it is made, or when the branch ends before the schedule does.
 */
export function replaySchedule(guest: Guest, { choices: schedule, dataRacePoints }: ScheduleWithPoints, budget = Number.MAX_SAFE_INTEGER): ReplayResult {
  let point = startWithPoints(guest, dataRacePoints);
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
