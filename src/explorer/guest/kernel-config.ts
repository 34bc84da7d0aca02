// A kernel's explorer configuration as the sample manifest writes it (public/kernels/manifest.json,
// described in public/kernels/README.md): the `symbols` the kernel uses for its panic, allocator, mutexes
// and fault paths, and the `config` of its thread conventions (idle/init/shell TIDs, whether the running
// thread stays on the runqueue). Turned into KernelGuest options here, for the CLI and the engine worker
// alike; fields of the wrong type are ignored, unknown fields too.

import type { KernelGuestOptions, KernelSymbols } from './kernel-guest.ts';

export interface KernelManifestEntry {
  symbols?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

const SYMBOL_KEYS: readonly (keyof KernelSymbols)[] = [
  'panic', 'malloc', 'mallocGen', 'free', 'mutexLock', 'mutexUnlock', 'readline', 'pageFaultWrapper', 'threadKilled',
  'initTss', 'userMalloc', 'userFree', 'userArena',
];

/** The KernelGuest options (all but the test) that a manifest entry gives. */
export function guestOptionsFromManifest(entry: KernelManifestEntry): Omit<KernelGuestOptions, 'test'> {
  const sym = entry.symbols ?? {};
  const cfg = entry.config ?? {};
  const symbols: Partial<KernelSymbols> = {};
  for (const key of SYMBOL_KEYS) if (typeof sym[key] === 'string') symbols[key] = sym[key];
  const options: Omit<KernelGuestOptions, 'test'> = { symbols };
  const num = (key: string) => (typeof cfg[key] === 'number' ? cfg[key] : undefined);
  if (num('idleTid') !== undefined) options.idleTid = num('idleTid');
  if (num('initTid') !== undefined) options.initTid = num('initTid');
  if (num('shellTid') !== undefined) options.shellTid = num('shellTid');
  if (typeof cfg.currentThreadLivesOnRq === 'boolean') options.currentThreadLivesOnRq = cfg.currentThreadLivesOnRq;
  return options;
}
