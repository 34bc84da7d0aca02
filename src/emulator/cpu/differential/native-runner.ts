// Runs test cases on the host CPU: builds native-harness.S with `gcc -m32 -nostdlib -static` into a
// temporary directory, feeds it fixed-size case records on stdin and decodes the result records from
// stdout (protocol in the harness's header comment). `NativeHarness.build()` returns a reason string
// instead of a harness when this host cannot build or run 32-bit x86 Linux code, so tests can skip clearly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_MAX, FS, GS, MEM_SIZE, type CaseOutcome, type TestCase } from './layout.ts';

const IN_SIZE = CODE_MAX + 4 + 32 + 4 + 8 + MEM_SIZE;
const OUT_SIZE = 4 + 32 + 4 + 24 + MEM_SIZE;
const BATCH = 4096;
const SIGNALS: Record<number, string> = { 4: 'SIGILL', 5: 'SIGTRAP', 7: 'SIGBUS', 8: 'SIGFPE', 11: 'SIGSEGV' };
const SOURCE = fileURLToPath(new URL('./native-harness.S', import.meta.url));

export class NativeHarness {
  private constructor(private readonly executable: string, private readonly dir: string) {}

  /** Builds and smoke-tests the harness; returns why not when the host cannot run 32-bit x86 code. */
  static build(): NativeHarness | string {
    if (process.arch !== 'x64' && process.arch !== 'ia32') return `host is ${process.arch}, not x86: native differential tests skipped`;
    if (process.platform !== 'linux') return `host OS is ${process.platform}, not Linux: native differential tests skipped`;
    const dir = mkdtempSync(join(tmpdir(), 'faultline-native-'));
    const executable = join(dir, 'harness');
    const cc = spawnSync('gcc', ['-m32', '-nostdlib', '-static', '-o', executable, SOURCE], { encoding: 'utf8' });
    if (cc.error || cc.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      return `cannot build the 32-bit native harness (gcc -m32 -nostdlib -static): ${cc.error?.message ?? cc.stderr.trim()}`;
    }
    const harness = new NativeHarness(executable, dir);
    const probe = spawnSync(executable, [], { input: Buffer.alloc(0) });
    if (probe.error || probe.status !== 0) {
      harness.dispose();
      return `this host cannot run 32-bit x86 Linux programs: ${probe.error?.message ?? `exit status ${probe.status}`}`;
    }
    return harness;
  }

  /** Runs the cases natively, in batches; one outcome per case, in order. */
  run(cases: readonly TestCase[]): CaseOutcome[] {
    const outcomes: CaseOutcome[] = [];
    for (let first = 0; first < cases.length; first += BATCH) outcomes.push(...this.runBatch(cases.slice(first, first + BATCH)));
    return outcomes;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private runBatch(cases: readonly TestCase[]): CaseOutcome[] {
    const input = Buffer.alloc(cases.length * IN_SIZE);
    cases.forEach((c, i) => encodeCase(c, input.subarray(i * IN_SIZE, (i + 1) * IN_SIZE)));
    const result = spawnSync(this.executable, [], { input, maxBuffer: cases.length * OUT_SIZE + 1024, timeout: 60_000 });
    if (result.error) throw new Error(`native harness failed: ${result.error.message}`);
    if (result.status !== 0 || result.stdout.length !== cases.length * OUT_SIZE) {
      throw new Error(`native harness exited with status ${result.status} (signal ${result.signal}) after ${Math.floor(result.stdout.length / OUT_SIZE)} of ${cases.length} cases`);
    }
    return cases.map((_, i) => decodeOutcome(result.stdout.subarray(i * OUT_SIZE, (i + 1) * OUT_SIZE)));
  }
}

function encodeCase(c: TestCase, out: Buffer): void {
  out.set(c.code, 0);
  out.writeUInt32LE(c.code.length, CODE_MAX);
  c.init.regs.forEach((v, r) => out.writeUInt32LE(v, CODE_MAX + 4 + 4 * r));
  out.writeUInt32LE(c.init.eflags >>> 0, CODE_MAX + 36);
  out.writeUInt32LE(c.init.segs[FS], CODE_MAX + 40);
  out.writeUInt32LE(c.init.segs[GS], CODE_MAX + 44);
  out.set(c.init.mem, CODE_MAX + 48);
}

function decodeOutcome(rec: Buffer): CaseOutcome {
  const status = rec.readUInt32LE(0);
  const signal = status & 0xff;
  const regs = new Uint32Array(8);
  for (let r = 0; r < 8; r++) regs[r] = rec.readUInt32LE(4 + 4 * r);
  const segs = new Uint16Array(6);
  for (let s = 0; s < 6; s++) segs[s] = rec.readUInt32LE(40 + 4 * s);
  return {
    status: signal === 0 ? 'ok' : (SIGNALS[signal] ?? `signal ${signal}`),
    strayWrite: (status & 0x100) !== 0,
    final: { regs, eflags: rec.readUInt32LE(36), segs, mem: new Uint8Array(rec.subarray(64, 64 + MEM_SIZE)) },
  };
}
