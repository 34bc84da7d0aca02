// The typed protocol between the UI and the engine worker: plain data types only (structured-clonable),
// so that the UI depends on no engine code. The worker implements `EngineApi`; the UI calls it through
// comlink (see client.ts) and hears back through one batched `onUpdate` callback (a comlink proxy):
// the screen (only when it changed, at most once per frame, cells as a transferable Uint16Array), new
// kernel log lines and the run status. Nothing is ever sent per instruction.

/** What the worker says about itself (the answer to `connect`, the UI's health check at start-up). */
export interface EngineInfo {
  name: 'faultline-engine';
  version: string;
}

/** Where the worker finds the site's static files (the bundled kernels and their sources). */
export interface EngineOptions {
  /** Absolute URL of the site root (the UI passes `document.baseURI`). */
  baseUrl: string;
}

/** One bundled sample kernel, as listed by public/kernels/manifest.json. */
export interface SampleKernel {
  name: string;
  title: string;
  description: string;
  /** Preloaded when the IDE opens. */
  isDefault: boolean;
  /** The user programs a test can run by name at the shell (may be empty if the manifest says none). */
  tests: string[];
}

/** What to boot: a bundled sample by name, or the bytes of a file the user picked or dropped. */
export type LoadRequest =
  | { kind: 'sample'; name: string }
  | { kind: 'file'; fileName: string; bytes: ArrayBuffer };

/** What was booted. */
export interface ImageSummary {
  name: string;
  sha256: string;
  kind: 'elf' | 'gzip-elf' | 'floppy' | 'multiboot-binary';
  sizeBytes: number;
  entry: number;
  /** User programs found in the image (exec2obj table of contents). */
  programs: string[];
  symbolCount: number;
  hasLineInfo: boolean;
}

/** Loading either boots the image or says, in words for the user, why it cannot. */
export type LoadResult = { ok: true; image: ImageSummary } | { ok: false; error: string };

/** The lifecycle of the guest inside the worker. */
export type RunState = 'empty' | 'running' | 'waiting' | 'paused' | 'stopped';

/** Why the guest stopped (or, for `waiting`, why it idles). */
export type StopReason =
  | 'pause' // the user paused
  | 'step' // a single step or step-over finished
  | 'target' // run-to reached its symbol or address
  | 'magic-break' // the guest executed MAGIC_BREAK
  | 'halted' // cli; hlt: the guest can never continue
  | 'sim-halt' // the guest asked the simulator to stop
  | 'exit' // the guest wrote to the exit port
  | 'reset' // the guest asked for a CPU reset (not performed)
  | 'triple-fault'
  | 'undefined-opcode' // #UD on an encoding the emulator does not implement
  | 'error'; // the emulator threw: a bug, reported with its message

export interface StopInfo {
  reason: StopReason;
  /** A sentence for the user, e.g. "MAGIC_BREAK at 0x00101234 <kernel_main+52>". */
  message: string;
  eip: number;
}

export interface EngineStatus {
  state: RunState;
  /** Retired instructions (virtual time). */
  instructions: number;
  /** Million instructions per second over the last measuring window, by the worker's clock. */
  mips: number;
  /** Wall time the worker has spent running this guest since it booted, in milliseconds. */
  runMs: number;
  /** Set when `state` is `paused` or `stopped`. */
  stop: StopInfo | null;
}

/** The VGA text screen: 80x25 cells (char | attribute << 8) and the hardware cursor. */
export interface ScreenFrame {
  columns: number;
  rows: number;
  cells: Uint16Array;
  cursor: { row: number; column: number; visible: boolean };
}

export interface LogLine {
  source: 'kernel' | 'user';
  text: string;
}

/** A batch of changes, pushed by the worker through the `onUpdate` proxy. Absent fields did not change. */
export interface EngineUpdate {
  /** A new guest began (a load or a reset): what belonged to the previous one is void. Comes first. */
  started?: ImageSummary;
  screen?: ScreenFrame;
  log?: LogLine[];
  status?: EngineStatus;
  /** Sent whenever the guest stops (pause, step, break...). */
  inspection?: Inspection;
}

export interface SegmentRegister {
  name: 'cs' | 'ds' | 'es' | 'fs' | 'gs' | 'ss';
  selector: number;
  base: number;
  limit: number;
}

export interface Registers {
  general: { name: 'eax' | 'ebx' | 'ecx' | 'edx' | 'esi' | 'edi' | 'ebp' | 'esp'; value: number }[];
  eip: number;
  eflags: number;
  segments: SegmentRegister[];
  control: { name: 'cr0' | 'cr2' | 'cr3' | 'cr4'; value: number }[];
  cpl: number;
}

export interface DisassemblyLine {
  address: number;
  bytes: string;
  text: string;
  /** `name+offset` when the address falls in a known function. */
  symbol: string | null;
}

export interface SourceLocation {
  file: string;
  line: number;
  /** Whether the worker knows this file's text (bundled sample sources or uploaded sources). */
  available: boolean;
}

export interface StackFrame {
  address: number;
  symbol: string | null;
  location: { file: string; line: number } | null;
  space: 'kernel' | 'user';
}

/** What the debugger panels show while the guest is stopped. */
export interface Inspection {
  registers: Registers;
  disassembly: DisassemblyLine[];
  /** Index into `disassembly` of the instruction at EIP. */
  currentLine: number;
  source: SourceLocation | null;
  stack: StackFrame[];
}

export interface MemoryRequest {
  space: 'linear' | 'physical';
  address: number;
  length: number;
}

/** A memory window; `readable[i]` is 0 where byte i is unmapped (linear) or outside RAM (physical). */
export interface MemoryDump {
  space: 'linear' | 'physical';
  address: number;
  bytes: Uint8Array;
  readable: Uint8Array;
}

/** An answer that is either a value or a message for the user. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/** The API the engine worker exposes. Every call is asynchronous across the worker boundary. */
export interface EngineApi {
  /** Once, before anything else: where static files live and where updates go (a comlink proxy). */
  connect(options: EngineOptions, onUpdate: (update: EngineUpdate) => void): EngineInfo;
  samples(): Promise<Outcome<SampleKernel[]>>;
  load(request: LoadRequest): Promise<LoadResult>;
  run(): void;
  pause(): void;
  stepInto(): void;
  stepOver(): void;
  /** `target` is a symbol name or a hexadecimal address. */
  runTo(target: string): Outcome<number>;
  reset(): Promise<LoadResult>;
  /** Scan code set 1 bytes, as the 8042 delivers them (make, break = make | 0x80, 0xE0 prefixes). */
  sendScanCodes(bytes: number[]): void;
  /** Printable ASCII, \n, \t and \b; anything else is refused with a message. */
  typeText(text: string): Outcome<number>;
  readMemory(request: MemoryRequest): Outcome<MemoryDump>;
  /** The text of a source file named by line info, or null when it is not known. */
  sourceText(file: string): Promise<string | null>;
  /** Sources the user dropped (a folder's files or a .zip): returns how many files were added. */
  addSources(files: { path: string; bytes: ArrayBuffer }[]): Outcome<number>;
}
