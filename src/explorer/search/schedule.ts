// Schedules: the thread chosen at each preemption point from the start of the test, as plain data,
// with a short string form for command lines and links: run-length groups joined by '.', e.g.
// "3*12.4*2.3" = TID 3 for 12 points, TID 4 for 2, then TID 3 once. The keyboard pseudo-thread (a
// choice to deliver the next held-back typed byte's interrupt now) is written 'k': "4*3.k*2.4".
// A schedule taken with data-race preemption points (code addresses the guest also stops before,
// Landslide's DR PPs) only replays with the same points, so they are part of it: the string then starts
// with them, "dr=0x1034a5,0x1035c0:3*12.4*2.3" (hexadecimal, ascending); without any, the string is
// the plain form above.

import type { ThreadId } from '../model/transition.ts';

/**
 * The keyboard pseudo-thread: choosing it at a point delivers the next typed byte's IRQ 1 there (the
 * way Landslide makes timer interrupts choices). Larger than any real TID, so it sorts last among the
 * runnable threads and is never the default choice.
 */
export const KEYBOARD_TID: ThreadId = 0x7fffffff;

export type Schedule = readonly ThreadId[];

/** A schedule with the data-race preemption points it was taken with (ascending; none: empty). */
export interface ScheduleWithPoints {
  choices: Schedule;
  dataRacePoints: readonly number[];
}

export class ScheduleFormatError extends Error {
  override name = 'ScheduleFormatError';
}

/** The distinct addresses, ascending. */
export function normalisePoints(points: readonly number[]): number[] {
  return [...new Set(points)].sort((a, b) => a - b);
}

export function encodeSchedule(schedule: Schedule, dataRacePoints: readonly number[] = []): string {
  const groups: string[] = [];
  for (let i = 0; i < schedule.length;) {
    let j = i;
    while (j < schedule.length && schedule[j] === schedule[i]) j++;
    const name = schedule[i] === KEYBOARD_TID ? 'k' : `${schedule[i]}`;
    groups.push(j - i === 1 ? name : `${name}*${j - i}`);
    i = j;
  }
  const choices = groups.join('.');
  if (dataRacePoints.length === 0) return choices;
  return `dr=${normalisePoints(dataRacePoints).map((a) => `0x${a.toString(16)}`).join(',')}:${choices}`;
}

const GROUP = /^(\d{1,9}|k)(?:\*(\d{1,7}))?$/;
const POINTS = /^dr=([^:]*):(.*)$/s;
const ADDRESS = /^0x[0-9a-f]{1,8}$/i;

/** Parses the string form; throws ScheduleFormatError naming the bad part. */
export function decodeSchedule(text: string): ScheduleWithPoints {
  const trimmed = text.trim();
  const m = POINTS.exec(trimmed);
  if (!m) return { choices: decodeChoices(trimmed, text), dataRacePoints: [] };
  const points = m[1].split(',').map((a) => {
    if (!ADDRESS.test(a)) throw new ScheduleFormatError(`bad data-race point '${a}' in '${text}': expected hexadecimal addresses, e.g. dr=0x1034a5,0x1035c0:3*12.4`);
    return parseInt(a, 16);
  });
  return { choices: decodeChoices(m[2], text), dataRacePoints: normalisePoints(points) };
}

function decodeChoices(choices: string, text: string): ThreadId[] {
  if (choices === '') return [];
  const out: ThreadId[] = [];
  for (const group of choices.split('.')) {
    const m = GROUP.exec(group);
    if (!m) throw new ScheduleFormatError(`bad schedule group '${group}' in '${text}': expected TID or TID*COUNT (k for the keyboard), e.g. 3*12.4.k.3`);
    const count = m[2] === undefined ? 1 : Number(m[2]);
    if (count < 1) throw new ScheduleFormatError(`bad schedule group '${group}': the count must be at least 1`);
    const tid = m[1] === 'k' ? KEYBOARD_TID : Number(m[1]);
    for (let k = 0; k < count; k++) out.push(tid);
  }
  return out;
}
