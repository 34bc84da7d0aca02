// The catalogue of differential-test forms (every instruction form the CPU core must run in 32-bit flat
// user mode), and the name filter used by the fuzz script's `--form` option.
import { aluFamilyForms } from './forms-alu.ts';
import { bitFamilyForms } from './forms-bits.ts';
import { controlForms } from './forms-control.ts';
import { faultForms } from './forms-fault.ts';
import { segmentForms } from './forms-segment.ts';
import { sequenceForms } from './forms-sequence.ts';
import { miscForms } from './forms-misc.ts';
import { stackForms } from './forms-stack.ts';
import { stringForms } from './forms-string.ts';
import type { Form } from './form.ts';

export const ALL_FORMS: readonly Form[] = [
  ...aluFamilyForms(), ...bitFamilyForms(), ...miscForms(), ...controlForms(), ...stackForms(), ...stringForms(),
  ...faultForms(), ...segmentForms(), ...sequenceForms(),
];

{
  const seen = new Set<string>();
  for (const form of ALL_FORMS) {
    if (seen.has(form.name)) throw new Error(`duplicate differential form name ${form.name}`);
    seen.add(form.name);
  }
}

/**
 * Forms selected by a comma-separated filter: each entry matches a form name exactly or as a dotted
 * prefix (`add` selects add.Eb.Gb, add.Ew.Gw, ...; `add.Ew` selects add.Ew.Gw, add.Ew.Iw, add.Ew.Ib).
 */
export function selectForms(filter: string | undefined): Form[] {
  if (!filter) return [...ALL_FORMS];
  const wanted = filter.split(',').map((s) => s.trim()).filter(Boolean);
  const selected = ALL_FORMS.filter((f) => wanted.some((w) => f.name === w || f.name.startsWith(`${w}.`)));
  if (selected.length === 0) throw new Error(`no differential form matches "${filter}"`);
  return selected;
}
