// What the engine worker needs from the emulator's Machine (src/emulator/index.ts, docs/emulator.md), as a
// structural interface: the session and inspector are written against it, the worker entry hands them a
// real Machine (the compiler checks that it fits), and unit tests can drive them with a small fake.

export type GuestStopReason =
  | 'limit' | 'halted' | 'idle' | 'magic-break' | 'sim-halt' | 'triple-fault' | 'exit' | 'reset' | 'watch' | 'stop-requested' | 'unsupported';

export interface GuestStop {
  reason: GuestStopReason;
  instructions: number;
  exitCode?: number;
  address?: number;
  /** 'unsupported': what the CPU could not do. */
  message?: string;
}

export interface GuestLocation {
  space: 'kernel' | 'user';
  name: string | null;
  offset: number;
  file: string | null;
  line: number | null;
}

export interface GuestCpuState {
  regs: number[];
  eip: number;
  eflags: number;
  segs: readonly { selector: number; base: number; limit: number }[];
  cr0: number;
  cr2: number;
  cr3: number;
  cr4: number;
  cpl: number;
}

export interface GuestMachine {
  readonly instructions: number;
  run(maxInstructions: number): GuestStop;
  screen(): { cells: Uint16Array; cursor: { row: number; col: number; visible: boolean } };
  screenChanged(): boolean;
  waitingForInput(): boolean;
  onLog: ((entry: { source: 'kernel' | 'user'; text: string; instructions: number }) => void) | null;
  keyboard: { typeText(text: string): void; sendScanCodes(bytes: number[]): void };
  scheduler: { nextDeadline(): number };
  cpu: {
    /** In HLT, waiting for an interrupt. */
    halted: boolean;
    execWatch: Set<number>;
    saveState(): GuestCpuState;
    disassemble(linear: number, count: number, syntax: 'att'): { address: number; bytes: number[]; text: string }[];
    lastUndefinedOpcode: { address: number; bytes: number[] } | null;
  };
  memory: { readonly size: number; readBytes(paddr: number, length: number): Uint8Array };
  readLinear(linear: number, length: number): Uint8Array | null;
  locate(address: number): GuestLocation;
  stackTrace(): (GuestLocation & { address: number })[];
  debug: {
    programNames(): string[];
    address(name: string): number | undefined;
    kernel: { symbols: { symbols: readonly unknown[] }; lines: { rows: readonly unknown[] } };
  };
}
