// The kernel guest on the real sample kernel: starting a test, determinism of restored versus straight
// runs, schedules that replay to the same final state, and clear errors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Explorer } from '../search/explorer.ts';
import { replaySchedule } from '../search/replay.ts';
import { encodeSchedule } from '../search/schedule.ts';
import { KernelGuest, KernelGuestError } from './kernel-guest.ts';

const PEBBLES = readFileSync(new URL('../../../public/kernels/pebbles.elf', import.meta.url));

describe('KernelGuest', () => {
  const guest = new KernelGuest(PEBBLES, { test: 'fork_wait' });

  it('starts the test at its first own thread, at a preemption point with kernel locations', () => {
    const p = guest.start();
    expect(p.status).toBe('running');
    expect(p.live.length).toBeGreaterThanOrEqual(3);
    expect(p.location).toMatch(/\(kern\/[\w/]+\.c:\d+\)/);
    expect(guest.stack().length).toBeGreaterThan(0);
  }, 30_000);

  it('explores identically from dense and sparse checkpoints, and its schedules replay to the same end', () => {
    const dense = new Explorer(guest, { maxBranches: 4, checkpointInterval: 1 });
    while (dense.runBranch());
    const sparse = new Explorer(guest, { maxBranches: 4, checkpointInterval: 5 });
    while (sparse.runBranch());
    expect(sparse.tree.hash()).toBe(dense.tree.hash());
    const leaf = dense.tree.node(dense.leaf);
    const end = replaySchedule(guest, dense.tree.schedule(leaf.id), 1e9).point;
    expect(end.status).toBe(leaf.status === 'done' || leaf.status === 'bug' ? leaf.status : 'running');
    if (end.status === 'done') expect(dense.result().finalStates).toContain(end.stateHash);
    expect(encodeSchedule(dense.tree.schedule(leaf.id))).toMatch(/^\d/);
  }, 60_000);

  it('refuses an unknown test with the list of programs', () => {
    expect(() => new KernelGuest(PEBBLES, { test: 'no_such_test' })).toThrow(KernelGuestError);
    expect(() => new KernelGuest(PEBBLES, { test: 'no_such_test' })).toThrow(/no test program 'no_such_test' \(its programs: .*fork_wait/);
  });
});
