import { describe, expect, it } from 'vitest';
import { guestOptionsFromManifest } from './kernel-config.ts';

describe('guestOptionsFromManifest', () => {
  it('takes the symbols and thread conventions and ignores fields of the wrong type', () => {
    expect(guestOptionsFromManifest({
      symbols: { panic: 'kpanic', malloc: 'kmalloc', userArena: 'heap_arena', free: 42, bogus: 'x' },
      config: { idleTid: 0, initTid: 1, shellTid: '3', currentThreadLivesOnRq: false, timerHz: 100 },
    })).toEqual({ symbols: { panic: 'kpanic', malloc: 'kmalloc', userArena: 'heap_arena' }, idleTid: 0, initTid: 1, currentThreadLivesOnRq: false });
    expect(guestOptionsFromManifest({})).toEqual({ symbols: {} });
  });
});
