import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootCommand, unescapeTyped } from './boot.ts';

async function run(args: string[]) {
  let out = '';
  let err = '';
  const status = await bootCommand(args, (s) => { out += s; }, (s) => { err += s; });
  return { status, out, err };
}

function tempFile(name: string, bytes: Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), 'faultline-boot-')), name);
  writeFileSync(path, bytes);
  return path;
}

describe('faultline boot', () => {
  it('interprets --type escapes', () => {
    expect(unescapeTyped('fork_wait\\n')).toBe('fork_wait\n');
    expect(unescapeTyped('a\\tb\\\\c\\q')).toBe('a\tb\\c\\q');
  });

  it('exits 2 with a clear message for bad usage, a missing file and a bad image', async () => {
    expect((await run([])).status).toBe(2);
    const unknown = await run(['k.elf', '--bogus']);
    expect(unknown.status).toBe(2);
    expect(unknown.err).toMatch(/unknown option --bogus/);
    expect((await run(['k.elf', '--max-instructions', '-5'])).err).toMatch(/positive integer/);
    const fixture = new URL('../emulator/debug/fixtures/kernel.elf', import.meta.url).pathname;
    const untypeable = await run([fixture, '--type', 'caf\u00e9']);
    expect(untypeable.status).toBe(2);
    expect(untypeable.err).toMatch(/--type: cannot type "é"/);
    const missing = await run(['/nonexistent/kernel']);
    expect(missing.status).toBe(2);
    expect(missing.err).toMatch(/no kernel '\/nonexistent\/kernel': give a file, or one of the samples: pebbles, /);
    const directory = await run([tmpdir()]);
    expect(directory.status).toBe(2);
    expect(directory.err).toMatch(/cannot read/);
    const bad = await run([tempFile('junk.bin', new TextEncoder().encode('#!/bin/sh\necho not a kernel\n'))]);
    expect(bad.status).toBe(2);
    expect(bad.err).toMatch(/junk\.bin: /);
  });

  it('boots a kernel and prints the documented JSON shape', async () => {
    const fixture = new URL('../emulator/debug/fixtures/kernel.elf', import.meta.url).pathname;
    const r = await run([fixture, '--max-instructions', '200000', '--json']);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    const result = JSON.parse(r.out);
    expect(Object.keys(result).slice(0, 2)).toEqual(['stop', 'instructions']);
    expect(result.screen).toHaveLength(25);
    expect(Array.isArray(result.log)).toBe(true);
    expect(typeof result.debugcon).toBe('string');
    const text = await run([fixture, '--max-instructions', '1000', '--screen']);
    expect(text.out).toMatch(/--- stopped: \S+ after \d+ instructions ---/);
    const sample = await run(['pebbles', '--max-instructions', '1000', '--json']);
    expect(sample.status).toBe(0);
    expect(JSON.parse(sample.out)).toMatchObject({ stop: 'limit', instructions: 1000 });
  });
});
