// Builds one test case: a random initial state (registers biased toward edge values, random status flags
// and DF, random scratch memory) and an API the form definitions use to emit instruction bytes and to
// pick operands. Memory operands are encoded with every 32-bit ModRM/SIB addressing shape (Intel SDM
// vol. 2A, tables 2-2 and 2-3) and resolved so that the effective address lands inside the scratch buffer:
// the target address is chosen first, then the base register is solved for (wrapping mod 2^32, so index
// registers keep fully random values).
import { Prng } from './prng.ts';
import {
  CODE_ADDR, CODE_MAX, EFLAGS_FIXED, ESP, EBP, FLAG, FS, GS, MEM_SIZE, PAGE_SIZE, SCRATCH_ADDR, SCRATCH_PAGE, STATUS_FLAGS,
  USER_CS, USER_DS,
  type TestCase,
} from './layout.ts';

export type Size = 8 | 16 | 32;

export interface MemOperand {
  kind: 'mem';
  addr: number;
  encode: (regField: number) => number[];
}
export type Operand = { kind: 'reg'; reg: number } | MemOperand;

export interface RmOptions {
  /** Force a register (`'reg'`) or memory (`'mem'`) operand; default: either, half the time each. */
  only?: 'reg' | 'mem';
  /** Registers the addressing must not use as base or index (their values are set by the form). */
  avoid?: readonly number[];
  /** Bytes reachable from the effective address (default: the operand size). */
  span?: number;
  /** Bytes that must stay addressable below the effective address (default 0). */
  below?: number;
  /** Registers a register operand must not be (e.g. DIV by EDX always faults). */
  notReg?: readonly number[];
}

const EDGES: Record<Size, readonly number[]> = {
  8: [0, 1, 2, 0x7f, 0x80, 0x81, 0xfe, 0xff],
  16: [0, 1, 0xff, 0x100, 0x7fff, 0x8000, 0x8001, 0xfffe, 0xffff],
  32: [0, 1, 0xff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff],
};

/** The page boundary inside the scratch buffer (see layout.ts). */
const PAGE_BOUNDARY = SCRATCH_PAGE + PAGE_SIZE;

export const SIZE_MASK: Record<Size, number> = { 8: 0xff, 16: 0xffff, 32: 0xffffffff };

export class CaseBuilder {
  readonly regs = new Uint32Array(8);
  readonly mem = new Uint8Array(MEM_SIZE);
  eflags: number;
  /** ES CS SS DS FS GS: Linux's user selectors; FS and GS are null or the data selector. */
  readonly segs = Uint16Array.of(USER_DS, USER_CS, USER_DS, USER_DS, 0, 0);
  undefinedFlags = 0;
  /** Per register, the bits whose final value the SDM leaves undefined. */
  readonly undefinedRegBits = new Uint32Array(8);
  readonly undefinedMem: number[] = [];
  private readonly bytes: number[] = [];
  private readonly fixups: ((end: number) => void)[] = [];

  constructor(readonly rng: Prng) {
    for (let r = 0; r < 8; r++) this.regs[r] = this.randomRegValue();
    // ESP points into the buffer by default (a random ESP is covered by forms that name it as a
    // register operand); DF is random, the status flags are random, IF=1 as in a user process.
    this.regs[ESP] = SCRATCH_ADDR + rng.range(64, MEM_SIZE - 64) & ~(rng.chance(0.8) ? 3 : 0);
    this.eflags = (rng.u32() & STATUS_FLAGS) | (rng.chance(0.5) ? FLAG.DF : 0) | FLAG.IF | EFLAGS_FIXED;
    rng.fill(this.mem);
    this.segs[FS] = rng.chance(0.5) ? USER_DS : 0;
    this.segs[GS] = rng.chance(0.5) ? USER_DS : 0;
  }

  // ---- values -------------------------------------------------------------------------------------

  /** A random value of the given width, biased toward edges (0, 1, 0x7f.., 0x80.., 0xff..) and small numbers. */
  value(size: Size): number {
    const rng = this.rng;
    const mask = SIZE_MASK[size];
    switch (rng.below(10)) {
      case 0: case 1: case 2: case 3: return rng.u32() & mask;
      case 4: case 5: case 6: return rng.pick(EDGES[size]);
      case 7: return rng.below(17);
      case 8: return (rng.pick(EDGES[size]) + rng.range(-2, 2)) & mask;
      default: return size === 8 ? rng.u32() & 0xf : rng.pick(EDGES[size === 32 ? 16 : 8]);
    }
  }

  private randomRegValue(): number {
    let v = this.value(32);
    if (this.rng.chance(0.3)) v = (v & ~0xff) | this.value(8);
    if (this.rng.chance(0.2)) v = (v & ~0xffff) | this.value(16);
    if (this.rng.chance(0.15)) v = (v & ~0xff00) | (this.value(8) << 8);
    return v >>> 0;
  }

  // ---- state access -------------------------------------------------------------------------------

  /** Register `r` at a width; for 8 bits, r = 0..3 is AL..BL and 4..7 is AH..BH. */
  reg(r: number, size: Size): number {
    if (size === 8) return r < 4 ? this.regs[r] & 0xff : (this.regs[r - 4] >>> 8) & 0xff;
    return this.regs[r] & SIZE_MASK[size];
  }

  setReg(r: number, size: Size, value: number): void {
    if (size === 32) this.regs[r] = value >>> 0;
    else if (size === 16) this.regs[r] = ((this.regs[r] & 0xffff0000) | (value & 0xffff)) >>> 0;
    else if (r < 4) this.regs[r] = ((this.regs[r] & ~0xff) | (value & 0xff)) >>> 0;
    else this.regs[r - 4] = ((this.regs[r - 4] & ~0xff00) | ((value & 0xff) << 8)) >>> 0;
  }

  /** Reads `size` bits at linear address `addr` (inside the scratch buffer). */
  memRead(addr: number, size: Size): number {
    const at = this.offsetOf(addr, size / 8);
    let v = 0;
    for (let i = size / 8 - 1; i >= 0; i--) v = (v << 8) | this.mem[at + i];
    return v >>> 0;
  }

  memWrite(addr: number, size: Size, value: number): void {
    const at = this.offsetOf(addr, size / 8);
    for (let i = 0; i < size / 8; i++) this.mem[at + i] = (value >>> (8 * i)) & 0xff;
  }

  read(op: Operand, size: Size): number {
    return op.kind === 'reg' ? this.reg(op.reg, size) : this.memRead(op.addr, size);
  }

  write(op: Operand, size: Size, value: number): void {
    if (op.kind === 'reg') this.setReg(op.reg, size, value);
    else this.memWrite(op.addr, size, value);
  }

  private offsetOf(addr: number, len: number): number {
    const at = addr - SCRATCH_ADDR;
    if (at < 0 || at + len > MEM_SIZE) throw new Error(`generator bug: address ${addr.toString(16)} outside the scratch buffer`);
    return at;
  }

  /**
   * A random address in the buffer with `below` bytes before it and `span` bytes from it; a quarter of
   * the time one whose `span` bytes cross the page boundary in the middle of the buffer.
   */
  bufferAddress(span: number, below = 0): number {
    const lo = SCRATCH_ADDR + below;
    const hi = SCRATCH_ADDR + MEM_SIZE - span;
    const crossLo = Math.max(lo, PAGE_BOUNDARY - span + 1);
    const crossHi = Math.min(hi, PAGE_BOUNDARY - 1);
    if (span > 1 && crossLo <= crossHi && this.rng.chance(0.25)) return this.rng.range(crossLo, crossHi);
    return this.rng.range(lo, hi);
  }

  // ---- code emission ------------------------------------------------------------------------------

  emit(...bytes: number[]): void {
    for (const b of bytes) this.bytes.push(b & 0xff);
  }

  /** Emits `value` as a little-endian immediate of `size` bits. */
  imm(size: Size, value: number): void {
    for (let i = 0; i < size / 8; i++) this.emit(value >>> (8 * i));
  }

  /** Emits the operand-size prefix for a 16-bit operation. */
  opsize(size: Size): void {
    if (size === 16) this.emit(0x66);
  }

  /** Overwrites the 32-bit value at code address `at` (an operand that depends on the snippet's end). */
  patch32(at: number, value: number): void {
    le32(value).forEach((b, k) => { this.bytes[at - CODE_ADDR + k] = b; });
  }

  /** Address of the current end of the code (where the next byte goes). */
  get here(): number {
    return CODE_ADDR + this.bytes.length;
  }

  /** Runs `fix(end)` once the snippet is complete; `end` is the address just past its last byte. */
  atEnd(fix: (end: number) => void): void {
    this.fixups.push(fix);
  }

  // ---- operands -----------------------------------------------------------------------------------

  /** Picks a ModRM r/m operand: a register or a memory location inside the buffer. */
  pickRm(size: Size, options: RmOptions = {}): Operand {
    const useMem = options.only === 'mem' || (options.only !== 'reg' && this.rng.chance(0.5));
    if (!useMem) {
      const banned = options.notReg ?? [];
      let reg: number;
      do reg = this.rng.below(8); while (banned.includes(reg));
      return { kind: 'reg', reg };
    }
    const span = options.span ?? size / 8;
    const op = this.memOperand(span, options.below ?? 0, options.avoid ?? []);
    // Random buffer bytes rarely make edge values; plant one at the operand most of the time.
    if (options.span === undefined && this.rng.chance(0.7)) this.memWrite(op.addr, size, this.value(size));
    return op;
  }

  /** A memory operand of `span` bytes inside the buffer (with `below` bytes addressable before it). */
  pickMem(span: number, options: Omit<RmOptions, 'only' | 'span' | 'notReg'> = {}): MemOperand {
    return this.memOperand(span, options.below ?? 0, options.avoid ?? []);
  }

  /** Emits the ModRM byte (and SIB/displacement) for `op` with `regField` in bits 5:3. */
  modrm(regField: number, op: Operand): void {
    if (op.kind === 'reg') this.emit(0xc0 | (regField << 3) | op.reg);
    else this.emit(...op.encode(regField));
  }

  /** A register number for the ModRM reg field, not one of `avoid`. */
  pickReg(avoid: readonly number[] = []): number {
    let reg: number;
    do reg = this.rng.below(8); while (avoid.includes(reg));
    return reg;
  }

  private memOperand(span: number, below: number, avoid: readonly number[]): MemOperand {
    const rng = this.rng;
    const addr = this.bufferAddress(span, below);
    const usable = [0, 1, 2, 3, 4, 5, 6, 7].filter((r) => !avoid.includes(r));
    const disp = (): { bytes: number[]; value: number; mod: number } => {
      switch (rng.below(3)) {
        case 0: return { bytes: [], value: 0, mod: 0 };
        case 1: { const v = rng.u32() & 0xff; return { bytes: [v], value: (v << 24) >> 24, mod: 1 }; }
        default: { const v = rng.u32(); return { bytes: le32(v), value: v | 0, mod: 2 }; }
      }
    };
    const shape = usable.length < 2 ? 0 : rng.below(5);
    if (shape === 0) {
      // [disp32]: mod=00, rm=101
      return { kind: 'mem', addr, encode: (reg) => [(reg << 3) | 5, ...le32(addr)] };
    }
    if (shape <= 2) {
      // [base + disp], no SIB; rm=100 means SIB and mod=00 rm=101 means disp32, so ESP never and EBP only with a displacement.
      const bases = usable.filter((r) => r !== ESP);
      const base = rng.pick(bases);
      let d = disp();
      if (base === EBP && d.mod === 0) d = { bytes: [0], value: 0, mod: 1 };
      this.regs[base] = (addr - d.value) >>> 0;
      return { kind: 'mem', addr, encode: (reg) => [(d.mod << 6) | (reg << 3) | base, ...d.bytes] };
    }
    // SIB: [base + index*scale + disp]; index=100 means no index; base=101 with mod=00 means no base + disp32.
    const scaleBits = rng.below(4);
    const indexChoices = usable.filter((r) => r !== ESP);
    const useIndex = indexChoices.length > 0 && rng.chance(0.8);
    const index = useIndex ? rng.pick(indexChoices) : 4;
    const baseChoices = usable.filter((r) => r !== index);
    const noBase = baseChoices.length === 0 || rng.chance(0.15);
    const scaled = useIndex ? Math.imul(this.regs[index], 1 << scaleBits) : 0;
    const sib = (base: number): number => (scaleBits << 6) | (index << 3) | base;
    if (noBase) {
      if (!useIndex) return { kind: 'mem', addr, encode: (reg) => [(reg << 3) | 4, sib(5), ...le32(addr)] };
      const d = (addr - scaled) >>> 0;
      return { kind: 'mem', addr, encode: (reg) => [(reg << 3) | 4, sib(5), ...le32(d)] };
    }
    const base = rng.pick(baseChoices);
    let d = disp();
    if (base === EBP && d.mod === 0) d = { bytes: [0], value: 0, mod: 1 };
    this.regs[base] = (addr - scaled - d.value) >>> 0;
    return { kind: 'mem', addr, encode: (reg) => [(d.mod << 6) | (reg << 3) | 4, sib(base), ...d.bytes] };
  }

  // ---- result -------------------------------------------------------------------------------------

  finish(form: string, index: number): TestCase {
    const end = CODE_ADDR + this.bytes.length;
    for (const fix of this.fixups) fix(end);
    if (this.bytes.length === 0 || this.bytes.length > CODE_MAX) throw new Error(`generator bug: ${form} made ${this.bytes.length} code bytes`);
    return {
      form,
      index,
      code: Uint8Array.from(this.bytes),
      init: { regs: this.regs.slice(), eflags: this.eflags >>> 0, segs: this.segs.slice(), mem: this.mem.slice() },
      undefinedFlags: this.undefinedFlags,
      undefinedRegBits: this.undefinedRegBits.slice(),
      undefinedMem: [...this.undefinedMem],
    };
  }
}

export function le32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}
