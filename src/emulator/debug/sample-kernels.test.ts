// The debug side on the sample kernels of public/kernels (built by `npm run kernels`): every image's
// exec2obj table lists its manifest tests, every source file its line tables name exists, and on the
// running correct kernel a stack walk from inside a system call reaches the shell's `_main`, with or
// without the process registration.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Machine } from '../machine.ts';
import { DebugInfo } from './debug-info.ts';
import { walkStack } from './stack-walk.ts';

const KERNELS = new URL('../../../public/kernels/', import.meta.url);
const manifestUrl = new URL('manifest.json', KERNELS);
interface ManifestKernel {
  name: string;
  file: string;
  tests: string[];
}
const kernels: ManifestKernel[] = existsSync(manifestUrl) ? JSON.parse(readFileSync(manifestUrl, 'utf8')).kernels : [];
const present = kernels.filter((k) => existsSync(new URL(k.file, KERNELS)));
const image = (k: ManifestKernel) => new Uint8Array(readFileSync(new URL(k.file, KERNELS)));
const NONE = 'no sample kernels in public/kernels [SKIPPED: run `npm run kernels`]';

describe.skipIf(present.length === 0)(present.length ? 'sample kernels' : NONE, () => {
  it.each(present.map((k) => [k.name, k] as const))('%s: programs, symbols and line tables', (_name, k) => {
    const debug = DebugInfo.fromKernel(image(k));
    expect(debug.warnings).toEqual([]);
    expect(debug.programNames()).toEqual(expect.arrayContaining(k.tests));
    for (const mod of [debug.kernel, ...debug.programs]) {
      expect(mod.lines.rows.length).toBeGreaterThan(0);
      for (const file of mod.lines.files()) expect(existsSync(new URL(file, KERNELS)), `${mod.name}: ${file}`).toBe(true);
    }
    for (const p of debug.programs) expect(p.symbols.address('_main'), p.name).toBeDefined();
    expect(debug.kernel.symbols.end).toBeGreaterThan(0x100000);
    expect(debug.address('exec2obj_userapp_TOC')).toBeDefined();
  });

  const correct = present.find((k) => k.name === 'pebbles');
  it.skipIf(!correct)('pebbles: the shell waiting in readline, walked from the kernel into user space', () => {
    const machine = Machine.boot(image(correct as ManifestKernel));
    const readline = machine.debug.address('sys_readline') as number;
    expect(readline).toBeDefined();
    machine.cpu.execWatch.add(readline);
    expect(machine.run(500_000_000)).toMatchObject({ reason: 'watch', address: readline });
    const frames = machine.stackTrace();
    expect(frames.every((f) => f.name !== null), frames.map((f) => f.text).join('\n')).toBe(true);
    const crossing = frames.findIndex((f) => f.kind === 'interrupted');
    expect(crossing).toBeGreaterThan(0);
    expect(frames.slice(0, crossing).every((f) => f.space === 'kernel')).toBe(true);
    expect(frames.slice(crossing).every((f) => f.space === 'user' && f.program === 'shell')).toBe(true);
    expect(frames[frames.length - 1].name).toBe('_main');
    // Without the kernel's sim_reg_process registration the program is recognised from memory, though
    // every test program shares the library code of the first user frames.
    const read = (x: number) => {
      const b = machine.readLinear(x, 4);
      return b ? new DataView(b.buffer, b.byteOffset).getUint32(0, true) : null;
    };
    const cpu = machine.cpu;
    const unregistered = walkStack({ eip: cpu.eip, esp: cpu.esp, ebp: cpu.ebp }, read, machine.debug);
    expect(unregistered.map((f) => f.text)).toEqual(frames.map((f) => f.text));
    expect(unregistered.filter((f) => f.space === 'user').every((f) => f.program === 'shell')).toBe(true);
  });
});
