// Shifts and rotates (group 2: ROL ROR RCL RCR SHL SHR SAL SAR by 1, CL or Ib) and the double shifts
// SHLD/SHRD (Intel SDM vol. 2B "SAL/SAR/SHL/SHR", "RCL/RCR/ROL/ROR", "SHLD", "SHRD"). The count is masked
// to 5 bits; a masked count of 0 changes nothing, flags included. Where the SDM leaves OF undefined
// (count > 1) we compute it as for count 1 from the final result, as current Intel processors do.
import type { Cpu } from '../cpu.ts';
import type { Insn } from '../decode/insn.ts';
import { getCF, materializeFlags, setResult } from '../flags.ts';
import { FLAG_CF, FLAG_OF } from '../state.ts';
import { ea, getRegV, R8_INDEX, shOf, shV } from './operands.ts';

/** Performs shift/rotate `op` (ModRM.reg) of `a` (width sh) by `count` (already masked, > 0). */
export function shift(cpu: Cpu, op: number, a: number, count: number, sh: number): number {
  const bits = sh + 1;
  const mask = sh === 31 ? -1 : (1 << bits) - 1;
  a &= mask;
  let r: number;
  let cf: number;
  let of: number;
  switch (op) {
    case 0: { // ROL
      const n = count % bits;
      r = n === 0 ? a : ((a << n) | (a >>> (bits - n))) & mask;
      cf = r & 1;
      of = ((r >>> sh) & 1) ^ cf;
      materializeFlags(cpu);
      cpu.flags = (cpu.flags & ~(FLAG_CF | FLAG_OF)) | cf | (of << 11);
      return r;
    }
    case 1: { // ROR
      const n = count % bits;
      r = n === 0 ? a : ((a >>> n) | (a << (bits - n))) & mask;
      cf = (r >>> sh) & 1;
      of = cf ^ ((r >>> (sh - 1)) & 1);
      materializeFlags(cpu);
      cpu.flags = (cpu.flags & ~(FLAG_CF | FLAG_OF)) | cf | (of << 11);
      return r;
    }
    case 2: { // RCL: rotate through CF (width bits + 1)
      const n = count % (bits + 1);
      let c = getCF(cpu);
      r = a;
      for (let k = 0; k < n; k++) {
        const out = (r >>> sh) & 1;
        r = ((r << 1) | c) & mask;
        c = out;
      }
      of = ((r >>> sh) & 1) ^ c;
      materializeFlags(cpu);
      cpu.flags = (cpu.flags & ~(FLAG_CF | FLAG_OF)) | c | (n === 0 ? cpu.flags & FLAG_OF : of << 11);
      return r;
    }
    case 3: { // RCR
      const n = count % (bits + 1);
      let c = getCF(cpu);
      r = a;
      of = ((r >>> sh) & 1) ^ c;
      for (let k = 0; k < n; k++) {
        const out = r & 1;
        r = ((r >>> 1) | (c << sh)) & mask;
        c = out;
      }
      materializeFlags(cpu);
      cpu.flags = (cpu.flags & ~(FLAG_CF | FLAG_OF)) | c | (n === 0 ? cpu.flags & FLAG_OF : of << 11);
      return r;
    }
    case 4:
    case 6: // SHL/SAL
      r = count < 32 ? (a << count) & mask : 0;
      cf = count <= bits ? (count === 32 ? a & 1 : (a >>> (bits - count)) & 1) : 0;
      of = ((r >>> sh) & 1) ^ cf;
      setResult(cpu, r, sh, cf | (of << 11));
      return r;
    case 5: // SHR
      r = count < 32 ? a >>> count : 0;
      cf = count <= bits ? (a >>> (count - 1)) & 1 : 0;
      of = count === 1 ? (a >>> sh) & 1 : 0;
      setResult(cpu, r, sh, cf | (of << 11));
      return r;
    default: { // SAR
      const s = (a << (31 - sh)) >> (31 - sh); // sign-extended
      const n = Math.min(count, 31);
      r = (s >> n) & mask;
      cf = (s >> (Math.min(count, bits) - 1)) & 1;
      setResult(cpu, r, sh, cf);
      return r;
    }
  }
}

function doShift(cpu: Cpu, i: Insn, count: number): void {
  const sh = shOf(i);
  count &= 31;
  if (count === 0) {
    // Still checks the operand's accessibility like the processor's read.
    if (i.isMem) void (sh === 7 ? cpu.rd8(i.seg, ea(cpu, i)) : sh === 15 ? cpu.rd16(i.seg, ea(cpu, i)) : cpu.rd32(i.seg, ea(cpu, i)));
    return;
  }
  const op = i.reg;
  if (i.isMem) {
    const addr = ea(cpu, i);
    const seg = i.seg;
    if (sh === 31) cpu.wr32(seg, addr, shift(cpu, op, cpu.rdw32(seg, addr), count, 31));
    else if (sh === 15) cpu.wr16(seg, addr, shift(cpu, op, cpu.rdw16(seg, addr), count, 15));
    else cpu.wr8(seg, addr, shift(cpu, op, cpu.rdw8(seg, addr), count, 7));
  } else if (sh === 31) {
    cpu.regs[i.rm] = shift(cpu, op, cpu.regs[i.rm], count, 31);
  } else if (sh === 15) {
    cpu.r16[i.rm << 1] = shift(cpu, op, cpu.r16[i.rm << 1], count, 15);
  } else {
    const idx = R8_INDEX[i.rm];
    cpu.r8[idx] = shift(cpu, op, cpu.r8[idx], count, 7);
  }
}

/** Group 2 with an immediate count (C0, C1). */
export function shift_E_Ib(cpu: Cpu, i: Insn): void {
  doShift(cpu, i, i.imm);
}

/** Group 2 by one (D0, D1). */
export function shift_E_1(cpu: Cpu, i: Insn): void {
  doShift(cpu, i, 1);
}

/** Group 2 by CL (D2, D3). */
export function shift_E_CL(cpu: Cpu, i: Insn): void {
  doShift(cpu, i, cpu.r8[4]);
}

/** SHLD/SHRD Ev,Gv,Ib|CL (0F A4/A5/AC/AD). Count above the operand width (16-bit form) is undefined. */
export function shiftDouble(cpu: Cpu, i: Insn): void {
  const left = i.arg === 0;
  const count = (i.opcode & 1 ? cpu.r8[4] : i.imm) & 31; // 0F A5/AD: by CL; A4/AC: by Ib
  if (count === 0) return;
  const sh = shV(i);
  const bits = sh + 1;
  const src = getRegV(cpu, i, i.reg) >>> 0;
  const compute = (dst: number): number => {
    dst >>>= 0;
    let r: number;
    let cf: number;
    if (bits === 32) {
      if (left) {
        r = (dst << count) | (src >>> (32 - count));
        cf = (dst >>> (32 - count)) & 1;
      } else {
        r = (dst >>> count) | (src << (32 - count));
        cf = (dst >>> (count - 1)) & 1;
      }
    } else {
      // 16-bit: work on the 32-bit concatenation (count may exceed 16: undefined, done as Intel does).
      const both = left ? ((dst & 0xffff) << 16) | (src & 0xffff) : ((src & 0xffff) << 16) | (dst & 0xffff);
      if (left) {
        const wide = count <= 16 ? both << count : ((both << count) | ((dst & 0xffff) << (count - 16)));
        r = (wide >>> 16) & 0xffff;
        cf = ((both << (count - 1)) >>> 31) & 1;
      } else {
        const wide = count <= 16 ? both >>> count : ((both >>> count) | ((dst & 0xffff) << (32 - count)));
        r = wide & 0xffff;
        cf = (both >>> (count - 1)) & 1;
      }
    }
    const of = ((r >>> sh) & 1) ^ ((dst >>> sh) & 1);
    setResult(cpu, r, sh, cf | (of << 11));
    return sh === 31 ? r | 0 : r & 0xffff;
  };
  if (i.isMem) {
    const addr = ea(cpu, i);
    if (sh === 31) cpu.wr32(i.seg, addr, compute(cpu.rdw32(i.seg, addr)));
    else cpu.wr16(i.seg, addr, compute(cpu.rdw16(i.seg, addr)));
  } else if (sh === 31) {
    cpu.regs[i.rm] = compute(cpu.regs[i.rm]);
  } else {
    cpu.r16[i.rm << 1] = compute(cpu.r16[i.rm << 1]);
  }
}

