// InferredThreads on its own: numbering by kernel stack, freed and reused stacks, the runnable probe's
// stopping rules, locksets from mutex_lock/mutex_unlock entries and returns, lock-wait cycles, kernel TIDs.
import { describe, expect, it } from 'vitest';
import { InferredThreads } from './inferred-threads.ts';

/** A probe tick that switches to each of `tops` in turn, then reports no switch. */
function ticks(...tops: (number | null)[]): () => number | null {
  let i = 0;
  return () => (i < tops.length ? tops[i++] : null);
}

describe('InferredThreads', () => {
  it('numbers threads by kernel stack in order of appearance and follows switches', () => {
    const t = new InferredThreads();
    expect(t.switchTo(0x3000)).toBe(1);
    expect(t.switchTo(0x5000)).toBe(2);
    expect(t.switchTo(0x3000)).toBe(1);
    expect(t.current).toBe(1);
    expect(t.identify(0x7000)).toBe(3);
    expect(t.threads()).toEqual([1, 2, 3]);
    expect(t.stackTop(2)).toBe(0x5000);
  });

  it('keeps a thread whose stack was freed until the stack is allocated again', () => {
    const t = new InferredThreads();
    t.switchTo(0x3000);
    t.switchTo(0x5000);
    t.stackFreed(0x1000, 0x3000); // thread 1's stack [0x1000, 0x3000)
    expect(t.threads()).toEqual([2]);
    expect(t.switchTo(0x3000, () => false)).toBe(1); // still running on its freed stack
    t.switchTo(0x5000);
    t.stackFreed(0x1000, 0x3000);
    expect(t.switchTo(0x3000, () => true)).toBe(3); // a new thread on the reallocated stack
    expect(t.threads()).toEqual([2, 3]);
  });

  it('counts identity changes (a thread numbered, forgotten, or alive again on its freed stack), not switches between known threads', () => {
    const t = new InferredThreads();
    t.switchTo(0x3000);
    t.switchTo(0x5000);
    expect(t.identityChanges).toBe(2);
    t.switchTo(0x3000);
    t.probe(ticks(0x5000, 0x3000));
    expect(t.identityChanges).toBe(2);
    t.probe(ticks(0x7000));
    expect(t.identityChanges).toBe(3);
    t.stackFreed(0x4000, 0x5000); // thread 2's stack
    t.switchTo(0x5000, () => false);
    expect(t.identityChanges).toBe(4);
    t.switchTo(0x3000);
    t.stackFreed(0x4000, 0x5000);
    t.switchTo(0x5000, () => true);
    expect(t.identityChanges).toBe(5);
  });

  it('knows without probing whether a probe would count the current thread: always, unless it is idle or blocked', () => {
    const t = new InferredThreads();
    t.markIdle(t.switchTo(0x1000));
    expect(t.currentRunnable()).toBe(false);
    t.switchTo(0x3000); // 2 holds A
    expect(t.currentRunnable()).toBe(true);
    t.entered('lock', 0xa, 0x2f00);
    t.returning('lock', 0x2f00);
    t.switchTo(0x5000); // 3 tries A and yields
    t.entered('lock', 0xa, 0x4f00);
    t.switchedAway(3); // blocked on A, though (tried again) on the CPU
    expect(t.currentRunnable()).toBe(false);
    expect(t.probe(ticks(0x3000, 0x5000))).toEqual([2]);
  });

  it('probes: the current thread and every thread switched to until a repeat, idle or a tick without a switch', () => {
    const t = new InferredThreads();
    t.markIdle(t.switchTo(0x1000));
    const a = t.switchTo(0x2000);
    expect(t.probe(ticks(0x3000, 0x4000, 0x2000, 0x3000))).toEqual([a, 3, 4]); // stops at the repeat
    expect(t.probe(ticks(0x3000, 0x1000, 0x4000))).toEqual([a, 3]); // idle ran: the run queue was empty
    expect(t.probe(ticks(null, 0x3000))).toEqual([a]); // the tick switched nowhere: a alone
    expect(t.runnable()).toEqual([a]);
    t.switchTo(0x1000);
    expect(t.probe(ticks(null))).toEqual([]); // the idle thread is never runnable
  });

  it('stops probing after threads + 2 ticks (a scheduler that never repeats)', () => {
    const t = new InferredThreads();
    t.switchTo(0x1000);
    let top = 0x1000;
    let calls = 0;
    t.probe(() => { calls++; top += 0x1000; return top; });
    expect(calls).toBe(3); // one thread known when the probe began
  });

  it('keeps locksets from mutex_lock and mutex_unlock returns matched by stack pointer', () => {
    const t = new InferredThreads();
    t.switchTo(0x3000);
    t.entered('lock', 0xa0, 0x2f00);
    t.entered('lock', 0xa0, 0x2f00); // back at the entry after a preemption there: the same call
    t.returning('lock', 0x2e00); // a nested function's ret: not this call
    expect(t.lockset(1)).toEqual([]);
    t.returning('lock', 0x2f00);
    t.entered('lock', 0xb0, 0x2f00);
    t.returning('lock', 0x2f00);
    expect(t.lockset(1)).toEqual([0xa0, 0xb0]);
    t.entered('unlock', 0xa0, 0x2f10);
    expect(t.inUnlock).toBe(true);
    t.returning('unlock', 0x2f10);
    expect(t.inUnlock).toBe(false);
    expect(t.lockset(1)).toEqual([0xb0]);
  });

  it('finds a cycle of threads each waiting in mutex_lock for a mutex the next one holds', () => {
    const t = new InferredThreads();
    t.switchTo(0x3000); // 1 takes A, then waits for B
    t.entered('lock', 0xa, 0x2f00);
    t.returning('lock', 0x2f00);
    t.entered('lock', 0xb, 0x2f00);
    t.switchTo(0x5000); // 2 takes B
    t.entered('lock', 0xb, 0x4f00);
    t.returning('lock', 0x4f00);
    expect(t.blockedCycle(1)).toBeNull();
    t.entered('lock', 0xa, 0x4f00); // 2 waits for A
    expect(t.blockedCycle(2)).toEqual([2, 1, 2]);
    expect(t.blockedCycle(1)).toEqual([1, 2, 1]);
  });

  it('takes a thread that yields inside mutex_lock of a held mutex off the runnable set until the mutex is unlocked', () => {
    const t = new InferredThreads();
    t.switchTo(0x3000); // 1 holds A
    t.entered('lock', 0xa, 0x2f00);
    t.returning('lock', 0x2f00);
    t.switchTo(0x5000); // 2 tries A and yields
    t.entered('lock', 0xa, 0x4f00);
    t.switchedAway(2);
    t.switchTo(0x3000);
    t.probe(ticks(0x5000));
    expect(t.runnable()).toEqual([1]);
    t.entered('unlock', 0xa, 0x2f10);
    t.returning('unlock', 0x2f10);
    expect(t.runnable()).toEqual([1, 2]);
    t.switchedAway(1); // not inside mutex_lock: not blocked
    expect(t.runnable()).toEqual([1, 2]);
  });

  it('learns the kernel TID of a thread when gettid returns to it, and only then', () => {
    const t = new InferredThreads();
    t.switchTo(0x3000);
    t.gettidReturned(7); // not inside gettid: some other return value
    expect(t.kernelTid(1)).toBeUndefined();
    t.gettidEntered();
    t.switchTo(0x5000);
    t.gettidReturned(9); // thread 2 was not in gettid
    t.switchTo(0x3000);
    t.gettidReturned(3);
    expect([t.kernelTid(1), t.kernelTid(2)]).toEqual([3, undefined]);
  });

  it('saves and restores its whole state', () => {
    const t = new InferredThreads();
    t.switchTo(0x3000);
    t.entered('lock', 0xa, 0x2f00);
    const saved = t.save();
    t.returning('lock', 0x2f00);
    t.switchTo(0x5000);
    t.restore(saved);
    expect([t.current, t.threads(), t.lockset(1)]).toEqual([1, [1], []]);
    t.returning('lock', 0x2f00);
    expect(t.lockset(1)).toEqual([0xa]);
  });
});
