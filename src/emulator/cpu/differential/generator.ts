// Deterministic case generation: case i of form F under seed S always comes out the same, because each
// case gets its own PRNG seeded from (S, F's name, i). A mismatch report therefore needs only those three.
import { CaseBuilder } from './case-builder.ts';
import type { Form } from './form.ts';
import type { TestCase } from './layout.ts';
import { Prng } from './prng.ts';

function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function generateCase(form: Form, seed: number, index: number): TestCase {
  const rng = new Prng((hashString(form.name) ^ Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0);
  const g = new CaseBuilder(rng);
  form.build(g);
  return g.finish(form.name, index);
}

export function generateCases(form: Form, seed: number, first: number, count: number): TestCase[] {
  const cases: TestCase[] = [];
  for (let i = first; i < first + count; i++) cases.push(generateCase(form, seed, i));
  return cases;
}
