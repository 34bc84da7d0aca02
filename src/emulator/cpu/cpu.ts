// The i386 CPU (with the i486/i686 additions real 15-410 kernels use): architectural state, the
// memory-access fast path through segmentation and the software TLB, the run loop over decoded
// instructions, and the public API other areas build on (docs/emulator.md describes it).
//
// Protected mode only (Intel SDM vol. 3A): the CPU starts in a flat protected-mode setup
// (`setupFlatProtectedMode`, what a multiboot loader leaves). Clearing CR0.PE stops `run()` with
// 'unsupported' (real mode is not emulated). No virtual-8086 mode, no hardware task switching (task gates,
// far jumps to a TSS and IRET with NT=1 raise #GP), no call gates (#GP), no x87.
//
// Speed design: instructions are decoded once into `Insn` records cached by physical address
// (`codeCache`) and invalidated when their bytes are written (PhysicalMemory flags code pages, the TLB
// maps them read-only). A register CMP/TEST followed by a 32-bit Jcc in the same page, with a load or an
// ALU-immediate before it or not, is cached as one fused record that runs them in one dispatch where
// nothing could come between them (exec/fused.ts). Data accesses go through `tlb`; anything unusual (page
// walk, fault, split access, watched page, tracing) takes the slow path in mmu.ts. Hooks cost nothing when
// unset: a memory observer takes the TLB's fast bits away from the pages it watches (an aligned dword
// access there is reported and done next to the fast path, when observation is all that slowed its page;
// any other takes the slow path, which reports it), an exec watch selects a separate run loop. Registers and
// RAM are aliased by typed-array views that assume a little-endian host (every platform Node and the
// browsers run on).
import type { IoBus } from '../bus/io-bus.ts';
import { PAGE_SHIFT, type PhysicalMemory } from '../memory/physical-memory.ts';
import { decode, MAX_INSN_LENGTH } from './decode/decoder.ts';
import type { Handler, Insn } from './decode/insn.ts';
import { disassembleInsn, type Syntax } from './disasm.ts';
import { endsPair, leadsTriple, pairHandler, tripleHandler } from './exec/fused.ts';
import { materializeFlags } from './flags.ts';
import { deliverInterrupt, isDoubleFaultPair } from './interrupts.ts';
import {
  flushTlb, markCodePage, reclassifyPage, revokeWrites, SLOW_SHIFT, translate, translateRead, translateWrite, TLB_RS, TLB_RU, TLB_WS, TLB_WU,
} from './mmu.ts';
import { loadSegmentCache, refreshSegmentLimits } from './segments.ts';
import {
  CR0_ET, CR0_PE, CS, type CpuState, EAX, EBX, ECX, EDI, EDX, ESI, ESP, EBP, ES, EXC_DF, EXC_GP, EXC_SS, FLAG_IF,
  FLAGS_FIXED, GS, RIGHTS_DB, type SegmentState, SS, type TableState,
} from './state.ts';

/**
 * The most instructions one pass of the inner run loop is given: it keeps `chunkEnd` a small integer
 * (V8 would otherwise store it as a boxed double, read on every instruction) while `instructions` is one.
 */
const MAX_CHUNK = 1 << 28;

/** Why `run()` returned. */
export type StopReason =
  | 'limit'
  | 'halt'
  | 'halt-forever'
  | 'triple-fault'
  | 'stop-requested'
  | 'watch'
  | 'unsupported';

export interface MemoryObserver {
  onAccess(linear: number, physical: number, size: number, isWrite: boolean, eip: number): void;
  /**
   * Linear ranges [start, end) whose accesses must be reported (read when the observer is set). Accesses
   * to other pages keep the fast path and are reported only when they take the slow path anyway (a TLB
   * miss, a page-crossing access, a system-structure access). Absent: every access is reported.
   */
  readonly ranges?: readonly { readonly start: number; readonly end: number }[];
}

export type InterruptKind = 'exception' | 'hardware' | 'software';

export interface InterruptObserver {
  onInterrupt(vector: number, errorCode: number, kind: InterruptKind, eip: number): void;
}

/** An encoding that raised #UD because this CPU does not implement it (or it is invalid). */
export interface UndefinedOpcode {
  /** Linear address of the instruction. */
  address: number;
  /** Its bytes (up to 15). */
  bytes: number[];
}

export interface DisassembledInsn {
  address: number;
  bytes: number[];
  text: string;
}

/** A linear page's watches: one byte per address (1 where watched) and how many there are. */
interface WatchedPage {
  readonly marks: Uint8Array;
  count: number;
}

/**
 * A set of linear addresses that marks them page by page, so that the run loop finds a watch with one
 * array load (and skips pages without any), and tells `onChange` of every change. A page's marks, once
 * made, are kept for later watches there (the pages a program watches are few).
 */
export class WatchSet extends Set<number> {
  private readonly pages = new Map<number, WatchedPage>();

  constructor(private readonly onChange: () => void = () => {}) {
    super();
  }

  override add(address: number): this {
    this.onChange();
    if (!this.has(address)) {
      let page = this.pages.get(address >>> 12);
      if (!page) this.pages.set(address >>> 12, (page = { marks: new Uint8Array(0x1000), count: 0 }));
      page.marks[address & 0xfff] = 1;
      page.count++;
    }
    return super.add(address);
  }

  override delete(address: number): boolean {
    this.onChange();
    if (!this.has(address)) return false;
    const page = this.pages.get(address >>> 12)!;
    page.marks[address & 0xfff] = 0;
    page.count--;
    return super.delete(address);
  }

  override clear(): void {
    this.onChange();
    for (const address of this) {
      const page = this.pages.get(address >>> 12)!;
      page.marks[address & 0xfff] = 0;
      page.count = 0;
    }
    super.clear();
  }

  /** The watch marks of linear page `vpn` (indexed by offset, non-zero where watched), or undefined when it holds no watch. */
  pageMarks(vpn: number): Uint8Array | undefined {
    const page = this.pages.get(vpn);
    return page !== undefined && page.count > 0 ? page.marks : undefined;
  }
}

/** `Cpu.fuseMarks` of a page without watches, and where fusing is off (every offset marked). */
const NO_MARKS = new Uint8Array(0x1000);
const ALL_MARKS = new Uint8Array(0x1000).fill(1);

/** Thrown (one preallocated instance) to unwind a faulting instruction; never escapes `run()`. */
class CpuException {
  readonly name = 'CpuException';
}
const CPU_EXCEPTION = new CpuException();

/** The first and last linear page of each non-empty range, as pairs (the explorer's probes set observers often). */
function pageBounds(ranges: readonly { readonly start: number; readonly end: number }[]): Int32Array {
  let count = 0;
  for (const r of ranges) if (r.end > r.start) count++;
  const bounds = new Int32Array(2 * count);
  let i = 0;
  for (const r of ranges) {
    if (r.end <= r.start) continue;
    bounds[i++] = r.start >>> 12;
    bounds[i++] = (r.end - 1) >>> 12;
  }
  return bounds;
}

export class Cpu {
  readonly mem: PhysicalMemory;
  readonly io: IoBus;

  // ---- general state ----
  /** EAX..EDI in encoding order; `r16`/`r8` alias them (little-endian host). */
  readonly regs = new Int32Array(8);
  readonly r16 = new Uint16Array(this.regs.buffer);
  readonly r8 = new Uint8Array(this.regs.buffer);
  eip = 0;
  /** Offset in CS of the instruction being executed (the EIP a fault reports). */
  prevEip = 0;
  /** EFLAGS except the bits named in `lazy` (see flags.ts). */
  flags = FLAGS_FIXED;
  lazy = 0;
  lfA = 0;
  lfB = 0;
  lfRes = 0;
  lfSh = 31;
  lfSub = false;

  // ---- segmentation ----
  readonly segSel = new Uint16Array(6);
  readonly segBase = new Int32Array(6);
  /** Limits as unsigned numbers (byte granular, after the G bit). */
  readonly segLimit = new Float64Array(6);
  /** Access byte (bits 0-7) and flags nibble (bits 12-15) of the cached descriptor; 0 = unusable. */
  readonly segRights = new Uint16Array(6);
  /** Fast-path bound: highest offset readable without the full check, -1 when the full check is needed. */
  readonly segRLim = new Float64Array(6);
  /** Same for writes. */
  readonly segWLim = new Float64Array(6);
  gdtr: TableState = { selector: 0, base: 0, limit: 0xffff, rights: 0 };
  idtr: TableState = { selector: 0, base: 0, limit: 0xffff, rights: 0 };
  ldtr: TableState = { selector: 0, base: 0, limit: 0, rights: 0 };
  tr: TableState = { selector: 0, base: 0, limit: 0, rights: 0 };
  cpl = 0;
  /** CS.D: default operand/address size 32. */
  code32 = true;
  /** SS.B: the stack pointer is ESP (else SP). */
  stack32 = true;

  // ---- control and debug registers ----
  cr0 = CR0_ET;
  cr2 = 0;
  cr3 = 0;
  cr4 = 0;
  readonly dr = new Int32Array(8);
  /** The segment and debug registers as last saved or loaded (shared by saved states while unchanged). */
  private lastSegs: readonly SegmentState[] = [];
  private lastDr: readonly number[] = [];

  // ---- execution control ----
  /** Retired instructions plus delivered interrupts/exceptions: the virtual time. */
  instructions = 0;
  halted = false;
  /** Interrupts are inhibited at the boundary where `instructions === shadowAt` (STI, MOV SS, POP SS). */
  shadowAt = -1;
  private irqLine = false;
  private stopRequested = false;
  private tripleFaulted = false;
  private unsupported = '';
  /** The run loop leaves its inner loop when `instructions` reaches this. */
  chunkEnd = 0;
  /**
   * Offsets in the current code page where a fused record must not go on to the next instruction
   * (exec/fused.ts): the page's watch marks, all of them with a non-flat code segment.
   */
  fuseMarks: Uint8Array = ALL_MARKS;
  /** Vector and error code of the exception being raised (set by `fault`). */
  excVector = 0;
  excCode = 0;
  /** Address in CS of an exec-watch hit to run past on the next `run()`. */
  private watchResume = -1;

  // ---- software TLB ----
  readonly tlb = new Int32Array(1 << 20);
  /** Linear page numbers that may hold entries (for flushing). */
  readonly tlbFilled: number[] = [];
  /** TLB permission bit needed to read / write at the current CPL. */
  rMask = TLB_RS;
  wMask = TLB_WS;
  /**
   * Linear page numbers the memory observer watches, as inclusive [first, last] pairs (null: every page).
   * TLB entries of those pages only carry "slow" bits while it listens (see mmu.ts).
   */
  private observedPages: Int32Array | null = null;
  /** Linear page numbers [first, last] exempt from observation (`unobservedRange`); first > last: none. */
  private unobservedFirst = 1;
  private unobservedLast = 0;
  private unobserved: { readonly start: number; readonly end: number } | null = null;
  /** Decoded instructions by physical page, then offset in the page. */
  private readonly codeCache: ((Insn | undefined)[] | undefined)[];
  /** Physical address of the instruction `fetch` returned last. */
  private fetchPhys = 0;
  private readonly view: DataView;
  /** RAM bytes (the same array as `mem.bytes`, one load closer on the fast path). */
  private readonly bytes: Uint8Array;
  /** Aligned dword view of RAM (little-endian host) for the fast path. */
  private readonly m32: Int32Array;

  // ---- hooks ----
  /** Called when the CPU accepts INTR: returns the vector (the PIC's INTA cycle). */
  interruptAck: () => number = () => 0x20;
  /** Called on `xchg %ebx,%ebx` (87 DB) and `xchg %bx,%bx` (66 87 DB), after the (no-op) exchange. */
  magicHandler: ((cpu: Cpu) => void) | null = null;
  /** Linear addresses where `run()` stops with 'watch' before executing. Mutate freely (hooks may, too). */
  readonly execWatch = new WatchSet(() => this.breakChunk());
  /**
   * Called when the run loop reaches an exec watch, before the instruction there; returning true runs on
   * without stopping, exactly as if `run()` had stopped and been called again at once (an interrupt or
   * stop the handler causes is taken before the instruction). Null: every watch stops `run()`.
   */
  watchHandler: ((linear: number) => boolean) | null = null;
  interruptObserver: InterruptObserver | null = null;
  /** Told the new value after every MOV to CR3. */
  onCr3Write: ((cr3: number) => void) | null = null;
  /** Told about every #UD raised for an encoding (also kept in `lastUndefinedOpcode`). */
  onUndefinedOpcode: ((op: UndefinedOpcode) => void) | null = null;
  lastUndefinedOpcode: UndefinedOpcode | null = null;
  private memObserver: MemoryObserver | null = null;

  constructor(mem: PhysicalMemory, io: IoBus) {
    this.mem = mem;
    this.io = io;
    this.view = mem.view;
    this.bytes = mem.bytes;
    this.m32 = new Int32Array(mem.bytes.buffer, mem.bytes.byteOffset, mem.size >>> 2);
    this.codeCache = new Array<(Insn | undefined)[] | undefined>(mem.pageCount).fill(undefined);
    mem.listener = {
      codeWritten: (paddr, length) => this.codeWritten(paddr, length),
      pageProtected: (page) => revokeWrites(this, page),
    };
    this.setupFlatProtectedMode();
  }

  // ================================================================== public API

  get eax(): number { return this.regs[EAX] >>> 0; }
  set eax(v: number) { this.regs[EAX] = v; }
  get ecx(): number { return this.regs[ECX] >>> 0; }
  set ecx(v: number) { this.regs[ECX] = v; }
  get edx(): number { return this.regs[EDX] >>> 0; }
  set edx(v: number) { this.regs[EDX] = v; }
  get ebx(): number { return this.regs[EBX] >>> 0; }
  set ebx(v: number) { this.regs[EBX] = v; }
  get esp(): number { return this.regs[ESP] >>> 0; }
  set esp(v: number) { this.regs[ESP] = v; }
  get ebp(): number { return this.regs[EBP] >>> 0; }
  set ebp(v: number) { this.regs[EBP] = v; }
  get esi(): number { return this.regs[ESI] >>> 0; }
  set esi(v: number) { this.regs[ESI] = v; }
  get edi(): number { return this.regs[EDI] >>> 0; }
  set edi(v: number) { this.regs[EDI] = v; }

  /** EFLAGS with the lazy flags computed. */
  get eflags(): number {
    materializeFlags(this);
    return (this.flags | FLAGS_FIXED) >>> 0;
  }
  set eflags(v: number) {
    this.lazy = 0;
    this.flags = (v & 0x3f7fd7) | FLAGS_FIXED;
    this.breakChunk();
  }

  /** The memory observer; setting one makes every access to its ranges take the (reporting) slow path. */
  get memoryObserver(): MemoryObserver | null {
    return this.memObserver;
  }
  set memoryObserver(o: MemoryObserver | null) {
    this.memObserver = o;
    this.observedPages = o?.ranges ? pageBounds(o.ranges) : null;
    flushTlb(this, false);
  }

  /**
   * A linear range [start, end) whose accesses the memory observer need not hear about although its
   * ranges cover it: the pages lying wholly inside it keep the fast path (their accesses are reported only
   * when they take the slow path anyway, like those of any unobserved page). Null: none. Independent of
   * the observer (setting one keeps it). Changing it costs the pages of the old and new ranges: only their
   * TLB entries are re-classified (translations are kept), so it may follow e.g. the running thread's stack.
   */
  get unobservedRange(): { readonly start: number; readonly end: number } | null {
    return this.unobserved;
  }
  set unobservedRange(r: { readonly start: number; readonly end: number } | null) {
    const oldFirst = this.unobservedFirst;
    const oldLast = this.unobservedLast;
    this.unobserved = r && { start: r.start, end: r.end };
    this.unobservedFirst = r ? Math.ceil(r.start / 0x1000) : 1;
    this.unobservedLast = r ? Math.floor(r.end / 0x1000) - 1 : 0;
    for (let vpn = oldFirst; vpn <= oldLast; vpn++) reclassifyPage(this, vpn);
    for (let vpn = this.unobservedFirst; vpn <= this.unobservedLast; vpn++) reclassifyPage(this, vpn);
  }

  /** True when accesses to linear page `vpn` must take the slow path, which reports them to the memory observer. */
  observesPage(vpn: number): boolean {
    if (this.memObserver === null) return false;
    if (vpn >= this.unobservedFirst && vpn <= this.unobservedLast) return false;
    const pages = this.observedPages;
    if (pages === null) return true;
    for (let i = 0; i < pages.length; i += 2) if (vpn >= pages[i] && vpn <= pages[i + 1]) return true;
    return false;
  }

  /** The level of the INTR pin (the PIC's output). */
  setIrqLine(asserted: boolean): void {
    this.irqLine = asserted;
    if (asserted) this.breakChunk();
  }

  /** Makes `run()` return 'stop-requested' at the next instruction boundary (callable from hooks/devices). */
  requestStop(): void {
    this.stopRequested = true;
    this.breakChunk();
  }

  /**
   * The state a multiboot loader leaves: CR0.PE=1 (paging off), CPL 0, flat 4 GiB segments (CS = 0x08
   * code, DS/ES/FS/GS/SS = 0x10 data, 32-bit), interrupts off. GDTR/IDTR are left for the kernel.
   */
  setupFlatProtectedMode(): void {
    this.cr0 = CR0_PE | CR0_ET;
    this.cr4 = 0;
    this.cpl = 0;
    this.flags = FLAGS_FIXED;
    this.lazy = 0;
    this.halted = false;
    this.tripleFaulted = false;
    this.unsupported = '';
    for (let s = ES; s <= GS; s++) {
      if (s === CS) loadSegmentCache(this, CS, 0x08, 0, 0xffffffff, 0xc09b);
      else loadSegmentCache(this, s, 0x10, 0, 0xffffffff, 0xc093);
    }
    this.updatePrivilege();
    flushTlb(this, false);
  }

  /**
   * Runs until `instructions` reaches `untilInstructions` or something stops the CPU; see StopReason.
   * 'halt': HLT with IF=1 (call again once an interrupt may be pending; until then it returns at once).
   */
  run(untilInstructions: number): StopReason {
    if (this.tripleFaulted) return 'triple-fault';
    for (;;) {
      if (this.unsupported) return 'unsupported';
      if (this.stopRequested) {
        this.stopRequested = false;
        return 'stop-requested';
      }
      if (this.instructions >= untilInstructions && !this.halted) return 'limit';
      const irqWaiting = this.irqLine && (this.flags & FLAG_IF) !== 0;
      if (irqWaiting && this.instructions !== this.shadowAt) {
        this.acceptInterrupt();
        if (this.tripleFaulted) return 'triple-fault';
        continue;
      }
      if (this.halted) return this.flags & FLAG_IF ? 'halt' : 'halt-forever';
      if (this.instructions >= untilInstructions) return 'limit';
      // In an interrupt shadow with an interrupt waiting: run just the shadowed instruction.
      this.chunkEnd = irqWaiting ? this.instructions + 1 : Math.min(untilInstructions, this.instructions + MAX_CHUNK);
      try {
        if (this.execWatch.size > 0) {
          if (this.runWatched()) return 'watch';
        } else {
          this.runFast();
        }
      } catch (e) {
        if (e !== CPU_EXCEPTION) throw e;
        this.eip = this.prevEip;
        this.raiseException(this.excVector, this.excCode);
        if (this.tripleFaulted) return 'triple-fault';
      }
    }
  }

  /**
   * Plain JSON-able state (flags materialised). The segments and debug registers are shared with the
   * previous save or load when their values are unchanged, the table registers always (they are immutable).
   */
  saveState(): CpuState {
    const r = this.regs;
    return {
      regs: [r[0] >>> 0, r[1] >>> 0, r[2] >>> 0, r[3] >>> 0, r[4] >>> 0, r[5] >>> 0, r[6] >>> 0, r[7] >>> 0],
      eip: this.eip >>> 0,
      eflags: this.eflags,
      segs: this.segmentStates(),
      gdtr: this.gdtr,
      idtr: this.idtr,
      ldtr: this.ldtr,
      tr: this.tr,
      cr0: this.cr0 >>> 0,
      cr2: this.cr2 >>> 0,
      cr3: this.cr3 >>> 0,
      cr4: this.cr4 >>> 0,
      dr: this.debugRegisterStates(),
      cpl: this.cpl,
      halted: this.halted,
      irqLine: this.irqLine,
      shadowAt: this.shadowAt,
      instructions: this.instructions,
    };
  }

  /** The segment registers as saved: the last saved or loaded ones if every value is the same. */
  private segmentStates(): readonly SegmentState[] {
    if (!this.segmentsEqual(this.lastSegs)) {
      const segs = [];
      for (let s = 0; s < 6; s++) {
        segs.push({ selector: this.segSel[s], base: this.segBase[s] >>> 0, limit: this.segLimit[s], rights: this.segRights[s] });
      }
      this.lastSegs = segs;
    }
    return this.lastSegs;
  }

  private segmentsEqual(segs: readonly SegmentState[]): boolean {
    if (segs.length !== 6) return false;
    for (let s = 0; s < 6; s++) {
      const g = segs[s];
      if (g.selector !== this.segSel[s] || g.base !== this.segBase[s] >>> 0 || g.limit !== this.segLimit[s] || g.rights !== this.segRights[s]) return false;
    }
    return true;
  }

  /** DR0-DR7 as saved: the last saved or loaded ones if every value is the same. */
  private debugRegisterStates(): readonly number[] {
    const last = this.lastDr;
    let same = last.length === 8;
    for (let i = 0; same && i < 8; i++) same = last[i] === this.dr[i] >>> 0;
    if (!same) this.lastDr = Array.from(this.dr, (r) => r >>> 0);
    return this.lastDr;
  }

  loadState(s: CpuState): void {
    this.regs.set(s.regs);
    this.eip = s.eip | 0;
    this.eflags = s.eflags;
    if (!this.segmentsEqual(s.segs)) {
      for (let i = 0; i < 6; i++) {
        const seg = s.segs[i];
        loadSegmentCache(this, i, seg.selector, seg.base, seg.limit, seg.rights);
      }
    }
    this.lastSegs = s.segs;
    this.gdtr = s.gdtr;
    this.idtr = s.idtr;
    this.ldtr = s.ldtr;
    this.tr = s.tr;
    this.cr0 = s.cr0 | 0;
    this.cr2 = s.cr2 | 0;
    this.cr3 = s.cr3 | 0;
    this.cr4 = s.cr4 | 0;
    this.dr.set(s.dr);
    this.lastDr = s.dr;
    this.cpl = s.cpl;
    this.halted = s.halted;
    this.irqLine = s.irqLine;
    this.shadowAt = s.shadowAt;
    this.instructions = s.instructions;
    this.tripleFaulted = false;
    this.unsupported = '';
    this.stopRequested = false;
    this.watchResume = -1;
    this.updatePrivilege();
    flushTlb(this, false);
  }

  /** Why the last run stopped with 'unsupported' ('' otherwise). */
  get unsupportedReason(): string {
    return this.unsupported;
  }

  /** Drops every decoded instruction (for callers that changed `mem.bytes` behind the write methods). */
  invalidateCode(): void {
    this.codeCache.fill(undefined);
  }

  /** Disassembles `count` instructions from linear address `linearAddr` (no side effects, no faults). */
  disassemble(linearAddr: number, count: number, syntax: Syntax = 'att'): DisassembledInsn[] {
    const out: DisassembledInsn[] = [];
    let addr = linearAddr >>> 0;
    for (let n = 0; n < count; n++) {
      const bytes: number[] = [];
      for (let k = 0; k < 15; k++) bytes.push(this.peekLinear8((addr + k) >>> 0));
      const insn = decode((k) => (k < 15 ? bytes[k] : -1), this.code32);
      const len = insn ? insn.len : 1;
      const text = insn ? disassembleInsn(insn, addr, syntax) : '(bad)';
      out.push({ address: addr, bytes: bytes.slice(0, len), text });
      addr = (addr + len) >>> 0;
    }
    return out;
  }

  /** Reads a byte at a linear address without faults or side effects (0xFF where unmapped). */
  peekLinear8(lin: number): number {
    const phys = this.peekTranslate(lin);
    return phys < 0 ? 0xff : this.mem.read8(phys);
  }

  /** Physical address of `lin` by a side-effect-free page walk, or -1 if not mapped. */
  peekTranslate(lin: number): number {
    lin >>>= 0;
    if (this.cr0 >= 0) return lin; // CR0.PG (bit 31) clear
    const pde = this.mem.read32(((this.cr3 & ~0xfff) + ((lin >>> 22) << 2)) >>> 0);
    if ((pde & 1) === 0) return -1;
    if (pde & 0x80 && this.cr4 & 0x10) return ((pde & 0xffc00000) | (lin & 0x3fffff)) >>> 0;
    const pte = this.mem.read32(((pde & ~0xfff) + (((lin >>> 12) & 0x3ff) << 2)) >>> 0);
    if ((pte & 1) === 0) return -1;
    return ((pte & ~0xfff) | (lin & 0xfff)) >>> 0;
  }

  // ================================================================== run loops

  /**
   * The untraced run loop. Within one chunk it keeps CS and the current code page in locals: anything that
   * changes CS, CPL, paging or the TLB calls `breakChunk()`, so these copies never go stale.
   */
  private runFast(): void {
    const cache = this.codeCache;
    const csBase = this.segBase[CS];
    // With a 4 GiB code segment no EIP can exceed the limit, so the page shortcut needs no limit check.
    const flatCs = this.segLimit[CS] === 0xffffffff;
    let vpn = -1; // linear page whose decoded instructions `page` holds
    let page: (Insn | undefined)[] | undefined;
    this.fuseMarks = flatCs ? NO_MARKS : ALL_MARKS;
    while (this.instructions < this.chunkEnd) {
      const eip = this.eip;
      this.prevEip = eip;
      const lin = (csBase + eip) | 0;
      let insn: Insn | undefined;
      if (lin >>> 12 === vpn) insn = (page as (Insn | undefined)[])[lin & 0xfff];
      if (insn === undefined) {
        insn = this.fetch(eip, lin);
        page = cache[this.fetchPhys >>> 12];
        // Only follow this page from the local copy once its translation is in the TLB.
        vpn = flatCs && page !== undefined && this.tlb[lin >>> 12] & this.rMask ? lin >>> 12 : -1;
      }
      this.eip = (eip + insn.len) | 0;
      insn.exec(this, insn);
      this.instructions++;
    }
  }

  /**
   * The run loop with exec watches; returns true when it stopped at a watched address. Like `runFast` it
   * keeps the current code page in locals, together with that page's watch marks, so that an instruction
   * on a page without watches costs one more comparison. A change of the watch set (even from a hook
   * during the run) ends the chunk (`WatchSet.onChange`), and the next one starts afresh.
   */
  private runWatched(): boolean {
    const watch = this.execWatch;
    const cache = this.codeCache;
    const csBase = this.segBase[CS];
    const flatCs = this.segLimit[CS] === 0xffffffff;
    let vpn = -1; // linear page whose decoded instructions `page` holds
    let page: (Insn | undefined)[] | undefined;
    let marks: Uint8Array | undefined; // the watch marks of page `vpn`
    while (this.instructions < this.chunkEnd) {
      const eip = this.eip;
      this.prevEip = eip;
      const lin = (csBase + eip) | 0;
      let insn: Insn | undefined;
      if (lin >>> 12 === vpn && (marks === undefined || marks[lin & 0xfff] === 0)) insn = (page as (Insn | undefined)[])[lin & 0xfff];
      if (insn === undefined) {
        const here = watch.pageMarks(lin >>> 12);
        if (here !== undefined && here[lin & 0xfff] !== 0 && this.watchResume !== eip) {
          this.watchResume = eip;
          if (this.watchHandler === null || !this.watchHandler(lin >>> 0)) return true;
          if (this.instructions >= this.chunkEnd) return false; // the handler ended the chunk: run() checks first
          continue; // on from the same instruction
        }
        this.watchResume = -1;
        insn = this.fetch(eip, lin);
        page = cache[this.fetchPhys >>> 12];
        vpn = flatCs && page !== undefined && this.tlb[lin >>> 12] & this.rMask ? lin >>> 12 : -1;
        marks = here;
        this.fuseMarks = !flatCs ? ALL_MARKS : here !== undefined ? here : NO_MARKS;
      }
      this.eip = (eip + insn.len) | 0;
      insn.exec(this, insn);
      this.instructions++;
    }
    return false;
  }

  /**
   * The decoded instruction at CS:eip (linear `lin`): CS limit check, translation through the TLB, then
   * the decoded-instruction cache, decoding on a miss. Leaves its physical address in `fetchPhys`.
   */
  private fetch(eip: number, lin: number): Insn {
    if ((eip >>> 0) > this.segLimit[CS]) this.fault(EXC_GP, 0);
    const e = this.tlb[lin >>> 12];
    const phys = (e & this.rMask) !== 0 ? (e & ~0xfff) | (lin & 0xfff) : this.translateFetch(lin);
    this.fetchPhys = phys;
    const page = this.codeCache[phys >>> 12];
    const insn = page !== undefined ? page[phys & 0xfff] : undefined;
    return insn !== undefined ? insn : this.decodeAt(lin, phys);
  }

  private translateFetch(lin: number): number {
    const phys = translateRead(this, lin, this.cpl === 3);
    if (phys >= this.mem.size) this.fault(EXC_GP, 0); // executing from outside RAM: no device answers
    return phys;
  }

  /** Decodes the instruction at linear `lin` (physical `phys`), caching it unless it crosses a page. */
  private decodeAt(lin: number, phys: number): Insn {
    const limit = this.segLimit[CS];
    const base = this.segBase[CS];
    const pageEnd = 0x1000 - (lin & 0xfff);
    const insn = decode((k) => {
      if ((this.prevEip >>> 0) + k > limit) this.fault(EXC_GP, 0);
      if (k < pageEnd) return this.mem.bytes[phys + k];
      return this.mem.read8(translate(this, (base + this.prevEip + k) | 0, false, this.cpl === 3));
    }, this.code32);
    if (insn === null) this.fault(EXC_GP, 0); // longer than 15 bytes
    if (insn.len <= pageEnd) {
      const ppn = phys >>> PAGE_SHIFT;
      let page = this.codeCache[ppn];
      if (page === undefined) {
        // Dense arrays keep V8's element accesses fast (sparse ones become dictionaries).
        page = new Array<Insn | undefined>(0x1000).fill(undefined);
        this.codeCache[ppn] = page;
      }
      page[phys & 0xfff] = insn;
      markCodePage(this, ppn);
      this.fuse(insn, phys, MAX_INSN_LENGTH);
    }
    return insn;
  }

  /**
   * Makes `insn` (at `phys`) a fused record with the instructions after it where they form one within the
   * page and `room` bytes (exec/fused.ts).
   */
  private fuse(insn: Insn, phys: number, room: number): void {
    const pair = pairHandler(insn);
    const lead = leadsTriple(insn);
    if (pair === null && !lead) return;
    const off = (phys & 0xfff) + insn.len;
    const pageStart = phys - (phys & 0xfff);
    // Bytes past the page make the decoding longer than the room left, and no record is made.
    const next = decode((k) => (off + k < 0x1000 ? this.bytes[pageStart + off + k] : 0x66), this.code32);
    if (next === null || off + next.len > 0x1000 || insn.len + next.len > room) return;
    let exec: Handler | null = null;
    if (pair !== null) {
      if (endsPair(next)) exec = pair;
    } else if (pairHandler(next) !== null) {
      this.fuse(next, phys + insn.len, room - insn.len);
      exec = tripleHandler(insn, next);
    }
    if (exec === null) return;
    insn.exec = exec;
    insn.next = next;
    insn.nextOff = off;
    insn.span = insn.len + next.span;
  }

  /** Drops decoded instructions overlapping [paddr, paddr+length). */
  private codeWritten(paddr: number, length: number): void {
    const page = this.codeCache[paddr >>> PAGE_SHIFT];
    if (page === undefined) return;
    const start = paddr & 0xfff;
    const end = start + length;
    for (let off = Math.max(0, start - 14); off < end; off++) {
      const insn = page[off];
      if (insn !== undefined && off + insn.span > start) page[off] = undefined;
    }
  }

  // ================================================================== exceptions and interrupts

  /** Raises exception `vector` with `errorCode` (-1: none) for the current instruction. Never returns. */
  fault(vector: number, errorCode: number): never {
    this.excVector = vector;
    this.excCode = errorCode;
    throw CPU_EXCEPTION;
  }

  /** Raises #UD for an encoding this CPU does not implement, and reports it. */
  undefinedOpcode(i: Insn): never {
    const address = (this.segBase[CS] + this.prevEip) >>> 0;
    const bytes: number[] = [];
    for (let k = 0; k < i.len; k++) bytes.push(this.peekLinear8((address + k) >>> 0));
    const op = { address, bytes };
    this.lastUndefinedOpcode = op;
    this.onUndefinedOpcode?.(op);
    this.fault(6, -1);
  }

  /** Delivers an exception, escalating to #DF and triple fault by the SDM's rules (vol. 3A §6.15). */
  private raiseException(vector: number, errorCode: number): void {
    let v = vector;
    let code = errorCode;
    for (;;) {
      try {
        deliverInterrupt(this, v, 'exception', code, this.eip);
        this.instructions++;
        return;
      } catch (e) {
        if (e !== CPU_EXCEPTION) throw e;
        if (v === EXC_DF) {
          this.tripleFault();
          return;
        }
        if (isDoubleFaultPair(v, this.excVector)) {
          v = EXC_DF;
          code = 0;
        } else {
          v = this.excVector;
          code = this.excCode;
        }
      }
    }
  }

  private acceptInterrupt(): void {
    this.halted = false;
    const vector = this.interruptAck() & 0xff;
    try {
      deliverInterrupt(this, vector, 'hardware', -1, this.eip);
      this.instructions++;
    } catch (e) {
      if (e !== CPU_EXCEPTION) throw e;
      this.raiseException(this.excVector, this.excCode);
    }
  }

  private tripleFault(): void {
    this.tripleFaulted = true;
    this.halted = true;
  }

  /** Makes the run loop return to its boundary checks after the current instruction. */
  breakChunk(): void {
    this.chunkEnd = 0;
  }

  /** Stops the CPU with 'unsupported' (e.g. CR0.PE cleared) after the current instruction. */
  stopUnsupported(reason: string): void {
    this.unsupported = reason;
    this.breakChunk();
  }

  /** Recomputes what depends on CPL, CS.D and SS.B; call after changing them. */
  updatePrivilege(): void {
    this.breakChunk();
    const user = this.cpl === 3;
    this.rMask = user ? TLB_RU : TLB_RS;
    this.wMask = user ? TLB_WU : TLB_WS;
    const code32 = (this.segRights[CS] & RIGHTS_DB) !== 0;
    if (code32 !== this.code32) {
      this.code32 = code32;
      this.invalidateCode(); // decoded records depend on the default operand size
    }
    this.stack32 = (this.segRights[SS] & RIGHTS_DB) !== 0;
    for (let s = 0; s < 6; s++) refreshSegmentLimits(this, s);
  }

  // ================================================================== memory access (segmented)

  /** Full segment check for an access the fast bound rejected; raises #GP(0)/#SS(0) when it fails. */
  private segCheck(seg: number, off: number, size: number, write: boolean): void {
    const rights = this.segRights[seg];
    const vector = seg === SS ? EXC_SS : EXC_GP;
    if (rights === 0) this.fault(vector, 0);
    if (write ? (rights & 0x0a) !== 0x02 : (rights & 0x0a) === 0x08) this.fault(vector, 0);
    const o = off >>> 0;
    const lim = this.segLimit[seg];
    if ((rights & 0x0c) === 0x04) {
      const upper = rights & RIGHTS_DB ? 0xffffffff : 0xffff;
      if (o <= lim || o + size - 1 > upper) this.fault(vector, 0);
    } else if (o + size - 1 > lim) {
      this.fault(vector, 0);
    }
  }

  rd8(seg: number, off: number): number {
    if ((off >>> 0) > this.segRLim[seg]) this.segCheck(seg, off, 1, false);
    const lin = (this.segBase[seg] + off) | 0;
    const e = this.tlb[lin >>> 12];
    if ((e & this.rMask) !== 0) return this.bytes[(e & ~0xfff) | (lin & 0xfff)];
    return this.readSlow(lin, 1, this.cpl === 3, false);
  }

  rd16(seg: number, off: number): number {
    if ((off >>> 0) > this.segRLim[seg] - 1) this.segCheck(seg, off, 2, false);
    const lin = (this.segBase[seg] + off) | 0;
    const e = this.tlb[lin >>> 12];
    if ((e & this.rMask) !== 0 && (lin & 0xfff) !== 0xfff) return this.view.getUint16((e & ~0xfff) | (lin & 0xfff), true);
    return this.readSlow(lin, 2, this.cpl === 3, false);
  }

  /** 32-bit read; returns a signed int32. */
  rd32(seg: number, off: number): number {
    if ((off >>> 0) > this.segRLim[seg] - 3) this.segCheck(seg, off, 4, false);
    const lin = (this.segBase[seg] + off) | 0;
    const e = this.tlb[lin >>> 12];
    if ((e & this.rMask) !== 0) {
      const phys = (e & ~0xfff) | (lin & 0xfff);
      if ((lin & 3) === 0) return this.m32[phys >> 2];
      if ((lin & 0xfff) <= 0xffc) return this.view.getInt32(phys, true);
    } else if ((e & (this.rMask << SLOW_SHIFT)) !== 0 && (lin & 3) === 0) {
      // Only an observed page has a slow read bit: report and read, as readSlow would.
      const phys = (e & ~0xfff) | (lin & 0xfff);
      this.memObserver!.onAccess(lin >>> 0, phys, 4, false, this.prevEip >>> 0);
      return this.m32[phys >> 2];
    }
    return this.readSlow(lin, 4, this.cpl === 3, false);
  }

  /** Reads for a read-modify-write: checks write permission first so that the later write cannot fault. */
  rdw8(seg: number, off: number): number {
    if ((off >>> 0) > this.segWLim[seg]) this.segCheck(seg, off, 1, true);
    const lin = (this.segBase[seg] + off) | 0;
    const e = this.tlb[lin >>> 12];
    if ((e & this.wMask) !== 0) return this.bytes[(e & ~0xfff) | (lin & 0xfff)];
    return this.readSlow(lin, 1, this.cpl === 3, true);
  }

  rdw16(seg: number, off: number): number {
    if ((off >>> 0) > this.segWLim[seg] - 1) this.segCheck(seg, off, 2, true);
    const lin = (this.segBase[seg] + off) | 0;
    const e = this.tlb[lin >>> 12];
    if ((e & this.wMask) !== 0 && (lin & 0xfff) !== 0xfff) return this.view.getUint16((e & ~0xfff) | (lin & 0xfff), true);
    return this.readSlow(lin, 2, this.cpl === 3, true);
  }

  rdw32(seg: number, off: number): number {
    if ((off >>> 0) > this.segWLim[seg] - 3) this.segCheck(seg, off, 4, true);
    const lin = (this.segBase[seg] + off) | 0;
    const e = this.tlb[lin >>> 12];
    if ((e & this.wMask) !== 0 && (lin & 0xfff) <= 0xffc) return this.view.getInt32((e & ~0xfff) | (lin & 0xfff), true);
    if (this.observedWritable(e, lin)) {
      const phys = (e & ~0xfff) | (lin & 0xfff);
      this.memObserver!.onAccess(lin >>> 0, phys, 4, false, this.prevEip >>> 0);
      return this.m32[phys >> 2];
    }
    return this.readSlow(lin, 4, this.cpl === 3, true);
  }

  wr8(seg: number, off: number, v: number): void {
    if ((off >>> 0) > this.segWLim[seg]) this.segCheck(seg, off, 1, true);
    const lin = (this.segBase[seg] + off) | 0;
    const e = this.tlb[lin >>> 12];
    if ((e & this.wMask) !== 0) this.bytes[(e & ~0xfff) | (lin & 0xfff)] = v;
    else this.writeSlow(lin, 1, v, this.cpl === 3);
  }

  wr16(seg: number, off: number, v: number): void {
    if ((off >>> 0) > this.segWLim[seg] - 1) this.segCheck(seg, off, 2, true);
    const lin = (this.segBase[seg] + off) | 0;
    const e = this.tlb[lin >>> 12];
    if ((e & this.wMask) !== 0 && (lin & 0xfff) !== 0xfff) this.view.setUint16((e & ~0xfff) | (lin & 0xfff), v, true);
    else this.writeSlow(lin, 2, v, this.cpl === 3);
  }

  wr32(seg: number, off: number, v: number): void {
    if ((off >>> 0) > this.segWLim[seg] - 3) this.segCheck(seg, off, 4, true);
    const lin = (this.segBase[seg] + off) | 0;
    const e = this.tlb[lin >>> 12];
    if ((e & this.wMask) !== 0) {
      const phys = (e & ~0xfff) | (lin & 0xfff);
      if ((lin & 3) === 0) {
        this.m32[phys >> 2] = v;
        return;
      }
      if ((lin & 0xfff) <= 0xffc) {
        this.view.setInt32(phys, v, true);
        return;
      }
    } else if (this.observedWritable(e, lin)) {
      const phys = (e & ~0xfff) | (lin & 0xfff);
      this.memObserver!.onAccess(lin >>> 0, phys, 4, true, this.prevEip >>> 0);
      this.m32[phys >> 2] = v;
      return;
    }
    this.writeSlow(lin, 4, v, this.cpl === 3);
  }

  /**
   * Whether TLB entry `e` lets an aligned dword at `lin` be written (or read for a write) by reporting it to
   * the memory observer and accessing RAM directly, as writeSlow would: the write bit is a slow one and the
   * physical page needs no bookkeeping (not code, not tracked), so only observation made it slow.
   */
  private observedWritable(e: number, lin: number): boolean {
    return (e & (this.wMask << SLOW_SHIFT)) !== 0 && (lin & 3) === 0 && this.memObserver !== null && this.mem.pageFlags[e >>> 12] === 0;
  }

  // ---- stack ----

  push32(v: number): void {
    if (this.stack32) {
      const sp = (this.regs[ESP] - 4) | 0;
      this.wr32(SS, sp, v);
      this.regs[ESP] = sp;
    } else {
      const sp = (this.regs[ESP] - 4) & 0xffff;
      this.wr32(SS, sp, v);
      this.r16[ESP << 1] = sp;
    }
  }

  push16(v: number): void {
    if (this.stack32) {
      const sp = (this.regs[ESP] - 2) | 0;
      this.wr16(SS, sp, v);
      this.regs[ESP] = sp;
    } else {
      const sp = (this.regs[ESP] - 2) & 0xffff;
      this.wr16(SS, sp, v);
      this.r16[ESP << 1] = sp;
    }
  }

  pop32(): number {
    const sp = this.stack32 ? this.regs[ESP] : this.regs[ESP] & 0xffff;
    const v = this.rd32(SS, sp);
    this.adjustSp(4);
    return v;
  }

  pop16(): number {
    const sp = this.stack32 ? this.regs[ESP] : this.regs[ESP] & 0xffff;
    const v = this.rd16(SS, sp);
    this.adjustSp(2);
    return v;
  }

  /** Adds `delta` to ESP (or SP on a 16-bit stack). */
  adjustSp(delta: number): void {
    if (this.stack32) this.regs[ESP] = (this.regs[ESP] + delta) | 0;
    else this.r16[ESP << 1] = (this.regs[ESP] + delta) & 0xffff;
  }

  /** The stack pointer as an offset in SS. */
  get sp(): number {
    return this.stack32 ? this.regs[ESP] : this.regs[ESP] & 0xffff;
  }

  // ================================================================== memory access (linear)

  /** Reads `size` bytes at linear `lin` with the privilege of `user`; `forWrite` checks write access. */
  readSlow(lin: number, size: number, user: boolean, forWrite: boolean): number {
    const mem = this.mem;
    if ((lin & 0xfff) + size <= 0x1000) {
      const phys = forWrite ? translateWrite(this, lin, user) : translateRead(this, lin, user);
      if (this.memObserver) this.memObserver.onAccess(lin >>> 0, phys, size, false, this.prevEip >>> 0);
      return size === 1 ? mem.read8(phys) : size === 2 ? mem.read16(phys) : mem.read32(phys) | 0;
    }
    const split = 0x1000 - (lin & 0xfff);
    const lin2 = (lin + split) | 0;
    const p1 = translate(this, lin, forWrite, user);
    const p2 = translate(this, lin2, forWrite, user);
    if (this.memObserver) {
      this.memObserver.onAccess(lin >>> 0, p1, split, false, this.prevEip >>> 0);
      this.memObserver.onAccess(lin2 >>> 0, p2, size - split, false, this.prevEip >>> 0);
    }
    let v = 0;
    for (let k = size - 1; k >= 0; k--) v = (v << 8) | mem.read8(k < split ? p1 + k : p2 + k - split);
    return size === 4 ? v | 0 : v;
  }

  writeSlow(lin: number, size: number, v: number, user: boolean): void {
    const mem = this.mem;
    if ((lin & 0xfff) + size <= 0x1000) {
      const phys = translateWrite(this, lin, user);
      if (this.memObserver) this.memObserver.onAccess(lin >>> 0, phys, size, true, this.prevEip >>> 0);
      if (size === 1) mem.write8(phys, v);
      else if (size === 2) mem.write16(phys, v);
      else mem.write32(phys, v);
      return;
    }
    const split = 0x1000 - (lin & 0xfff);
    const lin2 = (lin + split) | 0;
    const p1 = translate(this, lin, true, user);
    const p2 = translate(this, lin2, true, user);
    if (this.memObserver) {
      this.memObserver.onAccess(lin >>> 0, p1, split, true, this.prevEip >>> 0);
      this.memObserver.onAccess(lin2 >>> 0, p2, size - split, true, this.prevEip >>> 0);
    }
    for (let k = 0; k < size; k++) mem.write8(k < split ? p1 + k : p2 + k - split, (v >>> (8 * k)) & 0xff);
  }

  /** Supervisor (system-structure) reads and writes: GDT, LDT, IDT, TSS; privilege checks use CPL 0. */
  sysRd32(lin: number): number {
    return this.readSlow(lin | 0, 4, false, false);
  }

  sysRd16(lin: number): number {
    return this.readSlow(lin | 0, 2, false, false);
  }

  sysWr8(lin: number, v: number): void {
    this.writeSlow(lin | 0, 1, v, false);
  }

  sysWr16(lin: number, v: number): void {
    this.writeSlow(lin | 0, 2, v, false);
  }

  sysWr32(lin: number, v: number): void {
    this.writeSlow(lin | 0, 4, v, false);
  }

  /** Flushes the TLB (all, or all but global entries). */
  flushTlb(keepGlobal: boolean): void {
    flushTlb(this, keepGlobal);
  }
}

