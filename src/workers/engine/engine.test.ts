// Tests of the engine API over a scripted guest: samples, loads and their errors, run-to, typing, memory.
import { describe, expect, it } from 'vitest';
import type { EngineUpdate, ExplorationCommand, ExplorationEvent, ExplorationState } from '../protocol.ts';
import { createEngine, imageKind } from './engine.ts';
import type { ExplorationBackend, StartExploration } from './exploration.ts';
import { FakeGuest } from './testing/fake-guest.ts';

/** A scripted exploration: one branch per slice, `branches` in all; records the commands it gets. */
class FakeExploration implements ExplorationBackend {
  state: ExplorationState = 'idle';
  readonly limitations = ["no kernel function 'thread_killed' (symbols.threadKilled): threads the kernel kills for a fault are not reported"];
  readonly commands: ExplorationCommand[] = [];
  private done = 0;

  constructor(private readonly branches: number, private readonly sink: (events: readonly ExplorationEvent[]) => void) {}

  runSlice(): boolean {
    if (this.state === 'idle') this.state = 'running';
    if (this.state !== 'running') return false;
    this.done++;
    const events: ExplorationEvent[] = [{ kind: 'node', id: this.done, parent: 0, tid: 4, depth: 1, reason: 'yield', location: 'f (f.c:1)', current: 4, runnable: [4, 5], status: 'done' }];
    if (this.done === this.branches) {
      this.state = 'finished';
      events.push({ kind: 'state', state: 'finished' });
    }
    this.sink(events);
    return this.state === 'running';
  }

  command(c: ExplorationCommand): void {
    this.commands.push(c);
    if (c.kind === 'pause' && this.state === 'running') this.state = 'paused';
    if (c.kind === 'resume' && this.state === 'paused') this.state = 'running';
    if (c.kind === 'stop') this.state = 'stopped';
  }

  reports() {
    return { json: `{"branches": ${this.done}}`, html: '<html></html>' };
  }
}

const MANIFEST = { kernels: [{ name: 'tiny', title: 'Tiny', file: 'tiny/kernel', sources: ['tiny/main.c'] }] };

function setup(boot: (bytes: Uint8Array) => FakeGuest = () => new FakeGuest(), branches = 3, refuse: string | null = null) {
  let guest: FakeGuest | null = null;
  const explorations: FakeExploration[] = [];
  const explore: StartExploration = (_image, _request, sink) => {
    if (refuse) throw new Error(refuse);
    const e = new FakeExploration(branches, sink);
    explorations.push(e);
    return e;
  };
  const files: Record<string, unknown> = {
    'http://site/kernels/manifest.json': MANIFEST,
    'http://site/kernels/tiny/kernel': '\x7fELF kernel bytes',
    'http://site/kernels/tiny/main.c': 'int main;',
  };
  const updates: EngineUpdate[] = [];
  const engine = createEngine({
    version: '9.9.9',
    boot: (bytes) => (guest = boot(bytes)),
    explore,
    now: () => guest?.clock.now ?? 0,
    pause: () => new Promise((resolve) => setTimeout(resolve, 0)),
    fetch: async (url) => {
      const body = files[url];
      if (body === undefined) return new Response('missing', { status: 404 });
      return new Response(typeof body === 'string' ? body : JSON.stringify(body));
    },
    transfer: (update, _buffers, send) => send(update),
  });
  engine.connect({ baseUrl: 'http://site/' }, (u) => updates.push(u));
  return { engine, updates, explorations };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
const explorationEvents = (updates: EngineUpdate[]) => updates.flatMap((u) => u.exploration ?? []);

describe('engine API', () => {
  it('lists the samples and boots one, with its hash and summary', async () => {
    const { engine } = setup();
    expect(await engine.samples()).toEqual({ ok: true, value: [{ name: 'tiny', title: 'Tiny', description: '', isDefault: true, tests: [] }] });
    const result = await engine.load({ kind: 'sample', name: 'tiny' });
    expect(result).toMatchObject({ ok: true, image: { name: 'tiny', kind: 'elf', programs: ['hello'], entry: 0x1000, hasLineInfo: false } });
    if (result.ok) expect(result.image.sha256).toMatch(/^[0-9a-f]{64}$/);
    engine.pause();
    expect(await engine.sourceText('/build/tiny/main.c')).toBe('int main;');
  });

  it('makes the last load asked for the guest, whichever finishes first', async () => {
    const { engine, updates } = setup();
    const first = engine.load({ kind: 'sample', name: 'tiny' });
    const second = engine.load({ kind: 'file', fileName: 'mine.elf', bytes: new TextEncoder().encode('\x7fELF mine').buffer });
    expect(await first).toEqual({ ok: false, error: 'A newer load replaced this one before it finished.' });
    expect(await second).toMatchObject({ ok: true, image: { name: 'mine.elf' } });
    expect(updates.filter((u) => u.started).map((u) => u.started?.name)).toEqual(['mine.elf']);
  });

  it('explains a bad upload, a missing sample and an empty file', async () => {
    const { engine } = setup(() => {
      throw new Error('The file is not an ELF executable (it starts with 74 68 69 73).');
    });
    expect(await engine.load({ kind: 'file', fileName: 'junk.bin', bytes: new TextEncoder().encode('this').buffer })).toEqual({
      ok: false,
      error: 'junk.bin cannot be booted: The file is not an ELF executable (it starts with 74 68 69 73).',
    });
    expect(await engine.load({ kind: 'sample', name: 'nope' })).toEqual({ ok: false, error: 'There is no sample kernel named nope.' });
    expect(await engine.load({ kind: 'file', fileName: 'empty', bytes: new ArrayBuffer(0) })).toEqual({ ok: false, error: 'empty is empty.' });
  });

  it('resolves run-to targets by symbol or hex address, only while paused', async () => {
    const { engine } = setup();
    expect(engine.runTo('callee')).toEqual({ ok: false, error: 'No kernel is loaded.' });
    await engine.load({ kind: 'sample', name: 'tiny' });
    expect(engine.runTo('callee')).toEqual({ ok: false, error: 'Pause the guest before running to a target.' });
    engine.pause();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(engine.runTo('nowhere')).toEqual({ ok: false, error: 'nowhere is neither a known symbol nor a hexadecimal address.' });
    expect(engine.runTo('0x2001')).toEqual({ ok: true, value: 0x2001 });
  });

  it('refuses text the keyboard cannot type', async () => {
    const { engine } = setup();
    await engine.load({ kind: 'sample', name: 'tiny' });
    expect(engine.typeText('ok\n')).toEqual({ ok: true, value: 3 });
    expect(engine.typeText('é')).toMatchObject({ ok: false });
  });

  it('reads memory page by page, marking what is unmapped', async () => {
    const { engine } = setup();
    await engine.load({ kind: 'sample', name: 'tiny' });
    const linear = engine.readMemory({ space: 'linear', address: 0xff00, length: 0x200 });
    expect(linear.ok && Array.from(linear.value.readable.subarray(0xfe, 0x102))).toEqual([1, 1, 0, 0]);
    const physical = engine.readMemory({ space: 'physical', address: 0x20, length: 4 });
    expect(physical.ok && Array.from(physical.value.bytes)).toEqual([0x20, 0x20, 0x20, 0x20]);
    expect(engine.readMemory({ space: 'physical', address: 0, length: 0 })).toMatchObject({ ok: false });
  });

  it('explores the loaded kernel, streams its events and takes commands', async () => {
    const { engine, updates, explorations } = setup(undefined, 1000);
    expect(await engine.explore({ test: 'hello' })).toEqual({ ok: false, error: 'Load a kernel before exploring it.' });
    expect(engine.exploreCommand({ kind: 'pause' })).toEqual({ ok: false, error: 'No exploration has been started.' });
    await engine.load({ kind: 'sample', name: 'tiny' });
    expect(await engine.explore({ test: 'nope' })).toEqual({ ok: false, error: "tiny has no test program named 'nope' (its programs: hello)." });
    expect(await engine.explore({ test: ' hello ' })).toEqual({ ok: true, value: { test: 'hello', limitations: explorations[0].limitations } });
    await settle();
    expect(engine.exploreCommand({ kind: 'pause' })).toEqual({ ok: true, value: 'paused' });
    const seen = explorationEvents(updates).length;
    expect(seen).toBeGreaterThan(0);
    await settle();
    expect(explorationEvents(updates).length).toBe(seen); // paused: nothing runs
    expect(engine.exploreCommand({ kind: 'goto', node: 2 })).toEqual({ ok: true, value: 'paused' });
    expect(engine.exploreCommand({ kind: 'resume' })).toEqual({ ok: true, value: 'running' });
    await settle();
    expect(explorationEvents(updates).length).toBeGreaterThan(seen);
    expect(explorations[0].commands.map((c) => c.kind)).toEqual(['pause', 'goto', 'resume']);
    expect(engine.explorationReports()).toEqual({ ok: true, value: { json: expect.stringMatching(/"branches": \d+/), html: '<html></html>' } });
    // A new exploration (or a new kernel) stops the old one.
    await engine.explore({ test: 'hello' });
    expect(explorations[0].state).toBe('stopped');
    await engine.load({ kind: 'sample', name: 'tiny' });
    expect(explorations[1].state).toBe('stopped');
  });

  it('runs an exploration to its end', async () => {
    const { engine, updates } = setup();
    await engine.load({ kind: 'sample', name: 'tiny' });
    await engine.explore({ test: 'hello' });
    await settle();
    const events = explorationEvents(updates);
    expect(events.filter((e) => e.kind === 'node')).toHaveLength(3);
    expect(events.at(-1)).toEqual({ kind: 'state', state: 'finished' });
  });

  it('posts only the kinds of exploration events the request asks for', async () => {
    const { engine, updates } = setup();
    await engine.load({ kind: 'sample', name: 'tiny' });
    await engine.explore({ test: 'hello', events: ['state', 'progress', 'bug'] });
    await settle();
    const kinds = new Set(explorationEvents(updates).map((e) => e.kind));
    expect(kinds.has('state')).toBe(true);
    expect(kinds.has('node')).toBe(false);
  });

  it('explains an exploration that cannot start', async () => {
    const { engine } = setup(undefined, 3, 'the kernel has no tell_landslide_thread_switch');
    await engine.load({ kind: 'sample', name: 'tiny' });
    expect(await engine.explore({ test: 'hello' })).toEqual({ ok: false, error: 'hello cannot be explored on tiny: the kernel has no tell_landslide_thread_switch' });
    expect(engine.exploreCommand({ kind: 'stop' })).toMatchObject({ ok: false });
  });

  it('names image kinds', () => {
    expect(imageKind(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46))).toBe('elf');
    expect(imageKind(Uint8Array.of(0x1f, 0x8b, 8))).toBe('gzip-elf');
    const floppy = new Uint8Array(1440 * 1024);
    floppy[510] = 0x55;
    floppy[511] = 0xaa;
    expect(imageKind(floppy)).toBe('floppy');
  });
});
