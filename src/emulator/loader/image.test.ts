// Upload detection: ELF, gzip'd ELF, floppy (also gzip'd), and clear errors for everything else.
import { gzipSync } from 'fflate';

import { describe, expect, it } from 'vitest';
import { openKernelImage } from './image.ts';
import { LoadError } from './load-error.ts';
import { buildFat12 } from './testing/fat12-builder.ts';
import { fixtureKernel } from './testing/fixtures.ts';

/** Fast gzip level: the tests need valid gzip data, not small data. */
const FAST = { level: 1 } as const;

/** Byte equality without vitest's element-by-element deep compare (slow on 50 KB arrays). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

function message(bytes: Uint8Array): string {
  try {
    openKernelImage(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(LoadError);
    return (e as Error).message;
  }
  throw new Error('expected a LoadError');
}

describe('openKernelImage', () => {
  const kernel = fixtureKernel();
  const floppy = buildFat12([{ path: 'boot/kernel.gz', data: gzipSync(kernel, FAST) }]);

  it('takes an ELF kernel as is', () => {
    const image = openKernelImage(kernel);
    expect(image).toMatchObject({ kind: 'elf', cmdline: '(fd0)/boot/kernel' });
    expect(image.kernel).toBe(kernel);
  });

  it("gunzips a gzip'd kernel", () => {
    const image = openKernelImage(gzipSync(kernel, FAST));
    expect(image).toMatchObject({ kind: 'gzip-elf', cmdline: '(fd0)/boot/kernel.gz' });
    expect(sameBytes(image.kernel, kernel)).toBe(true);
  });

  it('extracts the kernel from a floppy image, also a gzip\'d one', () => {
    const image = openKernelImage(floppy);
    expect(image).toMatchObject({ kind: 'floppy', cmdline: '(fd0)/boot/kernel.gz' });
    expect(sameBytes(image.kernel, kernel)).toBe(true);
    expect(openKernelImage(gzipSync(floppy, FAST)).description).toBe("gzip'd floppy image (kernel from boot/kernel.gz)");
  });

  it('gives clear errors for garbage, bad gzip content and broken kernels', () => {
    expect(message(new TextEncoder().encode('hello world, not a kernel'))).toMatch(
      /not a kernel image.*starts with 68 65 6c 6c/,
    );
    expect(message(gzipSync(new TextEncoder().encode('plain text')))).toMatch(/does not contain an ELF kernel/);
    const k64 = fixtureKernel();
    k64[4] = 2;
    expect(message(k64)).toMatch(/64-bit ELF/);
    const notElf = buildFat12([{ path: 'boot/kernel.gz', data: gzipSync(new Uint8Array(100), FAST) }]);
    expect(message(notElf)).toMatch(/boot\/kernel\.gz is not an ELF kernel/);
  });
});
