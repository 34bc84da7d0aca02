import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AccessRecorder, type ThreadId, type TransitionSummary } from '../model/transition.ts';
import { replaySchedule } from '../search/replay.ts';
import { KernelGuest } from './kernel-guest.ts';
import { TOO_MANY_YIELDS, YieldLoops } from './yield-loops.ts';

function transition(tid: ThreadId, reads: number[], writes: number[] = []): TransitionSummary {
  const r = new AccessRecorder();
  for (const a of reads) r.access(a, 4, false, 0);
  for (const a of writes) r.access(a, 4, true, 0);
  return r.finish(tid, 10);
}

function spin(loops: YieldLoops, tid: ThreadId, times: number, reads = [0x100], writes: number[] = []): void {
  for (let i = 0; i < times; i++) loops.transition(transition(tid, reads, writes), true);
}

describe('YieldLoops', () => {
  it('leaves a thread out after too many yields in a row, until another thread writes what it read', () => {
    const loops = new YieldLoops();
    spin(loops, 3, TOO_MANY_YIELDS - 1);
    expect(loops.offered([3, 4])).toEqual([3, 4]);
    expect(loops.active).toBe(false);
    spin(loops, 3, 1, [0x100], [0x100]); // its own writes do not end its wait
    expect(loops.spinning(3)).toBe(true);
    expect(loops.active).toBe(true);
    expect(loops.offered([3, 4])).toEqual([4]);
    loops.transition(transition(4, [0x100], [0x200]), false); // unrelated work
    expect(loops.offered([3, 4])).toEqual([4]);
    loops.transition(transition(4, [], [0x100]), false);
    expect(loops.offered([3, 4])).toEqual([3, 4]);
  });

  it('offers every thread when only spinning ones could run, and forgets a thread that stops yielding', () => {
    const loops = new YieldLoops();
    spin(loops, 3, TOO_MANY_YIELDS);
    expect(loops.offered([3])).toEqual([3]);
    loops.transition(transition(3, [0x100]), false); // may be the other half of a round
    expect(loops.spinning(3)).toBe(true);
    loops.transition(transition(3, [0x100]), false); // two without a yield: out of the loop
    expect(loops.spinning(3)).toBe(false);
  });

  it('counts a loop whose rounds take two transitions, a yield and one that writes the same each round', () => {
    const loops = new YieldLoops();
    for (let i = 0; i < TOO_MANY_YIELDS; i++) {
      expect(loops.spinning(3)).toBe(false);
      loops.transition(transition(3, [0x100]), true);
      loops.transition(transition(3, [0x104], [0x200]), false);
    }
    expect(loops.spinning(3)).toBe(true);
    loops.transition(transition(4, [], [0x104]), false); // what it read between its yields changed
    expect(loops.spinning(3)).toBe(false);
    spin(loops, 3, TOO_MANY_YIELDS);
    loops.transition(transition(3, [0x104], [0x200]), false);
    expect(loops.spinning(3)).toBe(true);
    loops.transition(transition(3, [0x100]), true);
    loops.transition(transition(3, [0x104], [0x300]), false); // writes something new: out of the loop
    expect(loops.spinning(3)).toBe(false);
  });

  it('saves and restores its state', () => {
    const loops = new YieldLoops();
    spin(loops, 5, TOO_MANY_YIELDS);
    const saved = loops.save();
    loops.transition(transition(6, [], [0x100]), false);
    expect(loops.spinning(5)).toBe(false);
    loops.restore(saved);
    expect(loops.spinning(5)).toBe(true);
  });
});

describe('yield loops in a kernel', () => {
  it('stop offering the waiter of vanish_vanish that spins on yield while its child is kept from exiting', () => {
    const guest = new KernelGuest(readFileSync(new URL('../../../public/kernels/pebbles.elf', import.meta.url)), { test: 'vanish_vanish' });
    // TID 4 vanishes; the shell (TID 3) waits for it by yielding to it, and the schedule keeps choosing the shell.
    const unfair = [...Array<number>(25).fill(4), 2, 3, ...Array<number>(40).fill(3)];
    // Its mutex operations end at choice 28; from then on every choice of TID 3 ends in a yield to TID 4.
    expect(() => replaySchedule(guest, { choices: unfair, dataRacePoints: [] })).toThrow(`choice ${28 + TOO_MANY_YIELDS} of the schedule is TID 3, but the runnable threads there are [2, 4, 5]`);
    const { points } = replaySchedule(guest, { choices: unfair.slice(0, 28 + TOO_MANY_YIELDS - 1), dataRacePoints: [] });
    expect(points.at(-1)).toMatchObject({ current: 4, reason: 'switch', runnable: [2, 3, 4, 5] });
  });
});
