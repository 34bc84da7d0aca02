// Bad input never crashes the host: seeded mutations of a real kernel, a gzip'd kernel and a floppy image
// either load or fail with a LoadError.
import { gzipSync } from 'fflate';

import { describe, expect, it } from 'vitest';
import { parseElf32 } from './elf.ts';
import { openKernelImage } from './image.ts';
import { LoadError } from './load-error.ts';
import { loadMultiboot } from './multiboot.ts';
import { buildFat12 } from './testing/fat12-builder.ts';
import { fixtureKernel } from './testing/fixtures.ts';
import { mutate, seededRandom } from './testing/mutate.ts';

/** Fast gzip level: the tests need valid gzip data, not small data. */
const FAST = { level: 1 } as const;

function onlyLoadErrors(f: () => unknown): 'ok' | 'load-error' {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof LoadError) return 'load-error';
    throw e;
  }
}

const ram = { size: 32 << 20, writeBytes: () => {} };

describe('loaders on damaged input', () => {
  const kernel = fixtureKernel();

  it('parse and load 400 mutated kernels with only LoadErrors', () => {
    const random = seededRandom(0x410);
    const outcomes = { ok: 0, 'load-error': 0 };
    for (let i = 0; i < 400; i++) {
      const bytes = mutate(kernel, random);
      outcomes[onlyLoadErrors(() => parseElf32(bytes))]++;
      onlyLoadErrors(() => loadMultiboot(bytes, ram));
      onlyLoadErrors(() => openKernelImage(bytes));
    }
    expect(outcomes.ok).toBeGreaterThan(50);
    expect(outcomes['load-error']).toBeGreaterThan(50);
  });

  it('open 60 mutated floppy images and gzip files with only LoadErrors', () => {
    const random = seededRandom(0x15410);
    const floppy = buildFat12([{ path: 'boot/kernel.gz', data: gzipSync(kernel, FAST) }]);
    const gz = gzipSync(kernel, FAST);
    for (let i = 0; i < 60; i++) {
      const img = mutate(floppy, random);
      // Also hit the FAT, directories and file data, past the boot sector.
      for (let j = 0; j < 4; j++) img[512 + Math.floor(random() * 20000)] = Math.floor(random() * 256);
      onlyLoadErrors(() => openKernelImage(img));
      onlyLoadErrors(() => openKernelImage(mutate(gz, random)));
    }
  });
});
