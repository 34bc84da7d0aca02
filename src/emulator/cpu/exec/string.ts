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
  if (i.rep !== 0 && i.a32 && (cpu.flags & FLAG_DF) === 0) {
    const size = elementSize(i);
    for (let run = 0; run < BULK_RUNS_PER_STEP && cpu.regs[ECX] !== 0; run++) if (!bulkMovs(cpu, i, size)) break;
    if (cpu.regs[ECX] === 0) return;
  }
  repeat(cpu, i, movsStep, false);
}

export function cmps(cpu: Cpu, i: Insn): void {
  repeat(cpu, i, cmpsStep, true);
}

export function stos(cpu: Cpu, i: Insn): void {
  if (i.rep !== 0 && i.a32 && (cpu.flags & FLAG_DF) === 0) {
    const size = elementSize(i);
    for (let run = 0; run < BULK_RUNS_PER_STEP && cpu.regs[ECX] !== 0; run++) if (!bulkStos(cpu, size)) break;
    if (cpu.regs[ECX] === 0) return;
  }
  repeat(cpu, i, stosStep, false);
}

// ---- bulk fast paths for REP MOVS / REP STOS (DF=0, 32-bit addressing) ----
// A run covers the elements up to the next page boundary of source or destination, only when the TLB maps
// both pages for fast access (so no fault, watched page or code page is involved) and the segment bounds
// admit the whole run; otherwise the generic per-element step handles the next element. The registers are
// updated exactly as the element-by-element loop would leave them.

/** Page runs per step before the instruction yields (re-executes), as REP_ITERATIONS_PER_STEP does. */
const BULK_RUNS_PER_STEP = 16;

/** Elements of `size` bytes from linear `lin` to the end of its page, capped at `count`. */
function runLength(lin: number, size: number, count: number): number {
  return Math.min(count, Math.floor((0x1000 - (lin & 0xfff)) / size));
}

function bulkStos(cpu: Cpu, size: number): boolean {
  const edi = cpu.regs[EDI];
  const count = cpu.regs[ECX] >>> 0;
  const lin = (cpu.segBase[ES] + edi) | 0;
  const n = runLength(lin, size, count);
  if (n === 0 || (edi >>> 0) + n * size - 1 > cpu.segWLim[ES]) return false;
  const e = cpu.tlb[lin >>> 12];
  if ((e & cpu.wMask) === 0) return false;
  const phys = (e & ~0xfff) | (lin & 0xfff);
  const v = cpu.regs[0];
  if (size === 1) {
    cpu.mem.bytes.fill(v & 0xff, phys, phys + n);
  } else {
    const view = cpu.mem.view;
    for (let k = 0; k < n; k++) {
      if (size === 4) view.setInt32(phys + 4 * k, v, true);
      else view.setUint16(phys + 2 * k, v, true);
    }
  }
  cpu.regs[EDI] = (edi + n * size) | 0;
  cpu.regs[ECX] = (count - n) | 0;
  return true;
}

function bulkMovs(cpu: Cpu, i: Insn, size: number): boolean {
  const esi = cpu.regs[ESI];
  const edi = cpu.regs[EDI];
  const count = cpu.regs[ECX] >>> 0;
  const src = (cpu.segBase[i.seg] + esi) | 0;
  const dst = (cpu.segBase[ES] + edi) | 0;
  const n = Math.min(runLength(src, size, count), runLength(dst, size, count));
  const bytes = n * size;
  if (n === 0 || (esi >>> 0) + bytes - 1 > cpu.segRLim[i.seg] || (edi >>> 0) + bytes - 1 > cpu.segWLim[ES]) return false;
  const es = cpu.tlb[src >>> 12];
  const ed = cpu.tlb[dst >>> 12];
  if ((es & cpu.rMask) === 0 || (ed & cpu.wMask) === 0) return false;
  const from = (es & ~0xfff) | (src & 0xfff);
  const to = (ed & ~0xfff) | (dst & 0xfff);
  // Element-wise forward copying differs from memmove when the destination starts inside the source.
  if (to > from && to < from + bytes) return false;
  cpu.mem.bytes.copyWithin(to, from, from + bytes);
  cpu.regs[ESI] = (esi + bytes) | 0;
  cpu.regs[EDI] = (edi + bytes) | 0;
  cpu.regs[ECX] = (count - n) | 0;
  return true;
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
