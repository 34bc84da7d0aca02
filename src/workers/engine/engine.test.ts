// Tests of the engine API over a scripted guest: samples, loads and their errors, run-to, typing, memory.
import { describe, expect, it } from 'vitest';
import type { EngineUpdate } from '../protocol.ts';
import { createEngine, imageKind } from './engine.ts';
import { FakeGuest } from './testing/fake-guest.ts';

const MANIFEST = { kernels: [{ name: 'tiny', title: 'Tiny', file: 'tiny/kernel', sources: ['tiny/main.c'] }] };

function setup(boot: (bytes: Uint8Array) => FakeGuest = () => new FakeGuest()) {
  let guest: FakeGuest | null = null;
  const files: Record<string, unknown> = {
    'http://site/kernels/manifest.json': MANIFEST,
    'http://site/kernels/tiny/kernel': '\x7fELF kernel bytes',
    'http://site/kernels/tiny/main.c': 'int main;',
  };
  const updates: EngineUpdate[] = [];
  const engine = createEngine({
    version: '9.9.9',
    boot: (bytes) => (guest = boot(bytes)),
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
  return { engine, updates };
}

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

  it('names image kinds', () => {
    expect(imageKind(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46))).toBe('elf');
    expect(imageKind(Uint8Array.of(0x1f, 0x8b, 8))).toBe('gzip-elf');
    const floppy = new Uint8Array(1440 * 1024);
    floppy[510] = 0x55;
    floppy[511] = 0xaa;
    expect(imageKind(floppy)).toBe('floppy');
  });
});
