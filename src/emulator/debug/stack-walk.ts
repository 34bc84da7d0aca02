// Stack walker for i386 Pebbles kernels and their user programs, in the manner of Landslide's stack.c:
// follows the EBP frame chain (i386 psABI "Function Calling Sequence": push %ebp; mov %esp,%ebp), copes
// with frameless code, and crosses interrupt and system-call frames (Intel SDM vol. 3 §6.12: EIP, CS,
// EFLAGS, and ESP, SS when the privilege level changes, pushed by the processor).
//
// For each frame, in order:
//  1. Epilogue emulation: if the code at the PC is a straight run of stack-restoring instructions
//     (pop, popa, pop segment, add/lea to %esp, leave, mov %ebp,%esp, jmp, no-ops) ending in `ret` or
//     `iret`, run it symbolically: this gives the exact return address, or the exact interrupted
//     context for an interrupt stub (pusha; call handler; popa; iret) and restores %ebp as popa/pop do.
//  2. Prologue analysis of the containing function: before `push %ebp` completes the return address is
//     at [esp]; between `push %ebp` and `mov %esp,%ebp` at [esp+4]; after it, [ebp+4] with the caller's
//     %ebp at [ebp].
//  3. Frameless code: scan up the stack for the first word that is a return address (it follows a call
//     instruction) or the start of an interrupt frame (EIP, CS, EFLAGS with plausible values).
// Memory is read through a callback (live machine or snapshot); code bytes come from the ELF images,
// or from memory when the image is unknown. Never throws.

import type { DebugInfo, Location, ModuleDebug } from './debug-info.ts';
import { USER_MEM_START } from './debug-info.ts';
import type { SymbolInfo } from './symbols.ts';

export type ReadLinear32 = (linear: number) => number | null;

export interface WalkRegisters {
  eip: number;
  esp: number;
  ebp: number;
  /** Current CS selector. When it is a kernel selector (RPL 0), kernel interrupt frames found by the
   * frameless-code scan must carry it, which rules out look-alike words. */
  cs?: number;
}

export interface StackFrame extends Location {
  /** 'top': the current PC; 'call': reached through a return address; 'interrupted': through an interrupt frame. */
  kind: 'top' | 'call' | 'interrupted';
  /** Landslide's format, e.g. `0x00100a3c in mutex_lock (kern/mutex.c:61)`. */
  text: string;
}

export interface WalkOptions {
  /** The user program of the current address space (from the platform's CR3 registry). */
  program?: string | null;
  /** Default 32. */
  maxFrames?: number;
}

/** Landslide's frame text: `0x%08x in NAME (FILE:LINE)`, `<unknown in kernel>` / `<unknown in userspace>`. */
export function formatFrame(f: Location): string {
  const address = `0x${f.address.toString(16).padStart(8, '0')}`;
  if (f.name === null) return `${address} in <unknown in ${f.space === 'kernel' ? 'kernel' : 'userspace'}>`;
  const where = f.file !== null && f.line !== null ? ` (${f.file}:${f.line})` : '';
  return `${address} in ${f.name}${where}`;
}

interface FrameState {
  pc: number;
  esp: number;
  ebp: number;
}

type Unwound = { next: FrameState; kind: 'call' | 'interrupted' } | null;

const MAX_EPILOGUE_STEPS = 24;
const SCAN_WORDS = 64;
const PROLOGUE_WINDOW = 16;
/** EFLAGS bit 1 always reads 1; bits 3, 5 and 15 always read 0 (Intel SDM vol. 1 §3.4.3). */
const EFLAGS_FIXED_ONE = 0x2;
const EFLAGS_FIXED_ZERO = 0x8028;

/** Walks the stack from the given registers; the first frame is the current PC. */
export function walkStack(regs: WalkRegisters, readLinear32: ReadLinear32, debug: DebugInfo, options: WalkOptions = {}): StackFrame[] {
  const kernelCs = regs.cs !== undefined && (regs.cs & 3) === 0 ? regs.cs & 0xffff : null;
  const walker = new Walker(readLinear32, debug, options.program ?? null, kernelCs);
  const frames: StackFrame[] = [];
  const seen = new Set<string>();
  let state: FrameState = { pc: regs.eip >>> 0, esp: regs.esp >>> 0, ebp: regs.ebp >>> 0 };
  let kind: StackFrame['kind'] = 'top';
  const max = options.maxFrames ?? 32;
  while (frames.length < max) {
    const key = `${state.pc}:${state.esp}`;
    if (seen.has(key)) break;
    seen.add(key);
    const loc = walker.locate(state.pc, kind);
    frames.push({ ...loc, kind, text: formatFrame(loc) });
    const step = walker.unwind(state, kind);
    if (!step || step.next.pc === 0) break;
    state = step.next;
    kind = step.kind;
  }
  // User frames located while several programs still matched: name them all by the final choice.
  return frames.map((f) => {
    if (f.space !== 'user' || f.program === walker.finalProgram()) return f;
    const loc = walker.locate(f.address, f.kind);
    return { ...loc, kind: f.kind, text: formatFrame(loc) };
  });
}

class Walker {
  /**
   * Without a registered program: the programs whose code matches memory at every user PC seen so far
   * (null before the first one). Narrowed as the walk goes, since programs sharing library code all
   * match there.
   */
  private candidates: string[] | null = null;
  private readonly checked = new Set<number>();

  constructor(
    private readonly read: ReadLinear32,
    private readonly debug: DebugInfo,
    private readonly program: string | null,
    private readonly kernelCs: number | null,
  ) {}

  /** The program user frames are named by. */
  finalProgram(): string | null {
    return this.program ?? this.candidates?.[0] ?? null;
  }

  /**
   * A return address is located by the call before it (pc - 1), as debuggers do: after a call to a
   * function that never returns it may already point into the next line or the next function.
   */
  locate(pc: number, kind: StackFrame['kind']): Location {
    if (kind !== 'call' || pc === 0) return this.debug.locate(pc, this.programFor(pc));
    const loc = this.debug.locate(pc - 1, this.programFor(pc - 1));
    return { ...loc, address: pc, offset: loc.name === null ? 0 : loc.offset + 1 };
  }

  private programFor(pc: number): string | null {
    if (pc < USER_MEM_START) return null;
    if (this.program !== null) return this.program;
    if (!this.checked.has(pc)) {
      this.checked.add(pc);
      const matching = this.debug.matchingPrograms(pc, this.read);
      const narrowed = this.candidates === null ? matching : this.candidates.filter((c) => matching.includes(c));
      if (narrowed.length > 0 || this.candidates === null) this.candidates = narrowed;
    }
    return this.candidates?.[0] ?? null;
  }

  private module(pc: number): ModuleDebug | null {
    return this.debug.module(pc, this.programFor(pc));
  }

  private word(address: number): number | null {
    const v = this.read(address >>> 0);
    return v === null ? null : v >>> 0;
  }

  /** Code bytes at an address: from the image when known, else from memory. */
  private code(address: number, length: number): Uint8Array | null {
    const fromImage = this.module(address)?.readCode(address, length);
    if (fromImage) return fromImage;
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const a = (address + i) >>> 0;
      const w = this.read(a & ~3);
      if (w === null) return null;
      out[i] = (w >>> ((a & 3) * 8)) & 0xff;
    }
    return out;
  }

  /**
   * The caller's frame. A frame reached through a return address belongs to the function containing
   * pc - 1: after a call that never returns, the return address is already past the function's end,
   * and the code there (the next function) says nothing about this frame, so no epilogue is run then.
   */
  unwind(s: FrameState, kind: StackFrame['kind']): Unwound {
    const symbols = this.module(s.pc)?.symbols;
    const fn = symbols?.functionAt(kind === 'call' ? s.pc - 1 : s.pc) ?? null;
    const pastEnd = kind === 'call' && fn !== null && symbols?.functionAt(s.pc) !== fn;
    return (pastEnd ? null : this.emulateEpilogue(s)) ?? this.fromPrologue(s, fn) ?? this.scan(s);
  }

  /** Step 1: run a straight-line epilogue ending in ret/iret symbolically. */
  private emulateEpilogue(s: FrameState): Unwound {
    let pc = s.pc;
    let esp = s.esp;
    let ebp = s.ebp;
    for (let step = 0; step < MAX_EPILOGUE_STEPS; step++) {
      const b = this.code(pc, 8);
      if (!b) return null;
      const op = b[0];
      if (op >= 0x58 && op <= 0x5f) {
        if (op === 0x5d) {
          const v = this.word(esp);
          if (v === null) return null;
          ebp = v;
        }
        if (op === 0x5c) return null; // pop %esp
        esp += 4;
        pc += 1;
      } else if (op === 0x61) {
        const v = this.word(esp + 8);
        if (v === null) return null;
        ebp = v;
        esp += 32;
        pc += 1;
      } else if (op === 0x07 || op === 0x1f || op === 0x17 || op === 0x9d) {
        esp += 4;
        pc += 1;
      } else if (op === 0x0f && (b[1] === 0xa1 || b[1] === 0xa9)) {
        esp += 4;
        pc += 2;
      } else if (op === 0x83 && b[1] === 0xc4) {
        esp += (b[2] << 24) >> 24;
        pc += 3;
      } else if (op === 0x81 && b[1] === 0xc4) {
        esp += new DataView(b.buffer).getInt32(2, true);
        pc += 6;
      } else if (op === 0x8d && b[1] === 0x64 && b[2] === 0x24) {
        esp += (b[3] << 24) >> 24;
        pc += 4;
      } else if (op === 0xc9 || (op === 0x89 && b[1] === 0xec) || (op === 0x8b && b[1] === 0xe5)) {
        esp = ebp; // leave = mov %ebp,%esp; pop %ebp
        if (op === 0xc9) {
          const v = this.word(esp);
          if (v === null) return null;
          ebp = v;
          esp += 4;
          pc += 1;
        } else {
          pc += 2;
        }
      } else if ((op === 0x89 || op === 0x8b) && movLength(b[1], b[2]) > 0) {
        // mov between a register and a register or an %esp-relative slot (e.g. storing a system call's
        // result into the pusha frame). Only a load into %ebp or %esp matters to the walk.
        const dest = op === 0x8b || b[1] >> 6 === 3 ? (op === 0x8b ? (b[1] >> 3) & 7 : b[1] & 7) : -1;
        if (dest === 4) return null;
        if (dest === 5) {
          const v = b[1] >> 6 === 3 ? null : this.word(esp + espDisplacement(b));
          if (v === null) return null;
          ebp = v;
        }
        pc += movLength(b[1], b[2]);
      } else if ([0x90, 0xfa, 0xfb, 0xfc, 0xfd, 0xf4].includes(op)) {
        pc += 1; // nop, cli, sti, cld, std, hlt (an idle loop's `hlt; ret`)
      } else if (op === 0x87 && b[1] === 0xdb) {
        pc += 2; // xchg %ebx,%ebx (Simics magic)
      } else if (op === 0x66 && b[1] === 0x87 && b[2] === 0xdb) {
        pc += 3;
      } else if (op === 0xeb) {
        pc += 2 + ((b[1] << 24) >> 24);
      } else if (op === 0xe9) {
        pc += 5 + new DataView(b.buffer).getInt32(1, true);
      } else if (op === 0xc3 || op === 0xc2) {
        const ret = this.word(esp);
        return ret === null ? null : { next: { pc: ret, esp: esp + 4 + (op === 0xc2 ? b[1] | (b[2] << 8) : 0), ebp }, kind: 'call' };
      } else if (op === 0xcf) {
        return this.interruptFrame(esp, ebp);
      } else {
        return null;
      }
      pc >>>= 0;
      esp >>>= 0;
    }
    return null;
  }

  /** The context an interrupt frame at `at` returns to (with the outer ESP when it came from ring 3). */
  private interruptFrame(at: number, ebp: number): Unwound {
    const eip = this.word(at);
    const cs = this.word(at + 4);
    if (eip === null || cs === null) return null;
    let esp = at + 12;
    if ((cs & 3) === 3) {
      const userEsp = this.word(at + 12);
      if (userEsp === null) return null;
      esp = userEsp;
    }
    return { next: { pc: eip, esp, ebp }, kind: 'interrupted' };
  }

  /** Step 2: use the containing function's `push %ebp; mov %esp,%ebp` prologue. */
  private fromPrologue(s: FrameState, fn: SymbolInfo | null): Unwound {
    if (!fn) return s.ebp !== 0 ? this.viaEbp(s) : null;
    const head = this.code(fn.address, PROLOGUE_WINDOW);
    const prologue = head ? framePrologue(head) : null;
    if (!prologue) return null;
    const offset = s.pc - fn.address;
    if (offset < prologue.start) return null; // in a realignment sequence: leave it to the scan
    if (offset < prologue.pushEnd) return this.returnAt(s.esp, s.ebp);
    if (offset < prologue.movEnd) return this.returnAt(s.esp + 4, s.ebp);
    return this.viaEbp(s);
  }

  private returnAt(slot: number, ebp: number): Unwound {
    const ret = this.word(slot);
    return ret === null ? null : { next: { pc: ret, esp: slot + 4, ebp }, kind: 'call' };
  }

  private viaEbp(s: FrameState): Unwound {
    if (s.ebp === 0) return null;
    const savedEbp = this.word(s.ebp);
    const ret = this.word(s.ebp + 4);
    if (savedEbp === null || ret === null) return null;
    return { next: { pc: ret, esp: s.ebp + 8, ebp: savedEbp }, kind: 'call' };
  }

  /** Step 3: frameless code. %ebp 0 marks the outermost frame (as `_start` clears it). */
  private scan(s: FrameState): Unwound {
    if (s.ebp === 0) return null;
    for (let i = 0; i < SCAN_WORDS; i++) {
      const slot = s.esp + i * 4;
      const w = this.word(slot);
      if (w === null) return null;
      if (this.isReturnAddress(w)) return { next: { pc: w, esp: slot + 4, ebp: s.ebp }, kind: 'call' };
      if (this.isInterruptFrame(slot)) return this.interruptFrame(slot, s.ebp);
    }
    return null;
  }

  /** A code address in a known function, just after a call instruction. */
  private isReturnAddress(w: number): boolean {
    if (w < 8 || !this.module(w)?.symbols.functionAt(w - 1)) return false;
    const b = this.code(w - 7, 7);
    if (!b) return false;
    if (b[2] === 0xe8) return true; // call rel32
    for (let length = 2; length <= 7; length++) if (indirectCallLength(b, 7 - length) === length) return true;
    return false;
  }

  /** EIP, CS, EFLAGS as the processor pushes them: a code address, a code selector, EFLAGS bit 1 set. */
  private isInterruptFrame(slot: number): boolean {
    const eip = this.word(slot);
    const cs = this.word(slot + 4);
    const eflags = this.word(slot + 8);
    if (eip === null || cs === null || eflags === null) return false;
    if (cs > 0xffff || (cs & ~3) === 0 || (cs & 4) !== 0) return false;
    if ((eflags & EFLAGS_FIXED_ONE) === 0 || (eflags & EFLAGS_FIXED_ZERO) !== 0 || eflags >>> 22 !== 0) return false;
    const userMode = (cs & 3) === 3;
    if (userMode !== eip >= USER_MEM_START) return false;
    if (!userMode && this.kernelCs !== null && cs !== this.kernelCs) return false;
    return userMode || this.module(eip)?.symbols.functionAt(eip) != null;
  }
}

/**
 * Length of an indirect near call (FF /2) starting at b[at], from its ModRM and SIB bytes (32-bit
 * addressing: register, (reg), disp8(reg), disp32(reg), absolute, and the SIB forms); 0 if it is not one.
 */
function indirectCallLength(b: Uint8Array, at: number): number {
  if (b[at] !== 0xff || at + 1 >= b.length) return 0;
  const modrm = b[at + 1];
  if (((modrm >> 3) & 7) !== 2) return 0;
  const mod = modrm >> 6;
  const rm = modrm & 7;
  if (mod === 3) return 2;
  let length = 2;
  if (rm === 4) {
    length += 1;
    if (mod === 0 && (b[at + 2] & 7) === 5) length += 4; // SIB with no base: disp32
  } else if (mod === 0 && rm === 5) {
    length += 4; // absolute disp32
  }
  return length + (mod === 1 ? 1 : mod === 2 ? 4 : 0);
}

/**
 * Length of a mov (89/8b) whose ModRM names a register or (%esp)/disp8(%esp)/disp32(%esp) with no index;
 * 0 for any other addressing form.
 */
function movLength(modrm: number, sib: number): number {
  const mod = modrm >> 6;
  if (mod === 3) return 2;
  if ((modrm & 7) !== 4 || sib !== 0x24) return 0;
  return mod === 0 ? 3 : mod === 1 ? 4 : 7;
}

/** The displacement of an %esp-relative mov (ModRM at b[1], SIB at b[2]). */
function espDisplacement(b: Uint8Array): number {
  const mod = b[1] >> 6;
  if (mod === 1) return (b[3] << 24) >> 24;
  if (mod === 2) return new DataView(b.buffer, b.byteOffset).getInt32(3, true);
  return 0;
}

/**
 * Offsets in a function where `push %ebp` and `mov %esp,%ebp` end. The pair may follow an endbr32 or
 * gcc's stack-realignment sequence in main (lea 4(%esp),%ecx; and $-16,%esp; push -4(%ecx)), so it is
 * looked for in the first PROLOGUE_WINDOW bytes; `start` is where it begins.
 */
function framePrologue(b: Uint8Array): { start: number; pushEnd: number; movEnd: number } | null {
  for (let i = 0; i + 2 < b.length; i++) {
    if (b[i] !== 0x55) continue;
    const mov = (b[i + 1] === 0x89 && b[i + 2] === 0xe5) || (b[i + 1] === 0x8b && b[i + 2] === 0xec);
    if (mov) return { start: i, pushEnd: i + 1, movEnd: i + 3 };
  }
  return null;
}
