// A minimal machine for CPU benchmarks: physical memory, an I/O bus with the debug console (port 0xE9)
// and QEMU's isa-debug-exit (port 0xF4), and a multiboot-style start (ELF32 PT_LOAD segments copied to
// their physical addresses, flat protected mode, EAX = 0x2BADB002, EIP = entry). The full PC (devices,
// multiboot info) is the platform area's Machine; this harness needs none of it.
import { IoBus } from '../src/emulator/bus/io-bus.ts';
import { Cpu, type StopReason } from '../src/emulator/cpu/cpu.ts';
import { PhysicalMemory } from '../src/emulator/memory/physical-memory.ts';

export interface BenchRun {
  stop: StopReason;
  instructions: number;
  seconds: number;
  /** Process CPU time spent (user + system): on a shared machine this is steadier than wall time. */
  cpuSeconds: number;
  debugcon: string;
  exitCode: number | null;
}

/** Copies the PT_LOAD segments of an ELF32 little-endian i386 image into memory; returns the entry point. */
export function loadElfSegments(image: Uint8Array, mem: PhysicalMemory): number {
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (image.length < 52 || dv.getUint32(0, false) !== 0x7f454c46) throw new Error('not an ELF file');
  if (image[4] !== 1 || image[5] !== 1 || dv.getUint16(18, true) !== 3) throw new Error('not a 32-bit little-endian i386 ELF');
  const phoff = dv.getUint32(28, true);
  const phentsize = dv.getUint16(42, true);
  const phnum = dv.getUint16(44, true);
  for (let k = 0; k < phnum; k++) {
    const ph = phoff + k * phentsize;
    if (ph + 32 > image.length) throw new Error('truncated program header table');
    if (dv.getUint32(ph, true) !== 1) continue; // PT_LOAD
    const offset = dv.getUint32(ph + 4, true);
    const paddr = dv.getUint32(ph + 12, true);
    const filesz = dv.getUint32(ph + 16, true);
    const memsz = dv.getUint32(ph + 20, true);
    if (offset + filesz > image.length) throw new Error('segment outside the file');
    if (paddr + memsz > mem.size) throw new Error('segment outside RAM');
    mem.writeBytes(paddr, image.subarray(offset, offset + filesz));
    if (memsz > filesz) mem.writeBytes(paddr + filesz, new Uint8Array(memsz - filesz));
  }
  return dv.getUint32(24, true);
}

/** Boots `image` and runs it until it writes port 0xF4, halts, or `maxInstructions` pass. */
export function runKernel(image: Uint8Array, maxInstructions: number, memoryBytes = 64 << 20): BenchRun {
  const mem = new PhysicalMemory(memoryBytes);
  const io = new IoBus();
  const cpu = new Cpu(mem, io);
  let debugcon = '';
  let exitCode: number | null = null;
  io.register(0xe9, 1, { write8: (_port, v) => { debugcon += String.fromCharCode(v); } });
  io.register(0xf4, 1, {
    write8: (_port, v) => {
      exitCode = v;
      cpu.requestStop();
    },
  });
  const entry = loadElfSegments(image, mem);
  cpu.setupFlatProtectedMode();
  cpu.eax = 0x2badb002;
  cpu.eip = entry;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let stop: StopReason;
  do {
    stop = cpu.run(maxInstructions);
  } while (stop === 'halt' && exitCode === null);
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { stop, instructions: cpu.instructions, seconds, cpuSeconds: (c.user + c.system) / 1e6, debugcon, exitCode };
}
