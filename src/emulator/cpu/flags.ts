// Lazily computed arithmetic flags (Intel SDM vol. 1 §3.4.3, appendix A "EFLAGS cross-reference").
//
// Invariants:
// - `cpu.flags` holds EFLAGS, except the arithmetic bits named in `cpu.lazy`, which are stale there and
//   must be computed from the last operation: operands `lfA`, `lfB`, the untruncated result `lfRes`
//   (only bits 0..lfSh matter), the sign-bit position `lfSh` (7, 15 or 31) and `lfSub` (the operation
//   was a subtraction a - b [- borrow], else an addition a + b [+ carry]).
// - CF, OF and AF are meaningful in `lazy` only after add/sub-style operations; logic, shift and multiply
//   instructions store them directly in `flags` and leave only ZF, SF and PF lazy.
// - Carry and borrow formulas use carry-out = majority(a, b, carry-in), which also holds for ADC/SBB, so
//   the carry-in never needs to be stored.
import type { Cpu } from './cpu.ts';
import { FLAG_AF, FLAG_CF, FLAG_OF, FLAG_PF, FLAG_SF, FLAG_ZF, FLAGS_ARITH } from './state.ts';

/** 1 for bytes with an even number of set bits (PF=1). */
export const PARITY = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  let bits = 0;
  for (let v = b; v; v >>= 1) bits += v & 1;
  PARITY[b] = bits & 1 ? 0 : 1;
}

function lazyCF(cpu: Cpu): number {
  const a = cpu.lfA;
  const b = cpu.lfB;
  const r = cpu.lfRes;
  const c = cpu.lfSub ? (~a & b) | ((~a | b) & r) : (a & b) | ((a | b) & ~r);
  return (c >>> cpu.lfSh) & 1;
}

function lazyOF(cpu: Cpu): number {
  const a = cpu.lfA;
  const b = cpu.lfB;
  const r = cpu.lfRes;
  const o = cpu.lfSub ? (a ^ b) & (a ^ r) : (a ^ r) & (b ^ r);
  return (o >>> cpu.lfSh) & 1;
}

export function getCF(cpu: Cpu): number {
  return cpu.lazy & FLAG_CF ? lazyCF(cpu) : cpu.flags & FLAG_CF;
}

export function getZF(cpu: Cpu): number {
  return cpu.lazy & FLAG_ZF ? +(cpu.lfRes << (31 - cpu.lfSh) === 0) : (cpu.flags >> 6) & 1;
}

export function getSF(cpu: Cpu): number {
  return cpu.lazy & FLAG_SF ? (cpu.lfRes >>> cpu.lfSh) & 1 : (cpu.flags >> 7) & 1;
}

export function getOF(cpu: Cpu): number {
  return cpu.lazy & FLAG_OF ? lazyOF(cpu) : (cpu.flags >> 11) & 1;
}

export function getPF(cpu: Cpu): number {
  return cpu.lazy & FLAG_PF ? PARITY[cpu.lfRes & 0xff] : (cpu.flags >> 2) & 1;
}

export function getAF(cpu: Cpu): number {
  return cpu.lazy & FLAG_AF ? ((cpu.lfA ^ cpu.lfB ^ cpu.lfRes) >>> 4) & 1 : (cpu.flags >> 4) & 1;
}

/** Folds the lazy flags into `cpu.flags` (before PUSHF, LAHF, interrupts, saveState). */
export function materializeFlags(cpu: Cpu): void {
  const lazy = cpu.lazy;
  if (lazy === 0) return;
  let f = cpu.flags & ~lazy;
  if (lazy & FLAG_CF) f |= lazyCF(cpu);
  if (lazy & FLAG_PF) f |= PARITY[cpu.lfRes & 0xff] << 2;
  if (lazy & FLAG_AF) f |= (cpu.lfA ^ cpu.lfB ^ cpu.lfRes) & FLAG_AF;
  if (lazy & FLAG_ZF) f |= +(cpu.lfRes << (31 - cpu.lfSh) === 0) << 6;
  if (lazy & FLAG_SF) f |= ((cpu.lfRes >>> cpu.lfSh) & 1) << 7;
  if (lazy & FLAG_OF) f |= lazyOF(cpu) << 11;
  cpu.flags = f;
  cpu.lazy = 0;
}

/** After a + b (+ carry) = res: all six flags lazy. */
export function setAdd(cpu: Cpu, a: number, b: number, res: number, sh: number): void {
  cpu.lfA = a;
  cpu.lfB = b;
  cpu.lfRes = res;
  cpu.lfSh = sh;
  cpu.lfSub = false;
  cpu.lazy = FLAGS_ARITH;
}

/** After a - b (- borrow) = res: all six flags lazy. */
export function setSub(cpu: Cpu, a: number, b: number, res: number, sh: number): void {
  cpu.lfA = a;
  cpu.lfB = b;
  cpu.lfRes = res;
  cpu.lfSh = sh;
  cpu.lfSub = true;
  cpu.lazy = FLAGS_ARITH;
}

/** INC/DEC: like add/sub of 1 but CF is preserved. */
export function setIncDec(cpu: Cpu, a: number, res: number, sh: number, dec: boolean): void {
  if (cpu.lazy & FLAG_CF) cpu.flags = (cpu.flags & ~FLAG_CF) | lazyCF(cpu);
  cpu.lfA = a;
  cpu.lfB = 1;
  cpu.lfRes = res;
  cpu.lfSh = sh;
  cpu.lfSub = dec;
  cpu.lazy = FLAGS_ARITH & ~FLAG_CF;
}

/**
 * ZF, SF, PF lazy from `res`; CF, OF, AF set to the given bits (already in their EFLAGS positions).
 * Logic instructions pass 0; shifts and multiplies pass what they computed.
 */
export function setResult(cpu: Cpu, res: number, sh: number, cfOfAf: number): void {
  cpu.flags = (cpu.flags & ~(FLAG_CF | FLAG_OF | FLAG_AF)) | cfOfAf;
  cpu.lfRes = res;
  cpu.lfSh = sh;
  cpu.lazy = FLAG_ZF | FLAG_SF | FLAG_PF;
}

/** Sets the arithmetic flags named in `mask` to the bits of `value` (SAHF, POPF, IRET). */
export function setArithFlags(cpu: Cpu, mask: number, value: number): void {
  materializeFlags(cpu);
  cpu.flags = (cpu.flags & ~mask) | (value & mask);
}

/** Evaluates condition code `cc` (0-15, the low nibble of Jcc/SETcc/CMOVcc). */
export function testCondition(cpu: Cpu, cc: number): boolean {
  let r: number;
  switch (cc >> 1) {
    case 0: r = getOF(cpu); break;
    case 1: r = getCF(cpu); break;
    case 2: r = getZF(cpu); break;
    case 3: r = getCF(cpu) | getZF(cpu); break;
    case 4: r = getSF(cpu); break;
    case 5: r = getPF(cpu); break;
    case 6: r = getSF(cpu) ^ getOF(cpu); break;
    default: r = (getSF(cpu) ^ getOF(cpu)) | getZF(cpu); break;
  }
  return (r !== 0) !== ((cc & 1) === 1);
}
