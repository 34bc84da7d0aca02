// Specialised handlers for the most frequent instruction forms (32-bit operand size, register or memory
// operand known at decode time). The decoder swaps a row's generic handler for one of these; semantics
// are identical (the generic handlers remain the reference, and both paths are covered by the same
// tests). Chosen from a profile of gcc -O2 kernel code: MOV (through [base+disp] without `ea`'s general
// cases), the ALU group, TEST, MOVZX, Jcc, PUSH/POP, NEG/NOT, shifts by 1 or an immediate.
import type { Cpu } from '../cpu.ts';
import type { Handler, Insn } from '../decode/insn.ts';
import { getCF, getOF, getSF, setResult, setSub } from '../flags.ts';
import { FLAG_ZF } from '../state.ts';
import * as arith from './arith.ts';
import { ALU_CMP, alu } from './arith.ts';
import * as control from './control.ts';
import * as data from './data.ts';
import * as shift from './shift.ts';
import { shift as shiftOp } from './shift.ts';
import * as stack from './stack.ts';
import { ea, R8_INDEX } from './operands.ts';

function movR32R32(cpu: Cpu, i: Insn): void {
  cpu.regs[i.rm] = cpu.regs[i.reg];
}

function movM32R32(cpu: Cpu, i: Insn): void {
  cpu.wr32(i.seg, ea(cpu, i), cpu.regs[i.reg]);
}

function movR32M32(cpu: Cpu, i: Insn): void {
  cpu.regs[i.reg] = cpu.rd32(i.seg, ea(cpu, i));
}

// [base + disp] with 32-bit addressing (no index): the address without `ea`'s general cases.
function movM32R32Based(cpu: Cpu, i: Insn): void {
  cpu.wr32(i.seg, (cpu.regs[i.base] + i.disp) | 0, cpu.regs[i.reg]);
}

export function movR32M32Based(cpu: Cpu, i: Insn): void {
  cpu.regs[i.reg] = cpu.rd32(i.seg, (cpu.regs[i.base] + i.disp) | 0);
}

function movRevR32R32(cpu: Cpu, i: Insn): void {
  cpu.regs[i.reg] = cpu.regs[i.rm];
}

function movM8R8(cpu: Cpu, i: Insn): void {
  cpu.wr8(i.seg, ea(cpu, i), cpu.r8[R8_INDEX[i.reg]]);
}

function movR8M8(cpu: Cpu, i: Insn): void {
  cpu.r8[R8_INDEX[i.reg]] = cpu.rd8(i.seg, ea(cpu, i));
}

function movR32Imm(cpu: Cpu, i: Insn): void {
  cpu.regs[i.rm] = i.imm;
}

function movM32Imm(cpu: Cpu, i: Insn): void {
  cpu.wr32(i.seg, ea(cpu, i), i.imm);
}

function aluR32R32(cpu: Cpu, i: Insn): void {
  const r = alu(cpu, i.arg, cpu.regs[i.rm], cpu.regs[i.reg], 31);
  if (i.arg !== ALU_CMP) cpu.regs[i.rm] = r;
}

function aluRevR32R32(cpu: Cpu, i: Insn): void {
  const r = alu(cpu, i.arg, cpu.regs[i.reg], cpu.regs[i.rm], 31);
  if (i.arg !== ALU_CMP) cpu.regs[i.reg] = r;
}

function aluR32M32(cpu: Cpu, i: Insn): void {
  const r = alu(cpu, i.arg, cpu.regs[i.reg], cpu.rd32(i.seg, ea(cpu, i)), 31);
  if (i.arg !== ALU_CMP) cpu.regs[i.reg] = r;
}

export function aluR32Imm(cpu: Cpu, i: Insn): void {
  const r = alu(cpu, i.arg, cpu.regs[i.rm], i.imm, 31);
  if (i.arg !== ALU_CMP) cpu.regs[i.rm] = r;
}

function cmpR32Imm(cpu: Cpu, i: Insn): void {
  const a = cpu.regs[i.rm];
  setSub(cpu, a, i.imm, (a - i.imm) | 0, 31);
}

function cmpR32R32(cpu: Cpu, i: Insn): void {
  const a = cpu.regs[i.rm];
  const b = cpu.regs[i.reg];
  setSub(cpu, a, b, (a - b) | 0, 31);
}

function aluR8R8(cpu: Cpu, i: Insn): void {
  const dst = R8_INDEX[i.rm];
  const r = alu(cpu, i.arg, cpu.r8[dst], cpu.r8[R8_INDEX[i.reg]], 7);
  if (i.arg !== ALU_CMP) cpu.r8[dst] = r;
}

function cmpR8R8(cpu: Cpu, i: Insn): void {
  const a = cpu.r8[R8_INDEX[i.rm]];
  const b = cpu.r8[R8_INDEX[i.reg]];
  setSub(cpu, a, b, a - b, 7);
}

function negR32(cpu: Cpu, i: Insn): void {
  const a = cpu.regs[i.rm];
  const r = -a | 0;
  setSub(cpu, 0, a, r, 31);
  cpu.regs[i.rm] = r;
}

function notR32(cpu: Cpu, i: Insn): void {
  cpu.regs[i.rm] = ~cpu.regs[i.rm];
}

function shiftR32By1(cpu: Cpu, i: Insn): void {
  cpu.regs[i.rm] = shiftOp(cpu, i.reg, cpu.regs[i.rm], 1, 31);
}

function shiftR32ByImm(cpu: Cpu, i: Insn): void {
  const count = i.imm & 31;
  if (count !== 0) cpu.regs[i.rm] = shiftOp(cpu, i.reg, cpu.regs[i.rm], count, 31);
}

function testR32R32(cpu: Cpu, i: Insn): void {
  setResult(cpu, cpu.regs[i.rm] & cpu.regs[i.reg], 31, 0);
}

function testR8Imm(cpu: Cpu, i: Insn): void {
  setResult(cpu, cpu.r8[R8_INDEX[i.rm]] & i.imm, 7, 0);
}

function testM8Imm(cpu: Cpu, i: Insn): void {
  setResult(cpu, cpu.rd8(i.seg, ea(cpu, i)) & i.imm, 7, 0);
}

function testR32Imm(cpu: Cpu, i: Insn): void {
  setResult(cpu, cpu.regs[i.rm] & i.imm, 31, 0);
}

function movzxR32M8(cpu: Cpu, i: Insn): void {
  cpu.regs[i.reg] = cpu.rd8(i.seg, ea(cpu, i));
}

function movzxR32R8(cpu: Cpu, i: Insn): void {
  cpu.regs[i.reg] = cpu.r8[R8_INDEX[i.rm]];
}

function lea32(cpu: Cpu, i: Insn): void {
  cpu.regs[i.reg] = ea(cpu, i);
}

function push32(cpu: Cpu, i: Insn): void {
  cpu.push32(cpu.regs[i.arg]);
}

function pop32(cpu: Cpu, i: Insn): void {
  cpu.regs[i.arg] = cpu.pop32();
}

// Conditional jumps by condition code: each reads only the flags it needs.
function jumpIf(cpu: Cpu, i: Insn, taken: boolean): void {
  if (!taken) return;
  const t = (cpu.eip + i.imm) | 0;
  if ((t >>> 0) > cpu.segLimit[1]) cpu.fault(13, 0);
  cpu.eip = t;
}

function zf(cpu: Cpu): boolean {
  return cpu.lazy & FLAG_ZF ? cpu.lfRes << (31 - cpu.lfSh) === 0 : (cpu.flags & FLAG_ZF) !== 0;
}

const JCC32: Handler[] = [
  (c, i) => jumpIf(c, i, getOF(c) === 1),
  (c, i) => jumpIf(c, i, getOF(c) === 0),
  (c, i) => jumpIf(c, i, getCF(c) === 1),
  (c, i) => jumpIf(c, i, getCF(c) === 0),
  (c, i) => jumpIf(c, i, zf(c)),
  (c, i) => jumpIf(c, i, !zf(c)),
  (c, i) => jumpIf(c, i, getCF(c) === 1 || zf(c)),
  (c, i) => jumpIf(c, i, getCF(c) === 0 && !zf(c)),
  (c, i) => jumpIf(c, i, getSF(c) === 1),
  (c, i) => jumpIf(c, i, getSF(c) === 0),
  control.jcc,
  control.jcc,
  (c, i) => jumpIf(c, i, getSF(c) !== getOF(c)),
  (c, i) => jumpIf(c, i, getSF(c) === getOF(c)),
  (c, i) => jumpIf(c, i, zf(c) || getSF(c) !== getOF(c)),
  (c, i) => jumpIf(c, i, !zf(c) && getSF(c) === getOF(c)),
];

/** The memory operand is [base + disp] with 32-bit addressing. */
function based(i: Insn): boolean {
  return i.a32 && i.base >= 0 && i.index < 0;
}

/** Picks a specialised handler for `i` if one applies, else the row's generic handler. */
export function specialize(i: Insn): Handler {
  const e = i.exec;
  if (i.lock || i.segOverride === 1 || e !== i.row.exec) return e; // keep #UD and unusual forms generic
  if (e === control.jcc) return i.o32 ? JCC32[i.arg] : e;
  if (e === arith.alu_Eb_Gb && !i.isMem) return i.arg === ALU_CMP ? cmpR8R8 : aluR8R8;
  if (e === arith.test_Eb_Ib) return i.isMem ? testM8Imm : testR8Imm;
  if (!i.o32) return e;
  switch (e) {
    case data.mov_Ev_Gv: return i.isMem ? (based(i) ? movM32R32Based : movM32R32) : movR32R32;
    case data.mov_Gv_Ev: return i.isMem ? (based(i) ? movR32M32Based : movR32M32) : movRevR32R32;
    case data.mov_Eb_Gb: return i.isMem ? movM8R8 : e;
    case data.mov_Gb_Eb: return i.isMem ? movR8M8 : e;
    case data.mov_Ev_Iz: return i.isMem ? movM32Imm : movR32Imm;
    case data.lea: return i.isMem ? lea32 : e;
    case data.movzx: return i.arg === 8 ? (i.isMem ? movzxR32M8 : movzxR32R8) : e;
    case arith.alu_Ev_Gv: return i.isMem ? e : i.arg === ALU_CMP ? cmpR32R32 : aluR32R32;
    case arith.alu_Gv_Ev: return i.isMem ? aluR32M32 : aluRevR32R32;
    case arith.alu_Ev_I: return i.isMem ? e : i.arg === ALU_CMP ? cmpR32Imm : aluR32Imm;
    case arith.test_Ev_Gv: return i.isMem ? e : testR32R32;
    case arith.test_Ev_Iz: return i.isMem ? e : testR32Imm;
    case arith.neg_E: return i.isMem || (i.opcode & 1) === 0 ? e : negR32;
    case arith.not_E: return i.isMem || (i.opcode & 1) === 0 ? e : notR32;
    case shift.shift_E_1: return i.isMem || (i.opcode & 1) === 0 ? e : shiftR32By1;
    case shift.shift_E_Ib: return i.isMem || (i.opcode & 1) === 0 ? e : shiftR32ByImm;
    case stack.push_Z: return push32;
    case stack.pop_Z: return pop32;
    default: return e;
  }
}
