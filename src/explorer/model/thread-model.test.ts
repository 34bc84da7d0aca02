import { describe, expect, it } from 'vitest';
import { AnnotationError, ThreadModel } from './thread-model.ts';

function pathos(): ThreadModel {
  // Landslide's pathos configuration: idle=1, init=2, shell=3; starting_threads 2 0, 1 1, 3 1.
  const m = new ThreadModel({ startingThreads: [{ tid: 2, onRq: false }, { tid: 1, onRq: true }, { tid: 3, onRq: true }], currentThreadLivesOnRq: true, idleTid: 1 });
  m.schedInitDone(3);
  return m;
}

describe('ThreadModel', () => {
  it('ignores lifecycle annotations before sched_init_done', () => {
    const m = new ThreadModel({ startingThreads: [], currentThreadLivesOnRq: true });
    m.threadSwitch(9);
    m.threadOnRq(9);
    expect(m.threads()).toEqual([]);
    expect(m.initialised).toBe(false);
  });

  it('creates forked threads at thread_on_rq and removes vanished ones at the next switch', () => {
    const m = pathos();
    expect(m.runnable()).toEqual([3]);
    m.forking();
    m.threadOnRq(4);
    expect(m.runnable()).toEqual([3, 4]);
    m.threadSwitch(4);
    m.vanishing();
    m.threadOffRq(4);
    m.threadSwitch(3);
    expect(m.has(4)).toBe(false);
    expect(m.current).toBe(3);
  });

  it('moves sleepers to the sleep queue at the switch and wakes them on the runqueue', () => {
    const m = pathos();
    m.sleeping();
    m.threadOffRq(3);
    m.threadSwitch(1);
    expect(m.asleep()).toEqual([3]);
    expect(m.runnable()).toEqual([]);
    m.threadOnRq(3);
    expect(m.runnable()).toEqual([3]);
  });

  it('keeps the running thread off the runqueue when CURRENT_THREAD_LIVES_ON_RQ=0', () => {
    const m = new ThreadModel({ startingThreads: [{ tid: 1, onRq: true }, { tid: 2, onRq: true }], currentThreadLivesOnRq: false });
    m.schedInitDone();
    m.threadOffRq(1);
    m.threadSwitch(1);
    expect(m.runnable()).toEqual([1, 2]);
    m.threadOffRq(2);
    m.threadSwitch(2);
    expect(m.view().find((a) => a.tid === 1)?.queue).toBe('dq');
  });

  it('names the call and the thread for inconsistent annotations', () => {
    const m = pathos();
    expect(() => m.threadOnRq(3)).toThrow(new AnnotationError('tell_landslide_thread_on_rq(3) in TID 3: TID 3 is already on the runqueue (probably incorrect annotations?)'));
    expect(() => m.threadSwitch(7)).toThrow(/tell_landslide_thread_switch\(7\) in TID 3: TID 7 is unknown; did you forget to tell_landslide_forking\(\)\?/);
    expect(() => m.threadOffRq(2)).toThrow(/TID 2 is not on the runqueue \(it is descheduled\)/);
    m.forking();
    expect(() => m.vanishing()).toThrow(/tell_landslide_vanishing\(\) in TID 3: a fork is still in flight/);
    expect(() => m.mutexUnlocking(0x1234)).toThrow(/tell_landslide_mutex_unlocking\(0x1234\) in TID 3: TID 3 does not hold mutex 0x1234/);
  });

  it('tracks locksets through lock, trylock and unlock', () => {
    const m = pathos();
    m.mutexLocking(0x100);
    m.mutexLockingDone(0x100);
    m.mutexTrylocking(0x200);
    m.mutexTrylockingDone(0x200, false);
    expect(m.lockset(3)).toEqual([0x100]);
    m.mutexUnlocking(0x100);
    expect(m.inUnlock).toBe(true);
    m.mutexUnlockingDone();
    expect(m.lockset(3)).toEqual([]);
  });

  it('finds a kernel mutex cycle through mutex_blocking and re-points contenders at the new owner', () => {
    const m = pathos();
    m.forking();
    m.threadOnRq(4);
    m.forking();
    m.threadOnRq(5);
    m.mutexLocking(0xa); // TID 3 takes A
    m.mutexLockingDone(0xa);
    m.threadSwitch(4);
    m.mutexLocking(0xb); // TID 4 takes B
    m.mutexLockingDone(0xb);
    m.mutexLocking(0xa);
    expect(m.mutexBlocking(3)).toBeNull(); // 4 waits for 3
    expect(m.runnable()).toEqual([3, 5]);
    m.threadSwitch(3);
    m.mutexLocking(0xb);
    expect(m.mutexBlocking(4)).toEqual([3, 4, 3]);
  });

  it('saves and restores its whole state', () => {
    const m = pathos();
    const saved = m.save();
    m.forking();
    m.threadOnRq(4);
    m.restore(saved);
    expect(m.threads()).toEqual([1, 2, 3]);
    m.forking();
    m.threadOnRq(4);
    expect(m.threads()).toEqual([1, 2, 3, 4]);
  });
});
