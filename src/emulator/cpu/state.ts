// Architectural constants of the i386 (Intel SDM vol. 3A ch. 2-3, vol. 1 ch. 3) and the plain,
// JSON-able CPU state saved by `Cpu.saveState`.

// General registers, in ModRM encoding order.
export const EAX = 0;
export const ECX = 1;
export const EDX = 2;
export const EBX = 3;
export const ESP = 4;
export const EBP = 5;
export const ESI = 6;
export const EDI = 7;

// Segment registers, in ModRM/Sreg encoding order.
export const ES = 0;
export const CS = 1;
export const SS = 2;
export const DS = 3;
export const FS = 4;
export const GS = 5;
export const SEG_NAMES = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'] as const;

// EFLAGS bits.
export const FLAG_CF = 1 << 0;
export const FLAG_PF = 1 << 2;
export const FLAG_AF = 1 << 4;
export const FLAG_ZF = 1 << 6;
export const FLAG_SF = 1 << 7;
export const FLAG_TF = 1 << 8;
export const FLAG_IF = 1 << 9;
export const FLAG_DF = 1 << 10;
export const FLAG_OF = 1 << 11;
export const FLAG_IOPL = 3 << 12;
export const FLAG_NT = 1 << 14;
export const FLAG_RF = 1 << 16;
export const FLAG_VM = 1 << 17;
export const FLAG_AC = 1 << 18;
export const FLAG_ID = 1 << 21;
/** The six arithmetic status flags. */
export const FLAGS_ARITH = FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF;
/** Bit 1 of EFLAGS always reads as 1. */
export const FLAGS_FIXED = 1 << 1;
/** Bits POPF/IRET may change at all (VM is never set by us: no virtual-8086 mode). */
export const FLAGS_WRITABLE = FLAGS_ARITH | FLAG_TF | FLAG_IF | FLAG_DF | FLAG_IOPL | FLAG_NT | FLAG_RF | FLAG_AC | FLAG_ID;

// Control register bits.
export const CR0_PE = 1 << 0;
export const CR0_MP = 1 << 1;
export const CR0_EM = 1 << 2;
export const CR0_TS = 1 << 3;
export const CR0_ET = 1 << 4;
export const CR0_NE = 1 << 5;
export const CR0_WP = 1 << 16;
export const CR0_AM = 1 << 18;
export const CR0_NW = 1 << 29;
export const CR0_CD = 1 << 30;
export const CR0_PG = 1 << 31;
export const CR4_TSD = 1 << 2;
export const CR4_DE = 1 << 3;
export const CR4_PSE = 1 << 4;
export const CR4_PGE = 1 << 7;
/** CR4 bits this CPU implements; setting others raises #GP(0). */
export const CR4_SUPPORTED = CR4_TSD | CR4_DE | CR4_PSE | CR4_PGE;

// Exception vectors.
export const EXC_DE = 0;
export const EXC_DB = 1;
export const EXC_BP = 3;
export const EXC_OF = 4;
export const EXC_BR = 5;
export const EXC_UD = 6;
export const EXC_NM = 7;
export const EXC_DF = 8;
export const EXC_TS = 10;
export const EXC_NP = 11;
export const EXC_SS = 12;
export const EXC_GP = 13;
export const EXC_PF = 14;

// Descriptor access-rights byte (bits 8-15 of the descriptor's high dword) and flags nibble. The CPU keeps
// `rights` = high dword bits 8..23 shifted down by 8: bits 0-7 access byte, bits 12-15 G, D/B, L, AVL.
export const ACC_ACCESSED = 0x01;
export const ACC_RW = 0x02; // readable code / writable data
export const ACC_DC = 0x04; // conforming code / expand-down data
export const ACC_CODE = 0x08;
export const ACC_S = 0x10; // code or data (not system)
export const ACC_DPL_SHIFT = 5;
export const ACC_P = 0x80;
export const RIGHTS_DB = 0x4000;
export const RIGHTS_G = 0x8000;

// System descriptor types (access byte bits 0-3 with S=0).
export const SYS_TSS16_AVAIL = 1;
export const SYS_LDT = 2;
export const SYS_TSS16_BUSY = 3;
export const SYS_CALL_GATE16 = 4;
export const SYS_TASK_GATE = 5;
export const SYS_INT_GATE16 = 6;
export const SYS_TRAP_GATE16 = 7;
export const SYS_TSS32_AVAIL = 9;
export const SYS_TSS32_BUSY = 11;
export const SYS_CALL_GATE32 = 12;
export const SYS_INT_GATE32 = 14;
export const SYS_TRAP_GATE32 = 15;

/** A segment register with its hidden descriptor cache. Immutable (saved states share them). */
export interface SegmentState {
  readonly selector: number;
  readonly base: number;
  readonly limit: number;
  readonly rights: number;
}

/**
 * A descriptor-table register (GDTR, IDTR) or a system segment register (LDTR, TR) with its cache.
 * Immutable: the CPU replaces the object when the register is loaded, so saved states share it.
 */
export interface TableState {
  readonly selector: number;
  readonly base: number;
  readonly limit: number;
  readonly rights: number;
}

/**
 * Everything `Cpu.saveState` captures: plain numbers, JSON-able, flags materialised. Saved states share
 * their unchanged parts (segments, table registers, debug registers) with earlier ones: never mutate one.
 */
export interface CpuState {
  regs: number[];
  eip: number;
  eflags: number;
  segs: readonly SegmentState[];
  gdtr: TableState;
  idtr: TableState;
  ldtr: TableState;
  tr: TableState;
  cr0: number;
  cr2: number;
  cr3: number;
  cr4: number;
  dr: readonly number[];
  cpl: number;
  halted: boolean;
  irqLine: boolean;
  /** Instruction count at which interrupts are still inhibited (STI / MOV SS shadow), or -1. */
  shadowAt: number;
  instructions: number;
}
