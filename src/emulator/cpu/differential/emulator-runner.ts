// Runs test cases on our CPU in the closest match to the native harness's Linux user process: CPL 3,
// flat 4 GiB user segments (CS 0x1B code, data 0x23, 32-bit), IOPL 0, paging on with only the snippet's
// code page and the scratch page mapped as user pages (identity), so an access the host would fault on
// (past the end of the buffer, anywhere else) raises #PF here. Each snippet is followed by HLT, which at
// CPL 3 raises #GP(0): the interrupt observer sees it before delivery, with the state the snippet left,
// and that is the case's end. Any other exception is the case's outcome ("#PF(0x6)" ...). No IDT is set
// up (none is needed: delivery escalates to a triple fault after the observer has reported).
import { IoBus } from '../../bus/io-bus.ts';
import { PhysicalMemory } from '../../memory/physical-memory.ts';
import { Cpu } from '../cpu.ts';
import { CR0_PG, type CpuState } from '../state.ts';
import {
  CODE_ADDR, GUARD_SIZE, MEM_SIZE, SCRATCH_ADDR, SCRATCH_PAGE, type CaseOutcome, type CpuSnapshot, type TestCase,
} from './layout.ts';

const RAM = 16 << 20;
const PAGE_DIRECTORY = 0x1000;
const PTE_USER_RW = 0x7; // present, writable, user
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
    mapUserPage(this.mem, CODE_ADDR, 0x2000);
    mapUserPage(this.mem, SCRATCH_PAGE, 0x3000);
    this.cpu.setupFlatProtectedMode();
    const s = this.cpu.saveState();
    s.segs = s.segs.map((_, i) => ({ ...(i === 1 ? USER_CODE : USER_DATA) }));
    s.cpl = 3;
    s.cr3 = PAGE_DIRECTORY;
    s.cr0 = (s.cr0 | CR0_PG) >>> 0;
    this.start = s;
    this.cpu.interruptObserver = {
      onInterrupt: (vector, errorCode, _kind, eip) => {
        if (this.stop) return;
        this.stop = { vector, errorCode, eip, regs: Uint32Array.from(this.cpu.regs), eflags: this.cpu.eflags >>> 0 };
        this.cpu.requestStop();
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
    const finished = stop.vector === 13 && stop.errorCode === 0 && stop.eip === end;
    return {
      status: finished ? 'ok' : `${exceptionName(stop.vector, stop.errorCode)} at 0x${stop.eip.toString(16)}`,
      strayWrite,
      final: { regs: stop.regs, eflags: stop.eflags, mem: memAfter },
    };
  }

  private snapshot(mem: Uint8Array): CpuSnapshot {
    return { regs: Uint32Array.from(this.cpu.regs), eflags: this.cpu.eflags >>> 0, mem };
  }
}

/** Identity-maps the 4 KiB page at `linear` as a user read/write page, with its page table at `table`. */
function mapUserPage(mem: PhysicalMemory, linear: number, table: number): void {
  mem.write32(PAGE_DIRECTORY + (linear >>> 22) * 4, table | PTE_USER_RW);
  mem.write32(table + ((linear >>> 12) & 0x3ff) * 4, linear | PTE_USER_RW);
}
