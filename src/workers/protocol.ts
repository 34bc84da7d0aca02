// The typed protocol between the UI and the engine worker: plain data types only (structured-clonable),
// so that the UI depends on no engine code. The worker implements `EngineApi`; the UI calls it through
// comlink (see client.ts) and hears back through one batched `onUpdate` callback (a comlink proxy):
// the screen (only when it changed, at most once per frame, cells as a transferable Uint16Array), new
// kernel log lines and the run status. Nothing is ever sent per instruction. Exploration (issue 6) runs on
// a second machine booted from the same image; its events mirror the explorer's event stream
// (src/explorer/events.ts; the worker's compiler checks that they fit) and travel in the same batches.

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
  /** Exploration events since the last update, in order. */
  exploration?: ExplorationEvent[];
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

// ---------------------------------------------------------------- exploration

/** How to explore the loaded kernel: the test typed at its shell and the search's settings. */
export interface ExploreRequest {
  test: string;
  /** 'dpor' (default): partial-order reduction; 'dfs': every interleaving. */
  mode?: 'dpor' | 'dfs';
  /** Maximum preemptions per branch; null or absent: unbounded. */
  preemptionBound?: number | null;
  maxBranches?: number | null;
  timeLimitSeconds?: number | null;
  /** within_function / without_function rules for preemption points, in order (later rules win). */
  rules?: { kind: 'within' | 'without'; name: string }[];
  /** Keyboard input for the test (default: the sample manifest's input for it, if any). */
  input?: string;
  /**
   * The kernel's explorer configuration as JSON text, the shape of `faultline explore --config FILE`
   * (`symbols`, `config`, `testInput`; docs/explorer.md), laid over the sample manifest's entry if any.
   */
  config?: string;
  /** Probe small searches first (bound 0, then one preemption-point site at a time), to find bugs fast. */
  iterativeDeepening?: boolean;
  /** Data-race preemption points: kernel instructions as 0xHEX or FUNCTION+0xOFFSET (as race reports name them). */
  dataRacePoints?: string[];
  /**
   * The kinds of exploration events to post (absent: every kind). The worker drops the others: nodes and
   * transitions come by the thousand per second, and copying them to the page slowed the exploration by a
   * third, so a view asks for them only when it shows them.
   */
  events?: ExplorationEventKind[];
}

export type ExplorationThreadId = number;
export type ExplorationNodeStatus = 'point' | 'done' | 'bug' | 'sleep-blocked' | 'bound';
export type ExplorationState = 'idle' | 'running' | 'paused' | 'finished' | 'stopped' | 'error';

export interface ExplorationProgress {
  branches: number;
  estimatedBranches: number;
  /** 0..100. */
  percent: number;
  elapsedSeconds: number;
  etaSeconds: number;
  nodes: number;
  bugs: number;
  races: number;
  complete: boolean;
}

export interface ExplorationBug {
  /** One of the bug classes of the kernel manifest: panic, assert, deadlock, use-after-free... */
  class: string;
  message: string;
  tid: ExplorationThreadId | null;
  thread: string | null;
  location: string | null;
  /** Stack traces, the allocation and free sites of a chunk... one line each. */
  details: string[];
  /** The schedule that reproduces it. */
  schedule: string;
  branch: number;
  node: number;
  occurrences: number;
}

export interface ExplorationRaceAccess {
  tid: ExplorationThreadId;
  eip: number;
  write: boolean;
  locks: number[];
  node: number;
}

export interface ExplorationRace {
  addr: number;
  first: ExplorationRaceAccess;
  second: ExplorationRaceAccess;
  confirmed: boolean;
  count: number;
}

/** The explorer's events (src/explorer/events.ts documents each). */
export type ExplorationEvent =
  | { kind: 'node'; id: number; parent: number; tid: ExplorationThreadId; depth: number; reason: string; location: string;
      current: ExplorationThreadId; runnable: ExplorationThreadId[]; status: ExplorationNodeStatus }
  | { kind: 'node-status'; id: number; status: ExplorationNodeStatus; todo: ExplorationThreadId[]; done: ExplorationThreadId[]; sleep: ExplorationThreadId[] }
  | { kind: 'transition'; node: number; tid: ExplorationThreadId; instructions: number; reads: number[]; writes: number[];
      conflicts: { node: number; words: number[] }[] }
  | { kind: 'progress'; progress: ExplorationProgress }
  | { kind: 'bug'; bug: ExplorationBug }
  | { kind: 'race'; race: ExplorationRace }
  | { kind: 'state'; state: ExplorationState; message?: string }
  | { kind: 'position'; node: number; tid: ExplorationThreadId | null; offset: number; current: ExplorationThreadId; location: string;
      stack: string[]; schedule: string };

export type ExplorationEventKind = ExplorationEvent['kind'];

/** Commands to the running exploration. */
export type ExplorationCommand =
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'stop' }
  /** Explore the subtree below `node` reached by running `tid` there. */
  | { kind: 'branch'; node: number; tid: ExplorationThreadId }
  /** Put the exploration's machine in the state of tree node `node`. */
  | { kind: 'goto'; node: number }
  | { kind: 'step'; unit: 'point' | 'instruction'; direction: 'forward' | 'backward'; count?: number };

/** The exploration's reports, as `faultline explore --json/--html` writes them. */
export interface ExplorationReports {
  /** The JSON report (issue 6's shape), pretty-printed. */
  json: string;
  /** The standalone HTML report. */
  html: string;
}

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
  /**
   * Boots the loaded image on a second machine, runs the test to its first preemption point and starts
   * exploring (events arrive in updates). Replaces an exploration already under way.
   */
  /** Starts an exploration; `limitations` says what it cannot see on this kernel (functions missing by name). */
  explore(request: ExploreRequest): Promise<Outcome<{ test: string; limitations: string[] }>>;
  exploreCommand(command: ExplorationCommand): Outcome<ExplorationState>;
  /** The reports of the exploration so far (the HTML one replays each bug's schedule). */
  explorationReports(): Outcome<ExplorationReports>;
}
