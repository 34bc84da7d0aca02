// Every sample kernel boots to the shell in QEMU and passes each test the manifest lists for it (one
// QEMU per kernel, the tests typed one after another at the prompt). Skips, saying why, when
// qemu-system-i386 is missing.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KERNELS_DIR, manifest } from './manifest.ts';
import { QemuSession, hasQemu } from './qemu-session.ts';

const qemuWorks = hasQemu();
if (!qemuWorks) console.warn('kernels: skipping the QEMU boot tests: qemu-system-i386 is not available');

describe.skipIf(!qemuWorks)('QEMU', () => {
  describe.each(manifest.kernels.map((k) => [k.name, k] as const))('%s', (_, k) => {
    let session: QemuSession;
    beforeAll(async () => {
      session = await QemuSession.boot(join(KERNELS_DIR, k.file));
    });
    afterAll(async () => {
      await session.close();
    });

    it('boots to the shell prompt', async () => {
      expect(await session.waitForPrompt(15_000)).toBe(true);
    }, 20_000);

    it.each(k.tests)('passes %s', async (test) => {
      const result = await session.runTest(test, k.testInput[test]);
      expect(result, result.transcript.join('\n')).toMatchObject({ passed: true, status: 0 });
      expect(await session.waitForPrompt()).toBe(true);
    }, 20_000);
  });
});
