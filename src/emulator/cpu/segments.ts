// Protected-mode segmentation (Intel SDM vol. 3A ch. 3 and §5.1-5.8): descriptor fetch from the GDT/LDT,
// the segment-register load checks with their #GP/#SS/#NP error codes, and the hidden descriptor caches.
import type { Cpu } from './cpu.ts';
import {
  ACC_ACCESSED, ACC_CODE, ACC_DC, ACC_P, ACC_RW, ACC_S, CS, EXC_GP, EXC_NP, EXC_SS, RIGHTS_G, SS,
} from './state.ts';

/** A fetched descriptor: its two dwords and where it lives (to set the accessed/busy bits). */
export class Descriptor {
  lo = 0;
  hi = 0;
  addr = 0;

  get base(): number {
    return ((this.lo >>> 16) | ((this.hi & 0xff) << 16) | (this.hi & 0xff000000)) >>> 0;
  }

  get limit(): number {
    const raw = (this.lo & 0xffff) | (this.hi & 0xf0000);
    return this.hi & (RIGHTS_G << 8) ? ((raw << 12) | 0xfff) >>> 0 : raw;
  }

  /** Access byte and flags nibble, as the CPU caches them (`Cpu.segRights`). */
  get rights(): number {
    return (this.hi >>> 8) & 0xf0ff;
  }

  get access(): number {
    return (this.hi >>> 8) & 0xff;
  }

  get dpl(): number {
    return (this.hi >>> 13) & 3;
  }

  get present(): boolean {
    return (this.hi & (ACC_P << 8)) !== 0;
  }

  /** Gate fields: target selector and offset (32-bit gate layout). */
  get gateSelector(): number {
    return this.lo >>> 16;
  }

  get gateOffset(): number {
    return ((this.hi & 0xffff0000) | (this.lo & 0xffff)) >>> 0;
  }
}

/**
 * Reads the descriptor for `selector` from the GDT or LDT into `d`. Returns false if the selector's
 * index lies outside the table (the caller raises the fault its instruction defines).
 */
export function readDescriptor(cpu: Cpu, selector: number, d: Descriptor): boolean {
  const table = selector & 4 ? cpu.ldtr : cpu.gdtr;
  if (selector & 4 && table.selector === 0 && table.limit === 0) return false;
  const offset = selector & ~7;
  if (offset + 7 > table.limit) return false;
  d.addr = (table.base + offset) >>> 0;
  d.lo = cpu.sysRd32(d.addr);
  d.hi = cpu.sysRd32(d.addr + 4);
  return true;
}

/** Sets the accessed bit of a code/data descriptor in memory if it is clear. */
export function setAccessed(cpu: Cpu, d: Descriptor): void {
  if ((d.hi & (ACC_ACCESSED << 8)) === 0) {
    d.hi |= ACC_ACCESSED << 8;
    cpu.sysWr8(d.addr + 5, d.access);
  }
}

/** Loads a segment register's visible part and hidden cache directly (no checks). */
export function loadSegmentCache(cpu: Cpu, seg: number, selector: number, base: number, limit: number, rights: number): void {
  cpu.segSel[seg] = selector;
  cpu.segBase[seg] = base | 0;
  cpu.segLimit[seg] = limit >>> 0;
  cpu.segRights[seg] = rights;
  refreshSegmentLimits(cpu, seg);
  if (seg === CS) cpu.breakChunk(); // the run loop keeps CS base and limit in locals
}

/** Recomputes the fast-path bounds of one segment (see `Cpu.segRLim`). */
export function refreshSegmentLimits(cpu: Cpu, seg: number): void {
  const r = cpu.segRights[seg];
  const usable = r !== 0 && (r & ACC_P) !== 0;
  const expandDown = (r & (ACC_CODE | ACC_DC)) === ACC_DC;
  const readable = usable && !expandDown && ((r & ACC_CODE) === 0 || (r & ACC_RW) !== 0);
  const writable = usable && !expandDown && (r & (ACC_CODE | ACC_RW)) === ACC_RW;
  cpu.segRLim[seg] = readable ? cpu.segLimit[seg] : -1;
  cpu.segWLim[seg] = writable ? cpu.segLimit[seg] : -1;
}

const scratch = new Descriptor();

/**
 * MOV/POP/LDS-style load of data segment register `seg` (not CS) with the protected-mode checks.
 * A null selector loads an unusable segment (and #GP(0) for SS).
 */
export function loadDataSegment(cpu: Cpu, seg: number, selector: number): void {
  selector &= 0xffff;
  const rpl = selector & 3;
  const err = selector & 0xfffc;
  if ((selector & ~3) === 0) {
    if (seg === SS) cpu.fault(EXC_GP, 0);
    loadSegmentCache(cpu, seg, selector, 0, 0, 0);
    return;
  }
  const d = scratch;
  if (!readDescriptor(cpu, selector, d)) cpu.fault(EXC_GP, err);
  const acc = d.access;
  if ((acc & ACC_S) === 0) cpu.fault(EXC_GP, err);
  if (seg === SS) {
    if (rpl !== cpu.cpl || d.dpl !== cpu.cpl || (acc & (ACC_CODE | ACC_RW)) !== ACC_RW) cpu.fault(EXC_GP, err);
    if (!d.present) cpu.fault(EXC_SS, err);
  } else {
    if ((acc & (ACC_CODE | ACC_RW)) === ACC_CODE) cpu.fault(EXC_GP, err); // execute-only code
    const conformingCode = (acc & (ACC_CODE | ACC_DC)) === (ACC_CODE | ACC_DC);
    if (!conformingCode && Math.max(cpu.cpl, rpl) > d.dpl) cpu.fault(EXC_GP, err);
    if (!d.present) cpu.fault(EXC_NP, err);
  }
  setAccessed(cpu, d);
  loadSegmentCache(cpu, seg, selector, d.base, d.limit, d.rights);
  if (seg === SS) cpu.updatePrivilege();
}

/**
 * Checks a code-segment descriptor as the target of a far JMP/CALL/RET/IRET or gate: returns normally if
 * it is a present code segment the transfer may use at privilege `newCpl`; raises #GP/#NP otherwise.
 * `d` must already hold the descriptor of `selector`.
 */
export function checkCodeSegment(cpu: Cpu, selector: number, d: Descriptor, newCpl: number): void {
  const err = selector & 0xfffc;
  const acc = d.access;
  if ((acc & (ACC_S | ACC_CODE)) !== (ACC_S | ACC_CODE)) cpu.fault(EXC_GP, err);
  if (acc & ACC_DC ? d.dpl > newCpl : d.dpl !== newCpl) cpu.fault(EXC_GP, err);
  if (!d.present) cpu.fault(EXC_NP, err);
}

/** Loads CS from a checked descriptor at privilege `newCpl` (RPL of CS becomes the CPL). */
export function loadCodeSegment(cpu: Cpu, selector: number, d: Descriptor, newCpl: number): void {
  setAccessed(cpu, d);
  loadSegmentCache(cpu, CS, (selector & ~3) | newCpl, d.base, d.limit, d.rights);
  cpu.cpl = newCpl;
  cpu.updatePrivilege();
}

/**
 * After a return to an outer privilege level: data segment registers whose descriptors the new CPL may
 * not use are loaded with null (SDM vol. 3A §5.8.6, RET/IRET "return to outer privilege level").
 */
export function nullInaccessibleSegments(cpu: Cpu): void {
  for (const seg of [0, 3, 4, 5]) {
    const r = cpu.segRights[seg];
    if (r === 0) continue;
    const dpl = (r >> 5) & 3;
    const conformingCode = (r & (ACC_CODE | ACC_DC)) === (ACC_CODE | ACC_DC);
    if (!conformingCode && dpl < cpu.cpl) loadSegmentCache(cpu, seg, 0, 0, 0, 0);
  }
}
