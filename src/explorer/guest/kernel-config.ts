// A kernel's explorer configuration, as the sample manifest writes it (public/kernels/manifest.json,
// described in public/kernels/README.md) and as a user writes it for their own kernel (`faultline explore
// --config FILE`, or the IDE's Explorer panel), the counterpart of Landslide's config.landslide: the `symbols` the kernel uses for its
// panic, allocator, mutexes and fault paths; the `config` of its conventions (idle/init/shell TIDs, the
// starting threads, whether the running thread stays on the runqueue, scheduler functions and globals
// to ignore, user-copy functions allowed to fault, kernel stack size, heap grain and end, idle ticks, the
// new threads that start the exploration);
// and `testInput`, the keyboard input a test reads. Turned into KernelGuest options here, for the CLI and
// the engine worker alike. The manifest reader ignores fields of the wrong type; a hand-written file is
// checked first (kernelConfigProblems) so that a typo is an error, not a silent default.

import type { KernelGuestOptions, KernelSymbols } from './kernel-guest.ts';

export interface KernelManifestEntry {
  symbols?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/** A kernel's configuration with the keyboard input of its tests: a manifest entry, or what a user writes. */
export interface KernelConfig extends KernelManifestEntry {
  testInput?: Record<string, string>;
}

const SYMBOL_KEYS: readonly (keyof KernelSymbols)[] = [
  'panic', 'malloc', 'mallocGen', 'free', 'mutexLock', 'mutexUnlock', 'pageFaultWrapper', 'threadKilled',
  'initTss', 'userMalloc', 'userFree', 'userArena', 'userReportEnd',
];
const NUMBER_KEYS = ['idleTid', 'initTid', 'shellTid', 'kernelStackSize', 'heapGrain', 'heapEnd', 'idleTicks', 'startThreads'] as const;
const LIST_KEYS = ['schedFunctions', 'ignoreSymbols', 'userCopyFunctions'] as const;
/** Manifest config keys that describe the kernel for people and the IDE, not the explorer. */
const DESCRIPTIVE_KEYS = ['firstTid', 'timerHz', 'preemptionPoints'];

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function startingThreads(v: unknown): { tid: number; onRq: boolean }[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const threads = v.map((t) => (t !== null && typeof t === 'object' ? t as Record<string, unknown> : {}));
  if (!threads.every((t) => typeof t.tid === 'number' && typeof t.onRunqueue === 'boolean')) return undefined;
  return threads.map((t) => ({ tid: t.tid as number, onRq: t.onRunqueue as boolean }));
}

/** The KernelGuest options (all but the test) that a manifest entry gives. */
export function guestOptionsFromManifest(entry: KernelManifestEntry): Omit<KernelGuestOptions, 'test'> {
  const sym = entry.symbols ?? {};
  const cfg = entry.config ?? {};
  const symbols: Partial<KernelSymbols> = {};
  for (const key of SYMBOL_KEYS) if (typeof sym[key] === 'string') symbols[key] = sym[key];
  const options: Omit<KernelGuestOptions, 'test'> = { symbols };
  for (const key of NUMBER_KEYS) if (typeof cfg[key] === 'number') options[key] = cfg[key];
  for (const key of LIST_KEYS) if (isStringList(cfg[key])) options[key] = cfg[key];
  if (typeof cfg.currentThreadLivesOnRq === 'boolean') options.currentThreadLivesOnRq = cfg.currentThreadLivesOnRq;
  const starting = startingThreads(cfg.startingThreads);
  if (starting) options.startingThreads = starting;
  return options;
}

/** What is wrong with a hand-written configuration (empty when nothing is), one sentence each. */
export function kernelConfigProblems(json: unknown): string[] {
  const record = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : null);
  const top = record(json);
  if (!top) return ['the configuration must be a JSON object with "symbols", "config" and/or "testInput"'];
  const problems: string[] = [];
  for (const key of Object.keys(top)) if (!['symbols', 'config', 'testInput'].includes(key)) problems.push(`unknown section "${key}"`);
  const sections = { symbols: top.symbols, config: top.config, testInput: top.testInput };
  for (const [name, value] of Object.entries(sections)) {
    if (value !== undefined && !record(value)) problems.push(`"${name}" must be an object`);
  }
  for (const [key, value] of Object.entries(record(top.symbols) ?? {})) {
    if (!(SYMBOL_KEYS as readonly string[]).includes(key)) problems.push(`unknown symbol "${key}" (known: ${SYMBOL_KEYS.join(', ')})`);
    else if (typeof value !== 'string') problems.push(`symbol "${key}" must name a function or global`);
  }
  for (const [key, value] of Object.entries(record(top.config) ?? {})) {
    const ok = (NUMBER_KEYS as readonly string[]).includes(key) ? Number.isInteger(value) && (value as number) >= 0
      : (LIST_KEYS as readonly string[]).includes(key) ? isStringList(value)
        : key === 'currentThreadLivesOnRq' ? typeof value === 'boolean'
          : key === 'startingThreads' ? startingThreads(value) !== undefined
            : DESCRIPTIVE_KEYS.includes(key) ? true : null;
    if (ok === null) problems.push(`unknown config "${key}"`);
    else if (!ok) problems.push(`config "${key}" has the wrong type`);
  }
  for (const [test, text] of Object.entries(record(top.testInput) ?? {})) {
    if (typeof text !== 'string') problems.push(`testInput "${test}" must be text`);
  }
  return problems;
}

/** Reads a hand-written configuration (JSON text); throws an Error saying what is wrong with it. */
export function parseKernelConfig(text: string): KernelConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`it is not JSON (${(e as Error).message})`, { cause: e });
  }
  const problems = kernelConfigProblems(json);
  if (problems.length) throw new Error(problems.join('; '));
  return json as KernelConfig;
}

/** `own` laid over `base` field by field, in each of symbols, config and testInput. */
export function layKernelConfig(base: KernelConfig | undefined, own: KernelConfig): KernelConfig {
  return {
    symbols: { ...base?.symbols, ...own.symbols },
    config: { ...base?.config, ...own.config },
    testInput: { ...base?.testInput, ...own.testInput },
  };
}
