// Drives the sample kernel's shell in our machine for the tests in this folder: waits for the prompt,
// types each test name (and the input the manifest gives it), and returns the PASS/FAIL lines the tests
// logged. The caller supplies `runUntil`, which runs the machine until a condition holds, so that it can
// watch addresses of its own on the way.

import type { Machine } from '../../../src/emulator/index.ts';
import { manifest } from './manifest.ts';

const PROMPT = '[410-shell]$';

/** Runs `tests` one after another at the shell prompt; returns the logged result lines, in order. */
export function runShellTests(machine: Machine, tests: readonly string[], runUntil: (done: () => boolean) => void): string[] {
  const input = manifest.kernels.find((k) => k.name === 'pebbles')?.testInput ?? {};
  runUntil(() => machine.screen().rows.some((row) => row.startsWith(PROMPT)));
  const results = () => machine.log.filter((e) => e.source === 'user' && /: (PASS|FAIL)/.test(e.text));
  for (const [i, test] of tests.entries()) {
    machine.keyboard.typeText(`${test}\n${input[test] ?? ''}`);
    runUntil(() => results().length > i);
  }
  return results().map((e) => e.text);
}
