// Tests of reading public/kernels/manifest.json.
import { describe, expect, it } from 'vitest';
import { parseManifest, publicSample } from './manifest.ts';

describe('sample manifest', () => {
  it('reads samples with defaults for optional fields', () => {
    const [s] = parseManifest({ kernels: [{ name: 'pebbles', file: 'pebbles.elf', sources: ['kern/a.c'], extra: 1 }] });
    expect(s).toEqual({ name: 'pebbles', title: 'pebbles', description: '', isDefault: true, tests: [], kernel: 'pebbles.elf', sources: ['kern/a.c'],
      symbols: undefined, config: undefined, testInput: {} });
    expect(publicSample(s)).toEqual({ name: 'pebbles', title: 'pebbles', description: '', isDefault: true, tests: [] });
  });

  it('keeps the explorer settings as written', () => {
    const [s] = parseManifest([{ name: 'k', file: 'k.elf', symbols: { panic: 'kpanic' }, config: { idleTid: 0 }, testInput: { readline_test: 'hi\n' } }]);
    expect(s).toMatchObject({ symbols: { panic: 'kpanic' }, config: { idleTid: 0 }, testInput: { readline_test: 'hi\n' } });
  });

  it('accepts a bare list and preloads the sample marked default, else the first', () => {
    expect(parseManifest([{ name: 'a', file: 'a.elf' }, { name: 'b', file: 'b.elf' }]).map((s) => s.isDefault)).toEqual([true, false]);
    expect(parseManifest([{ name: 'a', file: 'a.elf' }, { name: 'b', file: 'b.elf', default: true }]).map((s) => s.isDefault)).toEqual([false, true]);
  });

  it('explains what is wrong', () => {
    expect(() => parseManifest({})).toThrow('the manifest has no "kernels" list');
    expect(() => parseManifest([{ kernel: 'k' }])).toThrow('sample 0 has no name');
    expect(() => parseManifest([{ name: 'a' }])).toThrow('sample a has no kernel file');
    expect(() => parseManifest([{ name: 'a', kernel: '../../etc/passwd' }])).toThrow('inside public/kernels');
    expect(() => parseManifest([{ name: 'a', kernel: 'k', tests: [1] }])).toThrow('tests must be a list of strings');
    expect(() => parseManifest([{ name: 'a', kernel: 'k' }, { name: 'a', kernel: 'k' }])).toThrow('two samples are named a');
    expect(() => parseManifest([{ name: 'a', kernel: 'k', config: [1] }])).toThrow('sample a: config must be an object');
    expect(() => parseManifest([{ name: 'a', kernel: 'k', testInput: { t: 1 } }])).toThrow('testInput must map test names to text');
  });
});
