// Fused pairs: a register CMP or TEST and the 32-bit Jcc right after it, executed by one handler (the
// loops of gcc -O2 code end in such pairs). The pair is the two instructions exactly: the flags are set
// as by the first (lazily, flags.ts), the condition is the Jcc's (Intel SDM vol. 1 appendix B) computed
// from the operands, and both count as retired. The handler runs the Jcc only where the run loop could
// have run it next without stopping: the chunk has room for a second instruction and `cpu.fuseMarks`
// (the watch marks of the code page, all set where fusing is off) does not mark its offset. Otherwise it
// executes the first instruction alone and the loop meets the Jcc as usual. The CPU fuses only within a
// page and with a flat code segment (the Jcc's target cannot exceed the CS limit); it records the bytes
// the pair spans (`Insn.span`) so that a write to the Jcc drops the pair.
import type { Cpu } from '../cpu.ts';
import type { Handler, Insn } from '../decode/insn.ts';
import { PARITY, setResult, setSub } from '../flags.ts';
import { ALU_CMP, alu_Ev_I, alu_Ev_Gv, test_AL_Ib, test_Eb_Ib, test_Ev_Gv } from './arith.ts';
import { jcc } from './control.ts';
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

/** True when the Jcc after `i` may run now; then counts the first instruction retired and enters the Jcc. */
function enterJcc(cpu: Cpu, i: Insn): boolean {
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
  if (enterJcc(cpu, i)) jumpIf(cpu, i.next!, afterSub(i.next!.arg, a, b, r));
}

function cmpR32ImmJcc(cpu: Cpu, i: Insn): void {
  const a = cpu.regs[i.rm];
  const b = i.imm;
  const r = (a - b) | 0;
  setSub(cpu, a, b, r, 31);
  if (enterJcc(cpu, i)) jumpIf(cpu, i.next!, afterSub(i.next!.arg, a, b, r));
}

function testR32R32Jcc(cpu: Cpu, i: Insn): void {
  const r = cpu.regs[i.rm] & cpu.regs[i.reg];
  setResult(cpu, r, 31, 0);
  if (enterJcc(cpu, i)) jumpIf(cpu, i.next!, afterLogic(i.next!.arg, r, 31));
}

function testR8ImmJcc(cpu: Cpu, i: Insn): void {
  const r = cpu.r8[R8_INDEX[i.rm]] & i.imm;
  setResult(cpu, r, 7, 0);
  if (enterJcc(cpu, i)) jumpIf(cpu, i.next!, afterLogic(i.next!.arg, r, 7));
}

function testALImmJcc(cpu: Cpu, i: Insn): void {
  const r = cpu.r8[0] & i.imm;
  setResult(cpu, r, 7, 0);
  if (enterJcc(cpu, i)) jumpIf(cpu, i.next!, afterLogic(i.next!.arg, r, 7));
}

/**
 * The fused handler of `first` and a 32-bit Jcc after it, or null when `first` does not lead a fused
 * form (a plain register CMP or TEST: no prefix but operand size).
 */
export function fusedHandler(first: Insn): Handler | null {
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
export function fusesAfter(next: Insn): boolean {
  return next.row.exec === jcc && next.o32 && !next.lock;
}
