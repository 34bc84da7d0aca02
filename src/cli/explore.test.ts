import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { duration, explore } from './explore.ts';
import { replay } from './replay.ts';

async function run(fn: typeof explore, args: string[]) {
  let out = '';
  let err = '';
  const code = await fn(args, (s) => { out += s; }, (s) => { err += s; });
  return { code, out, err };
}

describe('duration', () => {
  it('rounds once, so no field reads 60', () => {
    expect([duration(59.6), duration(119.7), duration(3599.6), duration(7500), duration(Infinity)]).toEqual(['1m00s', '2m00s', '1h00m', '2h05m', '?']);
  });
});

describe('faultline explore / replay', () => {
  it('exits 2 with a clear message on bad usage', async () => {
    expect(await run(explore, ['pebbles'])).toMatchObject({ code: 2, err: expect.stringContaining('--test NAME is required') });
    expect(await run(explore, ['pebbles', '--test', 'fork_wait', '--mode', 'bfs'])).toMatchObject({ code: 2, err: expect.stringContaining('--mode must be dpor or dfs') });
    expect(await run(explore, ['pebbles', '--test', 'fork_wait', '--time', 'soon'])).toMatchObject({ code: 2, err: expect.stringContaining("bad duration 'soon'") });
    expect(await run(explore, ['no-such-kernel', '--test', 'x'])).toMatchObject({ code: 2, err: expect.stringContaining("no kernel 'no-such-kernel'") });
    expect(await run(replay, ['pebbles', '--test', 'fork_wait', '--schedule', '3*x'])).toMatchObject({ code: 2, err: expect.stringContaining("bad schedule group '3*x'") });
  });

  it('exits 2 for images it cannot explore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-explore-'));
    writeFileSync(join(dir, 'garbage.elf'), 'garbage\n');
    expect(await run(explore, [join(dir, 'garbage.elf'), '--test', 'fork_wait'])).toMatchObject({ code: 2, err: expect.stringContaining('not a kernel image') });
  }, 30_000);

  it('explores an unannotated kernel file to completion, saying it infers the threads', async () => {
    const file = fileURLToPath(new URL('../../public/kernels/pebbles-unannotated.elf', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'faultline-explore-'));
    const r = await run(explore, [file, '--test', 'fork_wait', '--preemption-bound', '1', '--json', join(dir, 'r.json')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'))).toMatchObject({ complete: true, bugs: [], threads: 'inferred' });
    expect(r.err).toContain('no tell_landslide_* annotations: following the kernel\'s threads by their kernel stacks');
    expect(r.out).toMatch(/^COMPLETE: \d+ interleavings tested, 0 bugs found/);
    const annotated = await run(explore, ['pebbles', '--test', 'fork_wait', '--max-branches', '1']);
    expect(annotated.err).toContain('through its tell_landslide_* annotations');
  }, 60_000);

  it('explores a few branches, writes the JSON and HTML reports, and exits 0 without a bug', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-explore-'));
    const r = await run(explore, ['pebbles', '--test', 'fork_wait', '--max-branches', '3', '--json', join(dir, 'r.json'), '--html', join(dir, 'r.html')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^STOPPED: 3 interleavings tested, 0 bugs found/);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(report).toMatchObject({ test: 'fork_wait', branches: 3, complete: false, bugs: [], threads: 'annotated' });
    expect(report.estimate.branches).toBeGreaterThanOrEqual(3);
    expect(typeof report.elapsedSeconds).toBe('number');
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('Distinct interleavings tested');
  }, 60_000);

  it('stops at the first bug with --stop-on-first-bug, as Landslide does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-explore-'));
    const r = await run(explore, ['bug-wait-use-after-free', '--test', 'fork_wait', '--preemption-bound', '2', '--stop-on-first-bug', '--json', join(dir, 'r.json')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^STOPPED: \d+ interleavings tested, 1 bug found/);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(report).toMatchObject({ complete: false, bugs: [{ class: 'use-after-free' }] });
    expect(report.branches).toBe(report.bugs[0].branch); // the full exploration found it; nothing ran after
  }, 60_000);

  it('finds the keyboard race (keys delivered as choices) and replays its schedule with the assertion', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-explore-'));
    const r = await run(explore, ['bug-keyboard-race', '--test', 'readline_test', '--preemption-bound', '2', '--json', join(dir, 'r.json')]);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    const found = report.bugs.find((b: { class: string }) => b.class === 'assert');
    expect(found.schedule).toMatch(/\.k/);
    const replayed = await run(replay, ['bug-keyboard-race', '--test', 'readline_test', '--schedule', found.schedule, '--trace']);
    expect(replayed.code).toBe(1);
    expect(replayed.out).toContain("BUG (assert): KERNEL PANIC: failed assertion `kb.count == (int)(kb.head - kb.tail)'");
    expect(replayed.out).toContain('keyboard (IRQ 1) --> TID 4 (preempt) at kbd_getchar');
  }, 60_000);

  it('finds a deep bug much sooner with iterative deepening, the default', async () => {
    const args = ['bug-lock-order', '--test', 'fork_exit_bomb', '--preemption-bound', '2', '--max-branches', '120'];
    const plain = await run(explore, [...args, '--no-iterative-deepening']);
    expect(plain.code).toBe(0); // the full search alone needs about a thousand branches to reach it
    const deepening = await run(explore, args);
    expect(deepening.code).toBe(1);
    expect(deepening.out).toMatch(/deadlock: KERNEL DEADLOCK/);
    expect(await run(explore, [...args, '--iterative-deepening', '--no-iterative-deepening'])).toMatchObject({ code: 2, err: expect.stringContaining('not both') });
  }, 60_000);

  it('replays a schedule with the data-race points it names, and not without them; a data-race point must name kernel code', async () => {
    const args = ['bug-mutex-test-then-set-unannotated', '--test', 'double_thread_fork', '--schedule'];
    const found = await run(replay, [...args, 'dr=0x1034a5:4*40.5*6.6*8.5', '--trace']);
    expect(found).toMatchObject({ code: 1, out: expect.stringContaining("failed assertion `mp->owner == MUTEX_NO_OWNER'") });
    expect(found.out).toMatch(/--> TID 4 \(data-race\) at mutex_lock\+0x32 \(kern\/mutex.c:47\)/);
    expect(await run(replay, [...args, '4*40.5*6.6*8.5'])).toMatchObject({ code: 2, err: expect.stringContaining('choice 30 of the schedule is TID 4') });
    const bad = await run(explore, ['pebbles', '--test', 'fork_wait', '--data-race-point', 'no_such_function+0x4']);
    expect(bad).toMatchObject({ code: 2, err: expect.stringContaining("--data-race-point needs 0xADDRESS or FUNCTION+0xOFFSET of the kernel, got 'no_such_function+0x4'") });
  }, 60_000);

  it('reads a kernel configuration file over the manifest, and names what is wrong in one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-config-'));
    writeFileSync(join(dir, 'typo.json'), JSON.stringify({ symbols: { mutex_lock: 'mutex_lock' } }));
    const typo = await run(explore, ['pebbles', '--test', 'fork_wait', '--config', join(dir, 'typo.json')]);
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/typo\.json is wrong: unknown symbol "mutex_lock" \(known: panic, /);
    // Naming no allocator turns heap tracking off: the planted use-after-free goes unseen.
    writeFileSync(join(dir, 'no-heap.json'), JSON.stringify({ symbols: { malloc: 'none', mallocGen: 'none', free: 'none' } }));
    const args = ['bug-wait-use-after-free', '--test', 'fork_wait', '--preemption-bound', '2', '--max-branches', '4', '--no-iterative-deepening', '--json', join(dir, 'r.json')];
    await run(explore, args);
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).bugs.map((b: { class: string }) => b.class)).toContain('use-after-free');
    const noHeap = await run(explore, [...args, '--config', join(dir, 'no-heap.json')]);
    expect(noHeap.err).toContain("note: no kernel function 'none' (symbols.malloc) and 'none' (symbols.free): the kernel heap is not checked");
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).bugs.map((b: { class: string }) => b.class)).not.toContain('use-after-free');
  }, 60_000);
});
