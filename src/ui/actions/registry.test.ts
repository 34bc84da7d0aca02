// Tests of the action registry: debugger key bindings, predicates and the narrow perform context.
import { describe, expect, it } from 'vitest';
import { createAppStore } from '../store/index.ts';
import { actionForKey, actions, getAction } from './registry.ts';
import { formatShortcut, matchesShortcut } from './shortcuts.ts';

const chord = (key: string, mods: { shift?: boolean; ctrl?: boolean; alt?: boolean } = {}) => ({
  key,
  shiftKey: mods.shift ?? false,
  ctrlKey: mods.ctrl ?? false,
  metaKey: false,
  altKey: mods.alt ?? false,
});

function pausedStore() {
  const store = createAppStore();
  store.getState().engineReady({ name: 'faultline-engine', version: '0' });
  store.getState().loadSucceeded({ name: 'k', sha256: '', kind: 'elf', sizeBytes: 1, entry: 0, programs: [], symbolCount: 0, hasLineInfo: false });
  store.getState().applyStatus({ state: 'paused', instructions: 5, mips: 0, runMs: 0, stop: { reason: 'pause', message: '', eip: 0 } });
  return store;
}

describe('action registry', () => {
  it('binds the debugger keys', () => {
    expect(actionForKey(chord('F5'))?.name).toBe('run');
    expect(actionForKey(chord('F5', { shift: true }))?.name).toBe('pause');
    expect(actionForKey(chord('F6'))?.name).toBe('pause');
    expect(actionForKey(chord('F10'))?.name).toBe('stepOver');
    expect(actionForKey(chord('F10', { ctrl: true }))?.name).toBe('runTo');
    expect(actionForKey(chord('F11'))?.name).toBe('stepInto');
    expect(actionForKey(chord('F5', { ctrl: true, shift: true }))?.name).toBe('reset');
    expect(actionForKey(chord('F5', { alt: true }))).toBeUndefined();
    expect(actionForKey(chord('a'))).toBeUndefined();
  });

  it('has unique names and shortcuts', () => {
    expect(new Set(actions.map((a) => a.name)).size).toBe(actions.length);
    const keys = actions.flatMap((a) => a.shortcuts.map(formatShortcut));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('enables stepping only while paused, pausing only while running', () => {
    const store = pausedStore();
    expect(getAction('stepInto').enabled(store.getState())).toBe(true);
    expect(getAction('run').enabled(store.getState())).toBe(true);
    expect(getAction('pause').enabled(store.getState())).toBe(false);
    expect(getAction('runTo').enabled(store.getState())).toBe(false);
    store.getState().setRunToTarget('kernel_main');
    expect(getAction('runTo').enabled(store.getState())).toBe(true);
    store.getState().applyStatus({ state: 'running', instructions: 6, mips: 1, runMs: 0, stop: null });
    expect(getAction('stepInto').enabled(store.getState())).toBe(false);
    expect(getAction('pause').enabled(store.getState())).toBe(true);
  });

  it('performs through the narrow context', () => {
    const store = pausedStore();
    store.getState().setRunToTarget('  0x100000 ');
    const calls: string[] = [];
    const engine = {
      run: () => calls.push('run'),
      pause: () => calls.push('pause'),
      stepInto: () => calls.push('stepInto'),
      stepOver: () => calls.push('stepOver'),
      runTo: (target: string) => calls.push(`runTo ${target}`),
      reset: () => calls.push('reset'),
    };
    const ui = { openFilePicker: () => calls.push('open'), toggleHelp: () => calls.push('help') };
    for (const name of ['stepOver', 'runTo', 'openKernel'] as const) getAction(name).perform({ state: store.getState(), engine, ui });
    expect(calls).toEqual(['stepOver', 'runTo 0x100000', 'open']);
  });

  it('formats and matches shortcuts', () => {
    expect(formatShortcut({ key: 'F5', shift: true })).toBe('Shift+F5');
    expect(formatShortcut({ key: 'o', ctrl: true })).toBe('Ctrl+O');
    expect(matchesShortcut({ ...chord('o'), metaKey: true }, { key: 'o', ctrl: true })).toBe(true);
  });
});
