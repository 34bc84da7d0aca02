// `faultline replay <kernel> --test NAME --schedule S [--trace]`: re-runs one schedule from the start
// of the test, prints how it ends (the bug, if any) and, with --trace, every preemption point with the
// running thread's stack. Exit status: 0 no bug, 1 the bug reproduced, 2 bad usage or configuration.

import {
  KernelGuest, KernelGuestError, ReplayError, ScheduleFormatError, decodeSchedule, replaySchedule,
} from '../explorer/index.ts';
import { loadKernel, parseArgs, UsageError } from './explore-common.ts';

export const REPLAY_USAGE = `usage: faultline replay <kernel> --test NAME --schedule S [--trace] [--config FILE]
  S is the schedule string from a bug report (e.g. 3*12.4*2.3; k = deliver the next typed key there;
  a leading dr=0x1034a5,...: lists the data-race preemption points it was found with, which the replay
  sets too).
  --config FILE: the kernel configuration the exploration used (see faultline explore --help).
`;

export async function replay(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  try {
    const { positional, flags } = parseArgs(args, ['--test', '--schedule', '--config'], [], ['--trace']);
    if (positional.length !== 1) throw new UsageError('give exactly one kernel');
    const test = flags.get('--test');
    if (!test) throw new UsageError('--test NAME is required');
    const text = flags.get('--schedule');
    if (text === undefined) throw new UsageError('--schedule S is required');
    const schedule = decodeSchedule(text);
    const kernel = loadKernel(positional[0], flags.get('--config'));
    const guest = new KernelGuest(kernel.bytes, { ...kernel.options, test, input: kernel.testInput[test] });
    const result = replaySchedule(guest, schedule, 1e9);
    if (flags.has('--trace')) {
      result.points.forEach((p, i) => {
        const ran = i === 0 ? null : schedule.choices[i - 1];
        out(`${i}: ${ran === null ? 'start' : guest.threadName(ran)} --> TID ${p.current} (${p.reason}) at ${p.location}\n`);
      });
    }
    const end = result.point;
    const found = result.bug;
    if (found) {
      out(`BUG (${found.class}): ${found.message}\n  at ${found.location ?? '?'} in ${found.tid === null ? '?' : guest.threadName(found.tid)}\n`);
      for (const d of found.details) out(`  ${d}\n`);
      for (const f of guest.stack()) out(`    ${f}\n`);
      return 1;
    }
    out(end.status === 'done' ? `the test ended normally after ${schedule.choices.length} preemption points\n`
      : `the schedule ran out at a preemption point (runnable: ${end.runnable.map((t) => guest.threadName(t)).join(', ')}); no bug\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof KernelGuestError || e instanceof ScheduleFormatError || e instanceof ReplayError
      || (e instanceof Error && /BootError|LoadError/.test(e.name))) {
      err(`faultline replay: ${e.message}\n\n${e instanceof UsageError ? REPLAY_USAGE : ''}`);
      return 2;
    }
    throw e;
  }
}
