// Differential boot check: the same kernel image and typed input in our machine and in QEMU, compared by
// the final 80x25 text screen (trailing blanks trimmed) and port 0xE9 output. Used by
// qemu-differential.test.ts and, for every sample kernel, by
// `npx tsx src/emulator/qemu/differential.ts [--type 'fork_wait\n'] [kernel.elf ...]` (defaults to the
// kernels in public/kernels/manifest.json and public/kernels/bench).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trimRow } from '../devices/vga.ts';
import { Machine } from '../machine.ts';
import { runWithInput } from '../machine-run.ts';
import { bootInQemu, hasQemu } from './qemu-boot.ts';

/** The 15-410 shell prompt the sample kernels print when they wait for a command. */
export const SHELL_PROMPT = '[410-shell]$';

export interface ScreenDiff {
  row: number;
  ours: string;
  qemu: string;
}

export interface DifferentialResult {
  ours: string[];
  qemu: string[];
  /** Rows that differ (empty: the screens match). Not compared when our screen stayed blank: the
   *  kernel never wrote it, and QEMU still shows its BIOS banner there. */
  diffs: ScreenDiff[];
  screenCompared: boolean;
  /** Port 0xE9 output of each. */
  debugcon: { ours: string; qemu: string };
  stop: string;
  qemuSettled: boolean;
}

/** Our screen rows with glyphs mapped back to bytes as QEMU's dump shows them (Latin-1 of the byte). */
function ourRowsAsBytes(machine: Machine): string[] {
  const cells = machine.screen().cells;
  const rows: string[] = [];
  for (let r = 0; r < 25; r++) {
    let row = '';
    for (let c = 0; c < 80; c++) row += String.fromCharCode(cells[r * 80 + c] & 0xff || 0x20);
    rows.push(trimRow(row));
  }
  return rows;
}

/** Boots `image` in both machines with the same typed lines and compares the final screens. */
export async function compareWithQemu(
  image: Uint8Array, type: string[] = [], options: { maxInstructions?: number; settleMs?: number; prompt?: string } = {},
): Promise<DifferentialResult> {
  const machine = Machine.boot(image);
  const stop = runWithInput(machine, { type: type.join(''), maxInstructions: options.maxInstructions ?? 2e10 });
  const ours = ourRowsAsBytes(machine);
  const q = await bootInQemu(image, { type, settleMs: options.settleMs, prompt: options.prompt });
  const qemu = q.rows.map(trimRow);
  const diffs: ScreenDiff[] = [];
  const screenCompared = ours.some((row) => row !== '');
  if (screenCompared) {
    for (let row = 0; row < 25; row++) if (ours[row] !== qemu[row]) diffs.push({ row, ours: ours[row], qemu: qemu[row] });
  }
  return {
    ours, qemu, diffs, screenCompared, stop: stop.reason, qemuSettled: q.settled,
    debugcon: { ours: machine.debugcon, qemu: q.debugcon },
  };
}

interface ManifestKernel {
  name: string;
  file?: string;
  kernel?: string;
}

/** Kernel files listed in public/kernels/manifest.json, plus the ELFs in public/kernels/bench. */
export function sampleKernels(root: string): { name: string; path: string }[] {
  const out: { name: string; path: string }[] = [];
  const manifestPath = join(root, 'manifest.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { kernels?: ManifestKernel[] };
    for (const k of manifest.kernels ?? []) {
      const file = k.file ?? k.kernel;
      if (file) out.push({ name: k.name, path: join(root, file) });
    }
  }
  const bench = join(root, 'bench');
  if (existsSync(bench)) {
    for (const f of readdirSync(bench)) if (f.endsWith('.elf')) out.push({ name: `bench/${f}`, path: join(bench, f) });
  }
  return out;
}

async function main(args: string[]): Promise<number> {
  if (!hasQemu()) {
    console.log('SKIPPED: qemu-system-i386 is not installed');
    return 0;
  }
  const root = fileURLToPath(new URL('../../../public/kernels', import.meta.url));
  const type: string[] = [];
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--type' && i + 1 < args.length) type.push(args[++i].replace(/\\n/g, '\n'));
    else paths.push(args[i]);
  }
  const kernels = paths.length > 0 ? paths.map((p) => ({ name: p, path: p })) : sampleKernels(root);
  let failures = 0;
  for (const k of kernels) {
    const r = await compareWithQemu(new Uint8Array(readFileSync(k.path)), type, { prompt: k.name.startsWith('bench/') ? undefined : SHELL_PROMPT });
    const screen = !r.screenCompared ? 'screen not written' : r.diffs.length === 0 ? 'same screen' : `${r.diffs.length} rows differ`;
    const debugcon = r.debugcon.ours === r.debugcon.qemu ? 'same debugcon' : 'debugcon differs';
    console.log(`${k.name}: ${screen}, ${debugcon} (ours stopped: ${r.stop}; qemu settled: ${r.qemuSettled})`);
    for (const d of r.diffs) console.log(`  row ${d.row}\n    ours: ${JSON.stringify(d.ours)}\n    qemu: ${JSON.stringify(d.qemu)}`);
    if (r.debugcon.ours !== r.debugcon.qemu) console.log(`  debugcon ours: ${JSON.stringify(r.debugcon.ours)}\n  debugcon qemu: ${JSON.stringify(r.debugcon.qemu)}`);
    if (r.diffs.length > 0 || r.debugcon.ours !== r.debugcon.qemu) failures++;
  }
  return failures === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
