// The kernel guest on the real sample kernel: starting a test, determinism of restored versus straight
// runs, schedules that replay to the same final state, and clear errors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExplorerEvent } from '../events.ts';
import { Explorer } from '../search/explorer.ts';
import { ExplorationSession } from '../session.ts';
import { replaySchedule } from '../search/replay.ts';
import { encodeSchedule } from '../search/schedule.ts';
import { NO_OBJCOPY, renamedKernel } from '../testing/renamed-kernel.ts';
import { KernelGuest, KernelGuestError, shellExitStatus } from './kernel-guest.ts';

const PEBBLES = readFileSync(new URL('../../../public/kernels/pebbles.elf', import.meta.url));

describe('shellExitStatus', () => {
  it('reads the last exit status the 15-410 shell or the sample shell printed', () => {
    expect(shellExitStatus('[410-shell]$ fork_wait\n\nshell: process 7 finished with exit status -2\n[410-shell]$ ')).toBe(-2);
    expect(shellExitStatus('$ fork_wait\nfork_wait: PASS\n[fork_wait exited with status 0]\n$ ')).toBe(0);
    expect(shellExitStatus('shell: process 5 finished with exit status 3\nshell: process 6 finished with exit status 0\n')).toBe(0);
    expect(shellExitStatus('$ fork_wait\n')).toBeNull();
  });
});

describe('KernelGuest', () => {
  const guest = new KernelGuest(PEBBLES, { test: 'fork_wait' });

  it('starts the test at its first own thread, at a preemption point with kernel locations', () => {
    const p = guest.start();
    expect(p.status).toBe('running');
    expect(p.live.length).toBeGreaterThanOrEqual(2); // the test process and its first own thread
    expect(p.location).toMatch(/\(kern\/[\w/]+\.c:\d+\)/);
    expect(guest.stack().length).toBeGreaterThan(0);
  }, 30_000);

  it('does not stop again where a thread was switched away: back on the CPU, it runs on from that point', () => {
    const { points } = replaySchedule(guest, { choices: [4, 5, 4], dataRacePoints: [] }, 1e9);
    expect(points[1]).toMatchObject({ current: 4, reason: 'mutex_lock', runnable: [4, 5] });
    expect(points[2]).toMatchObject({ current: 5, reason: 'preempt' });
    // TID 4 resumes before the first instruction of the mutex_lock it was preempted at: it takes the
    // lock and goes on to the unlock (stopping there again would offer the same choice once more).
    expect(points[3]).toMatchObject({ current: 4, reason: 'mutex_unlock' });
  }, 30_000);

  it('explores identically from dense and sparse checkpoints, and its schedules replay to the same end', () => {
    const dense = new Explorer(guest, { maxBranches: 4, checkpointInterval: 1, finalStates: true });
    while (dense.runBranch());
    const sparse = new Explorer(guest, { maxBranches: 4, checkpointInterval: 5 });
    while (sparse.runBranch());
    expect(sparse.tree.hash()).toBe(dense.tree.hash());
    const leaf = dense.tree.node(dense.leaf);
    const end = replaySchedule(guest, { choices: dense.tree.schedule(leaf.id), dataRacePoints: [] }, 1e9).point;
    expect(end.status).toBe(leaf.status === 'done' || leaf.status === 'bug' ? leaf.status : 'running');
    if (end.status === 'done') expect(dense.result().finalStates).toContain(end.stateHash);
    expect(encodeSchedule(dense.tree.schedule(leaf.id))).toMatch(/^\d/);
  }, 60_000);

  it('hashes the final state when its point is first read, and refuses once the guest moved on', () => {
    const first = new Explorer(guest, { maxBranches: 1 });
    first.runBranch();
    const schedule = { choices: first.tree.schedule(first.leaf), dataRacePoints: [] };
    const end = replaySchedule(guest, schedule, 1e9).point;
    expect(end.status).toBe('done');
    expect(end.stateHash).toBe(guest.machine.stateHash());
    const again = replaySchedule(guest, schedule, 1e9).point;
    expect(again.status).toBe('done');
    guest.start();
    expect(() => again.stateHash).toThrow(/after the guest moved on/);
    expect(end.stateHash).toMatch(/^[0-9a-f]{32}$/); // read while it stood there: kept
  }, 30_000);

  it('stops only where there is a choice: never where the stepped thread is current and alone runnable', () => {
    let p = guest.start();
    let steps = 0;
    while (p.status === 'running' && steps < 200) {
      const tid = p.runnable.includes(p.current) ? p.current : p.runnable[0];
      p = guest.step(tid, 1e8).point;
      steps++;
      if (p.status === 'running') expect(p.current === tid && p.runnable.length === 1 && p.runnable[0] === tid).toBe(false);
    }
    expect(p.status).toBe('done');
    expect(steps).toBeGreaterThan(1);
  }, 30_000);

  it('reports no race between xchg lock words, nor between a new thread and its creator\'s set-up of it', () => {
    const dtf = new KernelGuest(PEBBLES, { test: 'double_thread_fork' });
    const e = new Explorer(dtf, { maxBranches: 60, preemptionBound: 2 });
    while (e.runBranch());
    const found = e.races.findings();
    expect(found.length).toBeGreaterThan(0);
    const text = (eip: number) => dtf.machine.cpu.disassemble(eip, 1)[0].text;
    expect(found.filter((r) => text(r.first.eip).startsWith('xchg') && text(r.second.eip).startsWith('xchg'))).toEqual([]);
    expect(found.filter((r) => dtf.locate(r.first.eip).startsWith('thread_setup_user'))).toEqual([]);
  }, 60_000);

  it('navigates: go to a node, step by instruction forward and back, then by preemption point', () => {
    const events: ExplorerEvent[] = [];
    const session = new ExplorationSession(guest, { maxBranches: 2 }, (b) => events.push(...b), () => 0);
    while (session.runSlice(1));
    session.command({ kind: 'goto', node: 3 });
    expect(events.at(-1)).toMatchObject({ kind: 'position', node: 3, offset: 0 });
    const start = guest.machine.cpu.eip;
    session.command({ kind: 'step', unit: 'instruction', direction: 'forward', count: 3 });
    expect(events.at(-1)).toMatchObject({ kind: 'position', node: 3, offset: 3 });
    const third = guest.machine.cpu.eip;
    session.command({ kind: 'step', unit: 'instruction', direction: 'backward' });
    expect(events.at(-1)).toMatchObject({ kind: 'position', node: 3, offset: 2 });
    session.command({ kind: 'step', unit: 'instruction', direction: 'forward' });
    expect(guest.machine.cpu.eip).toBe(third);
    expect(third).not.toBe(start);
    session.command({ kind: 'step', unit: 'point', direction: 'forward' });
    expect(events.at(-1)).toMatchObject({ kind: 'position', node: 4 });
    expect(events.some((e) => e.kind === 'state' && e.state === 'error')).toBe(false);
  }, 60_000);

  // A student's kernel may call its readline function anything, and its shell need not be TID 3.
  const renamed = renamedKernel('pebbles', 'readline', 'kbd_get_line');
  it.skipIf(!renamed)(`finds the shell and the end of the test by the readline system call, with no readline symbol or shell TID given${renamed ? '' : NO_OBJCOPY}`, () => {
    const g = new KernelGuest(renamed!, { test: 'fork_wait' });
    expect(g.threadName(3)).toBe('TID 3');
    g.start();
    expect(g.threadName(3)).toBe('TID 3 (shell)'); // the first to call readline at the prompt
    const explorer = new Explorer(g, { maxBranches: 4 });
    while (explorer.runBranch());
    expect(explorer.result()).toMatchObject({ branches: 4, bugs: [] });
    expect(explorer.tree.node(explorer.leaf).status).toBe('done');
  }, 60_000);

  it('reports the test program\'s report_end(END_FAIL) as a test failure, located at its caller', () => {
    // set_status stands in for report_end: vanish_vanish's child calls set_status(1).
    const g = new KernelGuest(PEBBLES, { test: 'vanish_vanish', symbols: { userReportEnd: 'set_status' } });
    const explorer = new Explorer(g, { maxBranches: 3 });
    while (explorer.runBranch());
    const [failure] = explorer.result().bugs;
    expect(failure).toMatchObject({ class: 'test-failure', message: 'User test program reported failure!' });
    expect(failure.location).toMatch(/^main\+0x[0-9a-f]+ \(user\/progs\/vanish_vanish\.c:14\)$/);
  }, 60_000);

  it('says what it cannot see when functions it looks for are missing by name', () => {
    expect(guest.limitations).toEqual([]);
    const g = new KernelGuest(PEBBLES, { test: 'fork_wait', symbols: { panic: 'kpanic', free: 'kfree', threadKilled: 'kill_thread' }, schedFunctions: ['schedule'] });
    expect(g.limitations).toEqual([
      "no kernel function 'kpanic' (symbols.panic): kernel panics and failed asserts go unseen",
      "no kernel function 'kfree' (symbols.free): the kernel heap is not checked (use-after-free, double free)",
      "no kernel function 'kill_thread' (symbols.threadKilled): threads the kernel kills for a fault are not reported",
      'no scheduler function matches config.schedFunctions: the scheduler\'s own accesses count as shared memory (more interleavings to explore, and data races on its globals)',
    ]);
  });

  it('refuses an unknown test with the list of programs', () => {
    expect(() => new KernelGuest(PEBBLES, { test: 'no_such_test' })).toThrow(KernelGuestError);
    expect(() => new KernelGuest(PEBBLES, { test: 'no_such_test' })).toThrow(/no test program 'no_such_test' \(its programs: .*fork_wait/);
  });
});
