// Control transfer (Intel SDM vol. 2 "Jcc", "JMP", "CALL", "RET", "LOOP", "INT n", "IRET"; vol. 3A §5.8):
// near and far jumps, calls and returns, conditional jumps, LOOPcc/JCXZ, software interrupts and IRET
// with same- and outer-privilege returns. Far transfers go to code segments or through 32-bit call gates;
// 16-bit call gates, task gates and TSS targets raise #GP (no hardware task switching).
import type { Cpu } from '../cpu.ts';
import type { Insn } from '../decode/insn.ts';
import { deliverInterrupt, switchToInnerStack } from '../interrupts.ts';
import { getOF, materializeFlags, testCondition } from '../flags.ts';
import {
  checkCodeSegment, Descriptor, loadCodeSegment, loadSegmentCache, nullInaccessibleSegments, readDescriptor, setAccessed,
} from '../segments.ts';
import {
  ACC_CODE, ACC_RW, ACC_S, CS, ECX, ESP, EXC_BP, EXC_GP, EXC_NP, EXC_OF, EXC_SS, FLAG_IF, FLAG_IOPL, FLAG_NT, FLAG_VM,
  FLAGS_FIXED, FLAGS_WRITABLE, SS, SYS_CALL_GATE32,
} from '../state.ts';
import { ea, readEv } from './operands.ts';

/** Sets EIP to a near target, truncated to 16 bits for 16-bit operand size, checked against CS limit. */
function jumpNear(cpu: Cpu, i: Insn, target: number): void {
  const t = i.o32 ? target | 0 : target & 0xffff;
  if ((t >>> 0) > cpu.segLimit[CS]) cpu.fault(EXC_GP, 0);
  cpu.eip = t;
}

export function jcc(cpu: Cpu, i: Insn): void {
  if (testCondition(cpu, i.arg)) jumpNear(cpu, i, cpu.eip + i.imm);
}

export function jmp_J(cpu: Cpu, i: Insn): void {
  jumpNear(cpu, i, cpu.eip + i.imm);
}

export function jmp_Ev(cpu: Cpu, i: Insn): void {
  jumpNear(cpu, i, readEv(cpu, i));
}

export function call_J(cpu: Cpu, i: Insn): void {
  const target = i.o32 ? (cpu.eip + i.imm) | 0 : (cpu.eip + i.imm) & 0xffff;
  if ((target >>> 0) > cpu.segLimit[CS]) cpu.fault(EXC_GP, 0);
  if (i.o32) cpu.push32(cpu.eip);
  else cpu.push16(cpu.eip);
  cpu.eip = target;
}

export function call_Ev(cpu: Cpu, i: Insn): void {
  const target = readEv(cpu, i);
  if ((target >>> 0) > cpu.segLimit[CS]) cpu.fault(EXC_GP, 0);
  if (i.o32) cpu.push32(cpu.eip);
  else cpu.push16(cpu.eip);
  cpu.eip = target;
}

/** RET / RET Iw (C3 / C2) */
export function ret(cpu: Cpu, i: Insn): void {
  const sp = cpu.sp;
  const target = i.o32 ? cpu.rd32(SS, sp) : cpu.rd16(SS, sp);
  if ((target >>> 0) > cpu.segLimit[CS]) cpu.fault(EXC_GP, 0);
  cpu.adjustSp((i.o32 ? 4 : 2) + (i.opcode === 0xc2 ? i.imm & 0xffff : 0));
  cpu.eip = target;
}

/** LOOP / LOOPE / LOOPNE / JCXZ (E2 / E1 / E0 / E3): the count register is CX or ECX by address size. */
export function loop(cpu: Cpu, i: Insn): void {
  const current = i.a32 ? cpu.regs[ECX] : cpu.r16[ECX << 1];
  if (i.opcode === 0xe3) {
    if (current === 0) jumpNear(cpu, i, cpu.eip + i.imm);
    return;
  }
  const count = i.a32 ? (current - 1) | 0 : (current - 1) & 0xffff;
  let take = count !== 0;
  if (i.opcode === 0xe1) take &&= testCondition(cpu, 4);
  else if (i.opcode === 0xe0) take &&= testCondition(cpu, 5);
  if (take) jumpNear(cpu, i, cpu.eip + i.imm); // may fault: the count is written only afterwards
  if (i.a32) cpu.regs[ECX] = count;
  else cpu.r16[ECX << 1] = count;
}

// ---- far transfers ----

const desc = new Descriptor();
const ssDesc = new Descriptor();

/** Loads the descriptor of a far-transfer target code selector; #GP for anything but a code segment. */
function fetchCodeTarget(cpu: Cpu, selector: number): Descriptor {
  if ((selector & ~3) === 0) cpu.fault(EXC_GP, 0);
  if (!readDescriptor(cpu, selector, desc)) cpu.fault(EXC_GP, selector & 0xfffc);
  // Gates and TSSs (S=0) are not supported; data segments are not valid targets.
  if ((desc.access & (ACC_S | ACC_CODE)) !== (ACC_S | ACC_CODE)) cpu.fault(EXC_GP, selector & 0xfffc);
  return desc;
}

/** Far JMP/CALL to `selector:offset`: a code segment at the current privilege, or a 32-bit call gate. */
function farJump(cpu: Cpu, i: Insn, selector: number, offset: number, push: boolean): void {
  if ((selector & ~3) === 0) cpu.fault(EXC_GP, 0);
  const d = desc;
  if (!readDescriptor(cpu, selector, d)) cpu.fault(EXC_GP, selector & 0xfffc);
  if ((d.access & ACC_S) === 0) {
    if ((d.access & 0x1f) !== SYS_CALL_GATE32) cpu.fault(EXC_GP, selector & 0xfffc); // TSS, task gate, 16-bit gate
    callGate(cpu, i, selector, push);
    return;
  }
  if ((d.access & ACC_CODE) === 0) cpu.fault(EXC_GP, selector & 0xfffc);
  const conforming = (d.access & 0x04) !== 0;
  if (!conforming && (selector & 3) > cpu.cpl) cpu.fault(EXC_GP, selector & 0xfffc);
  checkCodeSegment(cpu, selector, d, cpu.cpl);
  const target = i.o32 ? offset | 0 : offset & 0xffff;
  if ((target >>> 0) > d.limit) cpu.fault(EXC_GP, 0);
  if (push) pushReturnAddress(cpu, i.o32);
  loadCodeSegment(cpu, selector, d, cpu.cpl);
  cpu.eip = target;
}

function pushReturnAddress(cpu: Cpu, o32: boolean): void {
  if (o32) {
    cpu.push32(cpu.segSel[CS]);
    cpu.push32(cpu.eip);
  } else {
    cpu.push16(cpu.segSel[CS]);
    cpu.push16(cpu.eip);
  }
}

const gateTarget = new Descriptor();

/**
 * JMP/CALL through the 32-bit call gate in `desc` (SDM vol. 3A §5.8.4-5.8.5): the gate's DPL must admit
 * max(CPL, RPL); CALL to a more privileged non-conforming segment switches to the TSS stack of that ring
 * and copies the gate's parameter count of dwords; JMP only reaches the current privilege level.
 */
function callGate(cpu: Cpu, i: Insn, gateSelector: number, isCall: boolean): void {
  const gate = desc;
  const gateErr = gateSelector & 0xfffc;
  if (gate.dpl < Math.max(cpu.cpl, gateSelector & 3)) cpu.fault(EXC_GP, gateErr);
  if (!gate.present) cpu.fault(EXC_NP, gateErr);
  const selector = gate.gateSelector;
  const offset = gate.gateOffset;
  const params = gate.hi & 0x1f;
  const err = selector & 0xfffc;
  if ((selector & ~3) === 0) cpu.fault(EXC_GP, 0);
  const t = gateTarget;
  if (!readDescriptor(cpu, selector, t)) cpu.fault(EXC_GP, err);
  if ((t.access & (ACC_S | ACC_CODE)) !== (ACC_S | ACC_CODE) || t.dpl > cpu.cpl) cpu.fault(EXC_GP, err);
  if (!t.present) cpu.fault(EXC_NP, err);
  const conforming = (t.access & 0x04) !== 0;
  if (offset > t.limit) cpu.fault(EXC_GP, 0);
  if (!isCall) {
    if (!conforming && t.dpl !== cpu.cpl) cpu.fault(EXC_GP, err);
  } else if (!conforming && t.dpl < cpu.cpl) {
    // Parameters are read from the caller's stack before anything changes.
    const frame = [cpu.segSel[SS], cpu.regs[ESP]];
    for (let k = params - 1; k >= 0; k--) frame.push(stackWord(cpu, i, k, 4));
    frame.push(cpu.segSel[CS], cpu.eip);
    switchToInnerStack(cpu, t.dpl, 0, frame, 4);
    loadCodeSegment(cpu, selector, t, t.dpl);
    cpu.eip = offset | 0;
    return;
  } else {
    pushReturnAddress(cpu, true);
  }
  loadCodeSegment(cpu, selector, t, cpu.cpl);
  cpu.eip = offset | 0;
}

/** JMP ptr16:16/32 (EA) */
export function jmpf_Ap(cpu: Cpu, i: Insn): void {
  farJump(cpu, i, i.imm2, i.imm, false);
}

/** CALL ptr16:16/32 (9A) */
export function callf_Ap(cpu: Cpu, i: Insn): void {
  farJump(cpu, i, i.imm2, i.imm, true);
}

function readFarPointer(cpu: Cpu, i: Insn): [number, number] {
  if (!i.isMem) cpu.undefinedOpcode(i);
  const addr = ea(cpu, i);
  const offset = i.o32 ? cpu.rd32(i.seg, addr) : cpu.rd16(i.seg, addr);
  const selector = cpu.rd16(i.seg, (addr + (i.o32 ? 4 : 2)) | 0);
  return [selector, offset];
}

/** JMP m16:16/32 (FF /5) */
export function jmpf_Mp(cpu: Cpu, i: Insn): void {
  const [sel, off] = readFarPointer(cpu, i);
  farJump(cpu, i, sel, off, false);
}

/** CALL m16:16/32 (FF /3) */
export function callf_Mp(cpu: Cpu, i: Insn): void {
  const [sel, off] = readFarPointer(cpu, i);
  farJump(cpu, i, sel, off, true);
}

/** Reads word `k` (of `size` bytes, the operand size by default) above the stack pointer. */
function stackWord(cpu: Cpu, i: Insn, k: number, size = i.o32 ? 4 : 2): number {
  return stackAt(cpu, k * size, size);
}

/** Reads `size` bytes at `bytes` above the stack pointer, without moving it. */
function stackAt(cpu: Cpu, bytes: number, size: number): number {
  const off = cpu.stack32 ? (cpu.regs[ESP] + bytes) | 0 : (cpu.regs[ESP] + bytes) & 0xffff;
  return size === 4 ? cpu.rd32(SS, off) : cpu.rd16(SS, off);
}

/**
 * Returns to CS:EIP = selector:offset popped by RETF/IRET: same privilege, or outer privilege with SS:ESP
 * popped from words `k`, `k+1` of the stack. `release` = bytes to drop after the CS:EIP(+EFLAGS) words.
 * Returns the new CPL.
 */
function farReturn(cpu: Cpu, i: Insn, selector: number, offset: number, words: number, release: number): void {
  const rpl = selector & 3;
  if (rpl < cpu.cpl) cpu.fault(EXC_GP, selector & 0xfffc);
  const d = fetchCodeTarget(cpu, selector);
  const conforming = (d.access & 0x04) !== 0;
  if (conforming ? d.dpl > rpl : d.dpl !== rpl) cpu.fault(EXC_GP, selector & 0xfffc);
  if (!d.present) cpu.fault(EXC_NP, selector & 0xfffc);
  const size = i.o32 ? 4 : 2;
  const target = i.o32 ? offset | 0 : offset & 0xffff;
  if (rpl === cpu.cpl) {
    if ((target >>> 0) > d.limit) cpu.fault(EXC_GP, 0);
    loadCodeSegment(cpu, selector, d, rpl);
    cpu.adjustSp(words * size + release);
    cpu.eip = target;
    return;
  }
  // Outer privilege: SS:ESP follow (after the immediate release for RETF).
  const skip = words * size + release;
  const newEsp = stackAt(cpu, skip, size);
  const newSs = stackAt(cpu, skip + size, size) & 0xffff;
  const ssErr = newSs & 0xfffc;
  if ((newSs & ~3) === 0) cpu.fault(EXC_GP, 0);
  if (!readDescriptor(cpu, newSs, ssDesc)) cpu.fault(EXC_GP, ssErr);
  if ((newSs & 3) !== rpl || ssDesc.dpl !== rpl || (ssDesc.access & (ACC_S | ACC_CODE | ACC_RW)) !== (ACC_S | ACC_RW)) {
    cpu.fault(EXC_GP, ssErr);
  }
  if (!ssDesc.present) cpu.fault(EXC_SS, ssErr);
  if ((target >>> 0) > d.limit) cpu.fault(EXC_GP, 0);
  loadCodeSegment(cpu, selector, d, rpl);
  setAccessed(cpu, ssDesc);
  loadSegmentCache(cpu, SS, newSs, ssDesc.base, ssDesc.limit, ssDesc.rights);
  cpu.updatePrivilege();
  if (cpu.stack32) cpu.regs[ESP] = i.o32 ? newEsp : newEsp & 0xffff;
  else cpu.r16[ESP << 1] = newEsp;
  cpu.adjustSp(release);
  nullInaccessibleSegments(cpu);
  cpu.eip = target;
}

/** RETF / RETF Iw (CB / CA) */
export function retf(cpu: Cpu, i: Insn): void {
  const offset = stackWord(cpu, i, 0);
  const selector = stackWord(cpu, i, 1) & 0xffff;
  farReturn(cpu, i, selector, offset, 2, i.opcode === 0xca ? i.imm & 0xffff : 0);
}

/** IRET / IRETD (CF) */
export function iret(cpu: Cpu, i: Insn): void {
  materializeFlags(cpu);
  if (cpu.flags & FLAG_NT) cpu.fault(EXC_GP, cpu.tr.selector & 0xfffc); // task return: not supported
  const offset = stackWord(cpu, i, 0);
  const selector = stackWord(cpu, i, 1) & 0xffff;
  let newFlags = stackWord(cpu, i, 2);
  if (!i.o32) newFlags = (cpu.flags & ~0xffff) | (newFlags & 0xffff);
  if (newFlags & FLAG_VM && cpu.cpl === 0 && i.o32) cpu.fault(EXC_GP, 0); // virtual-8086 mode: not supported
  const oldCpl = cpu.cpl;
  farReturn(cpu, i, selector, offset, 3, 0);
  // Flag update rules use the CPL before the return (SDM IRET pseudo-code).
  let writable = FLAGS_WRITABLE & ~FLAG_VM;
  if (oldCpl > 0) writable &= ~FLAG_IOPL;
  if (oldCpl > ((cpu.flags & FLAG_IOPL) >>> 12)) writable &= ~FLAG_IF;
  if (!i.o32) writable &= 0xffff;
  cpu.flags = (cpu.flags & ~writable) | (newFlags & writable) | FLAGS_FIXED;
  cpu.lazy = 0;
  cpu.breakChunk();
}

// ---- software interrupts ----

/** INT Ib (CD) */
export function int_Ib(cpu: Cpu, i: Insn): void {
  deliverInterrupt(cpu, i.imm & 0xff, 'software', -1, cpu.eip);
}

/** INT3 (CC): a trap, delivered like INT 3 but as an exception for IDT-privilege purposes. */
export function int3(cpu: Cpu): void {
  deliverInterrupt(cpu, EXC_BP, 'software', -1, cpu.eip);
}

/** INTO (CE) */
export function into(cpu: Cpu): void {
  if (getOF(cpu)) deliverInterrupt(cpu, EXC_OF, 'software', -1, cpu.eip);
}

/** INT1 / ICEBP (F1): a #DB trap that ignores the gate's DPL. */
export function int1(cpu: Cpu): void {
  deliverInterrupt(cpu, 1, 'exception', -1, cpu.eip);
}

