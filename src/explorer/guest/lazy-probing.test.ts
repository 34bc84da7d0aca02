// The unannotated kernel guest probes a point's runnable set only when it is read (lazy-point.ts,
// kernel-guest.ts): a point nobody reads costs no probe, a read after the guest moved on fails, an
// exploration that leaves points unread (preemption sites filtered) explores exactly what it explores
// when every point is read, and a checkpoint reuses the snapshot of the probe where there was one.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Explorer } from '../search/explorer.ts';
import type { Guest, Point } from '../search/guest.ts';
import { pointSite } from '../search/preemption-sites.ts';
import { plainGuest } from '../testing/plain-guest.ts';
import { InferredThreads } from './inferred-threads.ts';
import { KernelGuest } from './kernel-guest.ts';

const image = (name: string) => readFileSync(new URL(`../../../public/kernels/${name}.elf`, import.meta.url));

/** The guest, recording the point of every step, and reading its runnable set at once when `readAll`. */
function recording(guest: KernelGuest, readAll: boolean): { guest: Guest; points: Point[] } {
  const points: Point[] = [];
  const plain = plainGuest(guest);
  const step: Guest['step'] = (tid, budget) => {
    const s = plain.step(tid, budget);
    if (readAll) void s.point.runnable;
    points.push(s.point);
    return s;
  };
  return { guest: { ...plain, step }, points };
}

/** A point's threads as the explorer saw them, or null for a point nobody read (it cannot be read now). */
function seen(point: Point): string | null {
  try {
    return JSON.stringify([point.current, point.runnable, point.live]);
  } catch {
    return null;
  }
}

describe('KernelGuest probing lazily without annotations', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('probes a point where the stepped thread runs on only when its runnable set is read, and refuses a read after moving on', () => {
    const guest = new KernelGuest(image('pebbles-unannotated'), { test: 'fork_wait' });
    const root = guest.start();
    const probes = vi.spyOn(InferredThreads.prototype, 'probe');
    const first = guest.step(root.current, 1e9).point;
    expect(first).toMatchObject({ status: 'running', current: root.current, reason: 'mutex_lock', currentRunnable: true });
    const second = guest.step(first.current, 1e9).point;
    expect(second).toMatchObject({ current: root.current, reason: 'mutex_unlock', currentRunnable: true });
    expect(probes).not.toHaveBeenCalled();
    expect(() => first.runnable).toThrow(/after the guest moved on/);
    expect(second.runnable).toEqual([4, 5]);
    expect(second.live).toEqual([4, 5]);
    expect(probes).toHaveBeenCalledTimes(1);
  }, 60_000);

  it('leaves no trace of a probe: the test runs on to the same transitions and machine state whether its points are read or not', () => {
    const run = (read: boolean) => {
      const guest = new KernelGuest(image('pebbles-unannotated'), { test: 'fork_wait' });
      let point = guest.start();
      const transitions: unknown[] = [];
      while (point.status === 'running') {
        if (read) void point.runnable;
        const step = guest.step(point.current, 1e9);
        const t = step.transition;
        transitions.push([t.tid, t.reads, t.writes, t.freed, t.foreignStacks, t.instructions]);
        point = step.point;
      }
      return { transitions, hash: guest.machine.stateHash() };
    };
    const unread = run(false);
    expect(unread.transitions.length).toBeGreaterThan(10);
    expect(run(true)).toEqual(unread);
  }, 60_000);

  it('checkpoints a probed point from the probe\'s own snapshot and a point no probe ran at (the end of the test) afresh', () => {
    const guest = new KernelGuest(image('pebbles-unannotated'), { test: 'fork_wait' });
    let point = guest.start();
    const atRoot = guest.machine.instructions;
    const root = guest.save();
    while (point.status === 'running') point = guest.step(point.current, 1e9).point;
    expect(point.status).toBe('done');
    const atEnd = guest.machine.instructions;
    const end = guest.save();
    guest.restore(root);
    expect(guest.machine.instructions).toBe(atRoot);
    guest.restore(end);
    expect(guest.machine.instructions).toBe(atEnd);
  }, 60_000);

  it('explores the same tree with fewer probes when the points left out by site are never read, and the points read agree, live threads included', () => {
    const explore = (readAll: boolean) => {
      const guest = new KernelGuest(image('pebbles-unannotated'), { test: 'double_thread_fork' });
      const site = pointSite(guest.start());
      const probes = vi.spyOn(InferredThreads.prototype, 'probe');
      const run = recording(guest, readAll);
      const result = new Explorer(run.guest, { maxBranches: 20, preemptionBound: 2, preemptionSites: [site] }).runToCompletion();
      const count = probes.mock.calls.length;
      probes.mockRestore();
      return { result, probes: count, points: run.points.map(seen) };
    };
    const lazy = explore(false);
    const read = explore(true);
    expect(lazy.result).toEqual(read.result);
    expect(lazy.result.nodes).toBeGreaterThan(10);
    expect(lazy.probes).toBeLessThan(read.probes / 2);
    // A thread a left-out probe would have numbered first is numbered by a later probe, which makes the
    // guest run its journal again: the points read then list it among the live threads as eager probing does.
    const compared = lazy.points.flatMap((p, i) => (p === null ? [] : [[p, read.points[i]]]));
    expect(compared.length).toBeGreaterThan(10);
    for (const [p, q] of compared) expect(p).toBe(q);
  }, 60_000);
});
