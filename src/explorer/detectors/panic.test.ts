import { describe, expect, it } from 'vitest';
import { ASSERT_FORMAT, formatPanic, panicBug, type PanicArgs } from './panic.ts';

function args(values: (number | string)[]): PanicArgs {
  return { word: (k) => values[k] as number, string: (k) => values[k] as string };
}

describe('panic decoding', () => {
  it('decodes the 410 assert format into the expression and file:line', () => {
    const b = panicBug(ASSERT_FORMAT, args(['kern/mutex.c', 52, 'mp->owner == MUTEX_NO_OWNER']), 4, 'mutex_lock (kern/mutex.c:52)', 'kernel');
    expect(b).toEqual({ class: 'assert', message: "KERNEL PANIC: failed assertion `mp->owner == MUTEX_NO_OWNER'", tid: 4,
      location: 'kern/mutex.c:52', details: ['called from mutex_lock (kern/mutex.c:52)'] });
  });

  it('formats other panics printf-style', () => {
    expect(formatPanic('bad %s at %p (%d, %u, %5x, %-3c|, %05d, 100%%)', args(['thing', 0xdead, -2, -1, 255, 65, 42])))
      .toBe('bad thing at 0xdead (-2, 4294967295,    ff, A  |, 00042, 100%)');
    expect(panicBug('out of %s', args(['frames']), 3, 'here', 'user').message).toBe('USERSPACE PANIC: out of frames');
  });
});
