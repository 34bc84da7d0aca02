// A sample kernel with one of its functions renamed in the symbol table, as a student's kernel may name
// it otherwise: objcopy --redefine-sym (binutils). For tests of what the explorer finds without names.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Appended to the title of a test that needs objcopy, when there is none. */
export const NO_OBJCOPY = ' [SKIPPED: no objcopy (binutils) on this machine]';

/** public/kernels/`sample`.elf with function `from` renamed `to`, or null when objcopy is missing. */
export function renamedKernel(sample: string, from: string, to: string): Buffer | null {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-renamed-'));
  try {
    const source = fileURLToPath(new URL(`../../../public/kernels/${sample}.elf`, import.meta.url));
    execFileSync('objcopy', ['--redefine-sym', `${from}=${to}`, source, join(dir, 'kernel')], { stdio: 'ignore' });
    return readFileSync(join(dir, 'kernel'));
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
