// The committed fixture kernels are what fixtures/build.sh builds from the committed sources, byte for
// byte (a reproducible build), so the tests that use them test what the sources say.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasI386Toolchain, toolchainTitle } from '../loader/testing/toolchain.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('fixture kernels', () => {
  it.skipIf(!hasI386Toolchain())(toolchainTitle('are reproduced exactly by fixtures/build.sh'), () => {
    const out = mkdtempSync(join(tmpdir(), 'faultline-fixtures-'));
    try {
      execFileSync('sh', ['build.sh'], { cwd: FIXTURES, env: { ...process.env, OUT: out }, stdio: 'pipe' });
      for (const name of ['kernel.elf', 'live-kernel.elf']) {
        const rebuilt = readFileSync(join(out, name));
        expect(Buffer.compare(rebuilt, readFileSync(join(FIXTURES, name))), `${name} differs from build.sh's output`).toBe(0);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
