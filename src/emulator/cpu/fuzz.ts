// `npm run fuzz:cpu -- [--count N] [--seed S] [--form NAME[,NAME...]] [--shard K/N] [--cpl 3|0] [--robustness]
//   [--show N]`
// Long CPU verification campaigns. Default mode: differential test against the host CPU, N cases per form
// (default 10,000) for every form (or those selected by --form, see differential/forms.ts; --shard K/N
// keeps every N-th of them starting at K, to split a campaign over processes; --cpl 0 runs the emulator
// side as kernel code, on the privilege-neutral forms only); prints per-form
// case and mismatch counts and the first mismatches in full; exit status 1 on any mismatch outside
// differential/known-failures.ts. With --robustness: N random byte streams (default 10,000) executed from
// random machine states (paging on/off, CPL 0/3, random descriptors); any host exception or hang is a
// failure (exit status 1). Bad arguments: a one-line message and exit status 2.
import { parseArgs } from 'node:util';
import { runCampaign, type FormResult } from './differential/campaign.ts';
import { EmulatorRunner } from './differential/emulator-runner.ts';
import { privilegeNeutral, type Form } from './differential/form.ts';
import { selectForms } from './differential/forms.ts';
import { KNOWN_FAILING_FORMS, KNOWN_ROBUSTNESS_ISSUES } from './differential/known-failures.ts';
import { NativeHarness } from './differential/native-runner.ts';
import { formatMismatch } from './differential/report.ts';
import { runRobustnessIsolated } from './differential/robustness-process.ts';

interface Options {
  seed: number;
  count: number;
  robustness: boolean;
  show: number;
  cpl: 0 | 3;
  forms: Form[];
}

/** Reads the command line; throws an Error with a one-line message on bad input. */
function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      form: { type: 'string' },
      shard: { type: 'string', default: '0/1' },
      robustness: { type: 'boolean', default: false },
      show: { type: 'string', default: '3' },
      cpl: { type: 'string', default: '3' },
    },
  });
  if (values.cpl !== '0' && values.cpl !== '3') throw new Error(`--cpl wants 0 or 3, got "${values.cpl}"`);
  const cpl = values.cpl === '0' ? 0 : 3;
  const [shard, shards] = values.shard.split('/').map((part) => parseNumber('--shard', part));
  if (!(shards >= 1 && shard < shards)) throw new Error(`--shard wants K/N with 0 <= K < N, got "${values.shard}"`);
  return {
    seed: parseNumber('--seed', values.seed),
    count: parseNumber('--count', values.count),
    robustness: values.robustness,
    show: parseNumber('--show', values.show),
    cpl,
    forms: selectForms(values.form).filter((form, i) => i % shards === shard && (cpl === 3 || privilegeNeutral(form))),
  };
}

function main(): number {
  let options: Options;
  try {
    options = parseOptions();
  } catch (e) {
    console.error(`fuzz:cpu: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  const { seed, count, forms, show, cpl } = options;
  if (options.robustness) return robustness(seed, count);
  const harness = NativeHarness.build();
  if (typeof harness === 'string') {
    console.log(`skipped: ${harness}`);
    return 0;
  }
  try {
    console.log(`differential: ${forms.length} forms x ${count} cases, seed ${seed}, emulator at CPL ${cpl}`);
    const results = runCampaign({ forms, seed, count, native: harness, emulator: new EmulatorRunner(cpl), keepExamples: show, onForm: printForm });
    return summarize(results);
  } finally {
    harness.dispose();
  }
}

function printForm(r: FormResult): void {
  const known = KNOWN_FAILING_FORMS[r.form];
  const tag = r.mismatches === 0 ? 'ok' : known ? `KNOWN (${known})` : 'MISMATCH';
  console.log(`${r.form.padEnd(28)} ${String(r.cases).padStart(8)} cases ${String(r.mismatches).padStart(7)} mismatches  ${tag}`);
  for (const m of r.examples) console.log(formatMismatch(m));
}

function summarize(results: FormResult[]): number {
  const cases = results.reduce((n, r) => n + r.cases, 0);
  const failing = results.filter((r) => r.mismatches > 0);
  const unexpected = failing.filter((r) => !(r.form in KNOWN_FAILING_FORMS));
  console.log(`\n${results.length} forms, ${cases} cases, ${failing.length} forms with mismatches (${unexpected.length} not known)`);
  if (failing.length) console.log(`failing forms: ${failing.map((r) => `${r.form} (${r.mismatches})`).join(', ')}`);
  return unexpected.length > 0 ? 1 : 0;
}

function robustness(seed: number, count: number): number {
  for (const [feature, bug] of Object.entries(KNOWN_ROBUSTNESS_ISSUES)) console.log(`feature ${feature} off: ${bug}`);
  const summary = runRobustnessIsolated(seed, count, {
    onChunk: (sofar) => console.log(`robustness: ${sofar.runs}/${count} runs, ${sofar.failures.length} failures`),
  });
  console.log(`robustness: ${summary.runs} runs, ${summary.instructions} instructions, stops: ${JSON.stringify(summary.stops)}`);
  for (const failure of summary.failures) console.log(`FAILURE ${failure}`);
  return summary.failures.length > 0 ? 1 : 0;
}

function parseNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${flag} wants a non-negative integer, got "${text}"`);
  return n;
}

process.exitCode = main();
