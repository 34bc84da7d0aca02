// The sample kernel images (public/kernels): they carry what tools need (15-410 layout, symbols,
// annotations, embedded programs, line info) and match their sources byte for byte. The rebuild skips,
// saying why, when gcc -m32 or make is missing.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DebugInfo } from '../../../src/emulator/index.ts';
import { KERNELS_DIR as KERNELS, type KernelEntry, manifest } from './manifest.ts';

const image = (k: KernelEntry) => new Uint8Array(readFileSync(join(KERNELS, k.file)));

const ANNOTATIONS = [
  'thread_switch', 'sched_init_done', 'forking', 'vanishing', 'sleeping', 'thread_on_rq', 'thread_off_rq',
  'mutex_locking', 'mutex_blocking', 'mutex_locking_done', 'mutex_unlocking', 'mutex_unlocking_done', 'preempt',
].map((a) => `tell_landslide_${a}`);

describe('manifest and images', () => {
  it('lists the correct kernel with every test, and each planted bug with the test that exposes it', () => {
    const byName = new Map(manifest.kernels.map((k) => [k.name, k]));
    expect(byName.get('pebbles')?.bug).toBeNull();
    expect(byName.get('pebbles')?.tests).toHaveLength(17);
    const bugs = manifest.kernels.filter((k) => k.bug);
    expect(bugs).toHaveLength(12);
    for (const k of bugs) expect(k.tests).toEqual([k.bug?.test]);
    // Unannotated builds of planted bugs carry their annotated twin's bug.
    const unannotated = bugs.filter((k) => k.name.endsWith('-unannotated'));
    expect(unannotated.map((k) => k.name)).toEqual(['bug-wait-use-after-free-unannotated', 'bug-lock-order-unannotated', 'bug-lost-wakeup-unannotated',
      'bug-mutex-test-then-set-unannotated', 'bug-wait-drops-lock-unannotated']);
    for (const k of unannotated) {
      expect(k.annotated).toBe(false);
      expect(k.bug).toEqual(byName.get(k.name.replace(/-unannotated$/, ''))?.bug);
    }
    for (const k of manifest.kernels) {
      for (const source of k.sources) expect(readFileSync(join(KERNELS, source)).length).toBeGreaterThan(0);
    }
  });

  it.each(manifest.kernels.map((k) => [k.name, k] as const))('%s follows the 15-410 layout', (_, k) => {
    const info = DebugInfo.fromKernel(image(k));
    const sym = (name: string) => info.kernel.symbols.address(name);
    expect(sym('init_idt')).toBe(0x100100);
    expect(sym('init_gdt')).toBe(0x100900);
    expect(sym('init_tss')).toBe(0x100930);
    for (const name of ['_start', 'kernel_main', 'panic', 'hlt', 'timer_wrapper', 'page_fault_wrapper',
      'context_switch', 'readline', 'mutex_lock', 'mutex_unlock', 'lmm_alloc', 'lmm_free', 'thread_killed']) {
      expect(sym(name), name).toBeDefined();
    }
    for (const name of ANNOTATIONS) expect(sym(name) !== undefined, name).toBe(k.annotated);
    expect(info.programNames()).toEqual(expect.arrayContaining(['init', 'shell', ...k.tests]));
    for (const test of k.tests) {
      const program = info.program(test);
      expect(program?.error ?? null).toBeNull();
      expect(program?.elf?.header.entry).toBe(program?.symbols.address('_main'));
    }
    const mutexLock = sym('mutex_lock') as number;
    expect(info.locate(mutexLock).file).toMatch(/^(\.\/)?kern\/mutex\.c$/);
  });
});

const firstLine = (command: string) => spawnSync('sh', ['-c', `${command} | head -n 1`], { encoding: 'utf8' }).stdout.trim();

/** Why the images cannot be rebuilt byte for byte here, or null if they can. */
function rebuildBlocker(): string | null {
  const gcc32 = spawnSync('sh', ['-c', "echo 'int x;' | gcc -m32 -ffreestanding -c -x c - -o /dev/null"]);
  if (gcc32.status !== 0) return 'gcc cannot compile for i386 (-m32): install gcc-multilib';
  if (spawnSync('make', ['--version']).status !== 0) return 'make is not installed';
  const toolchain = `${firstLine('gcc --version')} / ${firstLine('ld --version')}`;
  if (toolchain !== manifest.toolchain) return `the images were built by "${manifest.toolchain}", this machine has "${toolchain}"`;
  return null;
}

const blocker = rebuildBlocker();
if (blocker) console.warn(`kernels: skipping the reproducible-build check: ${blocker}`);

describe.skipIf(blocker !== null)('reproducible build', () => {
  it('rebuilding from the committed sources gives byte-identical images and manifest', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'faultline-kernels-'));
    try {
      const src = join(tmp, 'src');
      const skip = new Set(['build', 'tests', 'bench']);
      cpSync(KERNELS, src, {
        recursive: true,
        filter: (path) => !skip.has(path.slice(KERNELS.length + 1)) && !/\.elf$|manifest\.json$/.test(path),
      });
      const out = join(tmp, 'out');
      const make = spawnSync('make', ['-j2', '-s', '-C', src, `OUT=${out}`, `BUILD=${join(tmp, 'build')}`], {
        encoding: 'utf8',
      });
      expect(make.status, make.stderr).toBe(0);
      const built = readdirSync(out).sort();
      expect(built).toEqual([...manifest.kernels.map((k) => k.file), 'manifest.json'].sort());
      for (const file of built) {
        const same = Buffer.compare(readFileSync(join(out, file)), readFileSync(join(KERNELS, file))) === 0;
        expect(same, `${file} differs from the committed copy: run npm run kernels and commit`).toBe(true);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 300_000);
});
