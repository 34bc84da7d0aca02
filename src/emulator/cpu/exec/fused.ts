// Fused records: instructions the CPU's code cache runs in one dispatch (the loops of gcc -O2 code are
// short runs ending in a compare and a branch).
// - Pairs: a register CMP or TEST and the 32-bit Jcc right after it. The flags are set as by the first
//   (lazily, flags.ts), the condition is the Jcc's (Intel SDM vol. 1 appendix B) computed from the operands.
// - Triples: a load of a register through [base+disp] or an ALU operation of a register with an immediate
//   (fast.ts handlers), then a pair.
// Each runs exactly the instructions it stands for, and all count as retired, but goes on to the next one
// only where the run loop could have run it next without stopping: the chunk has room for another
// instruction and `cpu.fuseMarks` (the watch marks of the code page, all set where fusing is off) does not
// mark its offset. Otherwise it stops after the instructions run so far and the loop meets the next as
// usual. The CPU fuses only within a page and with a flat code segment (a Jcc's target cannot exceed the
// CS limit), and records the bytes a record spans (`Insn.span`, at most 15) so that a write to any of them
// drops it.
import type { Cpu } from '../cpu.ts';
import type { Handler, Insn } from '../decode/insn.ts';
import { PARITY, setResult, setSub } from '../flags.ts';
import { ALU_CMP, alu_Ev_I, alu_Ev_Gv, test_AL_Ib, test_Eb_Ib, test_Ev_Gv } from './arith.ts';
import { jcc } from './control.ts';
import { aluR32Imm, movR32M32Based } from './fast.ts';
import { R8_INDEX } from './operands.ts';

/** Condition `cc` after the 32-bit subtraction a - b = r (CMP). */
function afterSub(cc: number, a: number, b: number, r: number): boolean {
  let t: boolean;
  switch (cc >> 1) {
    case 0: t = ((a ^ b) & (a ^ r)) < 0; break; // OF
    case 1: t = a >>> 0 < b >>> 0; break; // CF
    case 2: t = r === 0; break; // ZF
    case 3: t = a >>> 0 <= b >>> 0; break; // CF | ZF
    case 4: t = r < 0; break; // SF
    case 5: t = PARITY[r & 0xff] === 1; break; // PF
    case 6: t = a < b; break; // SF != OF
    default: t = a <= b; break; // ZF | SF != OF
  }
  return t !== ((cc & 1) === 1);
}

/** Condition `cc` after a logic result `r` (int32, or an unsigned byte with sign bit `sh` 7): CF = OF = 0. */
function afterLogic(cc: number, r: number, sh: number): boolean {
  let t: boolean;
  switch (cc >> 1) {
    case 0: case 1: t = false; break; // OF, CF
    case 2: case 3: t = r === 0; break; // ZF, CF | ZF
    case 4: case 6: t = ((r >>> sh) & 1) === 1; break; // SF, SF != OF
    case 5: t = PARITY[r & 0xff] === 1; break; // PF
    default: t = r === 0 || ((r >>> sh) & 1) === 1; break; // ZF | SF != OF
  }
  return t !== ((cc & 1) === 1);
}

/** True when the instruction after `i` may run now; then counts `i` retired and enters the next one. */
function enterNext(cpu: Cpu, i: Insn): boolean {
  if (cpu.instructions + 1 >= cpu.chunkEnd || cpu.fuseMarks[i.nextOff] !== 0) return false;
  cpu.instructions++;
  cpu.prevEip = cpu.eip;
  cpu.eip = (cpu.eip + i.next!.len) | 0;
  return true;
}

function jumpIf(cpu: Cpu, j: Insn, taken: boolean): void {
  if (taken) cpu.eip = (cpu.eip + j.imm) | 0;
}

function cmpR32R32Jcc(cpu: Cpu, i: Insn): void {
  const a = cpu.regs[i.rm];
  const b = cpu.regs[i.reg];
  const r = (a - b) | 0;
  setSub(cpu, a, b, r, 31);
  if (enterNext(cpu, i)) jumpIf(cpu, i.next!, afterSub(i.next!.arg, a, b, r));
}

function cmpR32ImmJcc(cpu: Cpu, i: Insn): void {
  const a = cpu.regs[i.rm];
  const b = i.imm;
  const r = (a - b) | 0;
  setSub(cpu, a, b, r, 31);
  if (enterNext(cpu, i)) jumpIf(cpu, i.next!, afterSub(i.next!.arg, a, b, r));
}

function testR32R32Jcc(cpu: Cpu, i: Insn): void {
  const r = cpu.regs[i.rm] & cpu.regs[i.reg];
  setResult(cpu, r, 31, 0);
  if (enterNext(cpu, i)) jumpIf(cpu, i.next!, afterLogic(i.next!.arg, r, 31));
}

function testR8ImmJcc(cpu: Cpu, i: Insn): void {
  const r = cpu.r8[R8_INDEX[i.rm]] & i.imm;
  setResult(cpu, r, 7, 0);
  if (enterNext(cpu, i)) jumpIf(cpu, i.next!, afterLogic(i.next!.arg, r, 7));
}

function testALImmJcc(cpu: Cpu, i: Insn): void {
  const r = cpu.r8[0] & i.imm;
  setResult(cpu, r, 7, 0);
  if (enterNext(cpu, i)) jumpIf(cpu, i.next!, afterLogic(i.next!.arg, r, 7));
}

/** Runs the pair `p` (direct calls: the handler is one of five). */
function runPair(cpu: Cpu, p: Insn): void {
  const e = p.exec;
  if (e === testALImmJcc) testALImmJcc(cpu, p);
  else if (e === testR8ImmJcc) testR8ImmJcc(cpu, p);
  else if (e === cmpR32R32Jcc) cmpR32R32Jcc(cpu, p);
  else if (e === cmpR32ImmJcc) cmpR32ImmJcc(cpu, p);
  else testR32R32Jcc(cpu, p);
}

function loadThenPair(cpu: Cpu, i: Insn): void {
  movR32M32Based(cpu, i);
  if (enterNext(cpu, i)) runPair(cpu, i.next!);
}

function aluImmThenPair(cpu: Cpu, i: Insn): void {
  aluR32Imm(cpu, i);
  if (enterNext(cpu, i)) runPair(cpu, i.next!);
}

const PAIRS = new Set<Handler>([testALImmJcc, testR8ImmJcc, cmpR32R32Jcc, cmpR32ImmJcc, testR32R32Jcc]);

/**
 * The handler of a triple of `first` and `next` when `next` is a pair (fused already) and `first` may lead
 * one (a specialised [base+disp] load or ALU-with-immediate of a register), else null.
 */
export function tripleHandler(first: Insn, next: Insn): Handler | null {
  if (!PAIRS.has(next.exec)) return null;
  if (first.exec === movR32M32Based) return loadThenPair;
  if (first.exec === aluR32Imm) return aluImmThenPair;
  return null;
}

/** True when `first` may lead a triple (see `tripleHandler`). */
export function leadsTriple(first: Insn): boolean {
  return first.exec === movR32M32Based || first.exec === aluR32Imm;
}

/**
 * The handler of a pair of `first` and a 32-bit Jcc after it, or null when `first` cannot lead one (a
 * plain register CMP or TEST: no prefix but operand size).
 */
export function pairHandler(first: Insn): Handler | null {
  if (first.isMem || first.lock || first.segOverride >= 0 || first.rep !== 0) return null;
  const e = first.row.exec;
  if (e === test_AL_Ib) return testALImmJcc;
  if (e === test_Eb_Ib) return testR8ImmJcc;
  if (!first.o32) return null;
  if (e === alu_Ev_Gv && first.arg === ALU_CMP) return cmpR32R32Jcc;
  if (e === alu_Ev_I && first.arg === ALU_CMP) return cmpR32ImmJcc;
  if (e === test_Ev_Gv) return testR32R32Jcc;
  return null;
}

/** True when `next` can be the second instruction of a fused pair: a 32-bit Jcc without LOCK. */
export function endsPair(next: Insn): boolean {
  return next.row.exec === jcc && next.o32 && !next.lock;
}
