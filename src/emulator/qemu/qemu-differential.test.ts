import { describe, expect, it } from 'vitest';
import { hasI386Toolchain } from '../loader/testing/toolchain.ts';
import { buildKernel, timerKernelSource } from '../machine-test-kernels.ts';
import { compareWithQemu } from './differential.ts';
import { hasQemu, qemuKeyName } from './qemu-boot.ts';

const ready = hasQemu() && hasI386Toolchain();
const why = hasQemu() ? ' [SKIPPED: no 32-bit toolchain]' : ' [SKIPPED: qemu-system-i386 is not installed]';

describe('QEMU differential boot', () => {
  it('maps typed characters to QEMU sendkey names', () => {
    expect(['a', 'Z', '_', '\n', ' ', '/'].map(qemuKeyName)).toEqual(['a', 'shift-z', 'shift-minus', 'ret', 'spc', 'slash']);
    expect(() => qemuKeyName('é')).toThrow(RangeError);
  });

  it.skipIf(!ready)(`shows the same screen as QEMU after typing into a keyboard-echo kernel${ready ? '' : why}`, async () => {
    const r = await compareWithQemu(buildKernel(timerKernelSource(1_000_000_000)), ['ab']);
    expect(r.stop).toBe('idle');
    expect(r.qemuSettled).toBe(true);
    expect(r.diffs).toEqual([]);
    expect(r.ours[0]).toBe('\u001e0');
  }, 60_000);
});
