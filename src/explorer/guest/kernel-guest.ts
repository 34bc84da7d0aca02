// The Guest on our emulator: a Pebbles kernel image running one test (landslide.md §1, §3, §4, §5).
// The only module that imports the emulator. It
// - finds the tell_landslide_* annotations, panic, the allocator and the fault paths by symbol and
//   stops at their entry (exec watches), reading arguments from the stack (0(%esp) is the return
//   address, 4(%esp) the first argument); annotated, the handlers run inside the CPU's run loop, which
//   stops only when one has an outcome;
// - keeps the ThreadModel from the annotations and starts the test as Landslide does: boot, wait for
//   the shell to block on input, type the test name and Enter, and take the first preemption point
//   after the test's first new thread appears (the root, snapshotted); the test ends when the shell
//   calls readline again (int $0x4D from user mode: the Pebbles ABI, so no kernel symbol is needed);
// - takes preemption points at voluntary switches (thread_switch not caused by the explorer),
//   tell_landslide_preempt, mutex_lock entry and mutex_unlock exit, filtered by within/without rules,
//   never inside mutex_unlock or while a forced switch is in flight; a point where the stepped thread is
//   current and the only one that can run offers no choice, so (annotated) the step runs on through it;
//   and a thread switched away at a point a watch took in its own code does not stop there again when it
//   resumes (same instruction, same stack pointer: the choice was made there already);
// - forces a switch by injecting IRQ0 in the Machine's explorer timer mode, again until the wanted
//   thread runs (bounded, then a clear error); the PIT never interrupts on its own there, and when the
//   kernel idles with sleepers the adapter injects the ticks that wake them;
// - records per transition the kernel heap ([_end, 16 MB)), .data and .bss accesses with the lockset,
//   ignoring scheduler functions and symbols, the allocator, and the running thread's own kernel stack
//   (an access to another thread's stack is recorded as such; while the own stack lies in a live chunk
//   the CPU does not even report it); and checks heap accesses and frees.
// - checks the test program's own heap too (its malloc/free and arena, in its first address space).
// - holds back the test's typed input (KernelGuestOptions.input) and makes its arrival a choice, as
//   Landslide does for the timer: at a preemption point with interrupts enabled and input held, the
//   keyboard pseudo-thread KEYBOARD_TID is runnable; choosing it delivers the next scan code byte's
//   IRQ 1 at once (the handler runs, the transition ends at the next point, normally the same one when
//   the handler returns). When the kernel idles with nothing runnable or asleep, that is a point
//   ('input') where only the keyboard runs, so the search's default delivers the key there (waiting for
//   input is not a deadlock) and DPOR sees every delivery as a keyboard transition. The test name
//   itself is typed as usual, before the exploration starts.
// - without tell_landslide_thread_switch (an unannotated kernel, mode 'inferred'), follows the threads
//   through InferredThreads (inferred-threads.ts: a thread is its kernel stack, ESP0 in the TSS found
//   through TR; the runnable set is probed with timer ticks) and takes preemption points at voluntary
//   switches (an ESP0 store outside a timer tick), system call entry from user mode (isPebblesSyscall),
//   mutex_lock entry and mutex_unlock exit by symbol, and hlt once injected ticks wake nobody.
// - probes lazily there: a point where the stepped thread is still current (one the explorer may leave
//   out by site) is a LazyPoint, probed when its runnable set is first read or the guest saves, and
//   never once the guest moved on (that read throws); whether the current thread is runnable is known
//   without a probe (Point.currentRunnable). Other points are probed at once. A probe also numbers the
//   threads it meets first, so leaving one out may number threads later or in another order. So the
//   guest keeps a journal, the last checkpoint it took or restored and the steps since, and when the
//   numbering changes (InferredThreads.identityChanges) after it left a point unprobed, it runs the
//   journal again from the checkpoint with every point probed, which gives what probing every point
//   gives (a bug or stuck point, which reports the last probe's runnable set, too). A probed point that
//   changed nothing settles the points left out before it, assuming (as the probe does) that a runnable
//   thread stays runnable until it runs, so a thread a left-out probe would have met is met by that
//   probe or by a switch to it. Checkpoints are taken at probed points only (save probes first);
//   stepping by instruction, which a journal cannot replay, probes every point until a restore. A
//   checkpoint at a probed point takes its machine state from the probe's snapshot.
// - takes data-race preemption points (Landslide's DR PPs, setDataRacePoints) just before the
//   instructions at the given code addresses, once the test started and with interrupts enabled (only
//   there can a timer interrupt preempt), in the test's address space for user addresses.
// - leaves a thread spinning in a yield loop out of the runnable set it offers (yield-loops.ts).
// Limits (documented in docs/explorer.md): user-level preemption points come only from the kernel
// (system call entry: tell_landslide_preempt, or the int itself when unannotated); of the device
// interrupts only the keyboard's (for the held-back input) is a choice; the PP at a voluntary switch is
// taken at the thread_switch annotation or ESP0 store (interrupts off), so a forced switch away from the
// new thread lands when it next enables interrupts.

import {
  isPebblesSyscall, Machine, runWithInput, SYSCALL_GETTID, SYSCALL_READLINE, textToScanCodes, type LogEntry, type MachineSnapshot, type MachineStop,
} from '../../emulator/index.ts';
import { bug, type Bug } from '../detectors/bug.ts';
import { mutexCycleBug } from '../detectors/deadlock.ts';
import { HeapTracker, type Site } from '../detectors/heap.ts';
import { panicBug } from '../detectors/panic.ts';
import { ThreadModel, AnnotationError } from '../model/thread-model.ts';
import { AccessRecorder, type ThreadId, type TransitionSummary } from '../model/transition.ts';
import { InferredThreads, type ThreadView } from './inferred-threads.ts';
import type { Guest, Point, Step } from '../search/guest.ts';
import { KEYBOARD_TID } from '../search/schedule.ts';
import { AddressSet } from './address-set.ts';
import { LazyPoint, type PointThreads } from './lazy-point.ts';
import { allowedByRules, type FunctionRule } from './preemption-rules.ts';
import { YieldLoops } from './yield-loops.ts';

export interface KernelSymbols {
  panic: string;
  malloc: string;
  mallocGen: string;
  free: string;
  mutexLock: string;
  mutexUnlock: string;
  pageFaultWrapper: string;
  threadKilled: string;
  initTss: string;
  /** The test program's allocator (user space) and its arena, for user-heap checks. */
  userMalloc: string;
  userFree: string;
  userArena: string;
  /** The 410 test library's report_end(int): END_FAIL (1) means the test failed. */
  userReportEnd: string;
}

export interface KernelGuestOptions {
  /** The test program to type into the shell. */
  test: string;
  /** Extra keyboard input typed with the test name (e.g. "hello\n" for readline_test). */
  input?: string;
  symbols?: Partial<KernelSymbols>;
  idleTid?: number;
  initTid?: number;
  shellTid?: number;
  startingThreads?: { tid: ThreadId; onRq: boolean }[];
  currentThreadLivesOnRq?: boolean;
  /** within_function / without_function rules, in order (later rules win). */
  rules?: FunctionRule[];
  /** Functions whose memory accesses are ignored (Landslide's sched_func); names or name prefixes ending in '*'. */
  schedFunctions?: string[];
  /** Globals whose accesses are ignored (Landslide's ignore_sym). */
  ignoreSymbols?: string[];
  /** Functions allowed to fault in kernel mode (user-copy code). */
  userCopyFunctions?: string[];
  kernelStackSize?: number;
  /** The allocator rounds sizes up to this many bytes. */
  heapGrain?: number;
  /** End of the kernel heap (it starts at _end); default 16 MB - 4 KB as in the sample kernels. */
  heapEnd?: number;
  /**
   * Exploration starts at the first preemption point after this many threads appeared since the test
   * name was typed: 2 = the test's process and its first own thread (default); 1 = the test's process.
   */
  startThreads?: number;
  /** Instructions allowed for booting to the prompt and for the test to start. */
  bootInstructions?: number;
  /** Unannotated kernels: timer ticks injected while the kernel idles before that counts as a deadlock (sleepers may wake). */
  idleTicks?: number;
}

const DEFAULT_SYMBOLS: KernelSymbols = {
  panic: 'panic', malloc: 'lmm_alloc', mallocGen: 'lmm_alloc_gen', free: 'lmm_free', mutexLock: 'mutex_lock',
  mutexUnlock: 'mutex_unlock', pageFaultWrapper: 'page_fault_wrapper', threadKilled: 'thread_killed',
  initTss: 'init_tss', userMalloc: 'malloc', userFree: 'free', userArena: 'arena', userReportEnd: 'report_end',
};

const DEFAULT_SCHED = ['context_switch', 'swap_stacks', 'switch_to_next', 'requeue_current', 'finish_switch', 'sched_*', 'tq_*', 'timer_*', 'hlt', 'idle_main'];
const DEFAULT_IGNORED = ['runq', 'sleepers', 'current', 'switch_prev', 'idle_thread', 'ticks', 'next_tid', 'boot_tcb'];
const USER_MEM_START = 0x1000000;
const SLICE = 200_000;
/** Entries of the cache of kernel instructions' atomicity (a power of two). */
const ATOMIC_CACHE_SIZE = 4096;
/** Legacy prefixes other than LOCK: operand and address size, segment overrides, REP/REPNE. */
const INSTRUCTION_PREFIXES = new Set([0x66, 0x67, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0xf2, 0xf3]);
const THREAD_KILLED_PAGE_FAULT = 0x15410;
const TIMER_VECTOR = 0x20;
const PAGE_FAULT_VECTOR = 14;
/** report_end's argument for a failed test (410 libtest; landslide.md §3, user-space symbols, and §5). */
const END_FAIL = 1;
/** Instructions a probe's timer tick may take to switch threads. */
const PROBE_TICK_BUDGET = 2_000_000;
const DEFAULT_IDLE_TICKS = 1000;

const ANNOTATIONS = [
  'thread_switch', 'sched_init_done', 'forking', 'vanishing', 'sleeping', 'thread_on_rq', 'thread_off_rq', 'mutex_locking',
  'mutex_blocking', 'mutex_locking_done', 'mutex_unlocking', 'mutex_unlocking_done', 'mutex_trylocking', 'mutex_trylocking_done', 'preempt',
] as const;

/**
 * The exit status the shell printed last on `screen` when the test ended, or null: the 15-410 shell's
 * "process PID finished with exit status N", or the sample kernels' shell's "[NAME exited with status N]".
 */
export function shellExitStatus(screen: string): number | null {
  let status: number | null = null;
  for (const m of screen.matchAll(/process \d+ finished with exit status (-?\d+)|\[\S+ exited with status (-?\d+)\]/g)) status = Number(m[1] ?? m[2]);
  return status;
}

/**
 * The checks lost to kernel functions missing by name (`has`), and to scheduler functions none of which
 * matched (`schedFound`): see KernelGuest.limitations.
 */
function limitationsOf(sym: KernelSymbols, has: (name: string) => boolean, schedFound: boolean): string[] {
  const missing = (...keys: (keyof KernelSymbols)[]) => keys.filter((k) => !has(sym[k]));
  const names = (keys: (keyof KernelSymbols)[]) => keys.map((k) => `'${sym[k]}' (symbols.${k})`).join(' and ');
  const out: string[] = [];
  const lost = (keys: (keyof KernelSymbols)[], what: string) => {
    if (keys.length) out.push(`no kernel function ${names(keys)}: ${what}`);
  };
  lost(missing('panic'), 'kernel panics and failed asserts go unseen');
  lost(missing('malloc', 'free'), 'the kernel heap is not checked (use-after-free, double free)');
  lost(missing('mutexLock', 'mutexUnlock'), 'no preemption points at kernel mutexes, and no locksets for data races');
  lost(missing('pageFaultWrapper'), 'kernel page faults on user addresses go unseen (those on kernel addresses are found)');
  lost(missing('threadKilled'), 'threads the kernel kills for a fault are not reported');
  if (!schedFound) {
    out.push('no scheduler function matches config.schedFunctions: the scheduler\'s own accesses count as shared memory '
      + '(more interleavings to explore, and data races on its globals)');
  }
  return out;
}

/** A kernel the explorer cannot work with (missing symbols, unknown test, boot failure). */
export class KernelGuestError extends Error {
  override name = 'KernelGuestError';
}

interface AdapterState {
  started: boolean;
  forcing: ThreadId | null;
  retries: number;
  timerDelivered: boolean;
  stacks: [ThreadId, number][];
  pendingHeapCall: { kind: 'alloc' | 'free'; ret: number; esp: number; size: number; block: number; tid: ThreadId; site: Site } | null;
  /** Threads known when the test name was typed (null while booting). */
  knownAtTyping: ThreadId[] | null;
  /** The test's address space (CR3; -1 once it is gone), the only one whose heap is tracked. */
  testCr3: number | null;
  pendingUserCall: { kind: 'alloc' | 'free'; ret: number; esp: number; size: number; tid: ThreadId; site: Site } | null;
  /** Threads created since then: the test's process, then the test's own threads. */
  newThreads: ThreadId[];
  /** Scan code bytes of the test's input not yet delivered (the explorer chooses when). */
  heldKeys: number[];
  /** Unannotated: an injected timer tick is being handled (a switch now is involuntary). */
  tickInFlight: boolean;
  /** Unannotated: ticks injected since the kernel started idling with nobody to wake. */
  idleTicks: number;
  /** Unannotated: the run stopped at a system call's entry from user mode. */
  syscallEntry: boolean;
  /** The run stopped where the shell called readline again after the test started: the test ended. */
  testEnded: boolean;
  /**
   * Threads switched away from at a preemption point, with its address and stack pointer, in the order
   * parked: where each resumes, and the same point would come again with nothing done in between (see
   * `resumesParked`).
   */
  parked: readonly Parking[];
  /** Where the current thread stands at the last point, when a watch took it there (see `WATCHED_POINTS`). */
  here: Parking | null;
}

/** A thread, and the instruction and stack pointer it stands at (to come back to them). */
type Parking = readonly [ThreadId, number, number];

/**
 * Points an exec watch takes before one of the current thread's own instructions: a thread switched away
 * there resumes before the same instruction, and the watch fires again. Not so at a voluntary switch (the
 * CPU is still on the previous thread's way out), at hlt or input (the idle loop), or at an unannotated
 * kernel's system call entry (taken once, as the interrupt is delivered).
 */
const WATCHED_POINTS: ReadonlySet<string> = new Set(['mutex_lock', 'mutex_unlock', 'preempt', 'data-race']);

/** A copy of the adapter state for a checkpoint: objects in it are replaced, never changed in place; arrays are copied. */
function copyState(s: AdapterState): AdapterState {
  return { ...s, stacks: s.stacks.slice(), knownAtTyping: s.knownAtTyping?.slice() ?? null, newThreads: s.newThreads.slice(), heldKeys: s.heldKeys.slice(),
    parked: s.parked.slice() };
}

interface Checkpoint {
  machine: MachineSnapshot;
  model: unknown;
  heap: unknown;
  userHeap: unknown;
  yieldLoops: unknown;
  state: AdapterState;
}

/**
 * Unannotated: the last checkpoint the guest took or restored, the steps since, and the thread model's
 * identity changes (InferredThreads.identityChanges) when it first left a point unprobed since it last
 * stood at a probed point (null: it did not).
 */
interface Journal {
  checkpoint: Checkpoint;
  steps: { tid: ThreadId; budget: number }[];
  unprobedAt: number | null;
}

type Outcome = { kind: 'point'; reason: string } | { kind: 'bug'; bug: Bug } | { kind: 'done' } | null;

interface Range { start: number; end: number }

export class KernelGuest implements Guest<Checkpoint> {
  private readonly m: Machine;
  /** Measured on the sample kernel: a snapshot costs about as much as re-running one or two transitions, so every 4 levels. */
  readonly checkpointInterval: number;
  private readonly sym: KernelSymbols;
  private readonly handlers = new Map<number, () => Outcome>();
  private readonly staticWatches = new Set<number>();
  /** Data-race preemption points in force (setDataRacePoints), and the list they came from. */
  private dataRacePoints = new Set<number>();
  private dataRacePointList: readonly number[] = [];
  private readonly annotationAddresses = new Set<number>();
  private readonly model: ThreadModel;
  /** The threads without annotations (null for an annotated kernel). */
  private readonly inferred: InferredThreads | null;
  /** What the adapter reads of the threads: the annotated model or the inferred one. */
  private readonly threads: ThreadView;
  /** Unannotated: the TSS's ESP0 word, and the instructions right after the stores to it. */
  private esp0Address = 0;
  private readonly switchWatches = new Set<number>();
  private timerIret: number | null = null;
  private readonly heap: HeapTracker;
  /** The test program's heap (its malloc arena), or null when the program has none we know. */
  private readonly userHeap: HeapTracker | null;
  private readonly recorder = new AccessRecorder((eip) => this.atomicAt(eip));
  private readonly yieldLoops = new YieldLoops();
  /** The instruction of the memory access being checked, and its description on demand (one closure, not one per access). */
  private accessEip = 0;
  private readonly accessSite = (): string => this.locate(this.accessEip);
  /**
   * The running thread's own kernel stack as far as a live heap chunk holds it ([start, end), empty when
   * unknown): the observer would ignore every access there (heap check passed, own stack), so it returns
   * at once and the CPU keeps its whole pages off the observed path (syncOwnStack).
   */
  private ownStack: Range = { start: 0, end: 0 };
  private readonly tracked: Range[];
  private readonly ignoredCode: Range[];
  private readonly ignoredData: Range[];
  private readonly userCopy: Range[];
  private readonly stackSize: number;
  private s: AdapterState = { started: false, forcing: null, retries: 0, timerDelivered: false, stacks: [], pendingHeapCall: null, knownAtTyping: null, newThreads: [], testCr3: null, pendingUserCall: null, heldKeys: [], tickInFlight: false, idleTicks: 0, syscallEntry: false, testEnded: false, parked: [], here: null };
  private root: Checkpoint | null = null;
  /**
   * Unannotated, lazy probing (see the file header): the point the guest stands at while its runnable set
   * is not probed (with the live threads and whether the keyboard can run there); the journal (null while
   * navigation steps by instruction: points are then probed at once); whether every point is probed at
   * once (the journal runs again); whether a step is running (a probe then leaves settling to its end).
   */
  private unprobed: { point: LazyPoint; live: readonly ThreadId[]; keyboard: boolean } | null = null;
  /** Unannotated: the snapshot the last probe restored, while the machine has not run since (a checkpoint here reuses it). */
  private probedMachine: MachineSnapshot | null = null;
  private journal: Journal | null = null;
  private eagerProbes = false;
  private stepping = false;
  /** Counts the guest's moves (start, step, restore, stepping by instruction): a final point's lazy hash is valid until the next. */
  private moves = 0;
  private rootPoint: Point | null = null;
  private pendingBug: Bug | null = null;
  /**
   * A watched address the CPU stands on after a restore. Run straight, the CPU executes the instruction
   * at a watch it just stopped at; a restored CPU would stop there again. So the first run after a
   * restore executes one step with that watch removed, which makes restored and straight runs identical.
   */
  private skipWatchAt: number | null = null;
  /** The thread runToChoice runs on through points without a choice (null outside it). */
  private runningOn: ThreadId | null = null;
  /** The outcome of the watch handler that stopped the run (watchInRun). */
  private watchOutcome: Outcome = null;
  /**
   * Unannotated: a probe is running (probeRunnable), the ESP0 it saw last and whether its tick reached
   * the CPU: the observers then note only that delivery.
   */
  private probing = false;
  private probeEsp0 = 0;
  private probeDelivered = false;

  /** The test's input as scan code bytes, held back from the machine. */
  private readonly input: number[];

  /** Boots `image` (throws KernelGuestError with a clear message when it cannot explore it). */
  constructor(image: Uint8Array, private readonly options: KernelGuestOptions) {
    try {
      this.input = textToScanCodes(options.input ?? '');
    } catch (e) {
      throw new KernelGuestError(`cannot type the test input ${JSON.stringify(options.input)}: ${(e as Error).message}`);
    }
    this.m = Machine.boot(image);
    const debug = this.m.debug;
    this.sym = { ...DEFAULT_SYMBOLS, ...options.symbols };
    const programs = debug.programNames();
    if (!programs.includes(options.test)) {
      throw new KernelGuestError(`the kernel has no test program '${options.test}' (its programs: ${programs.join(', ') || 'none'})`);
    }
    const addr = (name: string) => debug.address(name, null);
    this.inferred = addr('tell_landslide_thread_switch') === undefined ? new InferredThreads() : null;
    // Unannotated, every point costs a probe, re-executed too: thr_exit_join explores 150 branches in
    // 2.65 s with checkpoints every 4 points, 5.17 s every 16 (the same tree).
    this.checkpointInterval = 4;
    const fn = (name: string): Range | null => {
      const f = debug.kernel.symbols.functions().find((s) => s.name === name);
      return f ? { start: f.address, end: f.address + Math.max(1, f.size) } : null;
    };
    const matching = (patterns: readonly string[]): Range[] => debug.kernel.symbols.functions()
      .filter((f) => patterns.some((p) => (p.endsWith('*') ? f.name.startsWith(p.slice(0, -1)) : f.name === p)))
      .map((f) => ({ start: f.address, end: f.address + Math.max(1, f.size) }));
    this.ignoredCode = matching(options.schedFunctions ?? DEFAULT_SCHED);
    this.userCopy = matching(options.userCopyFunctions ?? []);
    this.ignoredData = (options.ignoreSymbols ?? DEFAULT_IGNORED).flatMap((n) => {
      const s = debug.kernel.symbols.symbols.find((x) => x.name === n);
      return s ? [{ start: s.address, end: s.address + Math.max(4, s.size) }] : [];
    });
    const syms = debug.kernel.symbols;
    const heapStart = syms.end ?? addr('_end');
    if (heapStart === undefined) throw new KernelGuestError('the kernel has no _end symbol, so its heap cannot be located');
    const heapEnd = options.heapEnd ?? USER_MEM_START - 0x1000;
    this.tracked = [{ start: heapStart, end: heapEnd }];
    if (syms.data) this.tracked.push(syms.data);
    if (syms.bss) this.tracked.push(syms.bss);
    this.heap = new HeapTracker({ start: heapStart, end: heapEnd });
    this.stackSize = options.kernelStackSize ?? 8192;
    this.model = new ThreadModel({
      startingThreads: options.startingThreads ?? [{ tid: options.idleTid ?? 1, onRq: false }, { tid: options.initTid ?? 2, onRq: true }],
      currentThreadLivesOnRq: options.currentThreadLivesOnRq ?? true,
      idleTid: options.idleTid ?? 1,
    });
    this.threads = this.inferred ?? this.model;
    for (const a of ANNOTATIONS) {
      const at = addr(`tell_landslide_${a}`);
      if (at !== undefined) {
        this.watch(at, () => this.annotation(a));
        this.annotationAddresses.add(at);
      }
    }
    const on = (name: string, h: () => Outcome) => {
      const at = addr(name);
      if (at !== undefined) this.watch(at, h);
    };
    this.limitations = limitationsOf(this.sym, (name) => addr(name) !== undefined, this.ignoredCode.length > 0);
    on(this.sym.panic, () => this.onPanic());
    const program = debug.program(options.test);
    const arena = program?.symbols.symbols.find((x) => x.name === this.sym.userArena);
    const userMalloc = debug.address(this.sym.userMalloc, options.test);
    const userFree = debug.address(this.sym.userFree, options.test);
    if (arena && arena.address >= USER_MEM_START && userMalloc !== undefined && userFree !== undefined) {
      this.userHeap = new HeapTracker({ start: arena.address, end: arena.address + arena.size });
      this.watch(userMalloc, () => this.enterUserAllocator('alloc'));
      this.watch(userFree, () => this.enterUserAllocator('free'));
    } else {
      this.userHeap = null;
    }
    // The test program's own panic and report_end(END_FAIL), in any of the test's threads (the kernel need
    // not register its processes with the simulator for these).
    const userPanic = debug.address(this.sym.panic, options.test);
    if (userPanic !== undefined && userPanic >= USER_MEM_START) this.watch(userPanic, () => (this.inTestThread() ? this.onPanic() : null));
    const reportEnd = debug.address(this.sym.userReportEnd, options.test);
    if (reportEnd !== undefined && reportEnd >= USER_MEM_START) {
      this.watch(reportEnd, () => (this.inTestThread() && this.arg(1) === END_FAIL ? this.onReportedFailure() : null));
    }
    on(this.sym.malloc, () => this.enterAllocator('alloc'));
    on(this.sym.mallocGen, () => this.enterAllocator('alloc'));
    on(this.sym.free, () => {
      this.inferred?.stackFreed(this.arg(2), this.arg(2) + this.arg(3));
      return this.enterAllocator('free');
    });
    on(this.sym.mutexLock, () => {
      this.inferred?.entered('lock', this.arg(1), this.m.cpu.esp >>> 0);
      return this.preemptionPoint('mutex_lock');
    });
    on(this.sym.pageFaultWrapper, () => this.onPageFault());
    on(this.sym.threadKilled, () => this.onThreadKilled());
    const unlock = fn(this.sym.mutexUnlock);
    const lock = fn(this.sym.mutexLock);
    const inferred = this.inferred;
    if (unlock && inferred) {
      this.watch(unlock.start, () => {
        inferred.entered('unlock', this.arg(1), this.m.cpu.esp >>> 0);
        return null;
      });
    }
    if (lock && inferred) for (const ret of this.returns(lock)) this.watch(ret, () => { inferred.returning('lock', this.m.cpu.esp >>> 0); return null; });
    if (unlock) {
      for (const ret of this.returns(unlock)) {
        this.watch(ret, () => {
          inferred?.returning('unlock', this.m.cpu.esp >>> 0);
          return this.preemptionPoint('mutex_unlock');
        });
      }
    }
    this.m.interruptObserver = {
      onInterrupt: (vector, _code, kind, eip) => {
        const tick = vector === TIMER_VECTOR && kind === 'hardware';
        if (this.probing) {
          if (tick) this.probeDelivered = true;
          return;
        }
        if (tick) {
          this.s.timerDelivered = true;
          this.s.tickInFlight = true;
        }
        if (kind === 'software' && vector === SYSCALL_READLINE && eip >= USER_MEM_START) this.onReadline();
        if (kind === 'exception' && vector === PAGE_FAULT_VECTOR) this.onPageFaultDelivered(eip);
        if (this.inferred && kind === 'software' && isPebblesSyscall(vector) && eip >= USER_MEM_START && this.s.knownAtTyping) {
          if (vector === SYSCALL_GETTID) this.inferred.gettidEntered();
          this.s.tickInFlight = false; // back in user mode, so any tick was handled (even if its iret was not found)
          this.s.syscallEntry = true;
          this.m.requestStop();
        }
      },
    };
    this.syncWatches();
  }

  private watch(address: number, handler: () => Outcome): void {
    this.handlers.set(address, handler);
    this.staticWatches.add(address);
  }

  /** Whether the CPU stops at `address` whenever it gets there (not only while a call is pending). */
  private watched(address: number): boolean {
    return this.staticWatches.has(address) || this.dataRacePoints.has(address);
  }

  private syncWatches(): void {
    const w = this.m.cpu.execWatch;
    w.clear();
    for (const a of this.staticWatches) w.add(a);
    for (const a of this.dataRacePoints) w.add(a);
    if (this.s.pendingHeapCall) w.add(this.s.pendingHeapCall.ret);
    if (this.s.pendingUserCall) w.add(this.s.pendingUserCall.ret);
  }

  /** Which thread model the adapter follows: the kernel's annotations, or threads inferred without them. */
  /**
   * What the explorer cannot see on this kernel because a function it looks for by name is missing (a
   * sentence each naming the `symbols` key that would fix it), or no scheduler function matched; empty
   * when everything was found.
   */
  readonly limitations: readonly string[];

  get mode(): 'annotated' | 'inferred' {
    return this.inferred ? 'inferred' : 'annotated';
  }

  /** Addresses of the `ret` instructions in a function. */
  private returns(f: Range): number[] {
    const out: number[] = [];
    let a = f.start;
    while (a < f.end) {
      const [insn] = this.m.cpu.disassemble(a, 1, 'att');
      if (!insn || insn.bytes.length === 0) break;
      if (/^ret/.test(insn.text)) out.push(a);
      a += insn.bytes.length;
    }
    return out;
  }

  // ------------------------------------------------------------------ guest memory

  private word(addr: number): number {
    return this.m.readLinear32(addr) ?? 0;
  }

  /** Argument k (1-based) at a function's entry. */
  private arg(k: number): number {
    return this.word((this.m.cpu.esp + 4 * k) >>> 0);
  }

  private eip(): number {
    return this.m.cpu.eip >>> 0;
  }

  /**
   * A kernel code address written as 0xHEX, FUNCTION or FUNCTION+0xOFFSET (as race reports and `locate`
   * name instructions), or null when the text is neither or names no kernel symbol.
   */
  codeAddress(text: string): number | null {
    const m = /^(?:0x([0-9a-f]+)|([A-Za-z_.$][\w.$]*)(?:\+0x([0-9a-f]+))?)$/i.exec(text.trim());
    if (!m) return null;
    if (m[1] !== undefined) return parseInt(m[1], 16);
    const base = this.m.debug.address(m[2], null);
    return base === undefined ? null : base + parseInt(m[3] ?? '0', 16);
  }

  locate(address: number): string {
    const a = address >>> 0;
    const kernel = a < USER_MEM_START;
    const known = kernel ? this.kernelLocations.get(a) : undefined;
    if (known !== undefined) return known;
    const l = this.m.locate(a);
    const name = l.name ? (l.offset ? `${l.name}+0x${l.offset.toString(16)}` : l.name) : `0x${address.toString(16)}`;
    const text = l.file ? `${name} (${l.file}:${l.line})` : name;
    if (kernel) this.kernelLocations.set(a, text);
    return text;
  }

  /** Annotated: the thread that made the readline system call at the prompt, the shell (unless `options.shellTid` names it). */
  private promptReader: ThreadId | null = null;
  /** `locate`'s answers for kernel addresses (every point names one; the kernel's code does not change). */
  private readonly kernelLocations = new Map<number, string>();

  stack(): string[] {
    return this.m.stackTrace().map((f) => f.text);
  }

  threadName(tid: ThreadId): string {
    if (tid === KEYBOARD_TID) return 'keyboard (IRQ 1)';
    if (this.inferred) {
      const kernelTid = this.inferred.kernelTid(tid);
      const notes = [tid === this.idleTid() ? 'idle' : tid === this.shellTid() ? 'shell' : '', kernelTid !== undefined && kernelTid !== tid ? `kernel TID ${kernelTid}` : ''].filter(Boolean);
      return notes.length ? `TID ${tid} (${notes.join(', ')})` : `TID ${tid}`;
    }
    const names: Record<number, string> = { [this.options.idleTid ?? 1]: 'idle', [this.options.initTid ?? 2]: 'init', [this.shellTid()]: 'shell' };
    return names[tid] ? `TID ${tid} (${names[tid]})` : `TID ${tid}`;
  }

  private current(): ThreadId {
    return this.threads.current ?? -1;
  }

  private idleTid(): ThreadId {
    return this.inferred ? this.inferred.idle ?? -1 : this.options.idleTid ?? 1;
  }

  private shellTid(): ThreadId {
    return this.inferred ? this.inferred.shell ?? -1 : this.options.shellTid ?? this.promptReader ?? -1;
  }

  /** Unannotated: boots until the kernel loads TR (its TSS is then known), and sets up the inference. */
  private bootUntilTaskRegister(budget: number): void {
    const end = this.m.instructions + budget;
    while (this.m.cpu.tr.selector === 0) {
      if (this.m.instructions >= end) throw new KernelGuestError('the kernel never loaded a TSS (ltr): cannot follow its threads without annotations');
      const stop = this.m.run(Math.min(10_000, end - this.m.instructions));
      if (stop.reason === 'watch') {
        const out = this.onWatch(stop.address!);
        if (out && out.kind === 'bug') throw new KernelGuestError(`the kernel failed while booting: ${out.bug.message}`);
      } else if (stop.reason !== 'limit' && stop.reason !== 'magic-break') {
        throw new KernelGuestError(`the kernel stopped (${stop.reason}) before it loaded a TSS: cannot follow its threads without annotations`);
      }
    }
    this.setUpInference();
  }

  // ------------------------------------------------------------------ watch handlers

  private annotation(a: (typeof ANNOTATIONS)[number]): Outcome {
    const m = this.model;
    const before = m.threadCount;
    try {
      switch (a) {
        case 'thread_switch': return this.onSwitch(this.arg(1) | 0);
        case 'sched_init_done': m.schedInitDone(); break;
        case 'forking': m.forking(); break;
        case 'vanishing': m.vanishing(); break;
        case 'sleeping': m.sleeping(); break;
        case 'thread_on_rq': m.threadOnRq(this.arg(1) | 0); break;
        case 'thread_off_rq': m.threadOffRq(this.arg(1) | 0); break;
        case 'mutex_locking': m.mutexLocking(this.arg(1)); break;
        case 'mutex_blocking': {
          const cycle = m.mutexBlocking(this.arg(1) | 0);
          if (cycle && this.s.started) return { kind: 'bug', bug: mutexCycleBug(cycle, this.locate(this.word(this.m.cpu.esp))) };
          break;
        }
        case 'mutex_locking_done': m.mutexLockingDone(this.arg(1)); break;
        case 'mutex_unlocking': m.mutexUnlocking(this.arg(1)); break;
        case 'mutex_unlocking_done': m.mutexUnlockingDone(); break;
        case 'mutex_trylocking': m.mutexTrylocking(this.arg(1)); break;
        case 'mutex_trylocking_done': m.mutexTrylockingDone(this.arg(1), this.arg(2) !== 0); break;
        case 'preempt': return this.preemptionPoint('preempt');
      }
    } catch (e) {
      if (e instanceof AnnotationError) throw new KernelGuestError(e.message);
      throw e;
    }
    if (m.threadCount > before) this.noteNewThreads();
    this.recorder.setLocks(m.lockset(this.current()));
    return null;
  }

  private onSwitch(tid: ThreadId): Outcome {
    const before = this.model.threadCount;
    this.model.threadSwitch(tid);
    if (this.model.threadCount > before) this.noteNewThreads();
    return this.switched(tid);
  }

  /**
   * Unannotated: the instruction after a store to ESP0. A new value is a switch to that kernel stack's
   * thread; inside an injected timer tick it is involuntary (no preemption point, as a forced switch),
   * otherwise voluntary: a preemption point, unless the kernel switched to its idle thread (then it
   * halts, and runUntil decides) or the old thread waits for a mutex in a cycle of waits (a deadlock).
   */
  private onEsp0Store(): Outcome {
    const inf = this.inferred!;
    const esp0 = this.word(this.esp0Address);
    const prev = inf.current;
    if (esp0 === 0 || (prev !== null && inf.stackTop(prev) === esp0)) return null;
    const involuntary = this.s.tickInFlight;
    this.s.tickInFlight = false;
    const tid = inf.switchTo(esp0, this.reallocated);
    this.recorder.setLocks(inf.lockset(tid));
    this.noteNewThreads();
    if (tid !== inf.idle) this.s.idleTicks = 0;
    if (!this.s.started) return null;
    if (prev !== null && !involuntary) inf.switchedAway(prev);
    const cycle = prev === null || involuntary ? null : inf.blockedCycle(prev);
    if (cycle) return { kind: 'bug', bug: mutexCycleBug(cycle, this.locate(this.eip())) };
    if (involuntary && this.s.forcing === null && prev !== inf.idle) return null;
    if (tid === inf.idle && this.s.forcing === null) return null;
    return this.switched(tid);
  }

  /** After a switch to `tid`: the lockset, the end of a forced switch (or another try), else a preemption point. */
  private switched(tid: ThreadId): Outcome {
    this.recorder.setLocks(this.threads.lockset(tid));
    if (this.s.forcing !== null) {
      if (tid === this.s.forcing) {
        this.s.forcing = null;
        this.s.retries = 0;
      } else {
        this.retryForce();
      }
      return null;
    }
    return this.preemptionPoint('switch');
  }

  private noteNewThreads(): void {
    const known = this.s.knownAtTyping;
    if (!known) return;
    for (const t of this.threads.threads()) if (!known.includes(t) && !this.s.newThreads.includes(t)) this.s.newThreads.push(t);
  }

  private retryForce(): void {
    const limit = 20 + 10 * this.threads.threads().length;
    if (++this.s.retries > limit) {
      throw new KernelGuestError(`could not switch to TID ${this.s.forcing}: after ${limit} timer interrupts the kernel kept running other threads (TID ${this.current()} now); are its annotations right?`);
    }
    this.s.timerDelivered = false;
    this.m.injectTimerInterrupt();
  }

  /** A preemption point here, unless it does not count (see the file header). */
  private preemptionPoint(reason: string): Outcome {
    if (!this.s.started) {
      // Unannotated, new threads show up when they first run: a probe makes the scheduler show them.
      if (this.inferred && this.s.knownAtTyping && this.s.forcing === null) {
        this.probeRunnable();
        this.noteNewThreads();
      }
      return this.s.newThreads.length >= this.startThreads() ? { kind: 'point', reason: 'start' } : null;
    }
    const resumed = this.resumesParked(); // spent as the thread passes its park, point or not
    if (this.s.forcing !== null) {
      if (this.s.timerDelivered) this.retryForce();
      return null;
    }
    if (this.threads.inUnlock || resumed) return null;
    if (!this.inferred && this.model.runnable().length === 0 && (this.model.asleep().length > 0 || !this.m.keyboard.inputDrained || this.s.heldKeys.length > 0)) return null;
    const rules = this.options.rules ?? [];
    if (rules.length && !allowedByRules(rules, this.m.stackTrace().map((f) => f.name))) return null;
    return { kind: 'point', reason };
  }

  /**
   * Whether the current thread is back at the point it was last switched away from: at the same
   * instruction with the same stack pointer (the interrupt that took it away has returned), about to
   * execute the instruction it stopped before, having done nothing of its own since, so the point would
   * only repeat the choice made there; offered again, two threads could preempt each other there forever
   * (an endless chain of empty transitions). It then runs on. The same code reached anew (say the
   * voluntary-switch annotation in the switch that resumes the thread) has another stack pointer and is
   * a point as usual; a thread switched away there too comes back to its parks in reverse order.
   */
  private resumesParked(): boolean {
    const cur = this.current();
    const parked = this.s.parked;
    for (let i = parked.length - 1; i >= 0; i--) {
      if (parked[i][0] !== cur) continue;
      if (parked[i][1] !== this.eip() || parked[i][2] !== this.m.cpu.esp) return false;
      this.s.parked = parked.filter((_, j) => j !== i);
      return true;
    }
    return false;
  }

  /** Notes that the current thread is switched away from the point it stands at, when a watch took it (see `resumesParked`). */
  private park(): void {
    if (this.s.here) this.s.parked = [...this.s.parked, this.s.here];
  }

  /** Threads to wait for before the root: by default 2, or 1 (the test's process) when the test reads input. */
  private startThreads(): number {
    return this.options.startThreads ?? (this.input.length > 0 ? 1 : 2);
  }

  /** The keyboard pseudo-thread can run: input held, the controller empty, interrupts enabled. */
  private keyboardRunnable(): boolean {
    return this.s.heldKeys.length > 0 && this.s.forcing === null && this.m.keyboard.inputDrained && (this.m.cpu.flags & 0x200) !== 0;
  }

  /** Puts the next held byte in the 8042's output buffer now (IRQ 1 rises). */
  private deliverKey(): void {
    const byte = this.s.heldKeys.shift()!;
    this.m.keyboard.sendScanCodes([byte]);
    if (!this.m.keyboard.deliverNextKey()) throw new KernelGuestError('the keyboard did not accept a typed byte (is it disabled?)');
  }

  private onPanic(): Outcome {
    const esp = this.m.cpu.esp;
    const user = this.eip() >= USER_MEM_START;
    const args = { word: (k: number) => this.word((esp + 8 + 4 * k) >>> 0), string: (k: number) => this.m.readString(this.word((esp + 8 + 4 * k) >>> 0), 512) };
    const fmt = this.m.readString(this.word((esp + 4) >>> 0), 512);
    return { kind: 'bug', bug: panicBug(fmt, args, this.current(), this.locate(this.word(esp) - 1), user ? 'user' : 'kernel') };
  }

  /**
   * Whether one of the test's threads (not one that existed when it was typed) runs the test program's
   * code here: a thread of the test may have exec'd another program, with other code at this address.
   */
  private inTestThread(): boolean {
    return this.s.started && !(this.s.knownAtTyping ?? []).includes(this.current())
      && this.m.debug.matchingPrograms(this.eip(), this.m.readLinear32).includes(this.options.test);
  }

  /** The test program called report_end(END_FAIL) (Landslide's "User test program reported failure!"). */
  private onReportedFailure(): Outcome {
    const caller = this.word(this.m.cpu.esp) - 1;
    return { kind: 'bug', bug: bug('test-failure', 'User test program reported failure!', this.current(), this.locate(caller)) };
  }

  /** Entry of the allocator (lmm_alloc/lmm_alloc_gen with size = arg 2, lmm_free with block = arg 2). */
  private enterAllocator(kind: 'alloc' | 'free'): Outcome {
    const esp = this.m.cpu.esp >>> 0;
    const pending = this.s.pendingHeapCall;
    if (pending && pending.tid === this.current()) return null; // a nested call inside the allocator
    const site = this.callSite();
    const problem = this.heap.enter(kind === 'alloc' ? 'malloc' : 'free', this.current(), site);
    if (problem) return this.s.started ? { kind: 'bug', bug: problem } : null;
    const grain = this.options.heapGrain ?? 8;
    const call = { kind, ret: this.word(esp), esp, size: (this.arg(kind === 'alloc' ? 2 : 3) + grain - 1) & ~(grain - 1), block: this.arg(2), tid: this.current(), site };
    this.s.pendingHeapCall = call;
    this.m.cpu.execWatch.add(call.ret);
    if (kind === 'free') {
      const bad = this.heap.free(call.block, call.tid, site);
      if (bad && this.s.started) return { kind: 'bug', bug: bad };
      if (!bad) this.recorder.free(call.block, call.block + Math.max(1, call.size));
    }
    return null;
  }

  /**
   * The call stack at a function's entry, for heap reports: the return address at (%esp), then the
   * caller's frame chain through %ebp (the function has not pushed its own yet), up to 16 frames. Only
   * the addresses are read here (a few words); they are symbolised when a report needs them.
   */
  private callSite(): Site {
    const returns = [this.word(this.m.cpu.esp >>> 0)];
    let ebp = this.m.cpu.ebp >>> 0;
    while (returns.length < 16 && ebp !== 0) {
      const ret = this.word(ebp + 4);
      const next = this.word(ebp);
      if (ret === 0) break;
      returns.push(ret);
      if (next <= ebp) break;
      ebp = next;
    }
    return () => {
      const frames: string[] = [];
      for (const ret of returns) {
        const where = this.locate(ret - 1);
        if (where.startsWith('0x')) break; // not code we know: the frame chain ended
        frames.push(where);
      }
      return frames;
    };
  }

  /**
   * Whether the CPU runs in the tracked test address space: the first process registered under the
   * test's name after it was typed (the exec'd test, not its forked children), for as long as that
   * registration lasts (a page directory reused by a later process must not inherit its heap).
   */
  private inTestSpace(): boolean {
    if (this.s.knownAtTyping === null || this.s.testCr3 === -1) return false;
    const procs = this.m.simcalls.processes;
    if (this.s.testCr3 === null) {
      const first = procs.find(([, name]) => name === this.options.test);
      if (!first) return false;
      this.s.testCr3 = first[0] >>> 0;
    }
    if (!procs.some(([cr3, name]) => cr3 >>> 0 === this.s.testCr3 && name === this.options.test)) {
      this.s.testCr3 = -1; // the test's process is gone: stop tracking its heap
      return false;
    }
    return (this.m.cpu.cr3 >>> 0) === this.s.testCr3;
  }

  /** Entry of the test program's malloc(size) / free(p). */
  private enterUserAllocator(kind: 'alloc' | 'free'): Outcome {
    const heap = this.userHeap!;
    if (!this.inTestSpace()) return null;
    const esp = this.m.cpu.esp >>> 0;
    const site = this.callSite();
    const problem = heap.enter(kind === 'alloc' ? 'malloc' : 'free', this.current(), site);
    if (problem) return { kind: 'bug', bug: problem };
    const arg = this.arg(1);
    this.s.pendingUserCall = { kind, ret: this.word(esp), esp, size: arg, tid: this.current(), site };
    this.m.cpu.execWatch.add(this.s.pendingUserCall.ret);
    if (kind === 'free' && arg !== 0) {
      const bad = heap.free(arg, this.current(), site);
      if (bad) return { kind: 'bug', bug: bad };
      const chunk = heap.freedChunk(arg);
      if (chunk) this.recorder.free(chunk.start, chunk.end);
    }
    return null;
  }

  private leaveUserAllocator(): void {
    const p = this.s.pendingUserCall!;
    this.s.pendingUserCall = null;
    if (!this.watched(p.ret)) this.m.cpu.execWatch.delete(p.ret);
    this.userHeap!.leave();
    const base = this.m.cpu.eax >>> 0;
    if (p.kind === 'alloc' && base !== 0) this.userHeap!.allocated(base, p.size, p.tid, p.site);
  }

  /** Return from the allocator: an allocation becomes a live chunk. */
  private leaveAllocator(): void {
    const p = this.s.pendingHeapCall!;
    this.s.pendingHeapCall = null;
    if (!this.watched(p.ret)) this.m.cpu.execWatch.delete(p.ret);
    this.heap.leave();
    const base = this.m.cpu.eax >>> 0;
    if (p.kind === 'alloc' && base !== 0) this.heap.allocated(base, p.size, p.tid, p.site);
  }

  /**
   * A readline system call (int $0x4D, the Pebbles ABI: no kernel symbol needed): the first thread to
   * make it at the prompt is the shell; once the test started, the shell making it again ends the test
   * (the run stops as the call enters the kernel).
   */
  private onReadline(): void {
    if (!this.s.knownAtTyping) {
      if (this.inferred) this.inferred.markShell(this.current());
      else this.promptReader ??= this.current();
    }
    if (!this.s.started || this.current() !== this.shellTid()) return;
    this.s.testEnded = true;
    this.m.requestStop();
  }

  /** Entry of the kernel's page fault handler (symbol pageFaultWrapper): a fault in kernel mode outside user-copy code. */
  private onPageFault(): Outcome {
    const esp = this.m.cpu.esp >>> 0;
    const faultEip = this.word(esp + 4);
    const cs = this.word(esp + 8) & 0xffff;
    if ((cs & 3) !== 0 || this.inUserCopy(faultEip)) return null;
    return { kind: 'bug', bug: this.kernelPageFault(faultEip) };
  }

  /**
   * A page fault as it is delivered (no symbol needed): kernel code faulting on a kernel address (below
   * 16 MB, direct-mapped in every Pebbles kernel) is a kernel bug. A kernel-mode fault on a user address
   * may be copy-on-write or zero-fill-on-demand; only the kernel's handler can tell (onPageFault).
   */
  private onPageFaultDelivered(eip: number): void {
    const address = this.m.cpu.cr2 >>> 0;
    if (!this.s.started || eip >= USER_MEM_START || address >= USER_MEM_START || this.inUserCopy(eip) || this.pendingBug) return;
    this.pendingBug = this.kernelPageFault(eip);
    this.m.requestStop();
  }

  private inUserCopy(eip: number): boolean {
    return this.userCopy.some((r) => eip >= r.start && eip < r.end);
  }

  private kernelPageFault(faultEip: number): Bug {
    return bug('kernel-page-fault', `Kernel page faulted! Faulting eip: 0x${faultEip.toString(16)}; address: 0x${(this.m.cpu.cr2 >>> 0).toString(16)}`,
      this.current(), this.locate(faultEip));
  }

  private onThreadKilled(): Outcome {
    const why = this.arg(1) === THREAD_KILLED_PAGE_FAULT ? 'a page fault' : 'an exception';
    return { kind: 'bug', bug: bug('thread-killed', `TID ${this.current()} was killed by ${why}!`, this.current(), this.locate(this.word(this.m.cpu.esp))) };
  }

  // ------------------------------------------------------------------ memory tracking

  private inRanges(ranges: readonly Range[], a: number): boolean {
    for (let i = 0; i < ranges.length; i++) if (a >= ranges[i].start && a < ranges[i].end) return true;
    return false;
  }

  private installObserver(): void {
    const ignoredCode = new AddressSet(this.ignoredCode);
    const ignoredData = new AddressSet(this.ignoredData);
    this.m.cpu.memoryObserver = {
      // Only these ranges matter below; elsewhere (code, user memory outside the arena) the CPU keeps its fast path.
      ranges: this.userHeap ? [...this.tracked, this.userHeap.region] : this.tracked,
      onAccess: (linear, _physical, size, isWrite, eip) => {
        if (this.probing) return;
        if (linear >= USER_MEM_START) {
          this.userAccess(linear, size, isWrite, eip);
          return;
        }
        if (linear < this.ownStack.end && linear >= this.ownStack.start) return;
        if (!this.s.started || this.s.forcing !== null) return;
        if (this.heap.insideAllocator || ignoredCode.has(eip) || ignoredData.has(linear)) return;
        if (!this.inRanges(this.tracked, linear)) return;
        const cur = this.current();
        // Heap checks see every access, the thread's own stack included (it may run on a freed stack).
        this.accessEip = eip;
        const problem = this.heap.access(linear, isWrite, cur, this.accessSite);
        if (problem && !this.pendingBug) {
          this.pendingBug = problem;
          this.m.requestStop();
        }
        let foreign: ThreadId | null = null;
        const stacks = this.s.stacks;
        for (let i = 0; i < stacks.length; i++) {
          const top = stacks[i][1];
          if (linear < top && linear >= top - this.stackSize) {
            if (stacks[i][0] === cur) return;
            foreign = stacks[i][0];
          }
        }
        if (foreign !== null) this.recorder.foreignStack(foreign);
        this.recorder.access(linear, size, isWrite, eip, (this.m.cpu.flags & 0x200) !== 0); // IF is never lazy
      },
    };
  }

  /**
   * Kernel instructions known to be (or not be) atomic read-modify-writes (kernel code does not change),
   * asked for every access kept: a direct-mapped cache by address, each entry the address * 2 + atomic
   * (-1: empty).
   */
  private readonly atomicKernelCode = new Int32Array(ATOMIC_CACHE_SIZE).fill(-1);

  /** Whether the instruction at `eip` is an atomic read-modify-write: lock-prefixed, or xchg with memory (implicitly locked). */
  private atomicAt(eip: number): boolean {
    const slot = eip & (ATOMIC_CACHE_SIZE - 1);
    const known = this.atomicKernelCode[slot];
    if (eip < USER_MEM_START && known >>> 1 === eip) return (known & 1) === 1;
    let at = eip;
    let atomic = false;
    for (let n = 0; n < 15; n++, at++) {
      const b = this.m.cpu.peekLinear8(at);
      if (b === 0xf0) atomic = true; // LOCK
      else if (!INSTRUCTION_PREFIXES.has(b)) {
        // xchg r/m8 / r/m32 with a memory operand (ModRM mod != 3)
        if (b === 0x86 || b === 0x87) atomic ||= this.m.cpu.peekLinear8(at + 1) >>> 6 !== 3;
        break;
      }
    }
    if (eip < USER_MEM_START) this.atomicKernelCode[slot] = eip * 2 + (atomic ? 1 : 0);
    return atomic;
  }

  /** An access to user memory: checked and recorded when the test program itself touches its heap, outside its allocator. */
  private userAccess(linear: number, size: number, isWrite: boolean, eip: number): void {
    const heap = this.userHeap;
    if (!heap || !this.s.started || linear < heap.region.start || linear >= heap.region.end || this.s.forcing !== null) return;
    // Only the program's own (CPL 3) accesses: the kernel copies whole address spaces at fork.
    if (heap.insideAllocator || this.m.cpu.cpl !== 3 || !this.inTestSpace()) return;
    this.accessEip = eip;
    const problem = heap.access(linear, isWrite, this.current(), this.accessSite);
    if (problem && !this.pendingBug) {
      this.pendingBug = problem;
      this.m.requestStop();
    }
    this.recorder.access(linear, size, isWrite, eip, (this.m.cpu.flags & 0x200) !== 0);
  }

  /**
   * Recomputes `ownStack` from what the observer reads (the current thread, its noted stack, the live
   * chunks), which changes only between runs (watch handlers, points, restores), and hands it to the
   * CPU as its unobserved range.
   */
  private syncOwnStack(): void {
    let start = 0;
    let end = 0;
    const cur = this.current();
    const stacks = this.s.stacks;
    for (let i = 0; i < stacks.length && this.s.started; i++) {
      const top = stacks[i][1];
      const chunk = stacks[i][0] === cur ? this.heap.liveChunk(top - 1) : null;
      if (chunk) {
        start = Math.max(top - this.stackSize, chunk.start);
        end = Math.min(top, chunk.end, USER_MEM_START); // user memory has its own checks (userAccess)
      }
    }
    if (start === this.ownStack.start && end === this.ownStack.end) return;
    this.ownStack = { start, end };
    this.m.cpu.unobservedRange = end > start ? this.ownStack : null;
  }

  /** Remembers the running thread's kernel stack (ESP0 in the TSS). */
  private noteStack(): void {
    const tss = this.m.debug.address(this.sym.initTss, null);
    if (tss === undefined) return;
    const top = this.word(tss + 4);
    const cur = this.current();
    const i = this.s.stacks.findIndex(([t]) => t === cur);
    if (i >= 0) this.s.stacks[i] = [cur, top];
    else this.s.stacks.push([cur, top]);
  }

  // ------------------------------------------------------------------ running

  /** Dispatches an exec-watch stop at `address`. */
  private onWatch(address: number): Outcome {
    const p = this.s.pendingHeapCall;
    if (p && address === p.ret && (this.m.cpu.esp >>> 0) === ((p.esp + 4) >>> 0)) this.leaveAllocator();
    const u = this.s.pendingUserCall;
    if (u && address === u.ret && (this.m.cpu.esp >>> 0) === ((u.esp + 4) >>> 0) && this.inTestSpace()) this.leaveUserAllocator();
    const h = this.handlers.get(address);
    const out = h ? h() : null;
    return out || !this.dataRacePoints.has(address) ? out : this.dataRacePoint(address);
  }

  /** A data-race preemption point before the instruction at `address`, when one counts there (see the file header). */
  private dataRacePoint(address: number): Outcome {
    if (!this.s.started || (this.m.cpu.flags & 0x200) === 0) return null;
    if (address >= USER_MEM_START && !this.inTestSpace()) return null;
    return this.preemptionPoint('data-race');
  }

  /** Sets the data-race preemption points, in force from the next start() or restore() (Guest.setDataRacePoints). */
  setDataRacePoints(addresses: readonly number[]): void {
    if (addresses === this.dataRacePointList) return;
    this.dataRacePointList = addresses;
    this.dataRacePoints = new Set(addresses);
  }

  /**
   * Unannotated: the runnable threads at this point, by probing the scheduler with timer ticks from a
   * snapshot (InferredThreads.probe), which is restored afterwards. Meanwhile the observers ignore all but
   * the ticks' delivery (`probing`) and only the switch and timer-return watches count (the others stop the
   * run, which goes on), so the probe leaves no trace but thread numbers; observers and watches stay in
   * place (swapping them would flush the TLB and re-mark every watch). Once the test started, the snapshot
   * stays the machine's state until it runs again (`probedMachine`).
   */
  private probeRunnable(): ThreadId[] {
    const snapshot = this.m.snapshot();
    this.probeEsp0 = this.word(this.esp0Address);
    this.probing = true;
    let runnable: ThreadId[];
    try {
      runnable = this.inferred!.probe(this.probeTick, this.reallocated);
    } finally {
      this.probing = false;
    }
    this.m.restore(snapshot);
    this.probedMachine = this.s.started ? snapshot : null;
    const at = this.eip();
    this.skipWatchAt = this.m.cpu.execWatch.has(at) ? at : null;
    return runnable;
  }

  /**
   * Unannotated: one timer tick of a probe (a ProbeTick): the ESP0 the kernel switched to, or null when
   * the tick's handler returned without a switch (or the tick's budget ran out).
   */
  private readonly probeTick = (): number | null => {
    const m = this.m;
    this.probeDelivered = false;
    m.injectTimerInterrupt();
    const end = m.instructions + PROBE_TICK_BUDGET;
    for (;;) {
      const left = end - m.instructions;
      if (left <= 0) return null;
      const stop = m.run(left);
      if (stop.reason === 'limit' || stop.reason === 'magic-break' || stop.reason === 'stop-requested') continue;
      if (stop.reason !== 'watch') return null;
      if (this.switchWatches.has(stop.address!)) {
        const now = this.word(this.esp0Address);
        if (now !== this.probeEsp0 && now !== 0) {
          this.probeEsp0 = now;
          return now;
        }
      } else if (stop.address === this.timerIret && this.probeDelivered) {
        return null; // the tick's handler returns without a switch
      }
    }
  };

  /**
   * Unannotated: finds the TSS's ESP0 word through TR (read once the kernel loaded TR) and watches the
   * instruction after every store to it: those with the word's absolute address (found by disassembling
   * the kernel's functions), and any other the kernel executes until its prompt (a memory observer on the
   * word, removed at the prompt, catches stores through a pointer).
   */
  private setUpInference(): void {
    const cpu = this.m.cpu;
    this.esp0Address = (cpu.tr.base + 4) >>> 0;
    const target = `,0x${this.esp0Address.toString(16)}`;
    for (const f of this.m.debug.kernel.symbols.functions()) {
      let a = f.address;
      while (a < f.address + f.size) {
        const [insn] = cpu.disassemble(a, 1, 'att');
        if (!insn || insn.bytes.length === 0) break;
        a += insn.bytes.length;
        if (insn.text.endsWith(target)) this.watchEsp0Store(a);
      }
    }
    const word = { start: this.esp0Address, end: this.esp0Address + 4 };
    cpu.memoryObserver = {
      ranges: [word],
      onAccess: (linear, _physical, size, isWrite, eip) => {
        if (!isWrite || linear >= word.end || linear + size <= word.start) return;
        const [insn] = cpu.disassemble(eip, 1, 'att');
        if (insn && insn.bytes.length > 0 && !this.switchWatches.has(eip + insn.bytes.length)) this.watchEsp0Store(eip + insn.bytes.length);
      },
    };
    this.syncWatches();
  }

  private watchEsp0Store(after: number): void {
    this.switchWatches.add(after);
    this.watch(after, () => this.onEsp0Store());
    this.m.cpu.execWatch.add(after);
  }

  /**
   * Unannotated, at the prompt: watches the iret of the timer handler (IDT entry 0x20), which ends an
   * injected tick, and of gettid's (0x48), which tells a thread's kernel TID.
   */
  private watchHandlerReturns(): void {
    const timer = this.handlerIret(TIMER_VECTOR);
    const gettid = this.handlerIret(SYSCALL_GETTID);
    this.timerIret = timer;
    for (const at of new Set([timer, gettid])) {
      if (at === null) continue;
      this.watch(at, () => {
        // Back to user mode from gettid: EAX holds the kernel's TID of the thread (for its name).
        if (at === gettid && (this.word(this.m.cpu.esp + 4) & 3) === 3) this.inferred!.gettidReturned(this.m.cpu.eax);
        return at === timer ? this.onTimerReturn() : null;
      });
    }
    this.syncWatches();
  }

  /** The first iret of the handler of IDT entry `vector` (following unconditional jumps), or null. */
  private handlerIret(vector: number): number | null {
    const cpu = this.m.cpu;
    const gate = this.m.readLinear((cpu.idtr.base + vector * 8) >>> 0, 8);
    if (!gate) return null;
    let a = (gate[0] | (gate[1] << 8) | (gate[6] << 16) | (gate[7] << 24)) >>> 0;
    for (let i = 0; i < 256; i++) {
      const [insn] = cpu.disassemble(a, 1, 'att');
      if (!insn || insn.bytes.length === 0) return null;
      if (/^iret/.test(insn.text)) return a;
      const jump = /^jmp\s+0x([0-9a-f]+)$/.exec(insn.text);
      a = jump ? parseInt(jump[1], 16) : a + insn.bytes.length;
    }
    return null;
  }

  /** Unannotated: whether a live heap chunk holds the top word of a kernel stack (the stack was allocated again). */
  private readonly reallocated = (esp0: number): boolean => this.heap.liveChunks.some((c) => esp0 - 4 >= c.start && esp0 - 4 < c.end);

  /** Unannotated: the timer handler returns; a forced switch that did not happen is tried again. */
  private onTimerReturn(): Outcome {
    if (!this.s.tickInFlight) return null;
    this.s.tickInFlight = false;
    if (this.s.forcing !== null && this.s.timerDelivered && this.current() !== this.s.forcing) this.retryForce();
    return null;
  }

  /**
   * Runs until a handler reports an outcome, or `budget` instructions pass ('stuck'). Annotated, the
   * watch handlers run inside the CPU's run loop (cpu.watchHandler), which stops only for an outcome;
   * unannotated, a handler may probe the scheduler (running the machine itself), so every watch stops.
   */
  private runUntil(budget: number): Outcome | 'stuck' {
    const cpu = this.m.cpu;
    if (!this.inferred) cpu.watchHandler = this.watchInRun;
    try {
      return this.runSlices(budget);
    } finally {
      cpu.watchHandler = null;
    }
  }

  /**
   * A watch reached inside the run: handled at once; the run goes on (own stack updated) unless there is
   * an outcome, kept for runSlices. A preemption point where the thread runToChoice runs has no choice
   * is passed right here, as runToChoice would pass it, without stopping the machine.
   */
  private readonly watchInRun = (address: number): boolean => {
    const out = this.onWatch(address);
    if (out !== null) {
      if (!this.runsOnThrough(out)) {
        this.watchOutcome = out;
        return false;
      }
      this.noteStack();
    }
    this.syncOwnStack();
    return true;
  };

  private runSlices(budget: number): Outcome | 'stuck' {
    const end = this.m.instructions + budget;
    for (;;) {
      const left = end - this.m.instructions;
      if (left <= 0) return 'stuck';
      this.syncOwnStack();
      let stop: MachineStop;
      const skip = this.skipWatchAt;
      if (skip !== null) {
        this.skipWatchAt = null;
        this.m.cpu.execWatch.delete(skip);
        stop = this.m.run(1);
        if (this.watched(skip) || this.s.pendingHeapCall?.ret === skip || this.s.pendingUserCall?.ret === skip) this.m.cpu.execWatch.add(skip);
      } else {
        stop = this.m.run(Math.min(left, SLICE));
      }
      if (this.pendingBug) {
        const b = this.pendingBug;
        this.pendingBug = null;
        return { kind: 'bug', bug: b };
      }
      switch (stop.reason) {
        case 'limit': case 'magic-break': continue;
        case 'watch': {
          const out = this.m.cpu.watchHandler ? this.watchOutcome : this.onWatch(stop.address!);
          if (out) return out;
          continue;
        }
        case 'idle':
          if (!this.m.keyboard.inputDrained) continue;
          if (this.s.heldKeys.length > 0 && this.s.forcing === null && this.model.asleep().length === 0) {
            if (this.s.started) return { kind: 'point', reason: 'input' }; // only the keyboard can run
            this.deliverKey(); // before the root there are no choices
            continue;
          }
          if (!this.s.started) return { kind: 'done' }; // the kernel waits before the test got going
          if (this.inferred) {
            // Sleepers are invisible without annotations: tick until someone wakes, or call it a halt.
            if (this.s.idleTicks >= (this.options.idleTicks ?? DEFAULT_IDLE_TICKS)) return { kind: 'point', reason: 'hlt' };
            this.s.idleTicks++;
            this.m.injectTimerInterrupt();
            continue;
          }
          if (this.model.asleep().length > 0 || this.s.forcing !== null) {
            this.m.injectTimerInterrupt();
            continue;
          }
          if (this.model.runnable().length > 0) {
            return { kind: 'bug', bug: bug('deadlock', `Kernel is unexpectedly idling while ${this.model.runnable().map((t) => `TID ${t}`).join(', ')} can run`, this.current(), this.locate(this.eip())) };
          }
          return { kind: 'point', reason: 'hlt' };
        case 'triple-fault': case 'reset':
          return { kind: 'bug', bug: bug('triple-fault', `TRIPLE FAULT (${stop.reason})`, this.current(), this.locate(this.eip())) };
        case 'halted':
          return { kind: 'bug', bug: bug('panic', 'the kernel halted with interrupts disabled (cli; hlt)', this.current(), this.locate(this.eip())) };
        case 'sim-halt': case 'exit':
          return { kind: 'done' };
        case 'stop-requested': {
          if (this.s.testEnded) {
            this.s.testEnded = false;
            this.s.syscallEntry = false;
            return { kind: 'done' };
          }
          if (!this.s.syscallEntry) continue;
          this.s.syscallEntry = false;
          const out = this.preemptionPoint('syscall');
          if (out) return out;
          continue;
        }
        case 'unsupported':
          throw new KernelGuestError(`the emulator stopped: ${stop.message ?? 'unsupported operation'}`);
      }
    }
  }

  /**
   * The point the run stopped at, after a step of `stepped` (null: none). Unannotated, its runnable set is
   * probed at once when the stepped thread is no longer current (the explorer keeps every such point),
   * else when first read (a LazyPoint, probeLazy).
   */
  private point(out: Exclude<Outcome, null> | 'stuck', stepped: ThreadId | null): Point {
    const cur = this.current();
    // The test's threads (those that existed before it was typed, init and the shell, are not listed).
    const before = this.s.knownAtTyping ?? [];
    const live = this.threads.threads().filter((t) => t !== this.idleTid() && !before.includes(t));
    const at = this.annotationAddresses.has(this.eip()) ? this.word(this.m.cpu.esp) : this.eip();
    const location = this.locate(at);
    this.s.here = out !== 'stuck' && out.kind === 'point' && WATCHED_POINTS.has(out.reason) ? [cur, this.eip(), this.m.cpu.esp] : null;
    if (out === 'stuck') return { current: cur, runnable: this.threads.runnable(), live, location, status: 'stuck', reason: 'stuck' };
    if (out.kind === 'bug') return { current: cur, runnable: this.threads.runnable(), live, location, status: 'bug', reason: 'bug', bug: out.bug };
    if (out.kind === 'done') {
      const failure = this.testFailure();
      if (failure) return { current: cur, runnable: this.threads.runnable(), live, location, status: 'bug', reason: 'test-end', bug: failure };
      return this.finalPoint(cur, live, location);
    }
    this.noteStack();
    const keyboard = this.keyboardRunnable();
    if (this.inferred && this.journal && !this.eagerProbes && cur === stepped) {
      const point = new LazyPoint(cur, out.reason, location, this.inferred.currentRunnable(), this.probeLazy);
      this.unprobed = { point, live, keyboard };
      return point;
    }
    const runnable = this.inferred ? this.probeRunnable() : this.threads.runnable();
    return { status: 'running', current: cur, runnable: keyboard ? [...runnable, KEYBOARD_TID] : runnable, live, location, reason: out.reason };
  }

  /**
   * The point where the test ended normally. Its state hash (a walk over the whole machine) is computed
   * when first read, which must come before the guest moves on (an explorer collects it only on request).
   */
  private finalPoint(current: ThreadId, live: readonly ThreadId[], location: string): Point {
    const moves = this.moves;
    const hashHere = (): string => {
      if (this.moves !== moves) throw new Error('the state hash of a final point was read after the guest moved on from it');
      return this.m.stateHash();
    };
    let hash: string | undefined;
    return {
      current, runnable: [], live, location, status: 'done', reason: 'test-end',
      get stateHash() {
        return (hash ??= hashHere());
      },
    };
  }

  /**
   * Unannotated: probes the runnable set of `point` (a LazyPoint) on its first read. Only the point the
   * guest stands at can be probed: read after the guest moved on, it throws, since the probe would see
   * another state. A probe that makes the guest run its journal again (settle) takes that run's point,
   * which may know of more live threads.
   */
  private readonly probeLazy = (point: LazyPoint): PointThreads => {
    const u = this.unprobed;
    if (u?.point !== point) throw new Error('the runnable set of a preemption point was read after the guest moved on from it');
    this.unprobed = null;
    const probed = this.probeRunnable();
    const redone = this.stepping ? null : this.settle();
    if (redone) return { runnable: redone.point.runnable, live: redone.point.live };
    return { runnable: u.keyboard ? [...probed, KEYBOARD_TID] : probed, live: u.live };
  };

  /** Unannotated: leaves the point the guest stands at for a step of `tid` with `budget` (journaled). */
  private leave(tid: ThreadId, budget: number): void {
    const j = this.journal;
    if (!j) return;
    if (this.unprobed) {
      j.unprobedAt ??= this.inferred!.identityChanges;
      this.unprobed = null;
    }
    j.steps.push({ tid, budget });
  }

  /**
   * After a step or a probe: if points were left unprobed and the thread numbering changed since (a
   * thread was numbered, forgotten or found alive again), a probe left out might have changed it first,
   * and a bug or stuck point (`failed`) reports the runnable set of the last probe, which one left out
   * would have been: then the journal runs again with every point probed and its last step is returned.
   * Otherwise the points left out are settled once the guest stands at a probed point.
   */
  private settle(failed = false): Step | null {
    const j = this.journal;
    if (j?.unprobedAt == null) return null;
    if (failed || this.inferred!.identityChanges !== j.unprobedAt) return this.redo(j);
    if (!this.unprobed) j.unprobedAt = null;
    return null;
  }

  /** Runs journal `j` again from its checkpoint with every point probed; returns its last step. */
  private redo(j: Journal): Step {
    this.restore(j.checkpoint);
    this.eagerProbes = true;
    try {
      let last: Step | null = null;
      for (const s of j.steps) last = this.step(s.tid, s.budget);
      return last!;
    } finally {
      this.eagerProbes = false;
    }
  }

  /** The log's length when the test's name was typed: what the test printed comes after. */
  private testLogStart = 0;

  /** The test's exit status as the shell printed it, or FAIL lines in the log. */
  private testFailure(): Bug | null {
    const test = this.options.test;
    const status = shellExitStatus(this.m.screenText());
    const failLine = `${test}: FAIL`;
    const log = this.m.log;
    let fail: LogEntry | undefined;
    for (let i = this.testLogStart; i < log.length && !fail; i++) if (log[i].text.includes(failLine)) fail = log[i];
    if ((status !== null && status !== 0) || fail) {
      return bug('test-failure', fail ? fail.text.trim() : `${test} exited with status ${status}`, null, null);
    }
    return null;
  }

  start(): Point {
    this.moves++;
    if (this.root && this.rootPoint) {
      this.restore(this.root);
      return this.rootPoint;
    }
    const budget = this.options.bootInstructions ?? 5e9;
    this.syncWatches(); // the data-race points set before the first start
    if (this.inferred) this.bootUntilTaskRegister(budget);
    let stop = runWithInput(this.m, { type: '', maxInstructions: budget });
    while (stop.reason === 'watch') {
      const out = this.onWatch(stop.address!);
      if (out && out.kind === 'bug') throw new KernelGuestError(`the kernel failed while booting: ${out.bug.message}`);
      stop = runWithInput(this.m, { type: '', maxInstructions: budget });
    }
    if (stop.reason !== 'idle') throw new KernelGuestError(`the kernel did not reach the shell prompt (it stopped: ${stop.reason})`);
    if (this.inferred) {
      this.m.cpu.memoryObserver = null; // the ESP0 store finder (setUpInference)
      if (this.inferred.current === null) throw new KernelGuestError('the kernel reached its prompt without ever storing ESP0 in its TSS: cannot follow its threads without annotations');
      this.inferred.markIdle(this.inferred.current);
      this.watchHandlerReturns();
    }
    this.s.knownAtTyping = this.threads.threads();
    this.m.timerMode = 'explorer';
    this.testLogStart = this.m.log.length;
    this.m.keyboard.typeText(`${this.options.test}\n`);
    this.s.heldKeys = [...this.input];
    const out = this.runUntil(budget);
    if (out !== 'stuck' && out?.kind === 'done') {
      // The test ended before it had threads of its own: one branch, nothing to interleave.
      this.s.started = true;
      this.rootPoint = this.point(out, null);
      this.root = this.save();
      return this.rootPoint;
    }
    if (out === 'stuck' || !out || out.kind !== 'point') {
      const what = out === 'stuck' ? 'ran out of instructions' : out?.kind === 'bug' ? out.bug.message : 'ended';
      throw new KernelGuestError(`the test ${this.options.test} never had ${this.startThreads()} new threads, so there is nothing to interleave (${what}); start at the test's process with startThreads 1 (--start-threads 1, or "config": {"startThreads": 1} in the kernel configuration)`);
    }
    this.s.started = true;
    this.installObserver();
    this.recorder.finish(this.current(), 0);
    this.rootPoint = this.point(out, null);
    this.root = this.save();
    return this.rootPoint;
  }

  step(tid: ThreadId, budget: number): Step {
    this.moves++;
    this.probedMachine = null;
    this.leave(tid, budget);
    this.stepping = true;
    let step: Step;
    try {
      step = this.run(tid, budget);
    } finally {
      this.stepping = false;
    }
    return this.settle(step.point.status === 'bug' || step.point.status === 'stuck') ?? step;
  }

  private run(tid: ThreadId, budget: number): Step {
    const before = this.m.instructions;
    if (tid === KEYBOARD_TID) {
      this.deliverKey();
      this.recorder.setLocks([]);
      const out = this.runToChoice(tid, budget) ?? { kind: 'done' as const };
      return this.ended(tid, this.recorder.finish(tid, this.m.instructions - before), this.point(out, tid));
    }
    if (tid !== this.current()) {
      this.park();
      this.s.forcing = tid;
      this.s.retries = 0;
      this.s.timerDelivered = false;
      this.m.injectTimerInterrupt();
    }
    this.recorder.setLocks(this.threads.lockset(this.current()));
    const out = this.runToChoice(tid, budget) ?? { kind: 'done' as const };
    return this.ended(tid, this.recorder.finish(tid, this.m.instructions - before), this.point(out, tid));
  }

  /**
   * Runs `tid` until a point with a choice (or a bug, the end, the budget): a preemption point where
   * `tid` is current and the only thread that can run offers nothing to choose, so the transition
   * (and the tree edge, and the schedule's step) runs on through it. Without annotations the runnable
   * set is known only by probing, so there every point is a stop.
   */
  private runToChoice(tid: ThreadId, budget: number): Outcome | 'stuck' {
    const end = this.m.instructions + budget;
    this.runningOn = tid;
    try {
      for (;;) {
        const out = this.runUntil(end - this.m.instructions);
        if (out === 'stuck' || out === null || !this.runsOnThrough(out)) return out;
        this.noteStack();
      }
    } finally {
      this.runningOn = null;
    }
  }

  /** Whether runToChoice runs on through `out`: a preemption point where the thread it runs has no choice. */
  private runsOnThrough(out: Exclude<Outcome, null>): boolean {
    return out.kind === 'point' && this.runningOn !== null && this.noChoice(this.runningOn);
  }

  private noChoice(tid: ThreadId): boolean {
    if (this.inferred || tid !== this.current() || this.keyboardRunnable()) return false;
    const runnable = this.threads.runnable();
    return runnable.length === 1 && runnable[0] === tid;
  }

  /**
   * The step that ends a transition of `tid`: yield loops learn whether it yielded (gave the CPU away
   * at a voluntary switch and stays runnable), and a thread spinning in one is not offered. The runnable
   * set is read only where that needs it (a lazy point's stays unprobed).
   */
  private ended(tid: ThreadId, transition: TransitionSummary, point: Point): Step {
    const yielded = tid !== KEYBOARD_TID && point.status === 'running' && point.reason === 'switch' && point.current !== tid && point.runnable.includes(tid);
    this.yieldLoops.transition(transition, yielded);
    if (point.status !== 'running' || !this.yieldLoops.active) return { transition, point };
    const runnable = this.yieldLoops.offered(point.runnable);
    if (runnable === point.runnable) return { transition, point };
    return { transition, point: { status: point.status, current: point.current, runnable, live: point.live, reason: point.reason, location: point.location } };
  }

  /** Steps by instruction; a keyboard choice is one step (the interrupt handler runs to the next point). */
  stepInstructions(tid: ThreadId, count: number): { executed: number; step: Step | null } {
    this.moves++;
    this.unprobed?.point.threads(); // navigation probes before it moves on, and every point until a restore
    this.journal = null;
    this.probedMachine = null;
    if (tid === KEYBOARD_TID) {
      const step = this.step(tid, Number.MAX_SAFE_INTEGER);
      return { executed: step.transition.instructions, step };
    }
    const before = this.m.instructions;
    if (tid !== this.current() && this.s.forcing === null) {
      this.park();
      this.s.forcing = tid;
      this.s.timerDelivered = false;
      this.m.injectTimerInterrupt();
    }
    const out = this.runToChoice(tid, count);
    const executed = this.m.instructions - before;
    if (out === 'stuck') return { executed, step: null };
    return { executed, step: this.ended(tid, this.recorder.finish(tid, executed), this.point(out ?? { kind: 'done' }, tid)) };
  }

  /** A checkpoint; a point left unprobed is probed first, so that checkpoints hold what a probe numbered. */
  save(): Checkpoint {
    this.unprobed?.point.threads();
    const c: Checkpoint = { machine: this.probedMachine ?? this.m.snapshot(), model: this.threads.save(), heap: this.heap.save(), userHeap: this.userHeap?.save() ?? null,
      yieldLoops: this.yieldLoops.save(), state: copyState(this.s) };
    this.startJournal(c);
    return c;
  }

  /** Unannotated: the journal starts again at checkpoint `c`. */
  private startJournal(c: Checkpoint): void {
    this.journal = this.inferred ? { checkpoint: c, steps: [], unprobedAt: null } : null;
  }

  restore(c: Checkpoint): void {
    this.moves++;
    this.unprobed = null;
    this.probedMachine = null;
    this.startJournal(c);
    this.m.restore(c.machine);
    this.threads.restore(c.model);
    this.heap.restore(c.heap);
    if (this.userHeap) this.userHeap.restore(c.userHeap);
    this.yieldLoops.restore(c.yieldLoops);
    this.s = copyState(c.state);
    this.pendingBug = null;
    this.recorder.finish(0, 0);
    this.syncWatches();
    const at = this.eip();
    this.skipWatchAt = this.m.cpu.execWatch.has(at) ? at : null;
  }

  /** The machine, for the IDE's inspection views (registers, memory, screen). */
  get machine(): Machine {
    return this.m;
  }
}
