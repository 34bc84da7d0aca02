// What `faultline explore` and `faultline replay` share: finding the kernel (a file, or a sample name
// from public/kernels/manifest.json), turning the manifest's symbols and configuration, and those of a
// `--config FILE` over them, into the kernel guest's options, and small argument-parsing helpers with
// clear usage errors.

import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  guestOptionsFromManifest, layKernelConfig, parseKernelConfig, type FunctionRule, type KernelConfig, type KernelGuestOptions,
} from '../explorer/index.ts';

/** Bad command line or configuration: exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

interface ManifestKernel extends KernelConfig {
  name: string;
  file: string;
  tests?: string[];
}

const KERNELS = resolve(dirname(fileURLToPath(import.meta.url)), '../../public/kernels');

function manifest(): ManifestKernel[] {
  const path = join(KERNELS, 'manifest.json');
  if (!existsSync(path)) return [];
  return (JSON.parse(readFileSync(path, 'utf8')) as { kernels: ManifestKernel[] }).kernels;
}

export interface LoadedKernel {
  name: string;
  bytes: Uint8Array;
  options: Omit<KernelGuestOptions, 'test'>;
  testInput: Record<string, string>;
}

/** A hand-written kernel configuration (`--config FILE`, the manifest entry's shape), checked. */
function readConfig(file: string): KernelConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the configuration ${file}: ${(e as Error).message}`);
  }
  try {
    return parseKernelConfig(text);
  } catch (e) {
    throw new UsageError(`the configuration ${file} is wrong: ${(e as Error).message}`);
  }
}

/**
 * Reads `spec` as a file path, or as a sample kernel name; the manifest entry (if any) gives options, and
 * the configuration file (if any) overrides them field by field.
 */
export function loadKernel(spec: string, configFile?: string): LoadedKernel {
  const samples = manifest();
  const entry = samples.find((k) => k.name === spec || k.file === spec || k.file === basename(spec));
  const path = existsSync(spec) ? spec : entry ? join(KERNELS, entry.file) : null;
  if (!path) {
    throw new UsageError(`no kernel '${spec}': give a file, or one of the samples: ${samples.map((k) => k.name).join(', ')}`);
  }
  const config = layKernelConfig(entry, configFile === undefined ? {} : readConfig(configFile));
  return { name: entry?.name ?? basename(path), bytes: new Uint8Array(readFileSync(path)), options: guestOptionsFromManifest(config), testInput: config.testInput ?? {} };
}

/** Parses "10m", "90s", "1h", "2d" or plain seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  if (!m) throw new UsageError(`bad duration '${text}': use e.g. 90s, 10m, 1h`);
  return Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
}

export function parseCount(flag: string, text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text)) throw new UsageError(`${flag} needs a whole number, got '${text ?? ''}'`);
  return Number(text);
}

/** Splits argv into positionals and flags; `multi` flags may repeat; `bool` flags take no value. */
export function parseArgs(args: readonly string[], known: readonly string[], multi: readonly string[] = [], bool: readonly string[] = []) {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const rules: FunctionRule[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    if (!known.includes(a) && !multi.includes(a) && !bool.includes(a)) throw new UsageError(`unknown option ${a}`);
    if (bool.includes(a)) {
      flags.set(a, 'true');
      continue;
    }
    const v = args[++i];
    if (v === undefined) throw new UsageError(`${a} needs a value`);
    if (multi.includes(a)) {
      lists.set(a, [...(lists.get(a) ?? []), v]);
      if (a === '--within' || a === '--without') rules.push({ kind: a === '--within' ? 'within' : 'without', name: v });
    } else flags.set(a, v);
  }
  return { positional, flags, lists, rules };
}
