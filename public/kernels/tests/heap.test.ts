// The correct kernel never touches kernel heap memory it has not allocated. Runs every test in our
// machine while tracking the lmm allocator the way Landslide does (lmm_alloc/lmm_alloc_gen: size is
// argument 2, the block comes back in EAX; lmm_free: block is argument 2) from kernel_main on, and
// checks every kernel-mode access to [_end, 16 MB) made outside the allocator: it must fall inside a
// live block. Also checks that no block is freed twice or freed without having been allocated.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DebugInfo, Machine } from '../../../src/emulator/index.ts';
import { KERNELS_DIR } from './manifest.ts';
import { runShellTests } from './shell-tests.ts';

const USER_MEM_START = 0x1000000;
const TESTS = ['print_basic', 'fork_wait', 'fork_exit_bomb', 'wait_getpid', 'yield_desc_mkrun', 'double_thread_fork',
  'double_wait', 'yield_vanish', 'vanish_vanish', 'remove_new_pages', 'sleep_test', 'thr_exit_join', 'thr_join_exit',
  'mutex_test', 'paradise_lost', 'broadcast_test', 'readline_test'];

describe('kernel heap use of the pebbles kernel', () => {
  it('stays inside allocated blocks while the shell runs tests', () => {
    const image = new Uint8Array(readFileSync(join(KERNELS_DIR, 'pebbles.elf')));
    const info = DebugInfo.fromKernel(image);
    const sym = (name: string) => {
      const address = info.kernel.symbols.address(name);
      if (address === undefined) throw new Error(`${name} is missing`);
      return address;
    };
    const heapStart = sym('_end');
    const kernelMain = sym('kernel_main');
    const allocators = new Set([sym('lmm_alloc'), sym('lmm_alloc_gen')]);
    const lmmFree = sym('lmm_free');

    const machine = Machine.boot(image);
    const cpu = machine.cpu;
    const stackArg = (n: number) => machine.memory.read32((cpu.regs[4] >>> 0) + 4 * n);
    const live = new Map<number, number>();      // block -> size
    const returns = new Map<number, number>();   // return address -> requested size (pending allocations)
    const problems: string[] = [];
    let tracking = false;
    let inAllocator = false;

    const where = (eip: number) => {
      const loc = info.locate(eip);
      return `${loc.name ?? '?'}+${loc.offset} (${loc.file ?? '?'}:${loc.line ?? '?'})`;
    };
    const inLiveBlock = (address: number) => {
      for (const [block, size] of live) if (address >= block && address < block + size) return true;
      return false;
    };
    cpu.memoryObserver = {
      onAccess(linear, _physical, size, isWrite, eip) {
        if (!tracking || inAllocator || cpu.cpl !== 0) return;
        const address = linear >>> 0;
        if (address < heapStart || address >= USER_MEM_START) return;
        if (!inLiveBlock(address) || !inLiveBlock(address + size - 1)) {
          if (problems.length < 10) problems.push(`${isWrite ? 'write to' : 'read from'} ${address.toString(16)} at ${where(eip)}`);
        }
      },
    };
    for (const address of [kernelMain, lmmFree, ...allocators]) cpu.execWatch.add(address);

    const onWatch = (address: number) => {
      if (address === kernelMain) {
        tracking = true;
      } else if (allocators.has(address)) {
        const ret = stackArg(0);
        returns.set(ret, stackArg(2));
        cpu.execWatch.add(ret);
        inAllocator = true;
      } else if (address === lmmFree) {
        const block = stackArg(2);
        if (!live.delete(block)) problems.push(`lmm_free of ${block.toString(16)}, not a live block, from ${where(stackArg(0))}`);
        const ret = stackArg(0);
        returns.set(ret, -1);
        cpu.execWatch.add(ret);
        inAllocator = true;
      } else if (returns.has(address)) {
        const size = returns.get(address) as number;
        if (size >= 0 && cpu.regs[0] !== 0) live.set(cpu.regs[0] >>> 0, size);
        inAllocator = false;
      }
    };

    const budget = 4e9;
    const runUntil = (done: () => boolean) => {
      while (!done() && machine.instructions < budget) {
        const stop = machine.run(budget - machine.instructions);
        if (stop.reason === 'watch') onWatch(stop.address as number);
        else if (stop.reason !== 'limit') throw new Error(`the kernel stopped: ${stop.reason}`);
      }
    };
    expect(runShellTests(machine, TESTS, runUntil)).toEqual(TESTS.map((t) => `${t}: PASS`));
    expect(live.size).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  }, 120_000);
});
