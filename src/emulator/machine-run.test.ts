import { describe, expect, it } from 'vitest';
import { hasI386Toolchain, toolchainTitle } from './loader/testing/toolchain.ts';
import { Machine } from './machine.ts';
import { inPanic, runWithInput } from './machine-run.ts';
import { buildKernel, PANIC_KERNEL, SIMCALL_KERNEL, timerKernelSource } from './machine-test-kernels.ts';

describe.skipIf(!hasI386Toolchain())('runWithInput', () => {
  it(toolchainTitle('types a line when the kernel waits and stops idle when nothing is left'), () => {
    const m = Machine.boot(buildKernel(timerKernelSource(1_000_000_000)));
    const stop = m.run(0);
    expect(stop.reason).toBe('limit');
    const done = runWithInput(m, { type: 'ab' });
    expect(done.reason).toBe('idle');
    expect(m.screen().cells[0] & 0xff).toBe(0x1e);
    expect(m.screen().cells[1] & 0xff).toBe(0x30);
    expect(() => runWithInput(m, { type: 'é' })).toThrow(RangeError);
  });

  it(toolchainTitle('returns the machine stop (MAGIC_BREAK) and honours the instruction budget'), () => {
    const m = Machine.boot(buildKernel(SIMCALL_KERNEL));
    expect(runWithInput(m, { maxInstructions: 3 })).toMatchObject({ reason: 'limit', instructions: 3 });
    expect(runWithInput(m).reason).toBe('magic-break');
  });

  it(toolchainTitle('tells a halt inside panic() from an ordinary halt'), () => {
    const m = Machine.boot(buildKernel(PANIC_KERNEL));
    expect(runWithInput(m).reason).toBe('halted');
    expect(inPanic(m)).toBe(true);
    expect(m.debugcon).toBe('!');
    const plain = Machine.boot(buildKernel(SIMCALL_KERNEL));
    plain.run(1_000_000);
    expect(plain.run(1_000_000).reason).toBe('halted');
    expect(inPanic(plain)).toBe(false);
  });
});
