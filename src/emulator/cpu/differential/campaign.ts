// Runs differential cases in chunks: generate (seeded), execute natively and in the emulator, compare.
// Shared by the quick Vitest subset (differential.test.ts) and the long campaigns of `npm run fuzz:cpu`.
import { compareOutcomes } from './compare.ts';
import type { EmulatorRunner } from './emulator-runner.ts';
import type { Form } from './form.ts';
import { generateCases } from './generator.ts';
import type { NativeHarness } from './native-runner.ts';
import type { Mismatch } from './report.ts';

export interface FormResult {
  form: string;
  cases: number;
  mismatches: number;
  /** The first few mismatches, in full. */
  examples: Mismatch[];
}

export interface CampaignOptions {
  forms: readonly Form[];
  seed: number;
  /** Cases per form. */
  count: number;
  native: NativeHarness;
  /** Runs the cases; its CPL must suit the forms (privilegeNeutral forms only at CPL 0). */
  emulator: EmulatorRunner;
  /** Mismatches kept in full per form (default 3). */
  keepExamples?: number;
  /** Called after each form. */
  onForm?: (result: FormResult) => void;
}

const CHUNK = 4096;

export function runCampaign(options: CampaignOptions): FormResult[] {
  const keep = options.keepExamples ?? 3;
  const results: FormResult[] = [];
  for (const form of options.forms) {
    const result: FormResult = { form: form.name, cases: 0, mismatches: 0, examples: [] };
    for (let first = 0; first < options.count; first += CHUNK) {
      const cases = generateCases(form, options.seed, first, Math.min(CHUNK, options.count - first));
      const natives = options.native.run(cases);
      cases.forEach((testCase, i) => {
        const emulated = options.emulator.run(testCase);
        const differences = compareOutcomes(testCase, natives[i], emulated);
        result.cases++;
        if (differences.length === 0) return;
        result.mismatches++;
        if (result.examples.length < keep) result.examples.push({ testCase, seed: options.seed, native: natives[i], emulated, differences });
      });
    }
    options.onForm?.(result);
    results.push(result);
  }
  return results;
}
