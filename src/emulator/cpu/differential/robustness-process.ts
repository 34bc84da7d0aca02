// Runs robustness fuzzing in child processes, a chunk of runs at a time, so that a CPU bug that never
// returns from `run()` (a host hang, which no in-process check could interrupt) becomes a reported
// failure naming the chunk, instead of a frozen test or script.
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RobustnessSummary } from './robustness.ts';

const CHILD = fileURLToPath(new URL('./robustness-child.ts', import.meta.url));

export interface IsolatedOptions {
  /** Runs per child process (default 500). */
  chunk?: number;
  /** A child that takes longer than this is reported as a hang (default 120 s). */
  timeoutMs?: number;
  onChunk?: (summary: RobustnessSummary) => void;
}

export function runRobustnessIsolated(seed: number, runs: number, options: IsolatedOptions = {}): RobustnessSummary {
  const chunk = options.chunk ?? 500;
  const total: RobustnessSummary = { runs: 0, instructions: 0, stops: {}, failures: [] };
  for (let first = 0; first < runs; first += chunk) {
    const count = Math.min(chunk, runs - first);
    const result = spawnSync(process.execPath, ['--import', 'tsx', CHILD, String(seed), String(first), String(count)], {
      cwd: dirname(CHILD), encoding: 'utf8', timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 << 20,
    });
    let summary: RobustnessSummary;
    if (result.status === 0) {
      summary = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as RobustnessSummary;
    } else {
      const why = result.error?.message.includes('ETIMEDOUT') || result.signal === 'SIGTERM'
        ? `hang (no result within ${options.timeoutMs ?? 120_000} ms)`
        : `child exited with ${result.status ?? result.signal}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`;
      summary = { runs: 0, instructions: 0, stops: {}, failures: [`seed ${seed} runs ${first}..${first + count - 1}: ${why}`] };
    }
    total.runs += summary.runs;
    total.instructions += summary.instructions;
    for (const [reason, n] of Object.entries(summary.stops)) total.stops[reason] = (total.stops[reason] ?? 0) + n;
    total.failures.push(...summary.failures);
    options.onChunk?.(total);
  }
  return total;
}
