// Tests of the store slices (engine phase, log cap, MIPS history, alerts, splits, memory view).
import { describe, expect, it } from 'vitest';
import { createAppStore } from './index.ts';
import { LOG_CAPACITY } from './slices/console-slice.ts';
import { MIPS_HISTORY } from './slices/session-slice.ts';

describe('app store', () => {
  it('tracks the engine phase', () => {
    const store = createAppStore();
    expect(store.getState().engine.phase).toBe('starting');
    store.getState().engineReady({ name: 'faultline-engine', version: '1.0.0' });
    expect(store.getState().engine).toEqual({ phase: 'ready', info: { name: 'faultline-engine', version: '1.0.0' } });
    store.getState().engineCrashed('boom');
    expect(store.getState().engine).toEqual({ phase: 'crashed', error: 'boom' });
  });

  it('caps the kernel log and counts what it dropped', () => {
    const store = createAppStore();
    const lines = Array.from({ length: LOG_CAPACITY + 10 }, (_, i) => ({ source: 'kernel' as const, text: `${i}` }));
    store.getState().appendLog(lines);
    expect(store.getState().log).toHaveLength(LOG_CAPACITY);
    expect(store.getState().log[0].text).toBe('10');
    expect(store.getState().droppedLogLines).toBe(10);
    store.getState().clearLog();
    expect(store.getState().log).toEqual([]);
  });

  it('keeps a bounded MIPS history while running', () => {
    const store = createAppStore();
    for (let i = 0; i < MIPS_HISTORY + 5; i++) {
      store.getState().applyStatus({ state: 'running', instructions: i, mips: i, runMs: 0, stop: null });
    }
    store.getState().applyStatus({ state: 'paused', instructions: 99, mips: 0, runMs: 0, stop: { reason: 'pause', message: 'paused', eip: 0 } });
    const history = store.getState().mipsHistory;
    expect(history).toHaveLength(MIPS_HISTORY);
    expect(history.at(-1)).toBe(MIPS_HISTORY + 4);
    expect(store.getState().status.state).toBe('paused');
  });

  it('clears a load error when a new load starts and keeps the previous image on failure', () => {
    const store = createAppStore();
    const image = { name: 'k', sha256: 'ab', kind: 'elf' as const, sizeBytes: 1, entry: 0x100000, programs: [], symbolCount: 0, hasLineInfo: false };
    store.getState().loadSucceeded(image);
    store.getState().loadStarted('junk.bin');
    store.getState().loadFailed('not an ELF file');
    expect(store.getState().alert).toBe('not an ELF file');
    expect(store.getState().image).toBe(image);
    store.getState().loadSucceeded(image); // an earlier, slower load finishing late keeps the alert
    expect(store.getState().alert).toBe('not an ELF file');
    store.getState().loadStarted('k');
    expect(store.getState().alert).toBeNull();
  });

  it('resizes splits within bounds and ignores unknown splits', () => {
    const store = createAppStore();
    store.getState().initSplit('main', [0.5, 0.5]);
    store.getState().initSplit('main', [0.9, 0.1]); // already known: kept
    store.getState().moveGutter('main', 0, 0.2);
    expect(store.getState().splits.main[0]).toBeCloseTo(0.7);
    store.getState().moveGutter('nope', 0, 0.2);
    expect(store.getState().splits.nope).toBeUndefined();
  });

  it('stores memory results and errors', () => {
    const store = createAppStore();
    store.getState().setMemoryRequest({ space: 'physical', address: 0xb8000, length: 64 });
    store.getState().setMemoryResult({ error: 'no kernel loaded' });
    expect(store.getState().memory).toMatchObject({ request: { space: 'physical', address: 0xb8000 }, dump: null, error: 'no kernel loaded' });
  });
});
