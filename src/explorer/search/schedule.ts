// Schedules: the thread chosen at each preemption point from the start of the test, as plain data,
// with a short string form for command lines and links: run-length groups joined by '.', e.g.
// "3*12.4*2.3" = TID 3 for 12 points, TID 4 for 2, then TID 3 once. The keyboard pseudo-thread (a
// choice to deliver the next held-back typed byte's interrupt now) is written 'k': "4*3.k*2.4".

import type { ThreadId } from '../model/transition.ts';

/**
 * The keyboard pseudo-thread: choosing it at a point delivers the next typed byte's IRQ 1 there (the
 * way Landslide makes timer interrupts choices). Larger than any real TID, so it sorts last among the
 * runnable threads and is never the default choice.
 */
export const KEYBOARD_TID: ThreadId = 0x7fffffff;

export type Schedule = readonly ThreadId[];

export class ScheduleFormatError extends Error {
  override name = 'ScheduleFormatError';
}

export function encodeSchedule(schedule: Schedule): string {
  const groups: string[] = [];
  for (let i = 0; i < schedule.length;) {
    let j = i;
    while (j < schedule.length && schedule[j] === schedule[i]) j++;
    const name = schedule[i] === KEYBOARD_TID ? 'k' : `${schedule[i]}`;
    groups.push(j - i === 1 ? name : `${name}*${j - i}`);
    i = j;
  }
  return groups.join('.');
}

const GROUP = /^(\d{1,9}|k)(?:\*(\d{1,7}))?$/;

/** Parses the string form; throws ScheduleFormatError naming the bad group. */
export function decodeSchedule(text: string): ThreadId[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const out: ThreadId[] = [];
  for (const group of trimmed.split('.')) {
    const m = GROUP.exec(group);
    if (!m) throw new ScheduleFormatError(`bad schedule group '${group}' in '${text}': expected TID or TID*COUNT (k for the keyboard), e.g. 3*12.4.k.3`);
    const count = m[2] === undefined ? 1 : Number(m[2]);
    if (count < 1) throw new ScheduleFormatError(`bad schedule group '${group}': the count must be at least 1`);
    const tid = m[1] === 'k' ? KEYBOARD_TID : Number(m[1]);
    for (let k = 0; k < count; k++) out.push(tid);
  }
  return out;
}
