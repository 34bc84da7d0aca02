// Platform benchmark: whole-machine snapshot restore time against the number of pages dirtied since the
// snapshot (the explorer restores after every branch, so this must scale with pages written, not RAM).
import { Machine, PAGE_SIZE } from '../src/emulator/index.ts';
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
    return measures;
  },
};
