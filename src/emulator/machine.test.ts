import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFat12 } from './loader/testing/fat12-builder.ts';
import { compileAndLink, hasI386Toolchain, toolchainTitle } from './loader/testing/toolchain.ts';
import { BootError, Machine } from './machine.ts';
import {
  buildKernel, POLL_KERNEL, RESET_KERNEL, RTC_SYNC_KERNEL, SIMCALL_KERNEL, spinKernelSource, timerKernelSource, TRIPLE_FAULT_KERNEL,
} from './machine-test-kernels.ts';
import { trimRow } from './devices/vga.ts';

const tc = hasI386Toolchain();
let timerKernel: Uint8Array;
let simcallKernel: Uint8Array;

beforeAll(() => {
  if (!tc) return;
  timerKernel = buildKernel(timerKernelSource(5));
  simcallKernel = buildKernel(SIMCALL_KERNEL);
});

describe('Machine boot errors', () => {
  it('rejects bad images with a BootError carrying the loader message', () => {
    expect(() => Machine.boot(new TextEncoder().encode('hello world, not a kernel'))).toThrow(BootError);
    expect(() => Machine.boot(new Uint8Array(0))).toThrow(BootError);
    expect(() => new Machine({ memoryMB: 0 })).toThrow(RangeError);
    expect(() => new Machine().run(Number.NaN)).toThrow(RangeError);
    expect(() => new Machine().run(-1)).toThrow(RangeError);
  });

  it('names the problem for ELF64, truncated files, missing multiboot headers and kernel-less floppies', () => {
    const fixture = new Uint8Array(readFileSync(new URL('./debug/fixtures/kernel.elf', import.meta.url)));
    const elf64 = fixture.slice();
    elf64[4] = 2; // EI_CLASS = ELFCLASS64
    expect(() => Machine.boot(elf64)).toThrow(/64-bit/);
    expect(() => Machine.boot(fixture.slice(0, 40))).toThrow(BootError);
    const floppy = buildFat12([{ path: 'boot/menu.lst', data: new TextEncoder().encode('title Pebbles\n') }]);
    expect(() => Machine.boot(floppy)).toThrow(/kernel/);
  });

  it.skipIf(!tc)(toolchainTitle('rejects a kernel without a multiboot header or with a segment outside RAM'), () => {
    const plain = compileAndLink({ 'k.S': '.globl _start\n_start: hlt\n' }, { cflags: [] });
    expect(() => Machine.boot(plain)).toThrow(/multiboot/i);
    const high = compileAndLink({ 'k.S': '.align 4\n.long 0x1BADB002, 0, -0x1BADB002\n.globl _start\n_start: hlt\n' }, { cflags: [], textAddress: 0x20000000 });
    expect(() => Machine.boot(high, { memoryMB: 256 })).toThrow(/outside|RAM/);
  });
});

describe('Machine boot state', () => {
  it('leaves the devices as the BIOS does under QEMU (PIC 0x08/0x70, 18.2 Hz PIT mode 2, 8042 0x61)', () => {
    const m = Machine.boot(new Uint8Array(readFileSync(new URL('./debug/fixtures/kernel.elf', import.meta.url))));
    const io = m.io;
    expect([io.in8(0x21), io.in8(0xa1)]).toEqual([0xb8, 0x8e]);
    expect(m.pic.master.vectorBase).toBe(0x08);
    expect(m.pic.slave.vectorBase).toBe(0x70);
    io.out8(0x43, 0xe2);
    expect(io.in8(0x40) & 0x3f).toBe(0x34);
    io.out8(0x64, 0x20);
    expect(io.in8(0x60)).toBe(0x61);
    expect(io.in8(0x64)).toBe(0x1c);
    expect(m.cpu.eflags & 0x200).toBe(0);
    expect(m.scheduler.nextDeadline()).toBe(m.clock.instructionAtTick(0x10000 + 1, 1_193_182));
  });
});

describe('Machine debug information', () => {
  it('locates symbols and walks the stack of the booted kernel', () => {
    const fixture = new Uint8Array(readFileSync(new URL('./debug/fixtures/kernel.elf', import.meta.url)));
    const m = Machine.boot(fixture);
    expect(m.locate(m.cpu.eip)).toMatchObject({ name: '_start', space: 'kernel', file: 'head.S' });
    expect(m.debug.programNames()).toEqual(['hello', 'spin']);
    m.run(200_000);
    const frames = m.stackTrace();
    expect(frames.at(-1)?.name).toBe('_start');
    expect(frames.length).toBeGreaterThan(1);
    expect(m.readLinear(m.cpu.eip, 4)).toEqual(m.memory.readBytes(m.cpu.eip, 4));
  });
});

describe.skipIf(!tc)('Machine', () => {
  it(toolchainTitle('boots like GRUB and answers sim-calls: lprintf, booted, in_simics, MAGIC_BREAK'), () => {
    const m = Machine.boot(simcallKernel);
    expect(m.cpu.eax).toBe(0x2badb002);
    expect(m.screen().rows.every((r) => trimRow(r) === '')).toBe(true);
    const first = m.run(1_000_000);
    expect(first.reason).toBe('magic-break');
    expect(m.log.map((e) => `${e.source}:${e.text}`)).toEqual(['kernel:hello from the kernel']);
    expect(m.simcalls.booted).toBe(true);
    expect(m.simcalls.bootPath).toBe('(fd0)/boot/kernel');
    const second = m.run(1_000_000);
    expect(second.reason).toBe('halted');
    expect(trimRow(m.screen().rows[0])).toBe('OK');
    expect(m.screen().cells[0]).toBe(0x0f4f);
    expect(m.screenText()).toBe(m.screen().rows.join('\n'));
    expect(m.debugcon).toBe('d');
  });

  it(toolchainTitle('gives each snapshot the log as it was, across restores and the runs between them'), () => {
    const m = Machine.boot(simcallKernel);
    const empty = m.snapshot();
    expect(m.run(1_000_000).reason).toBe('magic-break');
    const hello = m.log[0];
    const logged = m.snapshot();
    m.restore(empty);
    expect(m.log).toEqual([]);
    expect(m.run(1_000_000).reason).toBe('magic-break'); // logs again, into its own array
    expect(m.log).toHaveLength(1);
    expect(m.log[0]).not.toBe(hello);
    m.restore(logged);
    expect(m.log).toHaveLength(1);
    expect(m.log[0]).toBe(hello);
    m.restore(empty);
    expect(m.log).toEqual([]);
  });

  it(toolchainTitle('delivers PIT ticks on IRQ0 at the virtual rate and skips idle time in HLT'), () => {
    const m = Machine.boot(timerKernel);
    const stop = m.run(100_000_000);
    expect(stop.reason).toBe('exit');
    expect(stop.exitCode).toBe((5 << 1) | 1);
    // 1193 PIT clocks at 1.193182 MHz = ~1 ms = ~1e6 instructions at 1e9 instructions per second
    expect(stop.instructions).toBeGreaterThan(4_900_000);
    expect(stop.instructions).toBeLessThan(5_100_000);
  });

  it(toolchainTitle('types keys through the 8042 when the guest waits for input'), () => {
    const m = Machine.boot(buildKernel(timerKernelSource(1_000_000)));
    m.run(3_000_000);
    expect(m.waitingForInput()).toBe(true);
    m.keyboard.typeText('ab');
    expect(m.waitingForInput()).toBe(false);
    m.run(5_000_000);
    expect(m.waitingForInput()).toBe(true);
    expect(m.screen().cells[0] & 0xff).toBe(0x1e);
    expect(m.screen().cells[1] & 0xff).toBe(0x30);
  });

  it(toolchainTitle('sees a kernel that polls the keyboard status port as waiting for input'), () => {
    const m = Machine.boot(buildKernel(POLL_KERNEL));
    expect(m.run(1_000_000).reason).toBe('limit');
    expect(m.cpu.halted).toBe(false);
    expect(m.waitingForInput()).toBe(true);
    m.keyboard.typeText('q');
    expect(m.waitingForInput()).toBe(false);
    m.run(1_000_000);
    expect(m.waitingForInput()).toBe(true);
    expect(m.screen().cells[0] & 0xff).toBe(0x10);
  });

  it(toolchainTitle('in explorer mode delivers only injected timer interrupts and reports idle'), () => {
    const m = Machine.boot(timerKernel, { timerMode: 'explorer' });
    const stop = m.run(50_000_000);
    expect(stop.reason).toBe('idle');
    for (let i = 0; i < 5; i++) {
      m.injectTimerInterrupt();
      const s = m.run(50_000_000);
      if (i < 4) expect(s.reason).toBe('idle');
      else expect(s.reason).toBe('exit');
    }
    expect(m.instructions).toBeLessThan(10_000);
    m.timerMode = 'free';
  });

  it(toolchainTitle('snapshot -> run -> restore -> run gives identical state hashes, with many snapshots alive'), () => {
    const m = Machine.boot(buildKernel(timerKernelSource(1_000_000)));
    m.run(2_500_000);
    const snaps = [];
    const hashes: string[] = [];
    for (let i = 0; i < 20; i++) {
      m.keyboard.typeText(i % 2 ? 'x' : 'y');
      snaps.push(m.snapshot());
      hashes.push(m.stateHash());
      m.run(700_000);
    }
    const endHash = m.stateHash();
    const endInstr = m.instructions;
    for (const i of [7, 0, 19, 3]) {
      m.restore(snaps[i]);
      expect(m.stateHash()).toBe(hashes[i]);
    }
    m.restore(snaps[0]);
    for (let i = 0; i < 20; i++) {
      if (i > 0) m.keyboard.typeText(i % 2 ? 'x' : 'y');
      if (i > 0) expect(m.stateHash()).not.toBe(hashes[i - 1]);
      m.run(700_000);
    }
    expect(m.instructions).toBe(endInstr);
    expect(m.stateHash()).toBe(endHash);
  });

  it(toolchainTitle('reports a triple fault and a reset request as stops'), () => {
    expect(Machine.boot(buildKernel(TRIPLE_FAULT_KERNEL)).run(1_000_000).reason).toBe('triple-fault');
    const m = Machine.boot(buildKernel(RESET_KERNEL));
    expect(m.run(1_000_000).reason).toBe('reset');
    expect(m.run(1_000_000).reason).toBe('halted'); // the reset is reported, not performed
  });

  it(toolchainTitle('skips the idle time of a jmp-to-self idle loop exactly like HLT, and reports it with IF=0 as halted'), () => {
    const m = Machine.boot(buildKernel(spinKernelSource(3000)));
    // 3000 ticks of ~1 ms: 3e9 instructions of spinning, which would take minutes if executed
    const stop = m.run(4_000_000_000);
    expect(stop.reason).toBe('exit');
    expect(stop.exitCode).toBe((3000 << 1) | 1);
    expect(stop.instructions).toBeGreaterThan(2_990_000_000);
    expect(stop.instructions).toBeLessThan(3_010_000_000);
    expect(Machine.boot(buildKernel(spinKernelSource(1, false))).run(100_000_000).reason).toBe('halted');
  });

  it(toolchainTitle('syncs to the RTC second boundary without burning a virtual second of polling'), () => {
    const m = Machine.boot(buildKernel(RTC_SYNC_KERNEL));
    const stop = m.run(2_000_000_000);
    expect(stop.reason).toBe('exit');
    expect(stop.exitCode).toBe((1 << 1) | 1); // 00:00:01 after the 2026-01-01 00:00:00 epoch
    expect(stop.instructions).toBeGreaterThanOrEqual(1_000_000_000);
    expect(stop.instructions).toBeLessThan(1_001_000_000);
  });

  it(toolchainTitle('stops at exec watches and on requestStop'), () => {
    const m = Machine.boot(simcallKernel);
    const entry = m.cpu.eip;
    m.cpu.execWatch.add(entry + 5); // after `movl $stack_top, %esp`
    const s = m.run(1000);
    expect(s.reason).toBe('watch');
    expect(s.address).toBe(entry + 5);
    m.cpu.execWatch.clear();
    m.requestStop();
    expect(m.run(1000).reason).toBe('stop-requested');
    expect(m.run(5).reason).toBe('limit');
  });
});
