#!/usr/bin/env -S node --max-semi-space-size=64
// Entry of the `faultline` command: runs the TypeScript CLI directly through tsx, so no build step is needed.
// A young generation of 64 MB semi-spaces: exploring, and most of all probing runnable sets on kernels
// without annotations, makes short-lived snapshots and transition summaries by the hundred megabytes,
// and the default 16 MB made the bug hunts spend about a tenth of their time collecting them. `npm run
// bench` runs with the same flag.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
