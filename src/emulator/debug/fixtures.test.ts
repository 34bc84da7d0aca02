// The committed fixture kernels are what fixtures/build.sh builds from the committed sources, byte for
// byte (a reproducible build), so the tests that use them test what the sources say.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseElf32 } from '../loader/elf.ts';
import { hasI386Toolchain, toolchainTitle } from '../loader/testing/toolchain.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Byte-identical output needs the compiler that built the fixtures (its version is in their .comment). */
function sameCompiler(): boolean {
  if (!hasI386Toolchain()) return false;
  const elf = parseElf32(new Uint8Array(readFileSync(join(FIXTURES, 'kernel.elf'))));
  const comment = elf.section('.comment');
  const builtBy = comment ? new TextDecoder().decode(elf.sectionData(comment)) : '';
  const version = execFileSync('gcc', ['-dumpfullversion'], { encoding: 'utf8' }).trim();
  return builtBy.includes(`) ${version}`);
}
const reproducible = sameCompiler();
const title = 'are reproduced exactly by fixtures/build.sh';

describe('fixture kernels', () => {
  it.skipIf(!reproducible)(reproducible || !hasI386Toolchain() ? toolchainTitle(title) : `${title} [SKIPPED: another gcc version built them]`, () => {
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
