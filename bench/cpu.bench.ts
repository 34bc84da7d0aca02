// CPU speed: the mixed-workload kernel (public/kernels/bench: LCG fill, insertion sort, CRC32) in our
// emulator and, in the same run, in the v86 npm package (JIT on, its BIOS-less `load_multiboot` path).
// Reports emulator.mips, v86.mips and emulator.mips_vs_v86 (plus v86.mips.interpreter, v86 with its JIT
// off). Both must print the same checksum.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runKernel } from './cpu-harness.ts';
import type { Benchmark, Measure } from './suite.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const KERNEL = path.join(here, '../public/kernels/bench/bench.elf');
const MAX_INSTRUCTIONS = 5e9;

interface V86Result {
  mips: number;
  instructions: number;
  debugcon: string;
}

interface V86Cpu {
  load_multiboot(buffer: ArrayBuffer): void;
  io: { register_write(port: number, device: object, w8: (v: number) => void): void };
}

interface V86Instance {
  add_listener(event: string, f: () => void): void;
  run(): void;
  stop(): Promise<void> | void;
  destroy(): Promise<void> | void;
  get_instruction_counter(): number;
  v86: { cpu: V86Cpu };
}

/** Runs the kernel in v86 headless (no BIOS): resolves with its MIPS, or rejects with the reason. */
async function runV86(image: Uint8Array, jit: boolean): Promise<V86Result> {
  const require = createRequire(import.meta.url);
  const wasmPath = path.join(path.dirname(require.resolve('v86')), 'v86.wasm');
  const { V86 } = (await import('v86')) as unknown as { V86: new (options: object) => V86Instance };
  const emulator = new V86({ wasm_path: wasmPath, memory_size: 64 << 20, autostart: false, disable_jit: !jit });
  return new Promise<V86Result>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('v86 did not finish within 120 s')), 120_000);
    emulator.add_listener('emulator-loaded', () => {
      const cpu = emulator.v86.cpu;
      const buffer = image.buffer.slice(image.byteOffset, image.byteOffset + image.byteLength) as ArrayBuffer;
      cpu.load_multiboot(buffer);
      let debugcon = '';
      let t0 = 0;
      // Registered after load_multiboot, which installs its own port 0xF4 handler.
      cpu.io.register_write(0xe9, cpu, (v) => {
        debugcon += String.fromCharCode(v);
      });
      cpu.io.register_write(0xf4, cpu, () => {
        const seconds = (performance.now() - t0) / 1000;
        const instructions = emulator.get_instruction_counter();
        clearTimeout(timer);
        void emulator.stop();
        void emulator.destroy();
        resolve({ mips: instructions / seconds / 1e6, instructions, debugcon });
      });
      t0 = performance.now();
      emulator.run();
    });
  });
}

export const cpuBenchmark: Benchmark = {
  name: 'cpu',
  async run(): Promise<Measure[]> {
    const image = new Uint8Array(readFileSync(KERNEL));
    const ours = runKernel(image, MAX_INSTRUCTIONS);
    if (ours.exitCode === null) throw new Error(`benchmark kernel did not exit (stop: ${ours.stop})`);
    const mips = ours.instructions / ours.seconds / 1e6;
    const measures: Measure[] = [
      {
        name: 'emulator.mips',
        value: round(mips),
        unit: 'MIPS',
        instructions: ours.instructions,
        checksum: ours.debugcon.trim(),
        cpuTimeMips: round(ours.instructions / ours.cpuSeconds / 1e6),
      },
    ];
    try {
      const v86 = await runV86(image, true);
      if (v86.debugcon !== ours.debugcon) throw new Error(`v86 printed ${JSON.stringify(v86.debugcon)}, we printed ${JSON.stringify(ours.debugcon)}`);
      measures.push({ name: 'v86.mips', value: round(v86.mips), unit: 'MIPS', instructions: v86.instructions, jit: true });
      measures.push({ name: 'emulator.mips_vs_v86', value: round(mips / v86.mips), unit: 'ratio' });
      // v86's own interpreter (JIT off): the issue's reference point for an interpreter.
      const interp = await runV86(image, false);
      measures.push({ name: 'v86.mips.interpreter', value: round(interp.mips), unit: 'MIPS', instructions: interp.instructions, jit: false });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      measures.push({ name: 'v86.mips', value: Number.NaN, unit: 'MIPS', unavailable: reason });
    }
    return measures;
  },
};

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
