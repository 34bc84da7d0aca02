// The stack walker on frames the emulated CPU really pushed: a kernel-mode software interrupt and a
// ring-3 system call, in the live fixture kernel, stopped at the handler's first instruction.
import { describe, expect, it } from 'vitest';
import { fixtureLiveKernel } from '../loader/testing/fixtures.ts';
import { Machine } from '../machine.ts';

describe('walkStack on a running machine', () => {
  const machine = Machine.boot(fixtureLiveKernel());
  const handler = machine.debug.address('syscall_handler') as number;
  machine.cpu.execWatch.add(handler);
  const trace = () => machine.stackTrace().map((f) => `${f.kind} ${f.name ?? '?'}`);

  it('walks from an interrupt handler through the stub into the interrupted kernel code', () => {
    expect(machine.run(100_000)).toMatchObject({ reason: 'watch', address: handler });
    expect(trace()).toEqual(['top syscall_handler', 'call syscall_stub', 'interrupted kernel_trap', 'call live_main', 'call live_start']);
    const frames = machine.stackTrace();
    expect(frames[2].text).toMatch(/^0x[0-9a-f]{8} in kernel_trap \(live\.c:\d+\)$/);
  });

  it('walks from the kernel across the system-call frame into the user program', () => {
    expect(machine.run(1_000_000)).toMatchObject({ reason: 'watch', address: handler });
    const frames = machine.stackTrace();
    expect(frames.map((f) => `${f.kind} ${f.name ?? '?'}`)).toEqual([
      'top syscall_handler', 'call syscall_stub', 'interrupted gettid', 'call work', 'call main', 'call _main',
    ]);
    expect(frames[2]).toMatchObject({ space: 'user', program: 'hello', file: 'syscall.S' });
    expect(frames[3]).toMatchObject({ space: 'user', program: 'hello', file: 'user.c', line: 6 });
  });
});
