// Integer arithmetic and logic (Intel SDM vol. 2): the eight ALU operations in all their operand forms,
// INC/DEC/NEG/NOT, TEST, MUL/IMUL (all forms)/DIV/IDIV with #DE, CMPXCHG/CMPXCHG8B/XADD, the BCD
// adjusts, and the sign extensions CBW/CWDE/CWD/CDQ. Flags go through the lazy-flag helpers.
import type { Cpu } from '../cpu.ts';
import type { Insn } from '../decode/insn.ts';
import { getAF, getCF, materializeFlags, setAdd, setIncDec, setResult, setSub } from '../flags.ts';
import { EAX, EBX, ECX, EDX, EXC_DE, FLAG_AF, FLAG_CF, FLAG_OF, FLAG_ZF } from '../state.ts';
import { ea, getReg8, getRegV, maskTo, R8_INDEX, readEb, readEv, rmw, setReg8, setRegV, shOf, shV } from './operands.ts';

export const ALU_ADD = 0;
export const ALU_OR = 1;
export const ALU_ADC = 2;
export const ALU_SBB = 3;
export const ALU_AND = 4;
export const ALU_SUB = 5;
export const ALU_XOR = 6;
export const ALU_CMP = 7;

/** Applies ALU operation `op` to a and b (masked to the width `sh`) and sets flags; returns the result. */
export function alu(cpu: Cpu, op: number, a: number, b: number, sh: number): number {
  let r: number;
  switch (op) {
    case ALU_ADD:
      r = (a + b) | 0;
      setAdd(cpu, a, b, r, sh);
      return r;
    case ALU_OR:
      r = a | b;
      setResult(cpu, r, sh, 0);
      return r;
    case ALU_ADC:
      r = (a + b + getCF(cpu)) | 0;
      setAdd(cpu, a, b, r, sh);
      return r;
    case ALU_SBB:
      r = (a - b - getCF(cpu)) | 0;
      setSub(cpu, a, b, r, sh);
      return r;
    case ALU_AND:
      r = a & b;
      setResult(cpu, r, sh, 0);
      return r;
    case ALU_XOR:
      r = a ^ b;
      setResult(cpu, r, sh, 0);
      return r;
    default: // SUB, CMP
      r = (a - b) | 0;
      setSub(cpu, a, b, r, sh);
      return r;
  }
}

function aluRmw(cpu: Cpu, i: Insn, sh: number, b: number): void {
  const op = i.arg;
  if (op === ALU_CMP) {
    const a = sh === 7 ? readEb(cpu, i) : readEv(cpu, i);
    alu(cpu, op, a, b, sh);
    return;
  }
  if (i.isMem) {
    const addr = ea(cpu, i);
    const seg = i.seg;
    if (sh === 31) cpu.wr32(seg, addr, alu(cpu, op, cpu.rdw32(seg, addr), b, 31));
    else if (sh === 15) cpu.wr16(seg, addr, alu(cpu, op, cpu.rdw16(seg, addr), b, 15));
    else cpu.wr8(seg, addr, alu(cpu, op, cpu.rdw8(seg, addr), b, 7));
  } else if (sh === 31) {
    cpu.regs[i.rm] = alu(cpu, op, cpu.regs[i.rm], b, 31);
  } else if (sh === 15) {
    cpu.r16[i.rm << 1] = alu(cpu, op, cpu.r16[i.rm << 1], b, 15);
  } else {
    const idx = R8_INDEX[i.rm];
    cpu.r8[idx] = alu(cpu, op, cpu.r8[idx], b, 7);
  }
}

/** op Eb,Gb */
export function alu_Eb_Gb(cpu: Cpu, i: Insn): void {
  aluRmw(cpu, i, 7, getReg8(cpu, i.reg));
}

/** op Ev,Gv */
export function alu_Ev_Gv(cpu: Cpu, i: Insn): void {
  if (i.o32) aluRmw(cpu, i, 31, cpu.regs[i.reg]);
  else aluRmw(cpu, i, 15, cpu.r16[i.reg << 1]);
}

/** op Gb,Eb */
export function alu_Gb_Eb(cpu: Cpu, i: Insn): void {
  const r = alu(cpu, i.arg, getReg8(cpu, i.reg), readEb(cpu, i), 7);
  if (i.arg !== ALU_CMP) setReg8(cpu, i.reg, r);
}

/** op Gv,Ev */
export function alu_Gv_Ev(cpu: Cpu, i: Insn): void {
  const sh = shV(i);
  const r = alu(cpu, i.arg, getRegV(cpu, i, i.reg), readEv(cpu, i), sh);
  if (i.arg !== ALU_CMP) setRegV(cpu, i, i.reg, r);
}

/** op AL,Ib */
export function alu_AL_Ib(cpu: Cpu, i: Insn): void {
  const r = alu(cpu, i.arg, cpu.r8[0], i.imm & 0xff, 7);
  if (i.arg !== ALU_CMP) cpu.r8[0] = r;
}

/** op eAX,Iz */
export function alu_eAX_Iz(cpu: Cpu, i: Insn): void {
  if (i.o32) {
    const r = alu(cpu, i.arg, cpu.regs[EAX], i.imm, 31);
    if (i.arg !== ALU_CMP) cpu.regs[EAX] = r;
  } else {
    const r = alu(cpu, i.arg, cpu.r16[0], i.imm & 0xffff, 15);
    if (i.arg !== ALU_CMP) cpu.r16[0] = r;
  }
}

/** Group 1: op Eb,Ib (80, 82) */
export function alu_Eb_Ib(cpu: Cpu, i: Insn): void {
  aluRmw(cpu, i, 7, i.imm & 0xff);
}

/** Group 1: op Ev,Iz (81) and op Ev,Ib sign-extended (83); the decoder stores the extended immediate. */
export function alu_Ev_I(cpu: Cpu, i: Insn): void {
  if (i.o32) aluRmw(cpu, i, 31, i.imm | 0);
  else aluRmw(cpu, i, 15, i.imm & 0xffff);
}

// ---- TEST ----

export function test_Eb_Gb(cpu: Cpu, i: Insn): void {
  setResult(cpu, readEb(cpu, i) & getReg8(cpu, i.reg), 7, 0);
}

export function test_Ev_Gv(cpu: Cpu, i: Insn): void {
  setResult(cpu, readEv(cpu, i) & getRegV(cpu, i, i.reg), shV(i), 0);
}

export function test_Eb_Ib(cpu: Cpu, i: Insn): void {
  setResult(cpu, readEb(cpu, i) & i.imm, 7, 0);
}

export function test_Ev_Iz(cpu: Cpu, i: Insn): void {
  setResult(cpu, readEv(cpu, i) & i.imm, shV(i), 0);
}

export function test_AL_Ib(cpu: Cpu, i: Insn): void {
  setResult(cpu, cpu.r8[0] & i.imm, 7, 0);
}

export function test_eAX_Iz(cpu: Cpu, i: Insn): void {
  setResult(cpu, getRegV(cpu, i, EAX) & i.imm, shV(i), 0);
}

// ---- INC / DEC / NOT / NEG ----

function inc(cpu: Cpu, a: number, i: Insn): number {
  const sh = shOf(i);
  const r = maskTo(a + 1, sh);
  setIncDec(cpu, a, r, sh, false);
  return r;
}

function dec(cpu: Cpu, a: number, i: Insn): number {
  const sh = shOf(i);
  const r = maskTo(a - 1, sh);
  setIncDec(cpu, a, r, sh, true);
  return r;
}

/** INC r32/r16 (40+r) */
export function inc_Zv(cpu: Cpu, i: Insn): void {
  const r = i.arg;
  if (i.o32) {
    const a = cpu.regs[r];
    const v = (a + 1) | 0;
    setIncDec(cpu, a, v, 31, false);
    cpu.regs[r] = v;
  } else {
    const a = cpu.r16[r << 1];
    const v = (a + 1) & 0xffff;
    setIncDec(cpu, a, v, 15, false);
    cpu.r16[r << 1] = v;
  }
}

/** DEC r32/r16 (48+r) */
export function dec_Zv(cpu: Cpu, i: Insn): void {
  const r = i.arg;
  if (i.o32) {
    const a = cpu.regs[r];
    const v = (a - 1) | 0;
    setIncDec(cpu, a, v, 31, true);
    cpu.regs[r] = v;
  } else {
    const a = cpu.r16[r << 1];
    const v = (a - 1) & 0xffff;
    setIncDec(cpu, a, v, 15, true);
    cpu.r16[r << 1] = v;
  }
}

export function inc_E(cpu: Cpu, i: Insn): void {
  rmw(cpu, i, shOf(i), inc);
}

export function dec_E(cpu: Cpu, i: Insn): void {
  rmw(cpu, i, shOf(i), dec);
}

function not(_cpu: Cpu, a: number): number {
  return ~a;
}

function neg(cpu: Cpu, a: number, i: Insn): number {
  const sh = shOf(i);
  const r = maskTo(-a, sh);
  setSub(cpu, 0, a, r, sh);
  return r;
}

export function not_E(cpu: Cpu, i: Insn): void {
  rmw(cpu, i, shOf(i), not);
}

export function neg_E(cpu: Cpu, i: Insn): void {
  rmw(cpu, i, shOf(i), neg);
}

// ---- multiply and divide ----

/** MUL/IMUL with one operand: AX = AL*r8, DX:AX = AX*r16, EDX:EAX = EAX*r32. CF=OF=upper half significant. */
export function mul_E(cpu: Cpu, i: Insn): void {
  const signed = i.arg === 1;
  if (shOf(i) === 7) {
    const b = readEb(cpu, i);
    const a = cpu.r8[0];
    const r = signed ? ((a << 24) >> 24) * ((b << 24) >> 24) : a * b;
    cpu.r16[0] = r;
    const over = signed ? r !== (r << 24) >> 24 : r > 0xff;
    setResult(cpu, r, 7, over ? FLAG_CF | FLAG_OF : 0);
  } else if (!i.o32) {
    const b = readEv(cpu, i);
    const a = cpu.r16[0];
    const r = signed ? ((a << 16) >> 16) * ((b << 16) >> 16) : a * b;
    cpu.r16[0] = r;
    cpu.r16[EDX << 1] = r >> 16;
    const over = signed ? r !== (r << 16) >> 16 : r > 0xffff;
    setResult(cpu, r, 15, over ? FLAG_CF | FLAG_OF : 0);
  } else {
    const b = readEv(cpu, i);
    const a = cpu.regs[EAX];
    let lo: number;
    let hi: number;
    if (signed) {
      // Signed high half from the unsigned one: subtract each operand where the other is negative.
      lo = Math.imul(a, b);
      hi = (mulHighU32(a >>> 0, b >>> 0) - (a < 0 ? b >>> 0 : 0) - (b < 0 ? a >>> 0 : 0)) | 0;
      setResult(cpu, lo, 31, hi !== lo >> 31 ? FLAG_CF | FLAG_OF : 0);
    } else {
      const ua = a >>> 0;
      const ub = b >>> 0;
      lo = Math.imul(a, b);
      hi = mulHighU32(ua, ub);
      setResult(cpu, lo, 31, hi !== 0 ? FLAG_CF | FLAG_OF : 0);
    }
    cpu.regs[EAX] = lo;
    cpu.regs[EDX] = hi;
  }
}

/** High 32 bits of the unsigned 64-bit product of two uint32. */
function mulHighU32(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const lolo = aLo * bLo;
  const mid1 = aHi * bLo;
  const mid2 = aLo * bHi;
  const carry = ((lolo >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff)) >>> 16;
  return (aHi * bHi + (mid1 >>> 16) + (mid2 >>> 16) + carry) | 0;
}

/** Signed a*b truncated to the operand width; sets CF=OF when the truncation lost information. */
function imulTrunc(cpu: Cpu, a: number, b: number, o32: boolean): number {
  if (o32) {
    const lo = Math.imul(a, b);
    // The double product is exact whenever it fits in 32 bits, and then equals the truncated one.
    setResult(cpu, lo, 31, (a | 0) * (b | 0) !== lo ? FLAG_CF | FLAG_OF : 0);
    return lo;
  }
  const r = ((a << 16) >> 16) * ((b << 16) >> 16);
  const t = (r << 16) >> 16;
  setResult(cpu, r, 15, t !== r ? FLAG_CF | FLAG_OF : 0);
  return r & 0xffff;
}

/** IMUL Gv,Ev (0F AF) */
export function imul_Gv_Ev(cpu: Cpu, i: Insn): void {
  setRegV(cpu, i, i.reg, imulTrunc(cpu, getRegV(cpu, i, i.reg), readEv(cpu, i), i.o32));
}

/** IMUL Gv,Ev,Iz / Ib (69, 6B) */
export function imul_Gv_Ev_I(cpu: Cpu, i: Insn): void {
  setRegV(cpu, i, i.reg, imulTrunc(cpu, readEv(cpu, i), i.imm, i.o32));
}

/** DIV/IDIV: #DE on division by zero or quotient overflow. Flags are undefined; we leave them. */
export function div_E(cpu: Cpu, i: Insn): void {
  const signed = i.arg === 1;
  if (shOf(i) === 7) {
    let d = readEb(cpu, i);
    let n = cpu.r16[0];
    if (signed) {
      d = (d << 24) >> 24;
      n = (n << 16) >> 16;
    }
    if (d === 0) cpu.fault(EXC_DE, -1);
    const q = Math.trunc(n / d);
    if (signed ? q > 127 || q < -128 : q > 0xff) cpu.fault(EXC_DE, -1);
    cpu.r8[0] = q;
    cpu.r8[1] = n % d;
  } else if (!i.o32) {
    let d = readEv(cpu, i);
    let n = ((cpu.r16[EDX << 1] << 16) | cpu.r16[0]) >>> 0;
    if (signed) {
      d = (d << 16) >> 16;
      n = n | 0;
    }
    if (d === 0) cpu.fault(EXC_DE, -1);
    const q = Math.trunc(n / d);
    if (signed ? q > 32767 || q < -32768 : q > 0xffff) cpu.fault(EXC_DE, -1);
    cpu.r16[0] = q;
    cpu.r16[EDX << 1] = n % d;
  } else {
    const d = readEv(cpu, i);
    if (d === 0) cpu.fault(EXC_DE, -1);
    if (signed) {
      const lo = cpu.regs[EAX];
      if (cpu.regs[EDX] === lo >> 31) {
        // The usual case after CDQ: the dividend fits in 32 bits.
        const q = Math.trunc(lo / d);
        if (q > 0x7fffffff) cpu.fault(EXC_DE, -1); // -2^31 / -1
        cpu.regs[EAX] = q;
        cpu.regs[EDX] = lo % d;
      } else {
        const n = (BigInt(cpu.regs[EDX]) << 32n) | BigInt(lo >>> 0);
        const dd = BigInt(d | 0);
        const q = n / dd;
        if (q > 0x7fffffffn || q < -0x80000000n) cpu.fault(EXC_DE, -1);
        cpu.regs[EAX] = Number(q);
        cpu.regs[EDX] = Number(n % dd);
      }
    } else {
      const hi = cpu.regs[EDX] >>> 0;
      const lo = cpu.regs[EAX] >>> 0;
      const ud = d >>> 0;
      if (hi >= ud) cpu.fault(EXC_DE, -1);
      if (hi === 0) {
        cpu.regs[EAX] = Math.floor(lo / ud);
        cpu.regs[EDX] = lo % ud;
      } else if (hi < 0x200000) {
        // The dividend is below 2^53, exact as a double; correct the rounded quotient by one if needed.
        const n = hi * 0x100000000 + lo;
        let q = Math.floor(n / ud);
        let r = n - q * ud;
        if (r < 0) {
          q--;
          r += ud;
        } else if (r >= ud) {
          q++;
          r -= ud;
        }
        cpu.regs[EAX] = q;
        cpu.regs[EDX] = r;
      } else {
        const n = (BigInt(hi) << 32n) | BigInt(lo);
        const bd = BigInt(ud);
        cpu.regs[EAX] = Number(n / bd);
        cpu.regs[EDX] = Number(n % bd);
      }
    }
  }
}

// ---- exchange-and-compare family ----

/** CMPXCHG Eb,Gb / Ev,Gv (0F B0/B1): compare accumulator with dest; equal -> dest = src, else acc = dest. */
export function cmpxchg(cpu: Cpu, i: Insn): void {
  const sh = shOf(i);
  const acc = sh === 7 ? cpu.r8[0] : getRegV(cpu, i, EAX);
  const src = sh === 7 ? getReg8(cpu, i.reg) : getRegV(cpu, i, i.reg);
  if (i.isMem) {
    const addr = ea(cpu, i);
    const seg = i.seg;
    // The processor always writes the destination (the old value when unequal), so check write access.
    const dest = sh === 31 ? cpu.rdw32(seg, addr) : sh === 15 ? cpu.rdw16(seg, addr) : cpu.rdw8(seg, addr);
    alu(cpu, ALU_CMP, acc, dest, sh);
    const equal = maskTo(acc, sh) === maskTo(dest, sh);
    const out = equal ? src : dest;
    if (sh === 31) cpu.wr32(seg, addr, out);
    else if (sh === 15) cpu.wr16(seg, addr, out);
    else cpu.wr8(seg, addr, out);
    if (!equal) setAcc(cpu, i, sh, dest);
  } else {
    const dest = sh === 7 ? getReg8(cpu, i.rm) : getRegV(cpu, i, i.rm);
    alu(cpu, ALU_CMP, acc, dest, sh);
    if (maskTo(acc, sh) === maskTo(dest, sh)) {
      if (sh === 7) setReg8(cpu, i.rm, src);
      else setRegV(cpu, i, i.rm, src);
    } else {
      setAcc(cpu, i, sh, dest);
    }
  }
}

function setAcc(cpu: Cpu, i: Insn, sh: number, v: number): void {
  if (sh === 7) cpu.r8[0] = v;
  else setRegV(cpu, i, EAX, v);
}

/** CMPXCHG8B Mq (0F C7 /1) */
export function cmpxchg8b(cpu: Cpu, i: Insn): void {
  if (!i.isMem) cpu.undefinedOpcode(i);
  const addr = ea(cpu, i);
  const seg = i.seg;
  const lo = cpu.rdw32(seg, addr);
  const hi = cpu.rdw32(seg, (addr + 4) | 0);
  materializeFlags(cpu);
  if (lo === cpu.regs[EAX] && hi === cpu.regs[EDX]) {
    cpu.wr32(seg, addr, cpu.regs[EBX]);
    cpu.wr32(seg, (addr + 4) | 0, cpu.regs[ECX]);
    cpu.flags |= FLAG_ZF;
  } else {
    cpu.wr32(seg, addr, lo);
    cpu.wr32(seg, (addr + 4) | 0, hi);
    cpu.regs[EAX] = lo;
    cpu.regs[EDX] = hi;
    cpu.flags &= ~FLAG_ZF;
  }
}

/** XADD Eb,Gb / Ev,Gv (0F C0/C1): temp = dest + src; src = dest; dest = temp. */
export function xadd(cpu: Cpu, i: Insn): void {
  const sh = shOf(i);
  const src = sh === 7 ? getReg8(cpu, i.reg) : getRegV(cpu, i, i.reg);
  if (i.isMem) {
    const addr = ea(cpu, i);
    const seg = i.seg;
    const dest = sh === 31 ? cpu.rdw32(seg, addr) : sh === 15 ? cpu.rdw16(seg, addr) : cpu.rdw8(seg, addr);
    const sum = alu(cpu, ALU_ADD, dest, src, sh);
    if (sh === 31) cpu.wr32(seg, addr, sum);
    else if (sh === 15) cpu.wr16(seg, addr, sum);
    else cpu.wr8(seg, addr, sum);
    if (sh === 7) setReg8(cpu, i.reg, dest);
    else setRegV(cpu, i, i.reg, dest);
  } else {
    const dest = sh === 7 ? getReg8(cpu, i.rm) : getRegV(cpu, i, i.rm);
    const sum = alu(cpu, ALU_ADD, dest, src, sh);
    if (sh === 7) {
      setReg8(cpu, i.reg, dest);
      setReg8(cpu, i.rm, sum);
    } else {
      setRegV(cpu, i, i.reg, dest);
      setRegV(cpu, i, i.rm, sum);
    }
  }
}

// ---- sign extension ----

/** CBW / CWDE (98) */
export function cbw(cpu: Cpu, i: Insn): void {
  if (i.o32) cpu.regs[EAX] = (cpu.regs[EAX] << 16) >> 16;
  else cpu.r16[0] = (cpu.r8[0] << 24) >> 24;
}

/** CWD / CDQ (99) */
export function cwd(cpu: Cpu, i: Insn): void {
  if (i.o32) cpu.regs[EDX] = cpu.regs[EAX] >> 31;
  else cpu.r16[EDX << 1] = (cpu.r16[0] << 16) >> 31;
}

// ---- BCD (SDM pseudo-code for each) ----

function setAluByte(cpu: Cpu, al: number, cf: number, af: number): void {
  setResult(cpu, al, 7, (cf ? FLAG_CF : 0) | (af ? FLAG_AF : 0));
}

export function daa(cpu: Cpu): void {
  const oldAl = cpu.r8[0];
  const oldCf = getCF(cpu);
  let al = oldAl;
  let cf = 0;
  let af = 0;
  if ((al & 0x0f) > 9 || getAF(cpu)) {
    al += 6;
    cf = oldCf | +(al > 0xff);
    af = 1;
  }
  if (oldAl > 0x99 || oldCf) {
    al += 0x60;
    cf = 1;
  }
  cpu.r8[0] = al;
  setAluByte(cpu, al & 0xff, cf, af);
}

export function das(cpu: Cpu): void {
  const oldAl = cpu.r8[0];
  const oldCf = getCF(cpu);
  let al = oldAl;
  let cf = 0;
  let af = 0;
  if ((al & 0x0f) > 9 || getAF(cpu)) {
    cf = oldCf | +(al < 6);
    al -= 6;
    af = 1;
  }
  if (oldAl > 0x99 || oldCf) {
    al -= 0x60;
    cf = 1;
  }
  cpu.r8[0] = al;
  setAluByte(cpu, al & 0xff, cf, af);
}

export function aaa(cpu: Cpu): void {
  const adjust = (cpu.r8[0] & 0x0f) > 9 || getAF(cpu) === 1;
  if (adjust) {
    cpu.r16[0] = cpu.r16[0] + 0x106;
  }
  cpu.r8[0] &= 0x0f;
  setAluByte(cpu, cpu.r8[0], +adjust, +adjust);
}

export function aas(cpu: Cpu): void {
  const adjust = (cpu.r8[0] & 0x0f) > 9 || getAF(cpu) === 1;
  if (adjust) {
    cpu.r16[0] = cpu.r16[0] - 6;
    cpu.r8[1] -= 1;
  }
  cpu.r8[0] &= 0x0f;
  setAluByte(cpu, cpu.r8[0], +adjust, +adjust);
}

/** AAM Ib (D4): AH = AL / imm, AL = AL % imm; #DE when imm = 0. */
export function aam(cpu: Cpu, i: Insn): void {
  const base = i.imm & 0xff;
  if (base === 0) cpu.fault(EXC_DE, -1);
  const al = cpu.r8[0];
  cpu.r8[1] = Math.floor(al / base);
  cpu.r8[0] = al % base;
  setResult(cpu, cpu.r8[0], 7, 0);
}

/** AAD Ib (D5): AL = AL + AH * imm, AH = 0. Flags as for an 8-bit add (OF/AF/CF as hardware sets them). */
export function aad(cpu: Cpu, i: Insn): void {
  const t = cpu.r8[1] * (i.imm & 0xff);
  const a = cpu.r8[0];
  const r = (a + (t & 0xff)) & 0xff;
  cpu.r16[0] = r;
  setAdd(cpu, a, t & 0xff, a + (t & 0xff), 7);
}

/** SALC (D6, undocumented but present on every Intel CPU): AL = CF ? 0xFF : 0. */
export function salc(cpu: Cpu): void {
  cpu.r8[0] = getCF(cpu) ? 0xff : 0;
}

/** BOUND Gv,Ma (62): #BR when the index is outside [lower, upper]. */
export function bound(cpu: Cpu, i: Insn): void {
  if (!i.isMem) cpu.undefinedOpcode(i);
  const addr = ea(cpu, i);
  const idx = i.o32 ? cpu.regs[i.reg] : (cpu.r16[i.reg << 1] << 16) >> 16;
  const lower = i.o32 ? cpu.rd32(i.seg, addr) : (cpu.rd16(i.seg, addr) << 16) >> 16;
  const next = i.a32 ? (addr + (i.o32 ? 4 : 2)) | 0 : (addr + (i.o32 ? 4 : 2)) & 0xffff; // wraps by address size
  const upper = i.o32 ? cpu.rd32(i.seg, next) : (cpu.rd16(i.seg, next) << 16) >> 16;
  if (idx < lower || idx > upper) cpu.fault(5, -1);
}

