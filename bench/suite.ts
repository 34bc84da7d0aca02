// The list of benchmarks `npm run bench` knows. Each returns measures named `<area>.<what>[.<detail>]`.
import { platformBenchmark } from './platform.bench.ts';
import { cpuBenchmark } from './cpu.bench.ts';
import { browserBenchmark } from './browser.bench.ts';
import { explorerBenchmark } from './explorer.bench.ts';
import { completionBenchmark } from './completion.bench.ts';

export interface Measure {
  name: string;
  /** null when the thing measured did not happen (e.g. a bug not found within the time limit). */
  value: number | null;
  unit: string;
  [detail: string]: unknown;
}

export interface Benchmark {
  name: string;
  run(): Promise<Measure[]>;
}

export const benchmarks: Benchmark[] = [platformBenchmark, cpuBenchmark, browserBenchmark, explorerBenchmark, completionBenchmark];
