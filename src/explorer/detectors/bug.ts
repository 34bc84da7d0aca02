// Bug vocabulary and records. The classes are the ones the kernel manifest uses (issue 5/6); a bug is
// plain data so that it can travel through the event stream and into JSON/HTML reports unchanged.

import type { ThreadId } from '../model/transition.ts';

export const BUG_CLASSES = [
  'panic', 'assert', 'deadlock', 'use-after-free', 'double-free', 'invalid-heap-access', 'kernel-page-fault',
  'thread-killed', 'triple-fault', 'infinite-loop', 'test-failure', 'data-race',
] as const;

export type BugClass = (typeof BUG_CLASSES)[number];

/** What a detector reports. */
export interface Bug {
  readonly class: BugClass;
  readonly message: string;
  /** The thread that was running (or the first thread of a deadlock cycle), when known. */
  readonly tid: ThreadId | null;
  /** Where, as "function (file:line)" when the guest knows, else an address or a toy label. */
  readonly location: string | null;
  /** Extra lines: stack traces, the allocation and free sites of a chunk, the other racing access... */
  readonly details: readonly string[];
}

export function bug(cls: BugClass, message: string, tid: ThreadId | null, location: string | null = null,
  details: readonly string[] = []): Bug {
  return { class: cls, message, tid, location, details };
}

/** Identity of a bug across branches (same class, message and place). */
export function bugKey(b: Bug): string {
  return `${b.class}|${b.message}|${b.location ?? ''}`;
}
