// Tests of the outcome comparison: undefined flags, register bits and memory bytes are ignored, everything
// else is reported precisely, and faults match when Linux would turn the exception into that signal.
import { describe, expect, it } from 'vitest';
import { compareOutcomes, sameStatus } from './compare.ts';
import { FLAG, MEM_SIZE, SCRATCH_ADDR, USER_CS, USER_DS, type CaseOutcome, type TestCase } from './layout.ts';

function outcome(status = 'ok'): CaseOutcome {
  return {
    status,
    strayWrite: false,
    final: { regs: new Uint32Array(8), eflags: 0x202, segs: Uint16Array.of(USER_DS, USER_CS, USER_DS, USER_DS, 0, 0), mem: new Uint8Array(MEM_SIZE) },
  };
}

function testCase(patch: Partial<TestCase> = {}): TestCase {
  const init = outcome().final;
  return { form: 't', index: 0, code: Uint8Array.of(0x90), init, undefinedFlags: 0, undefinedRegBits: new Uint32Array(8), undefinedMem: [], ...patch };
}

describe('compareOutcomes', () => {
  it('accepts identical outcomes', () => {
    expect(compareOutcomes(testCase(), outcome(), outcome())).toEqual([]);
  });

  it('names each differing register, segment, flag and memory run', () => {
    const a = outcome();
    const b = outcome();
    b.final.regs[2] = 5;
    b.final.segs[4] = USER_DS;
    b.final.eflags |= FLAG.CF | FLAG.OF;
    b.final.mem[3] = 1;
    b.final.mem[4] = 2;
    expect(compareOutcomes(testCase(), a, b)).toEqual([
      'edx: native 00000000, emulated 00000005',
      'fs: native 0, emulated 2b',
      'eflags: native 00000202, emulated 00000a03, differing CF OF',
      `memory at ${(SCRATCH_ADDR + 3).toString(16).padStart(8, '0')} (native/emulated): 00/01 00/02`,
    ]);
  });

  it('treats all null selectors (0-3) as equal', () => {
    const b = outcome();
    b.final.segs[0] = 1;
    expect(compareOutcomes(testCase(), (() => { const a = outcome(); a.final.segs[0] = 0; return a; })(), b)).toEqual([]);
    b.final.segs[0] = 4;
    expect(compareOutcomes(testCase(), outcome(), b)).toEqual(['es: native 2b, emulated 4']);
  });

  it('ignores what the SDM leaves undefined for the case', () => {
    const b = outcome();
    b.final.eflags |= FLAG.AF;
    b.final.regs[0] = 0x000f0000;
    b.final.mem[7] = 9;
    const regBits = new Uint32Array(8);
    regBits[0] = 0x000f0000;
    expect(compareOutcomes(testCase({ undefinedFlags: FLAG.AF, undefinedRegBits: regBits, undefinedMem: [7] }), outcome(), b)).toEqual([]);
  });

  it('matches faults the way Linux maps exceptions to signals', () => {
    expect(sameStatus('SIGSEGV', '#GP(0x0) at 0x700000')).toBe(true);
    expect(sameStatus('SIGSEGV', '#PF(0x6) at 0x700000 cr2=0x801000')).toBe(true);
    expect(sameStatus('SIGFPE', '#DE at 0x700000')).toBe(true);
    expect(sameStatus('SIGILL', '#UD at 0x700000')).toBe(true);
    expect(sameStatus('SIGTRAP', '#BP (INT n) at 0x700001')).toBe(true);
    expect(sameStatus('SIGSEGV', '#UD at 0x700000')).toBe(false);
    expect(sameStatus('ok', '#GP(0x0) at 0x700000')).toBe(false);
    expect(compareOutcomes(testCase(), outcome('SIGSEGV'), outcome('ok'))).toEqual(['status: native SIGSEGV, emulated ok']);
  });
});
