// Robustness fuzz (quick, seeded): random byte streams run from random machine states (paging on/off,
// CPL 0/3, random descriptors, gates and flags) and the CPU must only produce guest outcomes, never a
// host exception or a hang (the runs happen in a child process with a time limit, so a hang fails the
// test instead of freezing it). Long runs: `npm run fuzz:cpu -- --robustness --count N`.
import { describe, expect, it } from 'vitest';
import { KNOWN_ROBUSTNESS_ISSUES } from './differential/known-failures.ts';
import { runRobustnessIsolated } from './differential/robustness-process.ts';

for (const [feature, bug] of Object.entries(KNOWN_ROBUSTNESS_ISSUES)) console.warn(`robustness feature ${feature} off: ${bug}`);

describe('CPU robustness on random code and random system state', () => {
  // A few seconds normally; the child's limit is generous so that a loaded machine is not taken for a hang.
  it('never throws or hangs on the host', { timeout: 120_000 }, () => {
    const summary = runRobustnessIsolated(20261204, 200, { chunk: 200, timeoutMs: 60_000 });
    expect(summary.failures).toEqual([]);
    expect(summary.runs).toBe(200);
    expect(summary.instructions).toBeGreaterThan(200);
  });
});
