// Formats a differential mismatch for a human: form, case index and seed (enough to regenerate it), the
// instruction bytes with a disassembly by the host's objdump (an independent reference; omitted when
// objdump is absent), the initial state, both outcomes and the list of differences.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flagNames, hex8 } from './compare.ts';
import { CODE_ADDR, REG_NAMES, SEG_NAMES, type CaseOutcome, type CpuSnapshot, type TestCase } from './layout.ts';

export interface Mismatch {
  testCase: TestCase;
  seed: number;
  native: CaseOutcome;
  emulated: CaseOutcome;
  differences: string[];
}

/** Disassembles the snippet with `objdump -b binary -m i386`, or returns '' if that is unavailable. */
export function hostDisassembly(code: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-disasm-'));
  try {
    const file = join(dir, 'code.bin');
    writeFileSync(file, code);
    const r = spawnSync('objdump', ['-D', '-b', 'binary', '-m', 'i386', `--adjust-vma=0x${CODE_ADDR.toString(16)}`, file], { encoding: 'utf8' });
    if (r.error || r.status !== 0) return '';
    return r.stdout.split('\n')
      .filter((line) => /^\s+[0-9a-f]+:\t/.test(line))
      .map((line) => line.split('\t').slice(2).join(' ').replace(/\s+/g, ' ').trim())
      .join('; ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function registers(s: CpuSnapshot): string {
  return REG_NAMES.map((name, r) => `${name}=${hex8(s.regs[r])}`).join(' ') + ` eflags=${hex8(s.eflags)} [${flagNames(s.eflags & 0xfd5)}]` +
    ` ${SEG_NAMES.map((name, i) => `${name}=${s.segs[i].toString(16)}`).join(' ')}`;
}

export function formatMismatch(m: Mismatch): string {
  const c = m.testCase;
  const bytes = Array.from(c.code, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const disasm = hostDisassembly(c.code);
  return [
    `MISMATCH ${c.form} case #${c.index} (seed ${m.seed}): ${bytes}${disasm ? `   ${disasm}` : ''}`,
    `  initial : ${registers(c.init)}`,
    `  native  : ${m.native.status === 'ok' ? registers(m.native.final) : m.native.status}`,
    `  emulated: ${m.emulated.status === 'ok' ? registers(m.emulated.final) : m.emulated.status}`,
    ...m.differences.map((d) => `  - ${d}`),
  ].join('\n');
}
