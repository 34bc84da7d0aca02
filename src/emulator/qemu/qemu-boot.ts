// Boots a kernel in QEMU (qemu-system-i386) for differential tests against our machine: the same image,
// the same typed input (QEMU monitor `sendkey`), and the final 80x25 text screen read from QEMU's guest
// memory at 0xB8000 (QMP `pmemsave`). Node only; not part of the emulator's public entry.
// QEMU runs in real time, so "the kernel waits for input" is judged by the screen: it has stopped
// changing for `settleMs`. Typed lines go in one at a time after the screen settles, as a user would.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const QEMU = 'qemu-system-i386';

let qemuPresent: boolean | undefined;

/** True when qemu-system-i386 runs on this machine (checked once). */
export function hasQemu(): boolean {
  if (qemuPresent === undefined) {
    const r = spawnSync(QEMU, ['--version'], { stdio: 'pipe' });
    qemuPresent = r.status === 0;
  }
  return qemuPresent;
}

export interface QemuBootOptions {
  /** Lines to type, each sent after the screen settles (include '\n' to press Enter). */
  type?: string[];
  /** Screen unchanged this long (ms) counts as waiting for input / finished. Default 1500. */
  settleMs?: number;
  /** Give up after this long (ms). Default 60000. */
  timeoutMs?: number;
  /** Memory in MB (default 256, the course's machine). */
  memoryMB?: number;
  /** The image is a floppy (bootfd.img) rather than a multiboot kernel. */
  floppy?: boolean;
  /** If given, the screen only counts as settled once its last non-blank row ends with this text. */
  prompt?: string;
}

export interface QemuScreen {
  /** 25 rows of 80 characters (bytes as Latin-1; compare with trimRow'd ASCII rows). */
  rows: string[];
  cells: Uint16Array;
  /** Whether the screen settled before the timeout. */
  settled: boolean;
  /** What the kernel wrote to port 0xE9 (QEMU -debugcon). */
  debugcon: string;
}

/** QEMU `sendkey` names for the characters we can type. */
const QEMU_KEYS: Record<string, string> = {
  ' ': 'spc', '\n': 'ret', '\t': 'tab', '\b': 'backspace', '-': 'minus', '_': 'shift-minus', '=': 'equal',
  '+': 'shift-equal', '.': 'dot', ',': 'comma', '/': 'slash', '?': 'shift-slash', ';': 'semicolon',
  ':': 'shift-semicolon', "'": 'apostrophe', '"': 'shift-apostrophe', '`': 'grave_accent', '\\': 'backslash',
  '[': 'bracket_left', ']': 'bracket_right', '!': 'shift-1', '@': 'shift-2', '#': 'shift-3', '$': 'shift-4',
  '%': 'shift-5', '^': 'shift-6', '&': 'shift-7', '*': 'shift-8', '(': 'shift-9', ')': 'shift-0',
  '<': 'shift-comma', '>': 'shift-dot', '{': 'shift-bracket_left', '}': 'shift-bracket_right',
  '|': 'shift-backslash', '~': 'shift-grave_accent',
};

/** The `sendkey` argument for one character. */
export function qemuKeyName(ch: string): string {
  if (/^[a-z0-9]$/.test(ch)) return ch;
  if (/^[A-Z]$/.test(ch)) return `shift-${ch.toLowerCase()}`;
  const name = QEMU_KEYS[ch];
  if (!name) throw new RangeError(`cannot type ${JSON.stringify(ch)} into QEMU`);
  return name;
}

const POLL_MS = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True when the last non-blank row of the text screen ends with `prompt`. */
function endsWithPrompt(cells: Uint16Array, prompt: string): boolean {
  for (let r = 24; r >= 0; r--) {
    let row = '';
    for (let c = 0; c < 80; c++) row += String.fromCharCode(cells[r * 80 + c] & 0xff || 0x20);
    row = row.trimEnd();
    if (row !== '') return row.endsWith(prompt.trimEnd());
  }
  return false;
}

/** A QMP session over the child's stdio: one command at a time. */
class Qmp {
  private readonly waiting: ((reply: Record<string, unknown>) => void)[] = [];

  constructor(private readonly proc: ReturnType<typeof spawn>) {
    const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      if ('return' in msg || 'error' in msg || 'QMP' in msg) this.waiting.shift()?.(msg);
    });
  }

  /** Sends a command and resolves with its reply. */
  command(execute: string, args?: Record<string, unknown>): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.proc.stdin?.write(`${JSON.stringify(args ? { execute, arguments: args } : { execute })}\n`);
    });
  }

  greeting(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

/** Boots `image` in QEMU, types the given lines as the screen settles, returns the final screen. */
export async function bootInQemu(image: Uint8Array, options: QemuBootOptions = {}): Promise<QemuScreen> {
  // Time is counted in polls of POLL_MS (the emulator tree has no wall clock; these are host sleeps).
  const settlePolls = Math.ceil((options.settleMs ?? 1500) / POLL_MS);
  let pollsLeft = Math.ceil((options.timeoutMs ?? 60_000) / POLL_MS);
  const dir = mkdtempSync(join(tmpdir(), 'faultline-qemu-'));
  const imagePath = join(dir, options.floppy ? 'bootfd.img' : 'kernel.elf');
  const dumpPath = join(dir, 'vga.bin');
  const debugconPath = join(dir, 'debugcon.txt');
  writeFileSync(imagePath, image);
  const proc = spawn(QEMU, [
    ...(options.floppy ? ['-fda', imagePath] : ['-kernel', imagePath]),
    '-m', String(options.memoryMB ?? 256), '-display', 'none', '-qmp', 'stdio', '-monitor', 'none',
    '-serial', 'none', '-no-reboot', '-rtc', 'base=2026-01-01T00:00:00',
    '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-debugcon', `file:${debugconPath}`,
  ], { stdio: ['pipe', 'pipe', 'pipe'] });
  let exited = false;
  proc.on('exit', () => { exited = true; });
  const qmp = new Qmp(proc);
  try {
    await qmp.greeting();
    await qmp.command('qmp_capabilities');
    const readScreen = async (): Promise<Uint16Array | null> => {
      if (exited) return null;
      await qmp.command('pmemsave', { val: 0xb8000, size: 4000, filename: dumpPath });
      const bytes = readFileSync(dumpPath);
      return new Uint16Array(bytes.buffer, bytes.byteOffset, 2000).slice();
    };
    let last: Uint16Array | null = null;
    /** Waits for a stable screen; after typing, only once the screen has changed (the echo arrived). */
    const settle = async (afterTyping: boolean): Promise<boolean> => {
      let stable = 0;
      let changed = !afterTyping;
      while (pollsLeft-- > 0) {
        await sleep(POLL_MS);
        const cells = await readScreen();
        if (cells === null) return true;
        if (last === null || cells.some((c, i) => c !== (last as Uint16Array)[i])) {
          last = cells;
          stable = 0;
          changed = true;
        } else if (++stable >= settlePolls && changed && (!options.prompt || endsWithPrompt(cells, options.prompt))) {
          return true;
        }
      }
      return false;
    };
    let settled = await settle(false);
    for (const line of options.type ?? []) {
      for (const ch of line) {
        await qmp.command('human-monitor-command', { 'command-line': `sendkey ${qemuKeyName(ch)}` });
        await sleep(30);
      }
      settled = await settle(true);
    }
    const cells = (last as Uint16Array | null) ?? new Uint16Array(2000);
    const rows: string[] = [];
    for (let r = 0; r < 25; r++) {
      let row = '';
      for (let c = 0; c < 80; c++) row += String.fromCharCode(cells[r * 80 + c] & 0xff || 0x20);
      rows.push(row);
    }
    const debugcon = existsSync(debugconPath) ? readFileSync(debugconPath, 'latin1') : '';
    return { rows, cells, settled, debugcon };
  } finally {
    if (!exited) proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
