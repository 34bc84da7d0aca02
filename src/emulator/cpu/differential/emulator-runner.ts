// Runs test cases on our CPU in the closest match to the native harness's Linux user process: CPL 3,
// flat 4 GiB user segments (CS 0x1B code, data 0x23, 32-bit), IOPL 0, paging on with only the snippet's
// code page and the scratch page mapped as user pages (identity), so an access the host would fault on
// (past the end of the buffer, anywhere else) raises #PF here. A tiny supervisor-only "kernel" mirrors
// what user code can observe of Linux's: a GDT, a TSS with a ring-0 stack, and an IDT whose gates are
// DPL 0 except vectors 3 and 4 (INT3, INTO), all leading to a HLT; no I/O permission bitmap. Each
// snippet is followed by HLT, which at CPL 3 raises #GP(0): the interrupt observer sees it before
// delivery, with the state the snippet left, and that is the case's end. Any other exception is the case's outcome ("#PF(0x6) at ... cr2=...").
import { IoBus } from '../../bus/io-bus.ts';
import { PhysicalMemory } from '../../memory/physical-memory.ts';
import { Cpu, type InterruptKind } from '../cpu.ts';
import { CR0_PG, type CpuState } from '../state.ts';
import {
  CODE_ADDR, GUARD_SIZE, MEM_SIZE, SCRATCH_ADDR, SCRATCH_PAGE, type CaseOutcome, type CpuSnapshot, type TestCase,
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
/** Generous bound on retired instructions for one snippet (a REP string counts per iteration). */
const STEP_BUDGET = 100_000;
const USER_CODE = { selector: 0x1b, base: 0, limit: 0xffffffff, rights: 0xc0fb };
const USER_DATA = { selector: 0x23, base: 0, limit: 0xffffffff, rights: 0xc0f3 };

export const EXCEPTION_NAMES = [
  '#DE', '#DB', 'NMI', '#BP', '#OF', '#BR', '#UD', '#NM', '#DF', '#09', '#TS', '#NP', '#SS', '#GP', '#PF', '#15',
  '#MF', '#AC', '#MC', '#XM',
];

export function exceptionName(vector: number, errorCode: number): string {
  const name = EXCEPTION_NAMES[vector] ?? `vector ${vector}`;
  return errorCode >= 0 ? `${name}(0x${errorCode.toString(16)})` : name;
}

interface Stop {
  kind: InterruptKind;
  vector: number;
  errorCode: number;
  eip: number;
  regs: Uint32Array;
  eflags: number;
}

export class EmulatorRunner {
  readonly mem = new PhysicalMemory(RAM);
  readonly cpu = new Cpu(this.mem, new IoBus());
  private readonly start: CpuState;
  private stop: Stop | null = null;
  private readonly zeroGuard = new Uint8Array(GUARD_SIZE);

  constructor() {
    mapPage(this.mem, CODE_ADDR, 0x2000, PTE_USER_RW);
    mapPage(this.mem, SCRATCH_PAGE, 0x3000, PTE_USER_RW);
    for (const page of [GDT, IDT, HANDLER, TSS, KERNEL_STACK_TOP - 0x1000]) mapPage(this.mem, page, KERNEL_PAGE_TABLE, PTE_KERNEL_RW);
    buildKernel(this.mem);
    this.cpu.setupFlatProtectedMode();
    const s = this.cpu.saveState();
    s.segs = s.segs.map((_, i) => ({ ...(i === 1 ? USER_CODE : USER_DATA) }));
    s.cpl = 3;
    s.cr3 = PAGE_DIRECTORY;
    s.cr0 = (s.cr0 | CR0_PG) >>> 0;
    s.gdtr = { selector: 0, base: GDT, limit: 6 * 8 - 1, rights: 0 };
    s.idtr = { selector: 0, base: IDT, limit: 256 * 8 - 1, rights: 0 };
    s.tr = { selector: 0x28, base: TSS, limit: 103, rights: 0x8b };
    this.start = s;
    // The outcome is the first exception or hardware interrupt; a software INT n is the outcome only if
    // it is delivered without raising one (its handler then halts).
    this.cpu.interruptObserver = {
      onInterrupt: (vector, errorCode, kind, eip) => {
        if (this.stop && this.stop.kind !== 'software') return;
        this.stop = { kind, vector, errorCode, eip, regs: Uint32Array.from(this.cpu.regs), eflags: this.cpu.eflags >>> 0 };
        if (kind !== 'software') this.cpu.requestStop();
      },
    };
  }

  run(c: TestCase): CaseOutcome {
    const { mem, cpu } = this;
    const end = CODE_ADDR + c.code.length;
    const code = new Uint8Array(c.code.length + 1);
    code.set(c.code);
    code[c.code.length] = HLT;
    mem.writeBytes(CODE_ADDR, code);
    mem.writeBytes(SCRATCH_ADDR, c.init.mem);
    cpu.loadState({ ...this.start, regs: Array.from(c.init.regs), eip: CODE_ADDR, eflags: c.init.eflags, instructions: 0 });
    this.stop = null;
    const reason = cpu.run(STEP_BUDGET);
    const stop = this.stop as Stop | null;
    const strayWrite = mem.bytes.subarray(SCRATCH_PAGE, SCRATCH_PAGE + GUARD_SIZE).some((b) => b !== 0);
    if (strayWrite) mem.writeBytes(SCRATCH_PAGE, this.zeroGuard);
    const memAfter = mem.readBytes(SCRATCH_ADDR, MEM_SIZE);
    if (stop === null) {
      const status = reason === 'unsupported' ? `unsupported: ${cpu.unsupportedReason}` : reason === 'limit' ? 'hang' : reason;
      return { status, strayWrite, final: this.snapshot(memAfter) };
    }
    const finished = stop.kind === 'exception' && stop.vector === 13 && stop.errorCode === 0 && stop.eip === end;
    const where = ` at 0x${stop.eip.toString(16)}${stop.vector === 14 ? ` cr2=0x${(cpu.cr2 >>> 0).toString(16)}` : ''}`;
    return {
      status: finished ? 'ok' : `${exceptionName(stop.vector, stop.errorCode)}${stop.kind === 'software' ? ' (INT n)' : ''}${where}`,
      strayWrite,
      final: { regs: stop.regs, eflags: stop.eflags, mem: memAfter },
    };
  }

  private snapshot(mem: Uint8Array): CpuSnapshot {
    return { regs: Uint32Array.from(this.cpu.regs), eflags: this.cpu.eflags >>> 0, mem };
  }
}

/** Identity-maps the 4 KiB page at `linear` with `flags`, through the page table at `table`. */
function mapPage(mem: PhysicalMemory, linear: number, table: number, flags: number): void {
  mem.write32(PAGE_DIRECTORY + (linear >>> 22) * 4, table | PTE_USER_RW);
  mem.write32(table + ((linear >>> 12) & 0x3ff) * 4, linear | flags);
}

/** GDT (null, ring-0 code/data, ring-3 code/data, TSS), IDT (interrupt gates to a HLT), TSS with SS0:ESP0. */
function buildKernel(mem: PhysicalMemory): void {
  const descriptors: [number, number][] = [
    [0, 0], [0x0000ffff, 0x00cf9b00], [0x0000ffff, 0x00cf9300], [0x0000ffff, 0x00cffb00], [0x0000ffff, 0x00cff300],
    [(TSS << 16) | 103, ((TSS >>> 16) & 0xff) | 0x8b00 | (TSS & 0xff000000)],
  ];
  descriptors.forEach(([lo, hi], i) => {
    mem.write32(GDT + 8 * i, lo);
    mem.write32(GDT + 8 * i + 4, hi);
  });
  for (let vector = 0; vector < 256; vector++) {
    const dpl = vector === 3 || vector === 4 ? 3 : 0;
    mem.write32(IDT + 8 * vector, (0x08 << 16) | (HANDLER & 0xffff));
    mem.write32(IDT + 8 * vector + 4, (HANDLER & 0xffff0000) | 0x8e00 | (dpl << 13));
  }
  mem.write8(HANDLER, HLT);
  mem.write32(TSS + 4, KERNEL_STACK_TOP);
  mem.write32(TSS + 8, 0x10);
  mem.write16(TSS + 102, 104); // I/O map base beyond the limit: no I/O permission bitmap, as in Linux
}
