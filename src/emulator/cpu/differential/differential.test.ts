// Quick differential test of the CPU against the host CPU: a fixed-seed sample of cases for every form
// in the catalogue (forms.ts) runs natively and in the emulator, and registers, EFLAGS (minus undefined
// flags), memory and fault status must agree; the privilege-neutral forms also run at CPL 0 (kernel code)
// against the same native results. Long campaigns: `npm run fuzz:cpu -- --count N`.
// Skips with a message where the host cannot build or run 32-bit x86 Linux code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCampaign, type FormResult } from './campaign.ts';
import { EmulatorRunner } from './emulator-runner.ts';
import { privilegeNeutral } from './form.ts';
import { ALL_FORMS } from './forms.ts';
import { KNOWN_FAILING_FORMS } from './known-failures.ts';
import { NativeHarness } from './native-runner.ts';
import { formatMismatch } from './report.ts';

const SEED = 20261204;
const CASES_PER_FORM = 24;
const CPL0_CASES_PER_FORM = 8;

const harness = NativeHarness.build();
const skip = typeof harness === 'string' ? harness : '';
if (skip) console.warn(`CPU differential test skipped: ${skip}`);
afterAll(() => { if (typeof harness !== 'string') harness.dispose(); });

describe.skipIf(skip !== '')('CPU differential test against the host CPU', () => {
  let results: FormResult[] = [];
  beforeAll(() => {
    results = runCampaign({
      forms: ALL_FORMS, seed: SEED, count: CASES_PER_FORM, native: harness as NativeHarness, emulator: new EmulatorRunner(), keepExamples: 1,
    });
  }, 120_000); // a few seconds normally; generous so that a loaded machine does not fail the suite

  it(`covers ${ALL_FORMS.length} instruction forms`, () => {
    expect(results.length).toBe(ALL_FORMS.length);
    expect(results.every((r) => r.cases === CASES_PER_FORM)).toBe(true);
  });

  it('matches the host CPU on every form not listed as a known failure', () => {
    const failures = results.filter((r) => r.mismatches > 0 && !(r.form in KNOWN_FAILING_FORMS));
    const report = failures.map((r) => `${r.form}: ${r.mismatches}/${r.cases} mismatches\n${r.examples.map(formatMismatch).join('\n')}`);
    expect(report.join('\n\n')).toBe('');
  });

  it('matches the host CPU at CPL 0 too, on the privilege-neutral forms', { timeout: 120_000 }, () => {
    const forms = ALL_FORMS.filter(privilegeNeutral);
    const cpl0 = runCampaign({
      forms, seed: SEED + 1, count: CPL0_CASES_PER_FORM, native: harness as NativeHarness, emulator: new EmulatorRunner(0), keepExamples: 1,
    });
    const failures = cpl0.filter((r) => r.mismatches > 0 && !(r.form in KNOWN_FAILING_FORMS));
    expect(failures.map((r) => `${r.form}: ${r.mismatches}/${r.cases}\n${r.examples.map(formatMismatch).join('\n')}`).join('\n\n')).toBe('');
  });

  it('names only existing forms as known failures, and says which of them match again', () => {
    for (const r of results.filter((x) => x.form in KNOWN_FAILING_FORMS)) {
      console.warn(r.mismatches > 0
        ? `known failure ${r.form} (${KNOWN_FAILING_FORMS[r.form]}): ${r.mismatches}/${r.cases} mismatches`
        : `known failure ${r.form} matches in this sample: remove it from known-failures.ts once the fix is confirmed`);
    }
    expect(Object.keys(KNOWN_FAILING_FORMS).filter((name) => !ALL_FORMS.some((f) => f.name === name))).toEqual([]);
  });
});
