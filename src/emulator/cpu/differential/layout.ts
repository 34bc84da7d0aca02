// The fixed memory layout and data types shared by the native harness (native-harness.S), the emulator
// runner and the case generator. A case runs one instruction snippet placed at CODE_ADDR, with its
// memory operands and stack inside a MEM_SIZE-byte scratch buffer that straddles the boundary between
// the two scratch pages (so accesses near the middle of the buffer cross pages: split accesses, two page
// translations). The rest of both pages is a zeroed guard region (a stray write there is detected by
// both sides); nothing is mapped around the two pages (a wild access faults on both sides).
// The numbers here must match the .set lines at the top of native-harness.S.

export const CODE_ADDR = 0x0070_0000;
/** Longest snippet; the harness appends a 5-byte jump after it. */
export const CODE_MAX = 32;
export const SCRATCH_PAGE = 0x0080_0000;
export const PAGE_SIZE = 4096;
export const SCRATCH_PAGES = 2;
export const MEM_SIZE = 512;
export const SCRATCH_ADDR = SCRATCH_PAGE + PAGE_SIZE - MEM_SIZE / 2;
/** The parts of the scratch pages outside the buffer ([start, end) linear); they must stay zero. */
export const GUARD_REGIONS: readonly [number, number][] = [
  [SCRATCH_PAGE, SCRATCH_ADDR],
  [SCRATCH_ADDR + MEM_SIZE, SCRATCH_PAGE + SCRATCH_PAGES * PAGE_SIZE],
];

/** Register order everywhere: the ModRM encoding order. */
export const REG_NAMES = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] as const;
export const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;

/** Segment registers in Sreg encoding order (ES CS SS DS FS GS), and Linux's 32-bit user selectors. */
export const SEG_NAMES = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'] as const;
export const ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;
export const USER_CS = 0x23;
export const USER_DS = 0x2b;

export const FLAG = {
  CF: 1 << 0,
  PF: 1 << 2,
  AF: 1 << 4,
  ZF: 1 << 6,
  SF: 1 << 7,
  TF: 1 << 8,
  IF: 1 << 9,
  DF: 1 << 10,
  OF: 1 << 11,
} as const;
/** The six status flags. */
export const STATUS_FLAGS = FLAG.CF | FLAG.PF | FLAG.AF | FLAG.ZF | FLAG.SF | FLAG.OF;
/** EFLAGS bit 1 always reads as 1. */
export const EFLAGS_FIXED = 0x2;

/** Architectural state before or after a snippet (user-visible part). */
export interface CpuSnapshot {
  /** eax, ecx, edx, ebx, esp, ebp, esi, edi as unsigned 32-bit values. */
  regs: Uint32Array;
  eflags: number;
  /** Segment selectors, ES CS SS DS FS GS. */
  segs: Uint16Array;
  /** The scratch buffer, MEM_SIZE bytes from SCRATCH_ADDR. */
  mem: Uint8Array;
}

/** One generated test case. */
export interface TestCase {
  form: string;
  /** Position in the generated stream (with the seed, enough to regenerate the case). */
  index: number;
  code: Uint8Array;
  init: CpuSnapshot;
  /** EFLAGS bits the SDM leaves undefined for this instruction and these operands. */
  undefinedFlags: number;
  /** Per register, the bits whose final value the SDM leaves undefined (e.g. all of BSF's dest when src = 0). */
  undefinedRegBits: Uint32Array;
  /** Offsets in the scratch buffer whose final bytes the SDM leaves undefined (e.g. PUSH Sreg's upper half). */
  undefinedMem: number[];
}

/** How a run of one case ended, on either side. */
export interface CaseOutcome {
  /** 'ok' = reached the end of the snippet; otherwise what stopped it (signal name or guest exception). */
  status: string;
  final: CpuSnapshot;
  /** A write landed in the guard region below the scratch buffer. */
  strayWrite: boolean;
}
