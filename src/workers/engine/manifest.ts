// Reads public/kernels/manifest.json, the list of bundled sample kernels: for each, its name, title,
// description, the kernel image path and source files (relative to public/kernels), the test programs
// and whether the IDE preloads it. Validates the shape and says clearly what is wrong.
import type { SampleKernel } from '../protocol.ts';

export interface ManifestSample extends SampleKernel {
  kernel: string;
  sources: string[];
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
  if (typeof record.kernel !== 'string' || record.kernel === '') throw new ManifestError(`sample ${name} has no kernel path`);
  if (record.kernel.split('/').includes('..')) throw new ManifestError(`sample ${name}: the kernel path must stay inside public/kernels`);
  const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : '');
  return {
    name,
    title: text('title') || name,
    description: text('description'),
    isDefault: record.default === true,
    tests: stringList(record.tests, `sample ${name}: tests`),
    kernel: record.kernel,
    sources: stringList(record.sources, `sample ${name}: sources`),
  };
}

/** Parses the manifest (`{ samples: [...] }` or a bare list). Throws ManifestError with a clear message. */
export function parseManifest(json: unknown): ManifestSample[] {
  const list = Array.isArray(json) ? json : (json as { samples?: unknown } | null)?.samples;
  if (!Array.isArray(list)) throw new ManifestError('the manifest has no "samples" list');
  const samples = list.map(sample);
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
