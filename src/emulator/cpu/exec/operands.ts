// Operand access shared by the execution handlers: effective addresses (ModRM/SIB, 16- and 32-bit
// addressing, Intel SDM vol. 2A §2.1.5) and register/memory reads and writes by operand size.
import type { Cpu } from '../cpu.ts';
import type { Insn } from '../decode/insn.ts';

/** Byte-register number (AL, CL, DL, BL, AH, CH, DH, BH) -> index into `cpu.r8`. */
export const R8_INDEX = new Uint8Array([0, 4, 8, 12, 1, 5, 9, 13]);

/** The effective address (offset in `i.seg`) of the memory operand. */
export function ea(cpu: Cpu, i: Insn): number {
  let a = i.disp;
  if (i.base >= 0) a += cpu.regs[i.base];
  if (i.index >= 0) a += cpu.regs[i.index] << i.scale;
  return i.a32 ? a | 0 : a & 0xffff;
}

export function getReg8(cpu: Cpu, r: number): number {
  return cpu.r8[R8_INDEX[r]];
}

export function setReg8(cpu: Cpu, r: number, v: number): void {
  cpu.r8[R8_INDEX[r]] = v;
}

export function getReg16(cpu: Cpu, r: number): number {
  return cpu.r16[r << 1];
}

export function setReg16(cpu: Cpu, r: number, v: number): void {
  cpu.r16[r << 1] = v;
}

/** Reads register `r` at the operand size (16-bit values unsigned, 32-bit signed int32). */
export function getRegV(cpu: Cpu, i: Insn, r: number): number {
  return i.o32 ? cpu.regs[r] : cpu.r16[r << 1];
}

export function setRegV(cpu: Cpu, i: Insn, r: number, v: number): void {
  if (i.o32) cpu.regs[r] = v;
  else cpu.r16[r << 1] = v;
}

export function readEb(cpu: Cpu, i: Insn): number {
  return i.isMem ? cpu.rd8(i.seg, ea(cpu, i)) : cpu.r8[R8_INDEX[i.rm]];
}

export function readEw(cpu: Cpu, i: Insn): number {
  return i.isMem ? cpu.rd16(i.seg, ea(cpu, i)) : cpu.r16[i.rm << 1];
}

export function readEd(cpu: Cpu, i: Insn): number {
  return i.isMem ? cpu.rd32(i.seg, ea(cpu, i)) : cpu.regs[i.rm];
}

export function readEv(cpu: Cpu, i: Insn): number {
  return i.o32 ? readEd(cpu, i) : readEw(cpu, i);
}

export function writeEb(cpu: Cpu, i: Insn, v: number): void {
  if (i.isMem) cpu.wr8(i.seg, ea(cpu, i), v);
  else cpu.r8[R8_INDEX[i.rm]] = v;
}

export function writeEw(cpu: Cpu, i: Insn, v: number): void {
  if (i.isMem) cpu.wr16(i.seg, ea(cpu, i), v);
  else cpu.r16[i.rm << 1] = v;
}

export function writeEd(cpu: Cpu, i: Insn, v: number): void {
  if (i.isMem) cpu.wr32(i.seg, ea(cpu, i), v);
  else cpu.regs[i.rm] = v;
}

export function writeEv(cpu: Cpu, i: Insn, v: number): void {
  if (i.o32) writeEd(cpu, i, v);
  else writeEw(cpu, i, v);
}

/**
 * Read-modify-write of the r/m operand at `sh` (7, 15, 31): reads (checking write access first, so the
 * write cannot fault after flags changed), applies `f`, writes the result back.
 */
export function rmw(cpu: Cpu, i: Insn, sh: number, f: (cpu: Cpu, a: number, i: Insn) => number): void {
  if (i.isMem) {
    const a = ea(cpu, i);
    const seg = i.seg;
    if (sh === 31) cpu.wr32(seg, a, f(cpu, cpu.rdw32(seg, a), i));
    else if (sh === 15) cpu.wr16(seg, a, f(cpu, cpu.rdw16(seg, a), i));
    else cpu.wr8(seg, a, f(cpu, cpu.rdw8(seg, a), i));
  } else if (sh === 31) {
    cpu.regs[i.rm] = f(cpu, cpu.regs[i.rm], i);
  } else if (sh === 15) {
    cpu.r16[i.rm << 1] = f(cpu, cpu.r16[i.rm << 1], i);
  } else {
    const idx = R8_INDEX[i.rm];
    cpu.r8[idx] = f(cpu, cpu.r8[idx], i);
  }
}

/**
 * Sign-bit position of the operand of an opcode pair whose even opcode is the byte form and odd opcode the
 * word/dword form (ALU, TEST, XCHG, MOV, INC/DEC, groups 2/3, string instructions, CMPXCHG, XADD).
 */
export function shOf(i: Insn): number {
  return i.opcode & 1 ? (i.o32 ? 31 : 15) : 7;
}

/** Sign-bit position for a 'v' operand. */
export function shV(i: Insn): number {
  return i.o32 ? 31 : 15;
}

/** Masks `v` to the operand width given by `sh` (unsigned for 8/16, int32 for 32). */
export function maskTo(v: number, sh: number): number {
  return sh === 31 ? v | 0 : sh === 15 ? v & 0xffff : v & 0xff;
}
