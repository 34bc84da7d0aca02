// `npm run bench [-- --json] [-- NAME...]`: runs the benchmarks and prints one line per measure
// (or one JSON object per line with --json, so that runs can be compared).
import { benchmarks, type Measure } from './suite.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.filter((a) => !a.startsWith('--'));

function print(m: Measure): void {
  if (json) console.log(JSON.stringify(m));
  else console.log(`${m.name.padEnd(48)} ${String(m.value).padStart(14)} ${m.unit}`);
}

const chosen = benchmarks.filter((b) => only.length === 0 || only.some((o) => b.name.includes(o)));
if (chosen.length === 0) {
  console.error(`no benchmark matches ${only.join(' ')}; known: ${benchmarks.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
for (const bench of chosen) {
  for (const measure of await bench.run()) print(measure);
}
