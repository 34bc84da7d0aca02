// Reads public/kernels/manifest.json (written by the kernel area), the list of bundled sample kernels:
// `{ kernels: [{ name, title, description, file, sources, tests, default? }] }` with the image path and
// source files relative to public/kernels. The IDE preloads the sample marked `default`, else the first.
// Validates the shape and says clearly what is wrong; fields the IDE does not use are ignored. The
// explorer's settings (`symbols`, `config`, `testInput`) are kept as written: the explorer reads them.
import type { SampleKernel } from '../protocol.ts';

export interface ManifestSample extends SampleKernel {
  kernel: string;
  sources: string[];
  symbols?: Record<string, unknown>;
  config?: Record<string, unknown>;
  /** Keyboard input a test reads, by test name. */
  testInput: Record<string, string>;
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

function stringList(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw new ManifestError(`${what} must be a list of strings`);
  return value as string[];
}

function sample(entry: unknown, index: number): ManifestSample {
  if (typeof entry !== 'object' || entry === null) throw new ManifestError(`sample ${index} is not an object`);
  const record = entry as Record<string, unknown>;
  const name = record.name;
  if (typeof name !== 'string' || name === '') throw new ManifestError(`sample ${index} has no name`);
  const kernel = record.file ?? record.kernel;
  if (typeof kernel !== 'string' || kernel === '') throw new ManifestError(`sample ${name} has no kernel file`);
  if (kernel.split('/').includes('..')) throw new ManifestError(`sample ${name}: the kernel file must stay inside public/kernels`);
  const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : '');
  const object = (key: string) => {
    const value = record[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ManifestError(`sample ${name}: ${key} must be an object`);
    return value as Record<string, unknown>;
  };
  const testInput = object('testInput') ?? {};
  if (Object.values(testInput).some((v) => typeof v !== 'string')) throw new ManifestError(`sample ${name}: testInput must map test names to text`);
  return {
    name,
    title: text('title') || name,
    description: text('description'),
    isDefault: record.default === true,
    tests: stringList(record.tests, `sample ${name}: tests`),
    kernel,
    sources: stringList(record.sources, `sample ${name}: sources`),
    symbols: object('symbols'),
    config: object('config'),
    testInput: testInput as Record<string, string>,
  };
}

/** Parses the manifest (`{ kernels: [...] }` or a bare list). Throws ManifestError with a clear message. */
export function parseManifest(json: unknown): ManifestSample[] {
  const list = Array.isArray(json) ? json : (json as { kernels?: unknown } | null)?.kernels;
  if (!Array.isArray(list)) throw new ManifestError('the manifest has no "kernels" list');
  const samples = list.map(sample);
  if (samples.length > 0 && !samples.some((s) => s.isDefault)) samples[0].isDefault = true;
  const names = new Set<string>();
  for (const s of samples) {
    if (names.has(s.name)) throw new ManifestError(`two samples are named ${s.name}`);
    names.add(s.name);
  }
  return samples;
}

/** The sample as the UI sees it (no paths). */
export function publicSample(s: ManifestSample): SampleKernel {
  return { name: s.name, title: s.title, description: s.description, isDefault: s.isDefault, tests: s.tests };
}
