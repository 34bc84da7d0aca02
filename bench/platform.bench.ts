// Platform benchmark: whole-machine snapshot restore time against the number of pages dirtied since the
// snapshot (the explorer restores after every branch, so this must scale with pages written, not RAM).
import { existsSync, readFileSync } from 'node:fs';
import { Machine, PAGE_SIZE, runWithInput } from '../src/emulator/index.ts';
import type { Benchmark, Measure } from './suite.ts';

const DIRTY_COUNTS = [0, 1, 16, 256, 4096];
const REPEATS = 20;

function dirty(machine: Machine, pages: number, value: number): void {
  // Spread over RAM above 1 MB, as kernel heap and user pages would be.
  for (let i = 0; i < pages; i++) machine.memory.write32(0x100000 + i * 7 * PAGE_SIZE, value + i);
}

export const platformBenchmark: Benchmark = {
  name: 'platform',
  async run(): Promise<Measure[]> {
    const machine = new Machine();
    dirty(machine, 4096, 1);
    const snap = machine.snapshot();
    const measures: Measure[] = [];
    for (const pages of DIRTY_COUNTS) {
      let total = 0;
      for (let r = 0; r < REPEATS; r++) {
        dirty(machine, pages, 1000 + r);
        const t0 = performance.now();
        machine.restore(snap);
        total += performance.now() - t0;
      }
      measures.push({ name: `platform.restore_ms.dirty_${pages}`, value: Number((total / REPEATS).toFixed(4)), unit: 'ms', dirtyPages: pages });
    }
    let snapTotal = 0;
    for (let r = 0; r < REPEATS; r++) {
      dirty(machine, 256, 5000 + r);
      const t0 = performance.now();
      machine.snapshot();
      snapTotal += performance.now() - t0;
    }
    measures.push({ name: 'platform.snapshot_ms.dirty_256', value: Number((snapTotal / REPEATS).toFixed(4)), unit: 'ms', dirtyPages: 256 });
    const t0 = performance.now();
    const hash = machine.stateHash();
    measures.push({ name: 'platform.state_hash_ms', value: Number((performance.now() - t0).toFixed(4)), unit: 'ms', hash });
    measures.push(...sampleKernelMeasures());
    return measures;
  },
};

const SAMPLE = new URL('../public/kernels/pebbles.elf', import.meta.url);

/** Boot to the shell prompt, then a real test's dirty pages and the restore that undoes them. */
function sampleKernelMeasures(): Measure[] {
  if (!existsSync(SAMPLE)) return [];
  const image = new Uint8Array(readFileSync(SAMPLE));
  let t0 = performance.now();
  const machine = Machine.boot(image);
  runWithInput(machine);
  const bootMs = performance.now() - t0;
  const prompt = machine.snapshot();
  machine.keyboard.typeText('fork_wait\n');
  machine.run(20_000_000);
  t0 = performance.now();
  const test = machine.snapshot();
  const snapMs = performance.now() - t0;
  t0 = performance.now();
  machine.restore(prompt);
  const restoreMs = performance.now() - t0;
  return [
    { name: 'platform.pebbles.boot_to_prompt_ms', value: Number(bootMs.toFixed(1)), unit: 'ms', instructions: prompt.instructions },
    { name: 'platform.pebbles.fork_wait_dirty_pages', value: test.memory.ownPages, unit: 'pages' },
    { name: 'platform.pebbles.snapshot_ms', value: Number(snapMs.toFixed(3)), unit: 'ms' },
    { name: 'platform.pebbles.restore_ms', value: Number(restoreMs.toFixed(3)), unit: 'ms' },
  ];
}
