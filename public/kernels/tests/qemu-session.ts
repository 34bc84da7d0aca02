// An interactive QEMU session for the sample kernels: boot an image, type at the shell, read the VGA
// text screen, and run one test program the way a student would (type its name, wait for the shell to
// report its exit status). Built on QMP over stdio; key names come from the platform's QEMU harness
// (src/emulator/qemu/qemu-boot.ts), which boots once and reads the final screen, whereas this keeps the
// machine running across many tests. Node only; QEMU runs in real time, so waits are host timeouts.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { qemuKeyName } from '../../../src/emulator/qemu/qemu-boot.ts';

export { hasQemu } from '../../../src/emulator/qemu/qemu-boot.ts';

export const PROMPT = '[410-shell]$';
const COLUMNS = 80;
const ROWS = 25;
const POLL_MS = 50;
const KEY_HOLD_MS = 15;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type QmpReply = Record<string, unknown>;

export interface ShellTestResult {
  name: string;
  /** The program printed "NAME: PASS" and exited with status 0. */
  passed: boolean;
  /** Exit status reported by the shell, or null if the program did not finish in time. */
  status: number | null;
  /** The screen rows from the command line to the shell's status line. */
  transcript: string[];
}

export class QemuSession {
  private readonly replies: ((reply: QmpReply) => void)[] = [];
  private exited = false;

  private constructor(
    private readonly proc: ChildProcess,
    private readonly dir: string,
  ) {
    proc.on('exit', () => {
      this.exited = true;
    });
    const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      let msg: QmpReply;
      try {
        msg = JSON.parse(line) as QmpReply;
      } catch {
        return;
      }
      if ('return' in msg || 'error' in msg || 'QMP' in msg) this.replies.shift()?.(msg);
    });
  }

  /** Starts QEMU on a multiboot kernel image (a file path) with the course's 256 MB machine. */
  static async boot(kernelPath: string): Promise<QemuSession> {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-kernel-qemu-'));
    const proc = spawn('qemu-system-i386', [
      '-kernel', kernelPath, '-m', '256', '-display', 'none', '-qmp', 'stdio', '-monitor', 'none',
      '-serial', 'none', '-no-reboot', '-rtc', 'base=2026-01-01T00:00:00',
    ], { stdio: ['pipe', 'pipe', 'pipe'] });
    const session = new QemuSession(proc, dir);
    await new Promise<QmpReply>((resolve) => session.replies.push(resolve));
    await session.command('qmp_capabilities');
    return session;
  }

  private command(execute: string, args?: Record<string, unknown>): Promise<QmpReply> {
    if (this.exited) return Promise.reject(new Error('QEMU exited'));
    return new Promise((resolve) => {
      this.replies.push(resolve);
      this.proc.stdin?.write(`${JSON.stringify(args ? { execute, arguments: args } : { execute })}\n`);
    });
  }

  /** The 25 screen rows, trailing blanks removed. */
  async screen(): Promise<string[]> {
    const dump = join(this.dir, 'vga.bin');
    await this.command('pmemsave', { val: 0xb8000, size: COLUMNS * ROWS * 2, filename: dump });
    const bytes = readFileSync(dump);
    const rows: string[] = [];
    for (let r = 0; r < ROWS; r++) {
      let row = '';
      for (let c = 0; c < COLUMNS; c++) row += String.fromCharCode(bytes[(r * COLUMNS + c) * 2] || 0x20);
      rows.push(row.trimEnd());
    }
    return rows;
  }

  /** Polls the screen until `done(rows)` holds; returns the rows, or null after `timeoutMs`. */
  async waitFor(done: (rows: string[]) => boolean, timeoutMs: number): Promise<string[] | null> {
    for (let waited = 0; waited <= timeoutMs; waited += POLL_MS) {
      const rows = await this.screen();
      if (done(rows)) return rows;
      await sleep(POLL_MS);
    }
    return null;
  }

  /** Types text on the keyboard, one key at a time ('\n' is Enter). */
  async type(text: string): Promise<void> {
    for (const ch of text) {
      await this.command('human-monitor-command', { 'command-line': `sendkey ${qemuKeyName(ch)} ${KEY_HOLD_MS}` });
      await sleep(KEY_HOLD_MS + 10);
    }
  }

  /** Waits until the shell prompt is the last line on the screen. */
  async waitForPrompt(timeoutMs = 10_000): Promise<boolean> {
    return (await this.waitFor((rows) => lastLine(rows) === PROMPT, timeoutMs)) !== null;
  }

  /**
   * Runs test program `name` from the shell prompt: types its name, then `input` (if any) once the
   * program has printed its first line, and waits for "[NAME exited with status N]".
   */
  async runTest(name: string, input?: string, timeoutMs = 10_000): Promise<ShellTestResult> {
    await this.type(`${name}\n`);
    const command = `${PROMPT} ${name}`;
    const since = (rows: string[]) => rows.slice(rows.lastIndexOf(command));
    if (input !== undefined) {
      await this.waitFor((rows) => since(rows).some((r) => r.startsWith(`${name}:`)), timeoutMs);
      await this.type(input);
    }
    const statusLine = new RegExp(`^\\[${name} exited with status (-?\\d+)\\]$`);
    const rows = await this.waitFor((r) => since(r).some((line) => statusLine.test(line)), timeoutMs);
    const transcript = rows ? since(rows) : since(await this.screen());
    const match = transcript.map((line) => statusLine.exec(line)).find((m) => m !== null);
    const status = match ? Number(match[1]) : null;
    const passed = status === 0 && transcript.includes(`${name}: PASS`);
    return { name, passed, status, transcript };
  }

  async close(): Promise<void> {
    if (!this.exited) {
      const gone = new Promise((resolve) => this.proc.once('exit', resolve));
      this.proc.kill('SIGKILL');
      await gone;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function lastLine(rows: string[]): string {
  for (let r = rows.length - 1; r >= 0; r--) if (rows[r] !== '') return rows[r];
  return '';
}
