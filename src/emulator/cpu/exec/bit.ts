// Bit instructions (Intel SDM vol. 2 "BT", "BTS", "BTR", "BTC", "BSF", "BSR", "BSWAP"). With a register
// bit offset and a memory operand the offset is a signed bit index relative to the operand address
// (it may address bytes far from it); with an immediate it is taken modulo the operand width.
import type { Cpu } from '../cpu.ts';
import type { Insn } from '../decode/insn.ts';
import { materializeFlags, setResult } from '../flags.ts';
import { FLAG_CF, FLAG_ZF } from '../state.ts';
import { ea, getRegV, readEv, setRegV } from './operands.ts';

/** `arg`: 0 BT, 1 BTS, 2 BTR, 3 BTC. Register-offset forms are 0F A3/AB/B3/BB; 0F BA /4-7 take an Ib. */
export function bitTest(cpu: Cpu, i: Insn): void {
  const op = i.arg;
  const bits = i.o32 ? 32 : 16;
  const regForm = i.opcode !== 0x1ba;
  let offset = regForm ? getRegV(cpu, i, i.reg) : i.imm & (bits - 1);
  if (!i.o32 && regForm) offset = (offset << 16) >> 16;
  let cf: number;
  if (i.isMem) {
    let addr = ea(cpu, i);
    if (regForm) {
      addr = (addr + ((offset >> (i.o32 ? 5 : 4)) * (bits >> 3))) | 0;
      if (!i.a32) addr &= 0xffff;
    }
    const bit = offset & (bits - 1);
    const seg = i.seg;
    if (op === 0) {
      const v = i.o32 ? cpu.rd32(seg, addr) : cpu.rd16(seg, addr);
      cf = (v >>> bit) & 1;
    } else {
      const v = i.o32 ? cpu.rdw32(seg, addr) : cpu.rdw16(seg, addr);
      cf = (v >>> bit) & 1;
      const nv = op === 1 ? v | (1 << bit) : op === 2 ? v & ~(1 << bit) : v ^ (1 << bit);
      if (i.o32) cpu.wr32(seg, addr, nv);
      else cpu.wr16(seg, addr, nv);
    }
  } else {
    const bit = offset & (bits - 1);
    const v = getRegV(cpu, i, i.rm);
    cf = (v >>> bit) & 1;
    if (op !== 0) setRegV(cpu, i, i.rm, op === 1 ? v | (1 << bit) : op === 2 ? v & ~(1 << bit) : v ^ (1 << bit));
  }
  materializeFlags(cpu);
  cpu.flags = (cpu.flags & ~FLAG_CF) | cf;
}

/** BSF / BSR Gv,Ev (0F BC / BD): ZF=1 and the destination unchanged when the source is 0. */
export function bitScan(cpu: Cpu, i: Insn): void {
  const v = i.o32 ? readEv(cpu, i) : readEv(cpu, i) & 0xffff;
  if (v === 0) {
    materializeFlags(cpu);
    cpu.flags |= FLAG_ZF;
    return;
  }
  const idx = i.arg === 0 ? 31 - Math.clz32(v & -v) : 31 - Math.clz32(v);
  setRegV(cpu, i, i.reg, idx);
  setResult(cpu, 1, 31, 0); // ZF=0; other flags are undefined
}

/** BSWAP r32 (0F C8+r); with a 16-bit operand size the result is undefined (we clear the low word). */
export function bswap(cpu: Cpu, i: Insn): void {
  const r = i.arg;
  if (!i.o32) {
    cpu.r16[r << 1] = 0;
    return;
  }
  const v = cpu.regs[r];
  cpu.regs[r] = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}
