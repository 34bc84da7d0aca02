// Robustness fuzzing of the CPU: random byte streams executed from random machine states must only ever
// produce guest-visible outcomes (exceptions delivered through the IDT, triple faults, HLT, 'unsupported'
// for real mode), never a host exception, and run() must keep its contract (see brokenInvariant). Each
// run builds, from its own seeded PRNG: a GDT with flat ring-0/ring-3 segments, a TSS and random (often
// invalid) descriptors; an IDT of mostly valid gates into the random code; paging on or off (random
// present/user/writable bits, sometimes 4 MiB pages); CPL 0 or 3; random registers, EFLAGS (IOPL, IF, DF,
// sometimes TF and AC) and sometimes a pending hardware interrupt. Run i of seed S is reproducible from
// (S, i). Features that hit an open CPU bug which hangs the host are switched off while listed in
// known-failures.ts.
import { IoBus } from '../../bus/io-bus.ts';
import { PhysicalMemory } from '../../memory/physical-memory.ts';
import { Cpu } from '../cpu.ts';
import type { CpuState } from '../state.ts';
import { KNOWN_ROBUSTNESS_ISSUES } from './known-failures.ts';
import { Prng } from './prng.ts';

const RAM = 2 << 20;
const GDT = 0x1000;
const GDT_ENTRIES = 16;
const IDT = 0x2000;
const TSS = 0x3000;
const PAGE_DIRECTORY = 0x4000;
const PAGE_TABLE = 0x5000;
const CODE_START = 0x10000;
const CODE_SIZE = 0x40000;
const STACKS = 0x60000;
const CR0_PE = 1, CR0_ET = 0x10, CR0_WP = 1 << 16, CR0_AM = 1 << 18, CR0_PG = 1 << 31;
const CR4_PSE = 0x10;

export interface RobustnessSummary {
  runs: number;
  instructions: number;
  /** How many runs ended with each StopReason. */
  stops: Record<string, number>;
  /** One line per run that threw on the host: seed, run index, error. */
  failures: string[];
}

function descriptor(base: number, limit: number, access: number, flags: number): [number, number] {
  const lo = (limit & 0xffff) | ((base & 0xffff) << 16);
  const hi = ((base >>> 16) & 0xff) | (access << 8) | (limit & 0xf0000) | (flags << 20) | (base & 0xff000000);
  return [lo >>> 0, hi >>> 0];
}

class Builder {
  private readonly view: DataView;
  readonly image = new Uint8Array(0x6000);

  constructor(readonly rng: Prng) {
    this.view = new DataView(this.image.buffer);
  }

  put32(addr: number, v: number): void {
    this.view.setUint32(addr, v >>> 0, true);
  }

  putDescriptor(addr: number, d: [number, number]): void {
    this.put32(addr, d[0]);
    this.put32(addr + 4, d[1]);
  }

  /** GDT: null, ring-0 code/data, ring-3 code/data, TSS, then random (often invalid) descriptors. */
  gdt(): void {
    const rng = this.rng;
    const fixed: [number, number][] = [
      [0, 0],
      descriptor(0, 0xfffff, 0x9b, 0xc), descriptor(0, 0xfffff, 0x93, 0xc),
      descriptor(0, 0xfffff, 0xfb, 0xc), descriptor(0, 0xfffff, 0xf3, 0xc),
      descriptor(TSS, 103, 0x89, 0),
    ];
    fixed.forEach((d, i) => this.putDescriptor(GDT + 8 * i, d));
    for (let i = fixed.length; i < GDT_ENTRIES; i++) {
      const d: [number, number] = rng.chance(0.3)
        ? [rng.u32(), rng.u32()]
        : descriptor(rng.below(RAM), rng.u32() & 0xfffff, rng.pick([0x93, 0x9b, 0x97, 0x9f, 0x13, 0xf3, 0xfb, 0x89, 0x82, 0xec]) ^ (rng.chance(0.2) ? 0x60 : 0), rng.below(16));
      this.putDescriptor(GDT + 8 * i, d);
    }
  }

  /** IDT: mostly present 32-bit interrupt/trap gates into the random code, some random garbage. */
  idt(): void {
    const rng = this.rng;
    for (let v = 0; v < 256; v++) {
      if (rng.chance(0.1)) {
        this.putDescriptor(IDT + 8 * v, [rng.u32(), rng.u32()]);
        continue;
      }
      const offset = CODE_START + rng.below(CODE_SIZE);
      const type = rng.chance(0.7) ? 0xe : 0xf;
      const dpl = rng.chance(0.5) ? 3 : 0;
      const selector = rng.chance(0.9) ? 0x08 : rng.below(GDT_ENTRIES) * 8 | rng.below(4);
      this.put32(IDT + 8 * v, (offset & 0xffff) | (selector << 16));
      this.put32(IDT + 8 * v + 4, (offset & 0xffff0000) | 0x8000 | (dpl << 13) | (type << 8));
    }
  }

  tss(): void {
    this.put32(TSS + 4, STACKS + this.rng.below(0x20000));
    this.put32(TSS + 8, this.rng.chance(0.9) ? 0x10 : this.rng.below(0x80));
  }

  /** Page directory (one page table for the first 4 MiB, sometimes 4 MiB pages elsewhere) with random bits. */
  paging(): void {
    const rng = this.rng;
    this.put32(PAGE_DIRECTORY, PAGE_TABLE | 1 | (rng.chance(0.9) ? 2 : 0) | (rng.chance(0.8) ? 4 : 0));
    for (let i = 1; i < 1024; i++) {
      if (rng.chance(0.01)) this.put32(PAGE_DIRECTORY + 4 * i, rng.u32());
    }
    for (let i = 0; i < 1024; i++) {
      const flags = (rng.chance(0.9) ? 1 : 0) | (rng.chance(0.7) ? 2 : 0) | (rng.chance(0.7) ? 4 : 0);
      this.put32(PAGE_TABLE + 4 * i, (rng.chance(0.97) ? i << 12 : rng.u32() & ~0xfff) | flags);
    }
    // The system tables themselves must stay mapped for the run to get anywhere.
    for (let i = 0; i < 6; i++) this.put32(PAGE_TABLE + 4 * i, (i << 12) | 3);
  }
}

/** Builds machine state for run `index` of `seed` into `cpu`/`mem`; returns the instruction budget. */
function prepareRun(cpu: Cpu, mem: PhysicalMemory, seed: number, index: number): number {
  const rng = new Prng((Math.imul(seed, 0x2545f491) ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const b = new Builder(rng);
  b.gdt();
  b.idt();
  b.tss();
  const paging = rng.chance(0.5);
  if (paging) b.paging();
  mem.writeBytes(0, b.image);
  const code = new Uint8Array(CODE_SIZE);
  rng.fill(code);
  if (KNOWN_ROBUSTNESS_ISSUES.repPrefixes) {
    for (let i = 0; i < code.length; i++) if (code[i] === 0xf2 || code[i] === 0xf3) code[i] = 0x90;
  }
  mem.writeBytes(CODE_START, code);

  cpu.setupFlatProtectedMode();
  const s: CpuState = cpu.saveState();
  const user = rng.chance(0.5);
  const flat = (selector: number, rights: number) => ({ selector, base: 0, limit: 0xffffffff, rights });
  const segs = [0, 1, 2, 3, 4, 5].map((seg) => seg === 1
    ? flat(user ? 0x1b : 0x08, user ? 0xc0fb : 0xc09b)
    : flat(user ? 0x23 : 0x10, user ? 0xc0f3 : 0xc093));
  if (rng.chance(0.2)) segs[3] = { ...segs[3], limit: rng.u32() & 0xfffff };
  s.segs = segs;
  s.cpl = user ? 3 : 0;
  s.gdtr = { selector: 0, base: GDT, limit: GDT_ENTRIES * 8 - 1, rights: 0 };
  s.idtr = { selector: 0, base: IDT, limit: rng.chance(0.9) ? 0x7ff : rng.below(0x800), rights: 0 };
  s.tr = { selector: 0x28, base: TSS, limit: 103, rights: 0x8b };
  s.cr0 = (CR0_PE | CR0_ET | (paging ? CR0_PG : 0) | (rng.chance(0.5) ? CR0_WP : 0) | (rng.chance(0.2) ? CR0_AM : 0)) >>> 0;
  s.cr3 = PAGE_DIRECTORY;
  s.cr4 = paging && rng.chance(0.3) ? CR4_PSE : 0;
  s.regs = Array.from({ length: 8 }, () => (rng.chance(0.5) ? rng.below(RAM) : rng.u32()));
  s.regs[4] = rng.chance(0.8) ? STACKS + rng.below(0x20000) : rng.u32();
  s.eip = CODE_START + rng.below(CODE_SIZE);
  s.eflags = (rng.u32() & 0x8d5) | 2 | (rng.chance(0.5) ? 0x200 : 0) | (rng.chance(0.5) ? 0x400 : 0)
    | (rng.below(4) << 12) | (rng.chance(0.05) ? 0x100 : 0) | (rng.chance(0.1) ? 1 << 18 : 0);
  s.irqLine = !KNOWN_ROBUSTNESS_ISSUES.pendingIrq && rng.chance(0.2);
  s.halted = false;
  s.shadowAt = -1;
  s.instructions = 0;
  cpu.loadState(s);
  const vector = 0x20 + rng.below(0xe0);
  cpu.interruptAck = () => vector;
  return 200 + rng.below(3000);
}

/**
 * The run() contract and state sanity after a run: the instruction bound is honoured (a 'limit' stop at
 * the bound, never far past it), EIP and CPL are in range, registers are int32, and the state saves as JSON.
 * Returns what is wrong, or ''.
 */
function brokenInvariant(cpu: Cpu, reason: string, budget: number): string {
  // One step may retire an instruction plus deliver a fault and a double fault.
  if (cpu.instructions > budget + 3) return `run(${budget}) returned '${reason}' at ${cpu.instructions} instructions`;
  if (reason === 'limit' && cpu.instructions < budget) return `'limit' at ${cpu.instructions} < ${budget} instructions`;
  if (!Number.isInteger(cpu.eip) || cpu.eip < -0x80000000 || cpu.eip > 0xffffffff) return `EIP is ${cpu.eip}`;
  if (!(cpu.cpl >= 0 && cpu.cpl <= 3 && Number.isInteger(cpu.cpl))) return `CPL is ${cpu.cpl}`;
  const state = JSON.parse(JSON.stringify(cpu.saveState())) as CpuState;
  if (state.regs.length !== 8 || state.regs.some((r) => !Number.isInteger(r))) return `registers are ${state.regs.join(',')}`;
  return '';
}

/** Runs `count` robustness runs of `seed`, numbered from `first`, in this process. */
export function runRobustness(seed: number, first: number, count: number): RobustnessSummary {
  const mem = new PhysicalMemory(RAM);
  let cpu = new Cpu(mem, new IoBus());
  const summary: RobustnessSummary = { runs: 0, instructions: 0, stops: {}, failures: [] };
  for (let i = first; i < first + count; i++) {
    try {
      const budget = prepareRun(cpu, mem, seed, i);
      const reason = cpu.run(budget);
      summary.stops[reason] = (summary.stops[reason] ?? 0) + 1;
      summary.instructions += cpu.instructions;
      const broken = brokenInvariant(cpu, reason, budget);
      if (broken) summary.failures.push(`seed ${seed} run ${i}: ${broken}`);
    } catch (e) {
      const error = e instanceof Error ? `${e.name}: ${e.message} ${e.stack?.split('\n')[1]?.trim() ?? ''}` : String(e);
      summary.failures.push(`seed ${seed} run ${i}: host exception ${error}`);
      cpu = new Cpu(mem, new IoBus());
    }
    summary.runs++;
  }
  return summary;
}
