// Explorer benchmarks (issue 6): interleavings per second on the correct sample kernel's small tests
// (`explorer.interleavings_per_s.<test>`), and seconds and branches to the first bug on each planted-bug
// kernel (`explorer.seconds_to_bug.<kernel>`: the first bug of the planted class; value null when not found
// within the limit), exploring with DPOR under the manifest's test (the bug hunts with the session's iterative
// deepening, the rates without it).

import { readFileSync } from 'node:fs';
import { type BugReport, decodeSchedule, ExplorationSession, type ExplorerEvent, KernelGuest, replaySchedule } from '../src/explorer/index.ts';
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

/** Boots the sample at its test and runs an exploration until `until` says stop or the time limit. */
function explore(sample: Sample, test: string, limit: number, preemptionBound: number | null, until: (bug: BugReport) => boolean,
  iterativeDeepening = false) {
  const t0 = clock();
  const guest = new KernelGuest(readFileSync(new URL(sample.file, KERNELS)), { test, input: sample.testInput?.[test] });
  guest.start();
  const setup = clock() - t0;
  let hit: { bug: BugReport; seconds: number } | null = null;
  let s: ExplorationSession | null = null;
  const sink = (batch: ExplorerEvent[]) => {
    for (const e of batch) {
      if (e.kind === 'bug' && hit === null && until(e.bug)) {
        hit = { bug: e.bug, seconds: s!.progress().elapsedSeconds };
      }
    }
  };
  s = new ExplorationSession(guest, { timeLimitSeconds: limit, preemptionBound, iterativeDeepening }, sink, clock);
  // Short slices: events (and so the time of a bug) arrive at the end of a slice.
  while (hit === null && s.runSlice(0.02));
  return { s, setup, guest, hit: hit as { bug: BugReport; seconds: number } | null };
}

export const explorerBenchmark: Benchmark = {
  name: 'explorer',
  async run(): Promise<Measure[]> {
    const samples = (JSON.parse(readFileSync(new URL('manifest.json', KERNELS), 'utf8')) as { kernels: Sample[] }).kernels;
    const out: Measure[] = [];
    const correct = samples.find((k) => k.name === 'pebbles');
    for (const test of RATE_TESTS.filter((t) => correct?.tests.includes(t))) {
      const { s } = explore(correct!, test, RATE_SECONDS, null, () => false);
      const p = s.progress();
      out.push({ name: `explorer.interleavings_per_s.${test}`, value: Math.round((p.branches / Math.max(1e-6, p.elapsedSeconds)) * 10) / 10,
        unit: 'branches/s', branches: p.branches, complete: p.complete, bugs: p.bugs });
    }
    for (const k of samples.filter((x) => x.bug)) {
      // Time to the first bug of the planted class (a race may show other symptoms first).
      const { s, setup, guest, hit } = explore(k, k.bug!.test, BUG_SECONDS, 2, (b) => b.class === k.bug!.class, true);
      const replayed = hit ? replaySchedule(guest, decodeSchedule(hit.bug.schedule), 1e9).bug?.class ?? null : null;
      out.push({ name: `explorer.seconds_to_bug.${k.name}`, value: hit ? Math.round(hit.seconds * 100) / 100 : null, unit: 's',
        found: hit ? hit.bug.class : null, expected: k.bug!.class, replays: hit !== null && replayed === hit.bug.class,
        branches: hit ? hit.bug.branch : s.progress().branches, setupSeconds: Math.round(setup * 100) / 100, preemptionBound: 2,
        iterativeDeepening: true });
    }
    return out;
  },
};
