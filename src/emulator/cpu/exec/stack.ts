// Stack instructions (Intel SDM vol. 2 "PUSH", "POP", "PUSHA", "POPA", "PUSHF", "POPF", "ENTER", "LEAVE"):
// PUSHF/POPF follow the CPL/IOPL rules (IOPL changes only at CPL 0, IF only when CPL <= IOPL).
import type { Cpu } from '../cpu.ts';
import type { Insn } from '../decode/insn.ts';
import { materializeFlags } from '../flags.ts';
import { loadDataSegment } from '../segments.ts';
import { EBP, ESP, FLAG_IF, FLAG_IOPL, FLAG_RF, FLAG_VM, FLAGS_FIXED, FLAGS_WRITABLE, SS } from '../state.ts';
import { ea, getRegV, readEv, setRegV } from './operands.ts';

export function pushV(cpu: Cpu, i: Insn, v: number): void {
  if (i.o32) cpu.push32(v);
  else cpu.push16(v);
}

export function popV(cpu: Cpu, i: Insn): number {
  return i.o32 ? cpu.pop32() : cpu.pop16();
}

/** PUSH r (50+r) */
export function push_Z(cpu: Cpu, i: Insn): void {
  if (i.o32) cpu.push32(cpu.regs[i.arg]);
  else cpu.push16(cpu.r16[i.arg << 1]);
}

/** POP r (58+r) */
export function pop_Z(cpu: Cpu, i: Insn): void {
  if (i.o32) cpu.regs[i.arg] = cpu.pop32();
  else cpu.r16[i.arg << 1] = cpu.pop16();
}

/** PUSH Iz / Ib (68 / 6A) */
export function push_I(cpu: Cpu, i: Insn): void {
  pushV(cpu, i, i.imm);
}

/** PUSH Ev (FF /6) */
export function push_Ev(cpu: Cpu, i: Insn): void {
  pushV(cpu, i, readEv(cpu, i));
}

/** POP Ev (8F /0): ESP is incremented before the destination address is computed. */
export function pop_Ev(cpu: Cpu, i: Insn): void {
  const sp = cpu.sp;
  const v = i.o32 ? cpu.rd32(SS, sp) : cpu.rd16(SS, sp);
  if (!i.isMem) {
    cpu.adjustSp(i.o32 ? 4 : 2);
    setRegV(cpu, i, i.rm, v);
    return;
  }
  const oldEsp = cpu.regs[ESP];
  cpu.adjustSp(i.o32 ? 4 : 2);
  try {
    if (i.o32) cpu.wr32(i.seg, ea(cpu, i), v);
    else cpu.wr16(i.seg, ea(cpu, i), v);
  } catch (e) {
    cpu.regs[ESP] = oldEsp;
    throw e;
  }
}

/** PUSH Sreg (06, 0E, 16, 1E, 0F A0, 0F A8): a 32-bit push writes only the low word on modern CPUs. */
export function push_S(cpu: Cpu, i: Insn): void {
  const sel = cpu.segSel[i.arg];
  if (!i.o32) {
    cpu.push16(sel);
    return;
  }
  const sp = cpu.stack32 ? (cpu.regs[ESP] - 4) | 0 : (cpu.regs[ESP] - 4) & 0xffff;
  cpu.wr16(SS, sp, sel);
  cpu.adjustSp(-4);
}

/** POP Sreg (07, 17, 1F, 0F A1, 0F A9); POP SS inhibits interrupts for one instruction. */
export function pop_S(cpu: Cpu, i: Insn): void {
  const sp = cpu.sp;
  const sel = cpu.rd16(SS, sp);
  loadDataSegment(cpu, i.arg, sel);
  cpu.adjustSp(i.o32 ? 4 : 2);
  if (i.arg === SS) cpu.shadowAt = cpu.instructions + 1;
}

/** PUSHA / PUSHAD (60) */
export function pusha(cpu: Cpu, i: Insn): void {
  const size = i.o32 ? 4 : 2;
  const sp0 = cpu.regs[ESP];
  // Check the whole frame first so that a fault leaves ESP unchanged.
  const bottom = cpu.stack32 ? (sp0 - 8 * size) | 0 : (sp0 - 8 * size) & 0xffff;
  if (i.o32) void cpu.rdw32(SS, bottom);
  else void cpu.rdw16(SS, bottom);
  for (let r = 0; r < 8; r++) {
    const v = r === ESP ? (i.o32 ? sp0 : sp0 & 0xffff) : getRegV(cpu, i, r);
    pushV(cpu, i, v);
  }
}

/** POPA / POPAD (61): the saved ESP is discarded. */
export function popa(cpu: Cpu, i: Insn): void {
  const size = i.o32 ? 4 : 2;
  const vals: number[] = [];
  const base = cpu.sp;
  for (let k = 0; k < 8; k++) {
    const off = cpu.stack32 ? (base + k * size) | 0 : (base + k * size) & 0xffff;
    vals.push(i.o32 ? cpu.rd32(SS, off) : cpu.rd16(SS, off));
  }
  for (let k = 0; k < 8; k++) {
    const r = 7 - k;
    if (r !== ESP) setRegV(cpu, i, r, vals[k]);
  }
  cpu.adjustSp(8 * size);
}

/** PUSHF / PUSHFD (9C): VM and RF are pushed as 0. */
export function pushf(cpu: Cpu, i: Insn): void {
  materializeFlags(cpu);
  const f = (cpu.flags | FLAGS_FIXED) & ~(FLAG_VM | FLAG_RF);
  pushV(cpu, i, i.o32 ? f : f & 0xffff);
}

/** POPF / POPFD (9D) */
export function popf(cpu: Cpu, i: Insn): void {
  const v = popV(cpu, i);
  materializeFlags(cpu);
  let writable = FLAGS_WRITABLE & ~FLAG_RF;
  if (cpu.cpl > 0) writable &= ~FLAG_IOPL;
  if (cpu.cpl > ((cpu.flags & FLAG_IOPL) >>> 12)) writable &= ~FLAG_IF;
  if (!i.o32) writable &= 0xffff;
  cpu.flags = (cpu.flags & ~writable) | (v & writable) | FLAGS_FIXED;
  cpu.breakChunk(); // IF may have changed
}

/** LEAVE (C9) */
export function leave(cpu: Cpu, i: Insn): void {
  const bp = cpu.stack32 ? cpu.regs[EBP] : cpu.regs[EBP] & 0xffff;
  const v = i.o32 ? cpu.rd32(SS, bp) : cpu.rd16(SS, bp);
  if (cpu.stack32) cpu.regs[ESP] = (bp + (i.o32 ? 4 : 2)) | 0;
  else cpu.r16[ESP << 1] = bp + (i.o32 ? 4 : 2);
  setRegV(cpu, i, EBP, v);
}

/** ENTER Iw,Ib (C8) */
export function enter(cpu: Cpu, i: Insn): void {
  const size = i.imm & 0xffff;
  const level = i.imm2 & 31;
  const w = i.o32 ? 4 : 2;
  const oldEsp = cpu.regs[ESP];
  const oldEbp = cpu.regs[EBP];
  try {
    pushV(cpu, i, getRegV(cpu, i, EBP));
    const frame = cpu.sp;
    let bp = cpu.stack32 ? oldEbp : oldEbp & 0xffff;
    for (let k = 1; k < level; k++) {
      bp = cpu.stack32 ? (bp - w) | 0 : (bp - w) & 0xffff;
      pushV(cpu, i, i.o32 ? cpu.rd32(SS, bp) : cpu.rd16(SS, bp));
    }
    if (level > 0) pushV(cpu, i, frame);
    // The final stack pointer must be writable too.
    const newSp = cpu.stack32 ? (cpu.regs[ESP] - size) | 0 : (cpu.regs[ESP] - size) & 0xffff;
    if (size > 0) void cpu.rdw8(SS, newSp);
    setRegV(cpu, i, EBP, frame);
    cpu.adjustSp(-size);
  } catch (e) {
    cpu.regs[ESP] = oldEsp;
    cpu.regs[EBP] = oldEbp;
    throw e;
  }
}
