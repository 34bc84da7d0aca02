// `faultline explore <kernel> --test NAME ...`: explores the test's interleavings on a kernel image with
// a live progress line, writes the JSON and HTML reports, and exits 0 (no bug), 1 (bug found) or 2 (bad
// usage or configuration), Landslide's convention.

import { writeFileSync } from 'node:fs';
import {
  ExplorationSession, KernelGuest, KernelGuestError, jsonReport, renderHtmlReport, traceSchedule, type ExplorerEvent,
} from '../explorer/index.ts';
import { loadKernel, parseArgs, parseCount, parseDuration, UsageError } from './explore-common.ts';

export const EXPLORE_USAGE = `usage: faultline explore <kernel> --test NAME [--mode dpor|dfs] [--preemption-bound K]
         [--time 10m] [--max-branches N] [--within F ...] [--without F ...] [--json FILE] [--html FILE]
         [--start-threads N] [--no-iterative-deepening] [--data-race-point ADDR ...] [--stop-on-first-bug]
         [--config FILE]
  <kernel> is an ELF or bootfd.img file, or a sample name from public/kernels/manifest.json.
  --config FILE: a JSON file like a manifest entry, for your own kernel (Landslide's config.landslide):
  {"symbols": {"mutexLock": "mutex_lock", "malloc": "_malloc", ...}, "config": {"idleTid": 1,
  "schedFunctions": ["context_switch"], "ignoreSymbols": ["ticks"], ...}, "testInput": {"test": "text"}}
  (docs/explorer.md lists every field); it overrides a sample's manifest entry field by field.
  Iterative deepening (the default, as in the IDE) finds bugs fast by probing small searches first
  (preemption bound 0, then one preemption-point site at a time per bound, as Quicksand does) alongside
  the full exploration; the report is complete only when the full exploration is. It also adds a
  data-race preemption point (a point just before the racing instruction) for each data race found, in
  probes of its own: on kernels without annotations most races are reached only through those.
  --no-iterative-deepening: the full exploration alone (--iterative-deepening, the default, is accepted).
  --data-race-point ADDR: a preemption point just before the instruction at ADDR (0x1034a5, or
  FUNCTION+0xOFFSET as race reports name it, e.g. mutex_lock+0x32), for the whole exploration; its bug
  schedules then start with dr=ADDR,...: and replay with the same points.
  --stop-on-first-bug: stop as soon as a bug is found, as Landslide does (a grading script that only asks
  whether the kernel has a bug needs no more); by default the exploration goes on and reports every bug.
  --start-threads N: start exploring once N threads appeared after the test was typed (default 2: the
  test's process and its first own thread; for tests with typed input (manifest testInput) the default is
  1, and when each typed byte's keyboard interrupt arrives is a choice, 'k' in schedules).
  A kernel without tell_landslide_* annotations is explored too: its threads are inferred from their
  kernel stacks (ESP0 in the TSS) and its runnable threads probed with timer ticks (docs/explorer.md).
  Exit status: 0 no bug found, 1 a bug was found, 2 bad usage or configuration.
`;

function clock(): number {
  return performance.now() / 1000;
}

/** A duration as `42s`, `3m07s` or `2h05m` (whole seconds, rounded once). */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

// On a terminal the progress line rewrites itself often; in a pipe or log it is one line every few seconds.
const LIVE = process.stderr.isTTY === true;
const PROGRESS_INTERVAL_SECONDS = LIVE ? 0.2 : 5;

/** A data-race point's code address given as 0xHEX or FUNCTION+0xOFFSET (or FUNCTION) of the kernel. */
function codeAddress(guest: KernelGuest, text: string): number {
  const address = guest.codeAddress(text);
  if (address === null) throw new UsageError(`--data-race-point needs 0xADDRESS or FUNCTION+0xOFFSET of the kernel, got '${text}'`);
  return address;
}

/** Runs the command; returns the exit status. */
export async function explore(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(args, ['--test', '--mode', '--preemption-bound', '--time', '--max-branches', '--json', '--html', '--start-threads', '--config'],
      ['--within', '--without', '--data-race-point'], ['--iterative-deepening', '--no-iterative-deepening', '--stop-on-first-bug']);
    if (parsed.flags.has('--iterative-deepening') && parsed.flags.has('--no-iterative-deepening')) {
      throw new UsageError('give --iterative-deepening or --no-iterative-deepening, not both');
    }
    if (parsed.positional.length !== 1) throw new UsageError('give exactly one kernel');
    if (!parsed.flags.get('--test')) throw new UsageError('--test NAME is required');
    const mode = parsed.flags.get('--mode') ?? 'dpor';
    if (mode !== 'dpor' && mode !== 'dfs') throw new UsageError(`--mode must be dpor or dfs, not '${mode}'`);
  } catch (e) {
    err(`faultline explore: ${(e as Error).message}\n\n${EXPLORE_USAGE}`);
    return 2;
  }
  const { flags, rules, lists } = parsed;
  const test = flags.get('--test')!;
  const mode = (flags.get('--mode') ?? 'dpor') as 'dpor' | 'dfs';
  let session: ExplorationSession;
  let guest: KernelGuest;
  let kernelName: string;
  let preemptionBound: number | null;
  try {
    preemptionBound = flags.has('--preemption-bound') ? parseCount('--preemption-bound', flags.get('--preemption-bound')) : null;
    const maxBranches = flags.has('--max-branches') ? parseCount('--max-branches', flags.get('--max-branches')) : null;
    const timeLimitSeconds = flags.has('--time') ? parseDuration(flags.get('--time')!) : null;
    const startThreads = flags.has('--start-threads') ? parseCount('--start-threads', flags.get('--start-threads')) : undefined;
    const kernel = loadKernel(parsed.positional[0], flags.get('--config'));
    kernelName = kernel.name;
    guest = new KernelGuest(kernel.bytes, { ...kernel.options, test, input: kernel.testInput[test], rules, ...(startThreads === undefined ? {} : { startThreads }) });
    err(guest.mode === 'annotated'
      ? 'following the kernel\'s threads through its tell_landslide_* annotations\n'
      : 'no tell_landslide_* annotations: following the kernel\'s threads by their kernel stacks (ESP0 in the TSS), runnable threads probed with timer ticks\n');
    for (const limitation of guest.limitations) err(`note: ${limitation} (name it with --config)\n`);
    let lastLine = 0;
    const onEvents = (batch: ExplorerEvent[]) => {
      for (const e of batch) {
        if (e.kind === 'bug') err(`\nBUG FOUND (${e.bug.class}): ${e.bug.message}\n  thread ${e.bug.thread ?? '?'} at ${e.bug.location ?? '?'}; schedule ${e.bug.schedule}\n`);
        if (e.kind === 'progress' && clock() - lastLine > PROGRESS_INTERVAL_SECONDS) {
          lastLine = clock();
          const p = e.progress;
          const line = `${p.branches} branches, estimate ${p.estimatedBranches} (${p.percent.toFixed(1)}%), ETA ${duration(p.etaSeconds)}, elapsed ${duration(p.elapsedSeconds)}, bugs ${p.bugs}`;
          err(LIVE ? `\r${line}   ` : `${line}\n`);
        }
        if (e.kind === 'state' && e.message) err(`\n${e.state}: ${e.message}\n`);
      }
    };
    const iterativeDeepening = !flags.has('--no-iterative-deepening');
    const dataRacePoints = (lists.get('--data-race-point') ?? []).map((text) => codeAddress(guest, text));
    const stopOnFirstBug = flags.has('--stop-on-first-bug');
    session = new ExplorationSession(guest, { mode, preemptionBound, maxBranches, timeLimitSeconds, iterativeDeepening, dataRacePoints, stopOnFirstBug },
      onEvents, clock);
    while (session.runSlice(0.2)) await new Promise((r) => setImmediate(r));
  } catch (e) {
    if (e instanceof UsageError || e instanceof KernelGuestError || (e instanceof Error && /BootError|LoadError/.test(e.name))) {
      err(`faultline explore: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (session.state === 'error') return 2;
  const progress = session.progress();
  const bugs = session.bugs();
  const report = jsonReport({ test, kernel: kernelName, mode, preemptionBound }, progress, bugs, session.races(), (a) => guest.locate(a));
  err('\n');
  out(`${report.complete ? 'COMPLETE' : 'STOPPED'}: ${report.branches} interleavings tested, ${bugs.length} bug${bugs.length === 1 ? '' : 's'} found in ${report.elapsedSeconds}s\n`);
  for (const b of report.bugs) out(`  ${b.class}: ${b.message}\n    at ${b.location ?? '?'} (${b.thread ?? '?'}); replay with --schedule ${b.schedule}\n`);
  const json = flags.get('--json');
  // `threads`: how the kernel's threads were followed ('annotated' or 'inferred').
  if (json) writeFileSync(json, `${JSON.stringify({ ...report, threads: guest.mode }, null, 2)}\n`);
  const html = flags.get('--html');
  if (html) {
    const traces = report.bugs.map((b) => traceSchedule(guest, b.schedule, 1e9));
    writeFileSync(html, renderHtmlReport(report, traces, (t) => guest.threadName(t)));
  }
  return bugs.length ? 1 : 0;
}
