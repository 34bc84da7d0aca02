// bootfd.img reading: FAT12 images written by the test's own builder (no mtools needed), gzip'd and plain
// kernels, missing kernels, non-FAT input, a corrupt gzip and a looping cluster chain.
import { gzipSync } from 'fflate';

import { describe, expect, it } from 'vitest';
import { extractKernelFromFloppy, isFatImage } from './floppy.ts';
import { LoadError } from './load-error.ts';
import { buildFat12 } from './testing/fat12-builder.ts';
import { fixtureKernel } from './testing/fixtures.ts';

/** Fast gzip level: the tests need valid gzip data, not small data. */
const FAST = { level: 1 } as const;

const menu = new TextEncoder().encode('title Pebbles\nkernel (fd0)/boot/kernel.gz\n');

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LoadError);
    return (e as Error).message;
  }
  throw new Error('expected a LoadError');
}

describe('extractKernelFromFloppy', () => {
  it('finds boot/kernel.gz in a FAT12 floppy and gunzips it', () => {
    const kernel = fixtureKernel();
    const img = buildFat12(
      [
        { path: 'boot/grub/stage2', data: new Uint8Array(3000).fill(0x90) },
        { path: 'boot/menu.lst', data: menu },
        { path: 'boot/kernel.gz', data: gzipSync(kernel, FAST) },
      ],
      { clutter: true },
    );
    expect(img.length).toBe(1474560);
    expect(isFatImage(img)).toBe(true);
    const out = extractKernelFromFloppy(img);
    expect(out.path).toBe('boot/kernel.gz');
    expect(Buffer.compare(out.kernel, kernel)).toBe(0);
  });

  it('accepts an uncompressed boot/kernel', () => {
    const kernel = fixtureKernel();
    const out = extractKernelFromFloppy(buildFat12([{ path: 'boot/kernel', data: kernel }]));
    expect(out.path).toBe('boot/kernel');
    expect(Buffer.compare(out.kernel, kernel)).toBe(0);
  });

  it('follows the kernel line of GRUB\'s menu.lst, through long file names', () => {
    const kernel = fixtureKernel();
    const custom = new TextEncoder().encode('timeout 0\ntitle Mine\n  kernel (fd0)/boot/my-kernel-p3.gz debug\n');
    const img = buildFat12([
      { path: 'boot/grub/menu.lst', data: custom },
      { path: 'boot/kernel.gz', data: gzipSync(new Uint8Array(64), FAST) },
      { path: 'boot/my-kernel-p3.gz', data: gzipSync(kernel, FAST) },
    ]);
    const out = extractKernelFromFloppy(img);
    expect(out.path).toBe('boot/my-kernel-p3.gz');
    expect(Buffer.compare(out.kernel, kernel)).toBe(0);
  });

  it('says so when the floppy has no kernel', () => {
    expect(message(() => extractKernelFromFloppy(buildFat12([{ path: 'boot/menu.lst', data: menu }])))).toBe(
      "The floppy image's menu.lst boots boot/kernel.gz, but there is no such file on the floppy.",
    );
    expect(message(() => extractKernelFromFloppy(buildFat12([{ path: 'boot/notes.txt', data: menu }])))).toMatch(
      /no boot\/kernel\.gz/,
    );
    expect(message(() => extractKernelFromFloppy(buildFat12([{ path: 'readme.txt', data: menu }])))).toMatch(
      /no boot directory/,
    );
  });

  it('rejects an image that is not FAT12', () => {
    expect(isFatImage(new Uint8Array(1474560))).toBe(false);
    expect(message(() => extractKernelFromFloppy(new Uint8Array(2048)))).toMatch(/not a FAT12 floppy image/);
  });

  it('reports a corrupt kernel.gz and a looping FAT', () => {
    const bad = buildFat12([{ path: 'boot/kernel.gz', data: new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]) }]);
    expect(message(() => extractKernelFromFloppy(bad))).toMatch(/boot\/kernel\.gz is not a valid gzip file/);
    const loop = buildFat12([{ path: 'boot/kernel', data: new Uint8Array(2000) }]);
    // The kernel occupies clusters 2..5 (the boot directory comes after); make cluster 3 point back to 2.
    const fat = 512 + Math.floor((3 * 3) / 2);
    loop[fat] = (loop[fat] & 0x0f) | 0x20;
    loop[fat + 1] = 0x00;
    expect(message(() => extractKernelFromFloppy(loop))).toMatch(/cluster chain of boot\/kernel is broken/);
  });
});
