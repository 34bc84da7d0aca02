// Long check (not a unit test): boots every sample kernel of public/kernels/manifest.json in our machine
// and runs each test it lists, typed into the shell as a user would; a test passes when the shell reports
// `[NAME exited with status 0]` (the sample shell's format). The kernel area runs the same tests in QEMU.
// Usage: npx tsx src/emulator/machine-kernels-check.ts [kernel-name ...]   (exit status 1 if any fails)

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Machine } from './machine.ts';
import { runWithInput } from './machine-run.ts';

interface ManifestKernel {
  name: string;
  file: string;
  tests?: string[];
}

export interface TestOutcome {
  kernel: string;
  test: string;
  passed: boolean;
  stop: string;
  instructions: number;
  /** The last non-blank screen rows (what the user would look at). */
  tail: string[];
}

/** Lines some sample tests read after they start (readline_test asks the user to type "hello"). */
const FOLLOW_UP_INPUT: Record<string, string> = { readline_test: 'hello\n' };

/** Runs one test of one kernel image from a fresh boot. */
export function runSampleTest(kernel: string, image: Uint8Array, test: string, maxInstructions = 4e9): TestOutcome {
  const machine = Machine.boot(image);
  const stop = runWithInput(machine, { type: `${test}\n${FOLLOW_UP_INPUT[test] ?? ''}`, maxInstructions });
  const rows = machine.screen().rows.map((r) => r.trimEnd()).filter((r) => r !== '');
  return {
    kernel, test, stop: stop.reason, instructions: stop.instructions, tail: rows.slice(-3),
    passed: rows.includes(`[${test} exited with status 0]`),
  };
}

function main(names: string[]): number {
  const root = new URL('../../public/kernels/', import.meta.url);
  const manifest = JSON.parse(readFileSync(new URL('manifest.json', root), 'utf8')) as { kernels: ManifestKernel[] };
  let failures = 0;
  for (const k of manifest.kernels.filter((m) => names.length === 0 || names.includes(m.name))) {
    const image = new Uint8Array(readFileSync(new URL(k.file, root)));
    for (const test of k.tests ?? []) {
      const r = runSampleTest(k.name, image, test);
      if (!r.passed) failures++;
      console.log(`${r.passed ? 'PASS' : 'FAIL'} ${k.name} ${test} (${r.stop} after ${r.instructions})${r.passed ? '' : `: ${r.tail.join(' | ')}`}`);
    }
  }
  return failures === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
