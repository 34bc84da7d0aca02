// Explorer benchmarks (issue 6): interleavings per second on the correct sample kernel's small tests
// (`explorer.interleavings_per_s.<test>`), and seconds and branches to the first bug on each planted-bug
// kernel (`explorer.seconds_to_bug.<kernel>`), exploring with DPOR under the manifest's test.

import { readFileSync } from 'node:fs';
import { decodeSchedule, ExplorationSession, KernelGuest, replaySchedule } from '../src/explorer/index.ts';
import type { Benchmark, Measure } from './suite.ts';

interface Sample {
  name: string;
  file: string;
  tests: string[];
  testInput?: Record<string, string>;
  bug: { test: string; class: string } | null;
}

const KERNELS = new URL('../public/kernels/', import.meta.url);
const RATE_TESTS = ['fork_wait', 'double_thread_fork', 'thr_exit_join', 'mutex_test'];
const RATE_SECONDS = 5;
const BUG_SECONDS = 120;

function clock(): number {
  return performance.now() / 1000;
}

function session(sample: Sample, test: string, limit: number, stopOnFirstBug: boolean, preemptionBound: number | null) {
  const t0 = clock();
  const guest = new KernelGuest(readFileSync(new URL(sample.file, KERNELS)), { test, input: sample.testInput?.[test] });
  guest.start();
  const setup = clock() - t0;
  const s = new ExplorationSession(guest, { stopOnFirstBug, timeLimitSeconds: limit, preemptionBound }, () => {}, clock);
  while (s.runSlice(0.5));
  return { s, setup, guest };
}

export const explorerBenchmark: Benchmark = {
  name: 'explorer',
  async run(): Promise<Measure[]> {
    const samples = (JSON.parse(readFileSync(new URL('manifest.json', KERNELS), 'utf8')) as { kernels: Sample[] }).kernels;
    const out: Measure[] = [];
    const correct = samples.find((k) => k.name === 'pebbles');
    for (const test of RATE_TESTS.filter((t) => correct?.tests.includes(t))) {
      const { s } = session(correct!, test, RATE_SECONDS, false, null);
      const p = s.progress();
      out.push({ name: `explorer.interleavings_per_s.${test}`, value: Math.round((p.branches / Math.max(1e-6, p.elapsedSeconds)) * 10) / 10,
        unit: 'branches/s', branches: p.branches, complete: p.complete, bugs: p.bugs });
    }
    for (const k of samples.filter((x) => x.bug)) {
      const { s, setup, guest } = session(k, k.bug!.test, BUG_SECONDS, true, 2);
      const bug = s.bugs()[0];
      const replayed = bug ? replaySchedule(guest, decodeSchedule(bug.schedule), 1e9).bug?.class ?? null : null;
      const p = s.progress();
      out.push({ name: `explorer.seconds_to_bug.${k.name}`, value: bug ? Math.round(p.elapsedSeconds * 100) / 100 : -1, unit: 's',
        found: bug ? bug.class : null, expected: k.bug!.class, replays: replayed !== null && replayed === bug?.class, branches: bug ? bug.branch : p.branches, setupSeconds: Math.round(setup * 100) / 100,
        preemptionBound: 2 });
    }
    return out;
  },
};
