// Interrupt and exception delivery through the protected-mode IDT (Intel SDM vol. 3A §6.10-6.15):
// interrupt and trap gates (16- and 32-bit), the privilege check for software interrupts, the stack switch
// to the inner ring's SS:ESP from the 32-bit TSS, error codes, and the double-fault classification.
// Task gates are not supported (hardware task switching is not emulated): they raise #GP.
import type { Cpu, InterruptKind } from './cpu.ts';
import { materializeFlags } from './flags.ts';
import { Descriptor, loadCodeSegment, loadSegmentCache, readDescriptor, setAccessed } from './segments.ts';
import {
  ACC_CODE, ACC_DC, ACC_RW, ACC_S, CS, ESP, EXC_DE, EXC_GP, EXC_NP, EXC_PF, EXC_SS, EXC_TS, FLAG_IF, FLAG_NT,
  FLAG_RF, FLAG_TF, FLAG_VM, SS, SYS_INT_GATE16, SYS_INT_GATE32, SYS_TRAP_GATE16, SYS_TRAP_GATE32,
} from './state.ts';

/** Exceptions that push an error code. */
function hasErrorCode(vector: number): boolean {
  return vector === 8 || (vector >= 10 && vector <= 14) || vector === 17;
}

function isContributory(vector: number): boolean {
  return vector === EXC_DE || (vector >= EXC_TS && vector <= EXC_GP);
}

/** True when `second`, raised while delivering `first`, makes a double fault (SDM table 6-5). */
export function isDoubleFaultPair(first: number, second: number): boolean {
  if (isContributory(first)) return isContributory(second);
  if (first === EXC_PF) return isContributory(second) || second === EXC_PF;
  return false;
}

const gate = new Descriptor();
const target = new Descriptor();
const stackDesc = new Descriptor();

/**
 * Delivers interrupt `vector`. `eip` is the return address to push (the faulting instruction for
 * faults, the next one for traps and INT n). `errorCode` is pushed for exceptions that have one.
 * Raises (throws) a fault if delivery itself fails; nothing is committed until all checks passed.
 */
export function deliverInterrupt(cpu: Cpu, vector: number, kind: InterruptKind, errorCode: number, eip: number): void {
  cpu.interruptObserver?.onInterrupt(vector, kind === 'exception' && hasErrorCode(vector) ? errorCode : -1, kind, eip >>> 0);
  const ext = kind === 'software' ? 0 : 1;
  const idtErr = vector * 8 + 2 + ext;
  if (vector * 8 + 7 > cpu.idtr.limit) cpu.fault(EXC_GP, idtErr);
  gate.addr = (cpu.idtr.base + vector * 8) >>> 0;
  gate.lo = cpu.sysRd32(gate.addr);
  gate.hi = cpu.sysRd32(gate.addr + 4);
  const type = gate.access & 0x1f;
  const is32 = type === SYS_INT_GATE32 || type === SYS_TRAP_GATE32;
  if (!is32 && type !== SYS_INT_GATE16 && type !== SYS_TRAP_GATE16) cpu.fault(EXC_GP, idtErr);
  if (kind === 'software' && gate.dpl < cpu.cpl) cpu.fault(EXC_GP, idtErr);
  if (!gate.present) cpu.fault(EXC_NP, idtErr);
  const selector = gate.gateSelector;
  const offset = is32 ? gate.gateOffset : gate.lo & 0xffff;
  if ((selector & ~3) === 0) cpu.fault(EXC_GP, ext);
  if (!readDescriptor(cpu, selector, target)) cpu.fault(EXC_GP, (selector & 0xfffc) + ext);
  const acc = target.access;
  if ((acc & (ACC_S | ACC_CODE)) !== (ACC_S | ACC_CODE) || target.dpl > cpu.cpl) cpu.fault(EXC_GP, (selector & 0xfffc) + ext);
  if (!target.present) cpu.fault(EXC_NP, (selector & 0xfffc) + ext);
  const conforming = (acc & ACC_DC) !== 0;
  const newCpl = conforming ? cpu.cpl : target.dpl;
  if (offset > target.limit) cpu.fault(EXC_GP, ext);

  materializeFlags(cpu);
  const eflags = cpu.flags;
  const pushErr = kind === 'exception' && hasErrorCode(vector);
  const size = is32 ? 4 : 2;

  if (newCpl < cpu.cpl) {
    const frame = [cpu.segSel[SS], cpu.regs[ESP], eflags, cpu.segSel[CS], eip];
    if (pushErr) frame.push(errorCode);
    switchToInnerStack(cpu, newCpl, ext, frame, size);
  } else {
    const frame = [eflags, cpu.segSel[CS], eip];
    if (pushErr) frame.push(errorCode);
    for (const value of frame) {
      if (size === 4) cpu.push32(value);
      else cpu.push16(value);
    }
  }
  loadCodeSegment(cpu, selector, target, newCpl); // also refreshes CPL-derived state (new SS above)
  cpu.eip = offset | 0;
  let f = cpu.flags & ~(FLAG_TF | FLAG_NT | FLAG_RF | FLAG_VM);
  if (type === SYS_INT_GATE32 || type === SYS_INT_GATE16) f &= ~FLAG_IF;
  cpu.flags = f;
  cpu.halted = false;
  cpu.breakChunk();
}

function fitsInStack(limit: number, access: number, big: boolean, bottom: number, top: number): boolean {
  if (bottom < 0 && !big) return false;
  const lo = bottom >>> 0;
  const hi = (top - 1) >>> 0;
  if ((access & (ACC_CODE | ACC_DC)) === ACC_DC) {
    const upper = big ? 0xffffffff : 0xffff;
    return lo > limit && hi <= upper;
  }
  return hi <= limit && lo <= hi;
}

/**
 * Privilege increase (interrupt gate or call gate to an inner ring): loads SS:ESP for `newCpl` from the
 * 32-bit TSS (ESPn at 4 + 8n, SSn at 8 + 8n) with the #TS/#SS checks, pushes `frame` (first element
 * first) onto it with supervisor rights, then loads SS and ESP. Faults leave the old stack in place.
 */
export function switchToInnerStack(cpu: Cpu, newCpl: number, ext: number, frame: number[], size: number): void {
  const tssOff = 4 + newCpl * 8;
  if (tssOff + 5 > cpu.tr.limit) cpu.fault(EXC_TS, (cpu.tr.selector & 0xfffc) + ext);
  const newEsp = cpu.sysRd32(cpu.tr.base + tssOff);
  const newSs = cpu.sysRd16(cpu.tr.base + tssOff + 4);
  const ssErr = (newSs & 0xfffc) + ext;
  if ((newSs & ~3) === 0) cpu.fault(EXC_TS, ext);
  if (!readDescriptor(cpu, newSs, stackDesc)) cpu.fault(EXC_TS, ssErr);
  if ((newSs & 3) !== newCpl || stackDesc.dpl !== newCpl || (stackDesc.access & (ACC_S | ACC_CODE | ACC_RW)) !== (ACC_S | ACC_RW)) {
    cpu.fault(EXC_TS, ssErr);
  }
  if (!stackDesc.present) cpu.fault(EXC_SS, ssErr);
  const ssBase = stackDesc.base;
  const big = (stackDesc.rights & 0x4000) !== 0;
  let sp = big ? newEsp : newEsp & 0xffff;
  const bottom = sp - frame.length * size;
  if (!fitsInStack(stackDesc.limit, stackDesc.access, big, bottom, sp)) cpu.fault(EXC_SS, ssErr);
  for (const value of frame) {
    sp -= size;
    const lin = ssBase + (big ? sp : sp & 0xffff);
    if (size === 4) cpu.sysWr32(lin, value);
    else cpu.sysWr16(lin, value);
  }
  setAccessed(cpu, stackDesc);
  loadSegmentCache(cpu, SS, newSs, ssBase, stackDesc.limit, stackDesc.rights);
  if (big) cpu.regs[ESP] = sp;
  else cpu.r16[ESP << 1] = sp;
}
