import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasI386Toolchain } from '../loader/testing/toolchain.ts';
import { buildKernel, timerKernelSource } from '../machine-test-kernels.ts';
import { compareWithQemu, SHELL_PROMPT } from './differential.ts';
import { hasQemu, qemuKeyName } from './qemu-boot.ts';

const ready = hasQemu() && hasI386Toolchain();
const why = hasQemu() ? ' [SKIPPED: no 32-bit toolchain]' : ' [SKIPPED: qemu-system-i386 is not installed]';

describe('QEMU differential boot', () => {
  it('maps typed characters to QEMU sendkey names', () => {
    expect(['a', 'Z', '_', '\n', ' ', '/'].map(qemuKeyName)).toEqual(['a', 'shift-z', 'shift-minus', 'ret', 'spc', 'slash']);
    expect(() => qemuKeyName('é')).toThrow(RangeError);
  });

  it.skipIf(!ready)(`shows the same screen as QEMU after typing into a keyboard-echo kernel${ready ? '' : why}`, async () => {
    const r = await compareWithQemu(buildKernel(timerKernelSource(1_000_000_000)), ['ab'], { settleMs: 1200 });
    expect(r.stop).toBe('idle');
    expect(r.qemuSettled).toBe(true);
    expect(r.diffs).toEqual([]);
    expect(r.ours[0]).toBe('\u001e0');
  }, 60_000);

  const sample = new URL('../../../public/kernels/pebbles.elf', import.meta.url);
  const haveSample = hasQemu() && existsSync(sample);
  /**
   * The one row where the machines legitimately differ: the sample kernel prints the CPUID model (ours:
   * family 6 model 1 stepping 9; QEMU's qemu32: model 6 stepping 3). Everything else must match.
   */
  const HARDWARE_IDENTITY = /^CPU: /;

  it.skipIf(!haveSample)(`runs a sample-kernel test like QEMU${haveSample ? '' : ' [SKIPPED: no QEMU or no public/kernels/pebbles.elf]'}`, async () => {
    const r = await compareWithQemu(new Uint8Array(readFileSync(sample)), ['print_basic\n'], { settleMs: 1500, prompt: SHELL_PROMPT });
    expect(r.qemuSettled).toBe(true);
    expect(r.ours).toContain('print_basic: PASS');
    expect(r.diffs.filter((d) => !HARDWARE_IDENTITY.test(d.ours) || !HARDWARE_IDENTITY.test(d.qemu))).toEqual([]);
  }, 60_000);
});
