// Data movement (Intel SDM vol. 2 "MOV", "MOVZX", "MOVSX", "CMOVcc", "XCHG", "LEA", "LDS/LES/LFS/LGS/LSS",
// "XLAT", "LAHF", "SAHF") and the flag instructions CLC/STC/CMC/CLD/STD. XCHG with memory is locked
// by definition; our single CPU makes every instruction atomic anyway.
import type { Cpu } from '../cpu.ts';
import type { Insn } from '../decode/insn.ts';
import { getCF, materializeFlags, setArithFlags, testCondition } from '../flags.ts';
import { loadDataSegment } from '../segments.ts';
import { EAX, EBX, FLAG_AF, FLAG_CF, FLAG_DF, FLAG_PF, FLAG_SF, FLAG_ZF, SS } from '../state.ts';
import {
  ea, getReg8, getRegV, R8_INDEX, readEb, readEd, readEw, setReg8, setRegV, writeEb, writeEv, writeEw,
} from './operands.ts';

export function mov_Eb_Gb(cpu: Cpu, i: Insn): void {
  writeEb(cpu, i, getReg8(cpu, i.reg));
}

export function mov_Ev_Gv(cpu: Cpu, i: Insn): void {
  if (i.o32) {
    if (i.isMem) cpu.wr32(i.seg, ea(cpu, i), cpu.regs[i.reg]);
    else cpu.regs[i.rm] = cpu.regs[i.reg];
  } else {
    writeEw(cpu, i, cpu.r16[i.reg << 1]);
  }
}

export function mov_Gb_Eb(cpu: Cpu, i: Insn): void {
  setReg8(cpu, i.reg, readEb(cpu, i));
}

export function mov_Gv_Ev(cpu: Cpu, i: Insn): void {
  if (i.o32) cpu.regs[i.reg] = i.isMem ? cpu.rd32(i.seg, ea(cpu, i)) : cpu.regs[i.rm];
  else cpu.r16[i.reg << 1] = readEw(cpu, i);
}

/** MOV Eb,Ib (C6 /0) and MOV r8,Ib (B0+r: decoded with rm = r, isMem = false). */
export function mov_Eb_Ib(cpu: Cpu, i: Insn): void {
  writeEb(cpu, i, i.imm);
}

/** MOV Ev,Iz (C7 /0) and MOV r,Iv (B8+r). */
export function mov_Ev_Iz(cpu: Cpu, i: Insn): void {
  if (i.o32 && !i.isMem) cpu.regs[i.rm] = i.imm;
  else writeEv(cpu, i, i.imm);
}

/** MOV AL/eAX,moffs and back (A0-A3): the decoder makes moffs a memory operand. */
export function mov_AL_Ob(cpu: Cpu, i: Insn): void {
  cpu.r8[0] = cpu.rd8(i.seg, i.disp);
}

export function mov_eAX_Ov(cpu: Cpu, i: Insn): void {
  setRegV(cpu, i, EAX, i.o32 ? cpu.rd32(i.seg, i.disp) : cpu.rd16(i.seg, i.disp));
}

export function mov_Ob_AL(cpu: Cpu, i: Insn): void {
  cpu.wr8(i.seg, i.disp, cpu.r8[0]);
}

export function mov_Ov_eAX(cpu: Cpu, i: Insn): void {
  if (i.o32) cpu.wr32(i.seg, i.disp, cpu.regs[EAX]);
  else cpu.wr16(i.seg, i.disp, cpu.r16[0]);
}

/** MOV Ev,Sw (8C): to a register the 32-bit form zero-extends; to memory it stores 16 bits. */
export function mov_Ev_Sw(cpu: Cpu, i: Insn): void {
  if (i.reg > 5) cpu.undefinedOpcode(i);
  const sel = cpu.segSel[i.reg];
  if (i.isMem) cpu.wr16(i.seg, ea(cpu, i), sel);
  else setRegV(cpu, i, i.rm, sel);
}

/** MOV Sw,Ew (8E): loading CS is #UD; loading SS opens an interrupt shadow. */
export function mov_Sw_Ew(cpu: Cpu, i: Insn): void {
  if (i.reg > 5 || i.reg === 1) cpu.undefinedOpcode(i);
  loadDataSegment(cpu, i.reg, readEw(cpu, i));
  if (i.reg === SS) cpu.shadowAt = cpu.instructions + 1;
}

export function lea(cpu: Cpu, i: Insn): void {
  if (!i.isMem) cpu.undefinedOpcode(i);
  setRegV(cpu, i, i.reg, ea(cpu, i));
}

/** MOVZX Gv,Eb / Gv,Ew (0F B6 / B7) */
export function movzx(cpu: Cpu, i: Insn): void {
  setRegV(cpu, i, i.reg, i.arg === 8 ? readEb(cpu, i) : readEw(cpu, i));
}

/** MOVSX Gv,Eb / Gv,Ew (0F BE / BF) */
export function movsx(cpu: Cpu, i: Insn): void {
  const v = i.arg === 8 ? (readEb(cpu, i) << 24) >> 24 : (readEw(cpu, i) << 16) >> 16;
  setRegV(cpu, i, i.reg, v);
}

/** CMOVcc Gv,Ev (0F 40-4F): the source is read (and may fault) even when the condition is false. */
export function cmov(cpu: Cpu, i: Insn): void {
  const v = i.o32 ? readEd(cpu, i) : readEw(cpu, i);
  if (testCondition(cpu, i.arg)) setRegV(cpu, i, i.reg, v);
}

/** XCHG Eb,Gb (86) */
export function xchg_Eb_Gb(cpu: Cpu, i: Insn): void {
  const r = getReg8(cpu, i.reg);
  if (i.isMem) {
    const addr = ea(cpu, i);
    const v = cpu.rdw8(i.seg, addr);
    cpu.wr8(i.seg, addr, r);
    setReg8(cpu, i.reg, v);
  } else {
    setReg8(cpu, i.reg, cpu.r8[R8_INDEX[i.rm]]);
    setReg8(cpu, i.rm, r);
  }
}

/** XCHG Ev,Gv (87); `xchg %ebx,%ebx` / `xchg %bx,%bx` is the Simics magic instruction. */
export function xchg_Ev_Gv(cpu: Cpu, i: Insn): void {
  const r = getRegV(cpu, i, i.reg);
  if (i.isMem) {
    const addr = ea(cpu, i);
    const v = i.o32 ? cpu.rdw32(i.seg, addr) : cpu.rdw16(i.seg, addr);
    if (i.o32) cpu.wr32(i.seg, addr, r);
    else cpu.wr16(i.seg, addr, r);
    setRegV(cpu, i, i.reg, v);
    return;
  }
  setRegV(cpu, i, i.reg, getRegV(cpu, i, i.rm));
  setRegV(cpu, i, i.rm, r);
  if (i.reg === EBX && i.rm === EBX && cpu.magicHandler) cpu.magicHandler(cpu);
}

/** XCHG eAX,r (91-97) */
export function xchg_eAX_Z(cpu: Cpu, i: Insn): void {
  const a = getRegV(cpu, i, EAX);
  setRegV(cpu, i, EAX, getRegV(cpu, i, i.arg));
  setRegV(cpu, i, i.arg, a);
}

export function nop(): void {}

/** LES/LDS/LSS/LFS/LGS Gv,Mp (C4, C5, 0F B2, B4, B5); `arg` is the segment register. */
export function loadFarPointer(cpu: Cpu, i: Insn): void {
  if (!i.isMem) cpu.undefinedOpcode(i);
  const addr = ea(cpu, i);
  const off = i.o32 ? cpu.rd32(i.seg, addr) : cpu.rd16(i.seg, addr);
  const sel = cpu.rd16(i.seg, (addr + (i.o32 ? 4 : 2)) | 0);
  loadDataSegment(cpu, i.arg, sel);
  setRegV(cpu, i, i.reg, off);
  if (i.arg === SS) cpu.shadowAt = cpu.instructions + 1;
}

/** XLAT (D7): AL = [seg:EBX + AL] */
export function xlat(cpu: Cpu, i: Insn): void {
  const addr = i.a32 ? (cpu.regs[EBX] + cpu.r8[0]) | 0 : (cpu.regs[EBX] + cpu.r8[0]) & 0xffff;
  cpu.r8[0] = cpu.rd8(i.seg, addr);
}

const SAHF_MASK = FLAG_SF | FLAG_ZF | FLAG_AF | FLAG_PF | FLAG_CF;

export function lahf(cpu: Cpu): void {
  materializeFlags(cpu);
  cpu.r8[1] = (cpu.flags & SAHF_MASK) | 2;
}

export function sahf(cpu: Cpu): void {
  setArithFlags(cpu, SAHF_MASK, cpu.r8[1]);
}

export function clc(cpu: Cpu): void {
  setArithFlags(cpu, FLAG_CF, 0);
}

export function stc(cpu: Cpu): void {
  setArithFlags(cpu, FLAG_CF, FLAG_CF);
}

export function cmc(cpu: Cpu): void {
  setArithFlags(cpu, FLAG_CF, getCF(cpu) ^ 1);
}

export function cld(cpu: Cpu): void {
  cpu.flags &= ~FLAG_DF;
}

export function std(cpu: Cpu): void {
  cpu.flags |= FLAG_DF;
}

/** SETcc Eb (0F 90-9F) */
export function setcc(cpu: Cpu, i: Insn): void {
  writeEb(cpu, i, testCondition(cpu, i.arg) ? 1 : 0);
}

