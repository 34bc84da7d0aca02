// Data-race preemption points on a kernel (Landslide's DR PPs, Quicksand's data-race probes): the
// test-then-set mutex built without annotations has no preemption point between its test and its set,
// so only a data-race point just before the store to mp->locked reaches the bug. Iterative deepening
// adds that point from the race the full exploration reports, finds the bug, and its schedule names the
// point and replays with it; the same session and budget on a guest without data-race points finds nothing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BugReport } from '../events.ts';
import { Explorer } from '../search/explorer.ts';
import type { Guest } from '../search/guest.ts';
import { replaySchedule } from '../search/replay.ts';
import { decodeSchedule } from '../search/schedule.ts';
import { ExplorationSession } from '../session.ts';
import { plainGuest } from '../testing/plain-guest.ts';
import { KernelGuest } from './kernel-guest.ts';

const image = readFileSync(new URL('../../../public/kernels/bug-mutex-test-then-set-unannotated.elf', import.meta.url));
const TEST = 'double_thread_fork';
/** Branches (probes included) the session may take: enough with data-race points. */
const BUDGET = 300;

/** Runs an iterative-deepening session (bound 2, as the bench) until its first bug or BUDGET branches. */
function hunt(guest: Guest): { bug: BugReport | undefined; branches: number } {
  const session = new ExplorationSession(guest, { iterativeDeepening: true, preemptionBound: 2 }, () => {}, () => 0);
  while (session.bugs().length === 0 && session.progress().branches < BUDGET && session.runSlice(0));
  return { bug: session.bugs()[0], branches: session.progress().branches };
}

describe('data-race preemption points', () => {
  it('iterative deepening finds the unannotated test-then-set mutex through a data-race point, and its schedule replays with it', () => {
    const guest = new KernelGuest(image, { test: TEST });
    const { bug } = hunt(guest);
    expect(bug?.class).toBe('assert');
    expect(bug?.message).toContain('mp->owner == MUTEX_NO_OWNER');
    expect(bug?.node).toBe(-1); // reported by the probe: the full tree has no data-race points
    const schedule = decodeSchedule(bug!.schedule);
    expect(schedule.dataRacePoints.map((a) => guest.locate(a))).toEqual(['mutex_lock+0x32 (kern/mutex.c:47)']);
    const replayed = replaySchedule(new KernelGuest(image, { test: TEST }), schedule, 1e9);
    expect(replayed.bug?.message).toBe(bug!.message);
    expect(replayed.points.filter((p) => p.reason === 'data-race').length).toBeGreaterThan(0);
  }, 120_000);

  it('explores identically from dense and sparse checkpoints with a data-race point, and alongside an exploration without it', () => {
    const guest = new KernelGuest(image, { test: TEST });
    guest.start();
    const store = guest.machine.debug.address('mutex_lock', null)! + 0x32;
    const branches = (e: Explorer) => {
      while (e.runBranch());
      return e.tree.hash();
    };
    const dense = new Explorer(guest, { maxBranches: 4, checkpointInterval: 1, dataRacePoints: [store] });
    const alone = new Explorer(guest, { maxBranches: 4 });
    const expected = [branches(dense), branches(alone)];
    expect(dense.tree.nodes().some((n) => n.reason === 'data-race')).toBe(true);
    // Two explorations sharing the guest branch by branch, each with its own points.
    const sparse = new Explorer(guest, { maxBranches: 4, checkpointInterval: 3, dataRacePoints: [store] });
    const other = new Explorer(guest, { maxBranches: 4 });
    while ([sparse.runBranch(), other.runBranch()].some(Boolean));
    expect([sparse.tree.hash(), other.tree.hash()]).toEqual(expected);
  }, 60_000);

  it('without data-race points the same hunt does not find it', () => {
    const { bug, branches } = hunt(plainGuest(new KernelGuest(image, { test: TEST })));
    expect(bug).toBeUndefined();
    expect(branches).toBeGreaterThanOrEqual(BUDGET);
  }, 120_000);
});
