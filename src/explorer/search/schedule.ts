// Schedules: the thread chosen at each preemption point from the start of the test, as plain data,
// with a short string form for command lines and links: run-length groups joined by '.', e.g.
// "3*12.4*2.3" = TID 3 for 12 points, TID 4 for 2, then TID 3 once.

import type { ThreadId } from '../model/transition.ts';

export type Schedule = readonly ThreadId[];

export class ScheduleFormatError extends Error {
  override name = 'ScheduleFormatError';
}

export function encodeSchedule(schedule: Schedule): string {
  const groups: string[] = [];
  for (let i = 0; i < schedule.length;) {
    let j = i;
    while (j < schedule.length && schedule[j] === schedule[i]) j++;
    groups.push(j - i === 1 ? `${schedule[i]}` : `${schedule[i]}*${j - i}`);
    i = j;
  }
  return groups.join('.');
}

const GROUP = /^(\d{1,9})(?:\*(\d{1,7}))?$/;

/** Parses the string form; throws ScheduleFormatError naming the bad group. */
export function decodeSchedule(text: string): ThreadId[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const out: ThreadId[] = [];
  for (const group of trimmed.split('.')) {
    const m = GROUP.exec(group);
    if (!m) throw new ScheduleFormatError(`bad schedule group '${group}' in '${text}': expected TID or TID*COUNT, e.g. 3*12.4.3`);
    const count = m[2] === undefined ? 1 : Number(m[2]);
    if (count < 1) throw new ScheduleFormatError(`bad schedule group '${group}': the count must be at least 1`);
    for (let k = 0; k < count; k++) out.push(Number(m[1]));
  }
  return out;
}
