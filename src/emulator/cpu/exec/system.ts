// System instructions (Intel SDM vol. 2 and vol. 3A ch. 2.8 "system instruction summary"): HLT, CLI/STI
// (IOPL check, STI interrupt shadow), descriptor-table registers, LLDT/LTR, LMSW/SMSW/CLTS, LAR/LSL/
// VERR/VERW/ARPL, MOV to and from control and debug registers, INVLPG/INVD/WBINVD, CPUID, RDTSC, UD2, and
// the x87 escapes (no FPU: #NM when CR0.EM or CR0.TS says so, else #UD).
import type { Cpu } from '../cpu.ts';
import type { Insn } from '../decode/insn.ts';
import { materializeFlags } from '../flags.ts';
import { flushTlb, invalidatePage } from '../mmu.ts';
import { Descriptor, readDescriptor } from '../segments.ts';
import {
  ACC_CODE, ACC_DC, ACC_RW, ACC_S, CR0_EM, CR0_MP, CR0_PE, CR0_PG, CR0_TS, CR0_WP, CR4_DE, CR4_PGE, CR4_PSE, CR4_SUPPORTED, CR4_TSD, EAX, EBX, ECX, EDX, EXC_GP, EXC_NM, EXC_NP, FLAG_IF, FLAG_IOPL, FLAG_ZF, SYS_LDT, SYS_TSS16_AVAIL, SYS_TSS32_AVAIL,
} from '../state.ts';
import { ea, getReg16, readEw, setReg16, setRegV, writeEw } from './operands.ts';

function requireCpl0(cpu: Cpu): void {
  if (cpu.cpl !== 0) cpu.fault(EXC_GP, 0);
}

export function hlt(cpu: Cpu): void {
  requireCpl0(cpu);
  cpu.halted = true;
  cpu.breakChunk();
}

export function cli(cpu: Cpu): void {
  if (cpu.cpl > (cpu.flags & FLAG_IOPL) >>> 12) cpu.fault(EXC_GP, 0);
  cpu.flags &= ~FLAG_IF;
}

/** STI: interrupts stay inhibited until after the next instruction. */
export function sti(cpu: Cpu): void {
  if (cpu.cpl > (cpu.flags & FLAG_IOPL) >>> 12) cpu.fault(EXC_GP, 0);
  if ((cpu.flags & FLAG_IF) === 0) {
    cpu.flags |= FLAG_IF;
    cpu.shadowAt = cpu.instructions + 1;
    cpu.breakChunk();
  }
}

export function clts(cpu: Cpu): void {
  requireCpl0(cpu);
  cpu.cr0 &= ~CR0_TS;
}

// ---- descriptor tables (0F 01 /0-/3, 0F 00) ----

/** SGDT/SIDT Ms (0F 01 /0, /1): 16-bit limit then 32-bit base (24 bits with a 16-bit operand size). */
export function storeTable(cpu: Cpu, i: Insn): void {
  if (!i.isMem) cpu.undefinedOpcode(i);
  const t = i.reg === 0 ? cpu.gdtr : cpu.idtr;
  const addr = ea(cpu, i);
  cpu.wr16(i.seg, addr, t.limit);
  cpu.wr32(i.seg, (addr + 2) | 0, i.o32 ? t.base : t.base & 0xffffff);
}

/** LGDT/LIDT Ms (0F 01 /2, /3) */
export function loadTable(cpu: Cpu, i: Insn): void {
  if (!i.isMem) cpu.undefinedOpcode(i);
  requireCpl0(cpu);
  const addr = ea(cpu, i);
  const limit = cpu.rd16(i.seg, addr);
  let base = cpu.rd32(i.seg, (addr + 2) | 0) >>> 0;
  if (!i.o32) base &= 0xffffff;
  if (i.reg === 2) cpu.gdtr = { ...cpu.gdtr, limit, base };
  else cpu.idtr = { ...cpu.idtr, limit, base };
}

/** SLDT/STR Ew (0F 00 /0, /1): to a register with a 32-bit operand size the upper half is zeroed. */
export function storeSystemSelector(cpu: Cpu, i: Insn): void {
  const sel = i.reg === 0 ? cpu.ldtr.selector : cpu.tr.selector;
  if (i.isMem) writeEw(cpu, i, sel);
  else setRegV(cpu, i, i.rm, sel);
}

const d = new Descriptor();

/** LLDT Ew (0F 00 /2) */
export function lldt(cpu: Cpu, i: Insn): void {
  requireCpl0(cpu);
  const sel = readEw(cpu, i);
  if ((sel & ~3) === 0) {
    cpu.ldtr = { selector: sel, base: 0, limit: 0, rights: 0 };
    return;
  }
  if (sel & 4 || !readDescriptor(cpu, sel, d)) cpu.fault(EXC_GP, sel & 0xfffc);
  if ((d.access & 0x1f) !== SYS_LDT) cpu.fault(EXC_GP, sel & 0xfffc);
  if (!d.present) cpu.fault(EXC_NP, sel & 0xfffc);
  cpu.ldtr = { selector: sel, base: d.base, limit: d.limit, rights: d.rights };
}

/** LTR Ew (0F 00 /3): loads an available TSS and marks it busy. */
export function ltr(cpu: Cpu, i: Insn): void {
  requireCpl0(cpu);
  const sel = readEw(cpu, i);
  if ((sel & ~3) === 0) cpu.fault(EXC_GP, 0);
  if (sel & 4 || !readDescriptor(cpu, sel, d)) cpu.fault(EXC_GP, sel & 0xfffc);
  const type = d.access & 0x1f;
  if (type !== SYS_TSS16_AVAIL && type !== SYS_TSS32_AVAIL) cpu.fault(EXC_GP, sel & 0xfffc);
  if (!d.present) cpu.fault(EXC_NP, sel & 0xfffc);
  d.hi |= 0x200; // busy
  cpu.sysWr8(d.addr + 5, d.access);
  cpu.tr = { selector: sel, base: d.base, limit: d.limit, rights: d.rights };
}

/** SMSW Ew (0F 01 /4) */
export function smsw(cpu: Cpu, i: Insn): void {
  if (i.isMem) writeEw(cpu, i, cpu.cr0 & 0xffff);
  else setRegV(cpu, i, i.rm, i.o32 ? cpu.cr0 : cpu.cr0 & 0xffff);
}

/** LMSW Ew (0F 01 /6): loads PE, MP, EM, TS; cannot clear PE. */
export function lmsw(cpu: Cpu, i: Insn): void {
  requireCpl0(cpu);
  const v = readEw(cpu, i);
  const mask = CR0_MP | CR0_EM | CR0_TS;
  cpu.cr0 = (cpu.cr0 & ~mask) | (v & mask) | (v & CR0_PE) | (cpu.cr0 & CR0_PE);
}

/** INVLPG M (0F 01 /7) */
export function invlpg(cpu: Cpu, i: Insn): void {
  if (!i.isMem) cpu.undefinedOpcode(i);
  requireCpl0(cpu);
  invalidatePage(cpu, (cpu.segBase[i.seg] + ea(cpu, i)) | 0);
}

export function invd(cpu: Cpu): void {
  requireCpl0(cpu);
}

// ---- LAR / LSL / VERR / VERW / ARPL ----

/** Loads the descriptor for LAR/LSL/VERR/VERW; false if the selector is null or outside its table. */
function probe(cpu: Cpu, sel: number): boolean {
  return (sel & ~3) !== 0 && readDescriptor(cpu, sel, d);
}

/** A code/data descriptor passes the privilege check of LAR/LSL/VERR/VERW (conforming code always does). */
function privilegeOk(cpu: Cpu, sel: number): boolean {
  const acc = d.access;
  if ((acc & (ACC_CODE | ACC_DC)) === (ACC_CODE | ACC_DC)) return true;
  return d.dpl >= Math.max(cpu.cpl, sel & 3);
}

function setZF(cpu: Cpu, on: boolean): void {
  materializeFlags(cpu);
  if (on) cpu.flags |= FLAG_ZF;
  else cpu.flags &= ~FLAG_ZF;
}

const LAR_SYSTEM_TYPES = new Set([1, 2, 3, 4, 5, 9, 11, 12]);
const LSL_SYSTEM_TYPES = new Set([1, 2, 3, 9, 11]);

/** LAR Gv,Ew (0F 02) and LSL Gv,Ew (0F 03); `arg` 0 = LAR, 1 = LSL. */
export function larLsl(cpu: Cpu, i: Insn): void {
  const sel = readEw(cpu, i);
  let ok = probe(cpu, sel);
  if (ok) {
    const acc = d.access;
    if (acc & ACC_S) ok = privilegeOk(cpu, sel);
    else ok = (i.arg === 0 ? LAR_SYSTEM_TYPES : LSL_SYSTEM_TYPES).has(acc & 0x0f) && d.dpl >= Math.max(cpu.cpl, sel & 3);
  }
  if (ok) {
    const value = i.arg === 0 ? d.hi & (i.o32 ? 0x00f0ff00 : 0xff00) : d.limit;
    setRegV(cpu, i, i.reg, value);
  }
  setZF(cpu, ok);
}

/** VERR/VERW Ew (0F 00 /4, /5) */
export function verrVerw(cpu: Cpu, i: Insn): void {
  const sel = readEw(cpu, i);
  let ok = probe(cpu, sel) && (d.access & ACC_S) !== 0 && privilegeOk(cpu, sel);
  if (ok) {
    const acc = d.access;
    ok = i.reg === 4 ? (acc & ACC_CODE) === 0 || (acc & ACC_RW) !== 0 : (acc & (ACC_CODE | ACC_RW)) === ACC_RW;
  }
  setZF(cpu, ok);
}

/** ARPL Ew,Gw (63) */
export function arpl(cpu: Cpu, i: Insn): void {
  const src = getReg16(cpu, i.reg);
  if (i.isMem) {
    const addr = ea(cpu, i);
    const dest = cpu.rdw16(i.seg, addr);
    if ((dest & 3) < (src & 3)) {
      cpu.wr16(i.seg, addr, (dest & ~3) | (src & 3));
      setZF(cpu, true);
    } else {
      setZF(cpu, false);
    }
  } else {
    const dest = getReg16(cpu, i.rm);
    const raise = (dest & 3) < (src & 3);
    if (raise) setReg16(cpu, i.rm, (dest & ~3) | (src & 3));
    setZF(cpu, raise);
  }
}

// ---- control and debug registers ----

/** MOV Rd,Cd (0F 20) */
export function movFromCr(cpu: Cpu, i: Insn): void {
  requireCpl0(cpu);
  let v: number;
  switch (i.reg) {
    case 0: v = cpu.cr0; break;
    case 2: v = cpu.cr2; break;
    case 3: v = cpu.cr3; break;
    case 4: v = cpu.cr4; break;
    default: cpu.undefinedOpcode(i);
  }
  cpu.regs[i.rm] = v;
}

/** MOV Cd,Rd (0F 22) */
export function movToCr(cpu: Cpu, i: Insn): void {
  requireCpl0(cpu);
  const v = cpu.regs[i.rm];
  switch (i.reg) {
    case 0: {
      if (v & CR0_PG && (v & CR0_PE) === 0) cpu.fault(EXC_GP, 0);
      const old = cpu.cr0;
      cpu.cr0 = v | 0x10; // ET is hard-wired to 1
      if ((v & CR0_PE) === 0) {
        cpu.stopUnsupported('CR0.PE cleared: real mode is not emulated');
        return;
      }
      if ((old ^ cpu.cr0) & (CR0_PG | CR0_WP)) flushTlb(cpu, false);
      return;
    }
    case 2:
      cpu.cr2 = v;
      return;
    case 3:
      cpu.cr3 = v;
      flushTlb(cpu, (cpu.cr4 & CR4_PGE) !== 0);
      cpu.onCr3Write?.(v >>> 0);
      return;
    case 4: {
      if (v & ~CR4_SUPPORTED) cpu.fault(EXC_GP, 0);
      const changed = cpu.cr4 ^ v;
      cpu.cr4 = v;
      if (changed & (CR4_PGE | CR4_PSE)) flushTlb(cpu, false);
      return;
    }
    default:
      cpu.undefinedOpcode(i);
  }
}

/** MOV Rd,Dd / Dd,Rd (0F 21 / 23): stored only (no hardware breakpoints). DR4/5 alias DR6/7 unless CR4.DE. */
export function movDr(cpu: Cpu, i: Insn): void {
  requireCpl0(cpu);
  let r = i.reg;
  if (r === 4 || r === 5) {
    if (cpu.cr4 & CR4_DE) cpu.undefinedOpcode(i);
    r += 2;
  }
  if (i.opcode === 0x121) cpu.regs[i.rm] = cpu.dr[r];
  else cpu.dr[r] = cpu.regs[i.rm];
}

// ---- identification and time ----

/**
 * CPUID (0F A2): a single-core i686 with PSE, TSC, CX8, PGE, CMOV (no FPU). The signature is QEMU's
 * default "qemu32" identity (GenuineIntel, family 6 model 6 stepping 3), so that kernels printing it show
 * the same text under Faultline and QEMU.
 */
export function cpuid(cpu: Cpu): void {
  const leaf = cpu.regs[EAX] >>> 0;
  if (leaf === 0) {
    cpu.regs[EAX] = 1;
    cpu.regs[EBX] = 0x756e6547; // "Genu"
    cpu.regs[EDX] = 0x49656e69; // "ineI"
    cpu.regs[ECX] = 0x6c65746e; // "ntel"
    return;
  }
  // Leaf 1, and every leaf above the maximum reports leaf 1 (as Intel returns the highest basic leaf).
  cpu.regs[EAX] = 0x00000663; // family 6, model 6, stepping 3
  cpu.regs[EBX] = 0;
  cpu.regs[ECX] = 0;
  cpu.regs[EDX] = (1 << 3) | (1 << 4) | (1 << 8) | (1 << 13) | (1 << 15); // PSE TSC CX8 PGE CMOV
}

/** RDTSC (0F 31): the virtual time, i.e. the instruction count. #GP at CPL > 0 when CR4.TSD. */
export function rdtsc(cpu: Cpu): void {
  if (cpu.cr4 & CR4_TSD && cpu.cpl !== 0) cpu.fault(EXC_GP, 0);
  const t = cpu.instructions;
  cpu.regs[EAX] = t % 0x100000000;
  cpu.regs[EDX] = Math.floor(t / 0x100000000);
}

/** UD2 and every encoding this CPU does not implement. */
export function undefinedOp(cpu: Cpu, i: Insn): void {
  cpu.undefinedOpcode(i);
}

/** x87 escape (D8-DF): no FPU. */
export function fpuEscape(cpu: Cpu, i: Insn): void {
  if (cpu.cr0 & (CR0_EM | CR0_TS)) cpu.fault(EXC_NM, -1);
  cpu.undefinedOpcode(i);
}

/** WAIT/FWAIT (9B): #NM when CR0.TS and CR0.MP, else nothing to wait for. */
export function fwait(cpu: Cpu): void {
  if ((cpu.cr0 & (CR0_TS | CR0_MP)) === (CR0_TS | CR0_MP)) cpu.fault(EXC_NM, -1);
}

