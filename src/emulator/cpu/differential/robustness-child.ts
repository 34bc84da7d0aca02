// Child-process entry for isolated robustness runs (see robustness-process.ts): `node --import tsx
// robustness-child.ts SEED FIRST COUNT` runs those runs and prints the summary as one JSON line.
import { runRobustness } from './robustness.ts';

const [seed, first, count] = process.argv.slice(2).map(Number);
process.stdout.write(`${JSON.stringify(runRobustness(seed, first, count))}\n`);
