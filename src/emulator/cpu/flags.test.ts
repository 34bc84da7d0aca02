// The lazy flags against a direct computation of the SDM definitions, exhaustively for 8-bit operands.
import { describe, expect, it } from 'vitest';
import { IoBus } from '../bus/io-bus.ts';
import { PhysicalMemory } from '../memory/physical-memory.ts';
import { Cpu } from './cpu.ts';
import { alu, ALU_ADC, ALU_ADD, ALU_SBB, ALU_SUB } from './exec/arith.ts';
import { getCF, materializeFlags, setIncDec, testCondition } from './flags.ts';
import { FLAG_AF, FLAG_CF, FLAG_OF, FLAG_PF, FLAG_SF, FLAG_ZF, FLAGS_ARITH } from './state.ts';

function parity(v: number): number {
  let bits = 0;
  for (let b = 0; b < 8; b++) bits += (v >> b) & 1;
  return bits % 2 === 0 ? FLAG_PF : 0;
}

/** Flags of an 8-bit add/sub with carry-in, from their definitions. */
function reference(a: number, b: number, carry: number, sub: boolean): number {
  const full = sub ? a - b - carry : a + b + carry;
  const r = full & 0xff;
  let f = parity(r);
  if (sub ? full < 0 : full > 0xff) f |= FLAG_CF;
  if ((sub ? (a & 0xf) - (b & 0xf) - carry < 0 : (a & 0xf) + (b & 0xf) + carry > 0xf)) f |= FLAG_AF;
  if (r === 0) f |= FLAG_ZF;
  if (r & 0x80) f |= FLAG_SF;
  const sa = (a << 24) >> 24;
  const sb = (b << 24) >> 24;
  const signed = sub ? sa - sb - carry : sa + sb + carry;
  if (signed < -128 || signed > 127) f |= FLAG_OF;
  return f;
}

function makeCpu(): Cpu {
  return new Cpu(new PhysicalMemory(4096), new IoBus());
}

describe('lazy flags', () => {
  it('match the definitions for every 8-bit ADD, SUB, ADC and SBB', () => {
    const cpu = makeCpu();
    const failures: string[] = [];
    let checked = 0;
    for (const [op, sub, carry] of [[ALU_ADD, false, 0], [ALU_SUB, true, 0], [ALU_ADC, false, 1], [ALU_SBB, true, 1]] as const) {
      for (let a = 0; a < 256; a++) {
        for (let b = 0; b < 256; b++) {
          cpu.eflags = carry ? FLAG_CF : 0;
          const r = alu(cpu, op, a, b, 7) & 0xff;
          const flags = cpu.eflags & FLAGS_ARITH;
          const want = reference(a, b, carry, sub);
          if (r !== ((sub ? a - b - carry : a + b + carry) & 0xff) || flags !== want) {
            failures.push(`op ${op} ${a},${b}: result ${r} flags ${flags.toString(16)} want ${want.toString(16)}`);
          }
          checked++;
        }
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(checked).toBe(4 * 65536);
  });

  it('keeps CF through INC/DEC even when it was lazy', () => {
    const cpu = makeCpu();
    alu(cpu, ALU_SUB, 0, 1, 31); // CF=1, lazily
    setIncDec(cpu, 5, 6, 31, false);
    expect(getCF(cpu)).toBe(1);
    materializeFlags(cpu);
    expect(cpu.lazy).toBe(0);
    expect(cpu.flags & FLAG_CF).toBe(FLAG_CF);
  });

  it('evaluates all sixteen conditions from signed and unsigned comparisons', () => {
    const cpu = makeCpu();
    const pairs: [number, number][] = [[1, 2], [2, 1], [5, 5], [-1, 1], [1, -1], [0x7fffffff, -1]];
    for (const [a, b] of pairs) {
      alu(cpu, ALU_SUB, a | 0, b | 0, 31);
      const ua = a >>> 0;
      const ub = b >>> 0;
      const expected = [
        a - b > 0x7fffffff || a - b < -0x80000000, !(a - b > 0x7fffffff || a - b < -0x80000000),
        ua < ub, ua >= ub, a === b, a !== b, ua <= ub, ua > ub,
        ((a - b) | 0) < 0, ((a - b) | 0) >= 0,
        parity((a - b) & 0xff) !== 0, parity((a - b) & 0xff) === 0,
        a < b, a >= b, a <= b, a > b,
      ];
      expect(Array.from({ length: 16 }, (_, cc) => testCondition(cpu, cc))).toEqual(expected);
    }
  });
});
