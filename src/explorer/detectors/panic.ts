// Kernel and user panics (landslide.md §3.1, §5): the explorer stops at the entry of `panic(fmt, ...)`
// and reads its arguments. A failed 15-410 assert calls panic("%s:%u: failed assertion `%s'", file,
// line, expression): that is decoded to the expression and file:line (class assert); any other message
// is formatted printf-style from the arguments (class panic).

import { bug, type Bug } from './bug.ts';
import type { ThreadId } from '../model/transition.ts';

export const ASSERT_FORMAT = "%s:%u: failed assertion `%s'";

/** How to read the panic's variadic arguments: argument k (0-based after fmt) as a number or a string. */
export interface PanicArgs {
  word(k: number): number;
  string(k: number): string;
}

/** printf-style formatting of %s %d %i %u %x %X %p %c %% (with flags and widths ignored beyond padding). */
export function formatPanic(fmt: string, args: PanicArgs): string {
  let k = 0;
  return fmt.replace(/%([-0 #+]*)(\d*)(?:\.\d+)?(l{0,2}|h{0,2}|z)?([sdiuxXpc%])/g, (_m, flags: string, width: string, _len, conv: string) => {
    if (conv === '%') return '%';
    const arg = k++;
    let text: string;
    switch (conv) {
      case 's': text = args.string(arg); break;
      case 'd': case 'i': text = String(args.word(arg) | 0); break;
      case 'u': text = String(args.word(arg) >>> 0); break;
      case 'x': text = (args.word(arg) >>> 0).toString(16); break;
      case 'X': text = (args.word(arg) >>> 0).toString(16).toUpperCase(); break;
      case 'p': text = `0x${(args.word(arg) >>> 0).toString(16)}`; break;
      default: text = String.fromCharCode(args.word(arg) & 0xff); break;
    }
    const w = Number(width || 0);
    if (text.length < w) text = flags.includes('-') ? text.padEnd(w) : text.padStart(w, flags.includes('0') && conv !== 's' ? '0' : ' ');
    return text;
  });
}

/** The bug for a panic with format `fmt`, seen in `space` (kernel or user). */
export function panicBug(fmt: string, args: PanicArgs, tid: ThreadId | null, where: string, space: 'kernel' | 'user'): Bug {
  if (fmt === ASSERT_FORMAT) {
    const file = args.string(0);
    const line = args.word(1) >>> 0;
    const expr = args.string(2);
    return bug('assert', `${space === 'kernel' ? 'KERNEL' : 'USERSPACE'} PANIC: failed assertion \`${expr}'`, tid, `${file}:${line}`, [`called from ${where}`]);
  }
  return bug('panic', `${space === 'kernel' ? 'KERNEL' : 'USERSPACE'} PANIC: ${formatPanic(fmt, args)}`, tid, where);
}
