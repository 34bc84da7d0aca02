import { describe, expect, it } from 'vitest';
import { guestOptionsFromManifest, kernelConfigProblems } from './kernel-config.ts';

describe('guestOptionsFromManifest', () => {
  it('takes the symbols and conventions and ignores fields of the wrong type', () => {
    expect(guestOptionsFromManifest({
      symbols: { panic: 'kpanic', malloc: 'kmalloc', userArena: 'heap_arena', free: 42, bogus: 'x' },
      config: { idleTid: 0, initTid: 1, shellTid: '3', currentThreadLivesOnRq: false, timerHz: 100 },
    })).toEqual({ symbols: { panic: 'kpanic', malloc: 'kmalloc', userArena: 'heap_arena' }, idleTid: 0, initTid: 1, currentThreadLivesOnRq: false });
    expect(guestOptionsFromManifest({})).toEqual({ symbols: {} });
  });

  it('takes the starting threads, scheduler functions, ignored globals and heap layout', () => {
    expect(guestOptionsFromManifest({ config: {
      startingThreads: [{ tid: 0, onRunqueue: false }, { tid: 1, onRunqueue: true }], schedFunctions: ['switch_*'], ignoreSymbols: ['ticks'],
      userCopyFunctions: ['copy_in'], kernelStackSize: 4096, heapGrain: 16, heapEnd: 0xf00000, idleTicks: 50, startThreads: 1,
    } })).toEqual({ symbols: {}, startingThreads: [{ tid: 0, onRq: false }, { tid: 1, onRq: true }], schedFunctions: ['switch_*'],
      ignoreSymbols: ['ticks'], userCopyFunctions: ['copy_in'], kernelStackSize: 4096, heapGrain: 16, heapEnd: 0xf00000, idleTicks: 50, startThreads: 1 });
  });
});

describe('kernelConfigProblems', () => {
  it('accepts a configuration like the manifest’s', () => {
    expect(kernelConfigProblems({ symbols: { mutexLock: 'mtx_lock' }, config: { idleTid: 0, timerHz: 100, schedFunctions: ['sched_*'] },
      testInput: { readline_test: 'hi\n' } })).toEqual([]);
  });

  it('names every typo and wrong type', () => {
    expect(kernelConfigProblems([])).toEqual(['the configuration must be a JSON object with "symbols", "config" and/or "testInput"']);
    expect(kernelConfigProblems({ symbol: {}, config: [], symbols: { mutex_lock: 'x', panic: 1 }, testInput: { t: 1 } })).toEqual([
      'unknown section "symbol"', '"config" must be an object', expect.stringMatching(/^unknown symbol "mutex_lock" \(known: panic, malloc/),
      'symbol "panic" must name a function or global', 'testInput "t" must be text',
    ]);
    expect(kernelConfigProblems({ config: { idleTID: 1, heapEnd: -1, startingThreads: [{ tid: 1 }] } })).toEqual([
      'unknown config "idleTID"', 'config "heapEnd" has the wrong type', 'config "startingThreads" has the wrong type',
    ]);
  });
});
