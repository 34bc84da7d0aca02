// The kernel guest on sample kernels built without annotations (ANNOTATE=0): it follows their threads by
// inference, explores a test to completion with no bug on the correct kernel, finds planted bugs
// (use-after-free, mutex-cycle deadlock, no runnable thread) whose schedules replay, and is deterministic.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExplorerEvent } from '../events.ts';
import { Explorer } from '../search/explorer.ts';
import { replaySchedule } from '../search/replay.ts';
import { decodeSchedule } from '../search/schedule.ts';
import { ExplorationSession } from '../session.ts';
import { NO_OBJCOPY, renamedKernel } from '../testing/renamed-kernel.ts';
import { KernelGuest } from './kernel-guest.ts';

const image = (name: string) => readFileSync(new URL(`../../../public/kernels/${name}.elf`, import.meta.url));

describe('KernelGuest without annotations', () => {
  it('follows the unannotated kernel: the test starts with its process and child runnable, and fork_wait explores to completion with no bug', () => {
    const guest = new KernelGuest(image('pebbles-unannotated'), { test: 'fork_wait' });
    expect(guest.mode).toBe('inferred');
    const root = guest.start();
    expect(root).toMatchObject({ status: 'running', runnable: [4, 5], live: [4, 5] });
    expect(guest.threadName(2)).toBe('TID 2 (shell)');
    const explorer = new Explorer(guest, { preemptionBound: 1, finalStates: true });
    while (explorer.runBranch());
    const r = explorer.result();
    expect(r.complete).toBe(true);
    expect(r.bugs).toEqual([]);
    expect(r.branches).toBeGreaterThan(1);
    expect(r.finalStates.length).toBeGreaterThan(0);
  }, 60_000);

  // A student's kernel may call its readline function anything: this one is renamed in the symbol table.
  const renamed = renamedKernel('pebbles-unannotated', 'readline', 'kbd_get_line');
  it.skipIf(!renamed)(`needs no kernel function named readline: the shell, and the end of the test, are its readline system calls${renamed ? '' : NO_OBJCOPY}`, () => {
    const guest = new KernelGuest(renamed!, { test: 'fork_wait' });
    guest.start();
    expect(guest.threadName(2)).toBe('TID 2 (shell)');
    const explorer = new Explorer(guest, { preemptionBound: 1, maxBranches: 6 });
    while (explorer.runBranch());
    expect(explorer.result()).toMatchObject({ branches: 6, bugs: [] });
    expect(explorer.tree.node(explorer.leaf).status).toBe('done');
  }, 60_000);

  it('explores identically from dense and sparse checkpoints (probes and switches replay exactly)', () => {
    const guest = new KernelGuest(image('pebbles-unannotated'), { test: 'fork_wait' });
    const dense = new Explorer(guest, { maxBranches: 4, checkpointInterval: 1 });
    while (dense.runBranch());
    const sparse = new Explorer(guest, { maxBranches: 4, checkpointInterval: 7 });
    while (sparse.runBranch());
    expect(sparse.tree.hash()).toBe(dense.tree.hash());
  }, 60_000);

  it('navigates like the annotated guest: go to a node, step by instruction back and forth, then by preemption point', () => {
    const guest = new KernelGuest(image('pebbles-unannotated'), { test: 'fork_wait' });
    const events: ExplorerEvent[] = [];
    const session = new ExplorationSession(guest, { maxBranches: 2 }, (b) => events.push(...b), () => 0);
    while (session.runSlice(1));
    session.command({ kind: 'goto', node: 3 });
    session.command({ kind: 'step', unit: 'instruction', direction: 'forward', count: 3 });
    const third = guest.machine.cpu.eip;
    session.command({ kind: 'step', unit: 'instruction', direction: 'backward' });
    session.command({ kind: 'step', unit: 'instruction', direction: 'forward' });
    expect(guest.machine.cpu.eip).toBe(third);
    session.command({ kind: 'step', unit: 'point', direction: 'forward' });
    expect(events.at(-1)).toMatchObject({ kind: 'position', node: 4 });
    expect(events.some((e) => e.kind === 'state' && e.state === 'error')).toBe(false);
  }, 60_000);

  it('finds the planted use-after-free of bug-wait-use-after-free-unannotated, and its schedule replays it', () => {
    const guest = new KernelGuest(image('bug-wait-use-after-free-unannotated'), { test: 'fork_wait' });
    const explorer = new Explorer(guest, { preemptionBound: 1 });
    while (explorer.runBranch());
    const found = explorer.result().bugs.find((b) => b.class === 'use-after-free');
    expect(found?.message).toMatch(/^USE AFTER FREE/);
    const replayed = replaySchedule(guest, decodeSchedule(found!.schedule), 1e9);
    expect(replayed.bug?.class).toBe('use-after-free');
    expect(replayed.bug?.message).toBe(found!.message);
  }, 60_000);

  // The kernel page fault is found as it is delivered, so this kernel's handler needs no name.
  const noHandlerName = renamedKernel('bug-wait-drops-lock-unannotated', 'page_fault_wrapper', 'pf_entry');
  it.skipIf(!noHandlerName)(`reports the NULL dereference of bug-wait-drops-lock-unannotated as a kernel page fault, with no page fault handler named${noHandlerName ? '' : NO_OBJCOPY}`, () => {
    const guest = new KernelGuest(noHandlerName!, { test: 'double_wait' });
    const explorer = new Explorer(guest, { preemptionBound: 1, stopOnFirstBug: true });
    while (explorer.runBranch());
    const [found] = explorer.result().bugs;
    expect(found).toMatchObject({ class: 'kernel-page-fault', message: expect.stringMatching(/^Kernel page faulted! Faulting eip: 0x[0-9a-f]+; address: 0x30$/) });
    expect(found.location).toMatch(/^process_wait\+0x[0-9a-f]+ \(kern\/process\.c:\d+\)$/);
    expect(replaySchedule(guest, decodeSchedule(found.schedule), 1e9).bug).toMatchObject({ class: 'kernel-page-fault', message: found.message });
  }, 60_000);

  it('reports the lock-order inversion of bug-lock-order-unannotated as a mutex cycle (locksets by symbol)', () => {
    const guest = new KernelGuest(image('bug-lock-order-unannotated'), { test: 'fork_exit_bomb' });
    // A schedule the exploration finds: the parent preempted once, after which its first child runs into the cycle as it vanishes.
    const replayed = replaySchedule(guest, decodeSchedule('4*18.5*17'), 1e9);
    expect(replayed.bug).toMatchObject({ class: 'deadlock', message: expect.stringMatching(/^KERNEL DEADLOCK! \((4 -> 5 -> 4|5 -> 4 -> 5)\)$/) });
  }, 60_000);

  it('reports the lost wake-up of bug-lost-wakeup-unannotated as a deadlock: the kernel idles and no probe finds a runnable thread', () => {
    const guest = new KernelGuest(image('bug-lost-wakeup-unannotated'), { test: 'yield_desc_mkrun' });
    // A schedule the exploration finds: the child preempted at the exit of mutex_unlock in deschedule.
    const replayed = replaySchedule(guest, decodeSchedule('4.5*4.4*7.5*9.4'), 1e9);
    expect(replayed.point).toMatchObject({ status: 'running', reason: 'hlt', runnable: [], live: [4, 5] });
    expect(replayed.bug).toMatchObject({ class: 'deadlock', message: 'Deadlock -- no threads are runnable! (blocked: TID 4, TID 5)' });
  }, 60_000);
});
