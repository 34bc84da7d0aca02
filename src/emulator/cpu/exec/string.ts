// String instructions (Intel SDM vol. 2 "MOVS", "CMPS", "STOS", "LODS", "SCAS", "INS", "OUTS", "REP"):
// source DS:ESI (segment overridable), destination ES:EDI, direction from EFLAGS.DF, the count in ECX or
// CX by address size. A REP instruction runs at most REP_ITERATIONS_PER_STEP iterations per step and
// then re-executes (EIP stays on it; each step counts as one instruction in virtual time), so interrupts
// and stops are taken between chunks. Each iteration updates the registers before the next, so a fault
// mid-string leaves a restartable state (EIP at the instruction).
import type { Cpu } from '../cpu.ts';
import type { Insn } from '../decode/insn.ts';
import { getZF } from '../flags.ts';
import { ECX, EDI, ES, ESI, FLAG_DF } from '../state.ts';
import { alu, ALU_CMP } from './arith.ts';
import { checkIoPermission } from './io.ts';

/** A REP instruction retires (and is re-executed) after this many iterations. */
export const REP_ITERATIONS_PER_STEP = 4096;

/** Element size: even opcodes are the byte forms, odd ones follow the operand size. */
function elementSize(i: Insn): number {
  return i.opcode & 1 ? (i.o32 ? 4 : 2) : 1;
}

function readIndex(cpu: Cpu, i: Insn, r: number): number {
  return i.a32 ? cpu.regs[r] : cpu.r16[r << 1];
}

function advance(cpu: Cpu, i: Insn, r: number, delta: number): void {
  if (i.a32) cpu.regs[r] = (cpu.regs[r] + delta) | 0;
  else cpu.r16[r << 1] = cpu.r16[r << 1] + delta;
}

function load(cpu: Cpu, seg: number, off: number, size: number): number {
  return size === 1 ? cpu.rd8(seg, off) : size === 2 ? cpu.rd16(seg, off) : cpu.rd32(seg, off);
}

function store(cpu: Cpu, seg: number, off: number, size: number, v: number): void {
  if (size === 1) cpu.wr8(seg, off, v);
  else if (size === 2) cpu.wr16(seg, off, v);
  else cpu.wr32(seg, off, v);
}

function count(cpu: Cpu, i: Insn): number {
  return i.a32 ? cpu.regs[ECX] >>> 0 : cpu.r16[ECX << 1];
}

function decCount(cpu: Cpu, i: Insn): void {
  if (i.a32) cpu.regs[ECX] = cpu.regs[ECX] - 1;
  else cpu.r16[ECX << 1] = cpu.r16[ECX << 1] - 1;
}

/** Runs `step` once, or while the count is non-zero under REP (and the ZF condition for CMPS/SCAS). */
function repeat(cpu: Cpu, i: Insn, step: (cpu: Cpu, i: Insn, size: number, delta: number) => void, conditional: boolean): void {
  const size = elementSize(i);
  const delta = cpu.flags & FLAG_DF ? -size : size;
  if (i.rep === 0) {
    step(cpu, i, size, delta);
    return;
  }
  for (let n = 0; count(cpu, i) !== 0; n++) {
    if (n === REP_ITERATIONS_PER_STEP) {
      // Re-execute the instruction: as hardware does when it takes an interrupt between iterations, so
      // that interrupts, stop requests and the run bound are honoured during long strings.
      cpu.eip = cpu.prevEip;
      return;
    }
    step(cpu, i, size, delta);
    decCount(cpu, i);
    if (conditional && getZF(cpu) !== (i.rep === 0xf3 ? 1 : 0)) return;
  }
}

function movsStep(cpu: Cpu, i: Insn, size: number, delta: number): void {
  const v = load(cpu, i.seg, readIndex(cpu, i, ESI), size);
  store(cpu, ES, readIndex(cpu, i, EDI), size, v);
  advance(cpu, i, ESI, delta);
  advance(cpu, i, EDI, delta);
}

function cmpsStep(cpu: Cpu, i: Insn, size: number, delta: number): void {
  const a = load(cpu, i.seg, readIndex(cpu, i, ESI), size);
  const b = load(cpu, ES, readIndex(cpu, i, EDI), size);
  alu(cpu, ALU_CMP, a, b, size * 8 - 1);
  advance(cpu, i, ESI, delta);
  advance(cpu, i, EDI, delta);
}

function stosStep(cpu: Cpu, i: Insn, size: number, delta: number): void {
  store(cpu, ES, readIndex(cpu, i, EDI), size, cpu.regs[0]);
  advance(cpu, i, EDI, delta);
}

function lodsStep(cpu: Cpu, i: Insn, size: number, delta: number): void {
  const v = load(cpu, i.seg, readIndex(cpu, i, ESI), size);
  if (size === 1) cpu.r8[0] = v;
  else if (size === 2) cpu.r16[0] = v;
  else cpu.regs[0] = v;
  advance(cpu, i, ESI, delta);
}

function scasStep(cpu: Cpu, i: Insn, size: number, delta: number): void {
  const b = load(cpu, ES, readIndex(cpu, i, EDI), size);
  const a = size === 1 ? cpu.r8[0] : size === 2 ? cpu.r16[0] : cpu.regs[0];
  alu(cpu, ALU_CMP, a, b, size * 8 - 1);
  advance(cpu, i, EDI, delta);
}

function insStep(cpu: Cpu, i: Insn, size: number, delta: number): void {
  const port = cpu.r16[2 << 1];
  const off = readIndex(cpu, i, EDI);
  // Check the destination before reading the port (a port read may have side effects).
  if (size === 1) void cpu.rdw8(ES, off);
  else if (size === 2) void cpu.rdw16(ES, off);
  else void cpu.rdw32(ES, off);
  const v = size === 1 ? cpu.io.in8(port) : size === 2 ? cpu.io.in16(port) : cpu.io.in32(port);
  store(cpu, ES, off, size, v);
  advance(cpu, i, EDI, delta);
}

function outsStep(cpu: Cpu, i: Insn, size: number, delta: number): void {
  const port = cpu.r16[2 << 1];
  const v = load(cpu, i.seg, readIndex(cpu, i, ESI), size);
  if (size === 1) cpu.io.out8(port, v);
  else if (size === 2) cpu.io.out16(port, v);
  else cpu.io.out32(port, v);
  advance(cpu, i, ESI, delta);
}

export function movs(cpu: Cpu, i: Insn): void {
  repeat(cpu, i, movsStep, false);
}

export function cmps(cpu: Cpu, i: Insn): void {
  repeat(cpu, i, cmpsStep, true);
}

export function stos(cpu: Cpu, i: Insn): void {
  repeat(cpu, i, stosStep, false);
}

export function lods(cpu: Cpu, i: Insn): void {
  repeat(cpu, i, lodsStep, false);
}

export function scas(cpu: Cpu, i: Insn): void {
  repeat(cpu, i, scasStep, true);
}

export function ins(cpu: Cpu, i: Insn): void {
  checkIoPermission(cpu, cpu.r16[2 << 1], elementSize(i));
  repeat(cpu, i, insStep, false);
}

export function outs(cpu: Cpu, i: Insn): void {
  checkIoPermission(cpu, cpu.r16[2 << 1], elementSize(i));
  repeat(cpu, i, outsStep, false);
}
