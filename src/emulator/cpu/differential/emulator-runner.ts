// Runs test cases on our CPU in the closest match to the native harness's Linux user process: CPL 3,
// Linux's flat 4 GiB 32-bit user segments (CS 0x23, data 0x2B), IOPL 0, paging on with only the snippet's
// code page and the two scratch pages mapped as user pages (identity), so an access the host would fault
// on raises #PF here. A tiny supervisor-only "kernel" mirrors what user code can observe of Linux's
// (x86-64 kernel, 32-bit process): the GDT layout and descriptors (so selector loads, LAR/LSL/VERR and far
// transfers behave alike), a TSS with a ring-0 stack, and an IDT whose gates are DPL 0 except vectors 3
// and 4 (INT3, INTO), all leading to a HLT; no I/O permission bitmap. Each snippet is followed by UD2:
// the interrupt observer sees its #UD before delivery, with the state (and buffer) the snippet left, and
// that is the case's end; any other exception is the case's outcome ("#PF(0x6) at ... cr2=..."). With
// `cpl` 0 the same cases run as kernel code (CS = Linux's kernel code selector, the rest unchanged), for
// the forms whose outcome does not depend on the privilege level.
import { IoBus } from '../../bus/io-bus.ts';
import { PhysicalMemory } from '../../memory/physical-memory.ts';
import { Cpu, type InterruptKind } from '../cpu.ts';
import { CR0_PG, type CpuState } from '../state.ts';
import {
  CODE_ADDR, CS, GUARD_REGIONS, MEM_SIZE, PAGE_SIZE, SCRATCH_ADDR, SCRATCH_PAGE, USER_CS, USER_DS, type CaseOutcome,
  type CpuSnapshot, type TestCase,
} from './layout.ts';

const RAM = 16 << 20;
const PAGE_DIRECTORY = 0x1000;
const GDT = 0x4000;
const IDT = 0x5000;
const HANDLER = 0x6000;
const TSS = 0x7000;
const KERNEL_STACK_TOP = 0x9000;
const KERNEL_PAGE_TABLE = 0xa000;
const PTE_USER_RW = 0x7; // present, writable, user
const PTE_KERNEL_RW = 0x3; // present, writable, supervisor
const HLT = 0xf4;
/** After each snippet: UD2, whose #UD at the snippet's end address marks a completed case at any CPL. */
const END_MARKER = Uint8Array.of(0x0f, 0x0b);
const KERNEL_CODE = { selector: 0x08, base: 0, limit: 0xffffffff, rights: 0xc09b };
/** Generous bound on retired instructions for one snippet (a REP string counts per iteration). */
const STEP_BUDGET = 100_000;
const KERNEL_CS = 0x08;
const KERNEL_DS = 0x18;
const TSS_SELECTOR = 0x40;
/** Linux x86-64 GDT (arch/x86/include/asm/segment.h): 16 entries; user CS32 = 0x23, user DS = 0x2b. */
const GDT_ENTRIES = 16;
const GDT_DESCRIPTORS: Record<number, [number, number]> = {
  1: [0x0000ffff, 0x00cf9b00], // kernel CS (32-bit), DPL 0
  2: [0x0000ffff, 0x00af9b00], // kernel CS (64-bit), DPL 0
  3: [0x0000ffff, 0x00cf9300], // kernel DS, DPL 0
  4: [0x0000ffff, 0x00cffb00], // user CS (32-bit), DPL 3
  5: [0x0000ffff, 0x00cff300], // user DS, DPL 3
  6: [0x0000ffff, 0x00affb00], // user CS (64-bit), DPL 3
  8: [(TSS << 16) | 103, ((TSS >>> 16) & 0xff) | 0x8b00 | (TSS & 0xff000000)], // TSS (busy), DPL 0
};
const SEGMENT_CACHES: Record<number, { base: number; limit: number; rights: number }> = {
  [USER_CS]: { base: 0, limit: 0xffffffff, rights: 0xc0fb },
  [USER_DS]: { base: 0, limit: 0xffffffff, rights: 0xc0f3 },
  0: { base: 0, limit: 0, rights: 0 },
};

const EXCEPTION_NAMES = [
  '#DE', '#DB', 'NMI', '#BP', '#OF', '#BR', '#UD', '#NM', '#DF', '#09', '#TS', '#NP', '#SS', '#GP', '#PF', '#15',
  '#MF', '#AC', '#MC', '#XM',
];

function exceptionName(vector: number, errorCode: number): string {
  const name = EXCEPTION_NAMES[vector] ?? `vector ${vector}`;
  return errorCode >= 0 ? `${name}(0x${errorCode.toString(16)})` : name;
}

interface Captured {
  final: CpuSnapshot;
  strayWrite: boolean;
}

interface Stop {
  kind: InterruptKind;
  vector: number;
  errorCode: number;
  eip: number;
  /** The state when the event happened, before its delivery pushes anything. */
  state: Captured;
}

export class EmulatorRunner {
  readonly mem = new PhysicalMemory(RAM);
  readonly cpu = new Cpu(this.mem, new IoBus());
  private readonly start: CpuState;
  private stop: Stop | null = null;

  /** `cpl` 3 (default) is the host's view; 0 runs the same user-level cases as kernel code would. */
  constructor(readonly cpl: 0 | 3 = 3) {
    mapPage(this.mem, CODE_ADDR, 0x2000, PTE_USER_RW);
    mapPage(this.mem, SCRATCH_PAGE, 0x3000, PTE_USER_RW);
    mapPage(this.mem, SCRATCH_PAGE + PAGE_SIZE, 0x3000, PTE_USER_RW);
    for (const page of [GDT, IDT, HANDLER, TSS, KERNEL_STACK_TOP - 0x1000]) mapPage(this.mem, page, KERNEL_PAGE_TABLE, PTE_KERNEL_RW);
    buildKernel(this.mem);
    this.cpu.setupFlatProtectedMode();
    const s = this.cpu.saveState();
    s.cpl = cpl;
    s.cr3 = PAGE_DIRECTORY;
    s.cr0 = (s.cr0 | CR0_PG) >>> 0;
    s.gdtr = { selector: 0, base: GDT, limit: GDT_ENTRIES * 8 - 1, rights: 0 };
    s.idtr = { selector: 0, base: IDT, limit: 256 * 8 - 1, rights: 0 };
    s.tr = { selector: TSS_SELECTOR, base: TSS, limit: 103, rights: 0x8b };
    this.start = s;
    // The outcome is the first exception or hardware interrupt; a software INT n is the outcome only if
    // it is delivered without raising one (its handler then halts).
    this.cpu.interruptObserver = {
      onInterrupt: (vector, errorCode, kind, eip) => {
        if (this.stop && this.stop.kind !== 'software') return;
        this.stop = { kind, vector, errorCode, eip, state: this.capture() };
        if (kind !== 'software') this.cpu.requestStop();
      },
    };
  }

  run(c: TestCase): CaseOutcome {
    const { mem, cpu } = this;
    const end = CODE_ADDR + c.code.length;
    const code = new Uint8Array(c.code.length + END_MARKER.length);
    code.set(c.code);
    code.set(END_MARKER, c.code.length);
    mem.writeBytes(CODE_ADDR, code);
    mem.writeBytes(SCRATCH_ADDR, c.init.mem);
    const segs = Array.from(c.init.segs, (selector) => ({ selector, ...SEGMENT_CACHES[selector] }));
    if (this.cpl === 0) segs[CS] = KERNEL_CODE;
    cpu.loadState({ ...this.start, regs: Array.from(c.init.regs), eip: CODE_ADDR, eflags: c.init.eflags, segs, instructions: 0 });
    this.stop = null;
    const reason = cpu.run(STEP_BUDGET);
    const stop = this.stop as Stop | null;
    const state = stop ? stop.state : this.capture();
    for (const [start, end] of GUARD_REGIONS) if (!isZero(mem.bytes, start, end - start)) mem.writeBytes(start, new Uint8Array(end - start));
    if (stop === null) {
      const status = reason === 'unsupported' ? `unsupported: ${cpu.unsupportedReason}` : reason === 'limit' ? 'hang' : reason;
      return { status, ...state };
    }
    const finished = stop.kind === 'exception' && stop.vector === 6 && stop.eip === end;
    const where = ` at 0x${stop.eip.toString(16)}${stop.vector === 14 ? ` cr2=0x${(cpu.cr2 >>> 0).toString(16)}` : ''}`;
    return {
      status: finished ? 'ok' : `${exceptionName(stop.vector, stop.errorCode)}${stop.kind === 'software' ? ' (INT n)' : ''}${where}`,
      ...state,
    };
  }

  /** Registers, flags, selectors, the buffer, and whether the guard regions were written, as of now. */
  private capture(): Captured {
    const { cpu, mem } = this;
    const segs = cpu.segSel.slice();
    // At CPL 0 CS holds the kernel selector by construction; report the case's CS so outcomes compare.
    if (this.cpl === 0 && segs[CS] === KERNEL_CODE.selector) segs[CS] = USER_CS;
    return {
      final: { regs: Uint32Array.from(cpu.regs), eflags: cpu.eflags >>> 0, segs, mem: mem.readBytes(SCRATCH_ADDR, MEM_SIZE) },
      strayWrite: GUARD_REGIONS.some(([start, end]) => !isZero(mem.bytes, start, end - start)),
    };
  }
}

function isZero(bytes: Uint8Array, start: number, length: number): boolean {
  const words = new Int32Array(bytes.buffer, bytes.byteOffset + start, length >> 2);
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
  return true;
}

/** Identity-maps the 4 KiB page at `linear` with `flags`, through the page table at `table`. */
function mapPage(mem: PhysicalMemory, linear: number, table: number, flags: number): void {
  mem.write32(PAGE_DIRECTORY + (linear >>> 22) * 4, table | PTE_USER_RW);
  mem.write32(table + ((linear >>> 12) & 0x3ff) * 4, linear | flags);
}

/** GDT as Linux's, IDT (interrupt gates to a HLT), TSS with SS0:ESP0 and no I/O permission bitmap. */
function buildKernel(mem: PhysicalMemory): void {
  for (const [index, [lo, hi]] of Object.entries(GDT_DESCRIPTORS)) {
    mem.write32(GDT + 8 * Number(index), lo);
    mem.write32(GDT + 8 * Number(index) + 4, hi);
  }
  for (let vector = 0; vector < 256; vector++) {
    const dpl = vector === 3 || vector === 4 ? 3 : 0;
    mem.write32(IDT + 8 * vector, (KERNEL_CS << 16) | (HANDLER & 0xffff));
    mem.write32(IDT + 8 * vector + 4, (HANDLER & 0xffff0000) | 0x8e00 | (dpl << 13));
  }
  mem.write8(HANDLER, HLT);
  mem.write32(TSS + 4, KERNEL_STACK_TOP);
  mem.write32(TSS + 8, KERNEL_DS);
  mem.write16(TSS + 102, 104); // I/O map base beyond the limit: no I/O permission bitmap, as in Linux
}
