// The sample kernels' manifest (public/kernels/manifest.json), typed, for the tests in this folder.

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const KERNELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface KernelEntry {
  name: string;
  file: string;
  annotated: boolean;
  tests: string[];
  sources: string[];
  bug: { test: string; class: string; description: string } | null;
  testInput: Record<string, string>;
}

export const manifest = JSON.parse(readFileSync(join(KERNELS_DIR, 'manifest.json'), 'utf8')) as {
  /** `gcc --version` and `ld --version` first lines of the toolchain that built the images. */
  toolchain: string;
  kernels: KernelEntry[];
};
