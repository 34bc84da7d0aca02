// Compares a case's native and emulated outcomes: status (both finished, or both faulted the way Linux
// maps that exception to a signal), the eight registers (minus those the SDM leaves undefined for the
// case), the six segment selectors, EFLAGS (minus the case's undefined-flags mask), the scratch buffer
// (minus bytes the SDM leaves undefined), and writes outside it.
import { FLAG, MEM_SIZE, REG_NAMES, SCRATCH_ADDR, SEG_NAMES, type CaseOutcome, type TestCase } from './layout.ts';

/** Which exceptions Linux reports as which signal (arch/x86/kernel/traps.c). */
const SIGNAL_OF: Record<string, string> = {
  '#DE': 'SIGFPE', '#DB': 'SIGTRAP', '#BP': 'SIGTRAP', '#OF': 'SIGSEGV', '#BR': 'SIGSEGV', '#UD': 'SIGILL',
  '#NP': 'SIGBUS', '#SS': 'SIGBUS', '#GP': 'SIGSEGV', '#PF': 'SIGSEGV', '#AC': 'SIGBUS',
};

export function sameStatus(native: string, emulated: string): boolean {
  if (native === 'ok' || emulated === 'ok') return native === emulated;
  return SIGNAL_OF[emulated.slice(0, 3)] === native;
}

/** One line per difference; empty when the outcomes agree. */
export function compareOutcomes(c: TestCase, native: CaseOutcome, emulated: CaseOutcome): string[] {
  const diffs: string[] = [];
  if (!sameStatus(native.status, emulated.status)) diffs.push(`status: native ${native.status}, emulated ${emulated.status}`);
  if (native.status !== 'ok' || emulated.status !== 'ok') return diffs;
  for (let r = 0; r < 8; r++) {
    const a = native.final.regs[r] >>> 0;
    const b = emulated.final.regs[r] >>> 0;
    if (((a ^ b) & ~c.undefinedRegBits[r]) === 0) continue;
    diffs.push(`${REG_NAMES[r]}: native ${hex8(a)}, emulated ${hex8(b)}`);
  }
  for (let s = 0; s < 6; s++) {
    const a = native.final.segs[s];
    const b = emulated.final.segs[s];
    if (a !== b && !(isNull(a) && isNull(b))) diffs.push(`${SEG_NAMES[s]}: native ${a.toString(16)}, emulated ${b.toString(16)}`);
  }
  const flagDiff = (native.final.eflags ^ emulated.final.eflags) & ~c.undefinedFlags;
  if (flagDiff !== 0) {
    diffs.push(`eflags: native ${hex8(native.final.eflags)}, emulated ${hex8(emulated.final.eflags)}, differing ${flagNames(flagDiff)}` +
      (c.undefinedFlags ? ` (ignored as undefined: ${flagNames(c.undefinedFlags)})` : ''));
  }
  const differs = (i: number): boolean => native.final.mem[i] !== emulated.final.mem[i] && !c.undefinedMem.includes(i);
  for (let i = 0; i < MEM_SIZE; i++) {
    if (differs(i)) {
      const bytes: string[] = [];
      let j = i;
      while (j < MEM_SIZE && j < i + 16 && differs(j)) {
        bytes.push(`${hex2(native.final.mem[j])}/${hex2(emulated.final.mem[j])}`);
        j++;
      }
      diffs.push(`memory at ${hex8(SCRATCH_ADDR + i)} (native/emulated): ${bytes.join(' ')}`);
      i = j;
    }
  }
  if (native.strayWrite !== emulated.strayWrite) diffs.push(`write below the buffer: native ${native.strayWrite}, emulated ${emulated.strayWrite}`);
  return diffs;
}

/**
 * Selectors 0-3 are all the null selector. A case that loads one with RPL != 0 can read back as 0 on the
 * host when the kernel is entered before the harness stores it (timer interrupt): x86-64 Linux / the CPU
 * reset such a selector on the way back to user mode (seen once in 10,000 `pop.es.d` cases).
 */
function isNull(selector: number): boolean {
  return (selector & ~3) === 0;
}

const FLAG_NAMES: [number, string][] = [
  [FLAG.CF, 'CF'], [FLAG.PF, 'PF'], [FLAG.AF, 'AF'], [FLAG.ZF, 'ZF'], [FLAG.SF, 'SF'], [FLAG.TF, 'TF'],
  [FLAG.IF, 'IF'], [FLAG.DF, 'DF'], [FLAG.OF, 'OF'], [0x3000, 'IOPL'], [1 << 14, 'NT'], [1 << 18, 'AC'], [1 << 21, 'ID'],
];

export function flagNames(bits: number): string {
  const names = FLAG_NAMES.filter(([bit]) => bits & bit).map(([, name]) => name);
  const known = FLAG_NAMES.reduce((m, [bit]) => m | bit, 0);
  if (bits & ~known) names.push(`bits ${hex8(bits & ~known)}`);
  return names.join(' ') || 'none';
}

export function hex8(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, '0');
}
