// The worker's kernel exploration backend on a bundled sample: a planted bug found through the same
// session the CLI uses, its reports, and clear errors for kernels or tests that cannot be explored.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExplorationEvent } from '../protocol.ts';
import { startKernelExploration } from './kernel-exploration.ts';
import { parseManifest } from './manifest.ts';

const KERNELS = new URL('../../../public/kernels/', import.meta.url);
const samples = parseManifest(JSON.parse(readFileSync(new URL('manifest.json', KERNELS), 'utf8')));

function image(name: string) {
  const sample = samples.find((s) => s.name === name)!;
  return { name, bytes: new Uint8Array(readFileSync(new URL(sample.kernel, KERNELS))), sample };
}

describe('kernel exploration in the worker', () => {
  it('finds the planted use-after-free and reports it', () => {
    const events: ExplorationEvent[] = [];
    let now = 0;
    const backend = startKernelExploration(image('bug-wait-use-after-free'), { test: 'fork_wait', preemptionBound: 2, maxBranches: 20 },
      (batch) => events.push(...batch), () => now++);
    expect(backend.state).toBe('idle');
    while (backend.runSlice(0) && !events.some((e) => e.kind === 'bug'));
    const bug = events.find((e) => e.kind === 'bug');
    expect(bug?.kind === 'bug' && bug.bug).toMatchObject({ class: 'use-after-free', schedule: expect.any(String) });
    expect(events.some((e) => e.kind === 'node')).toBe(true);
    backend.command({ kind: 'stop' });
    expect(backend.state).toBe('stopped');
    const reports = backend.reports();
    expect(JSON.parse(reports.json)).toMatchObject({ test: 'fork_wait', kernel: 'bug-wait-use-after-free', bugs: [{ class: 'use-after-free' }] });
    expect(reports.html).toMatch(/USE AFTER FREE/);
  });

  it('stops at the data-race points the request names as kernel function and offset', () => {
    const events: ExplorationEvent[] = [];
    const backend = startKernelExploration(image('pebbles'), { test: 'fork_wait', preemptionBound: 1, maxBranches: 3, dataRacePoints: ['process_set_status+0x22'] },
      (batch) => events.push(...batch), () => 0);
    while (backend.runSlice(0));
    const stops = events.flatMap((e) => (e.kind === 'node' && e.reason === 'data-race' ? [e.location] : []));
    expect(stops.length).toBeGreaterThan(0);
    expect(stops.every((at) => at.startsWith('process_set_status+0x22 '))).toBe(true);
  });

  it('lays the request\'s kernel configuration over the manifest\'s, and says what is wrong in one', () => {
    const events: ExplorationEvent[] = [];
    // set_status stands in for the test library's report_end: vanish_vanish's child calls set_status(1).
    const backend = startKernelExploration(image('pebbles'), { test: 'vanish_vanish', maxBranches: 3, config: '{"symbols": {"userReportEnd": "set_status"}}' },
      (batch) => events.push(...batch), () => 0);
    while (backend.runSlice(0));
    expect(events.some((e) => e.kind === 'bug' && e.bug.message === 'User test program reported failure!')).toBe(true);
    expect(() => startKernelExploration(image('pebbles'), { test: 'fork_wait', config: '{"symbols": {"mutex_lock": "lock"}}' }, () => {}, () => 0))
      .toThrow(/^The kernel configuration is wrong: unknown symbol "mutex_lock" \(known: panic, /);
    expect(() => startKernelExploration(image('pebbles'), { test: 'fork_wait', config: '{symbols' }, () => {}, () => 0))
      .toThrow(/^The kernel configuration is wrong: it is not JSON/);
  });

  it('says why a kernel cannot be explored', () => {
    expect(() => startKernelExploration(image('pebbles'), { test: 'no_such_test' }, () => {}, () => 0)).toThrow(/no test program 'no_such_test'/);
    expect(() => startKernelExploration(image('pebbles'), { test: 'fork_wait', dataRacePoints: ['no_such_function+0x4'] }, () => {}, () => 0))
      .toThrow("The data-race point 'no_such_function+0x4' is not a kernel instruction: write 0xADDRESS or FUNCTION+0xOFFSET.");
  });
});
