// The kernel's threads inferred without tell_landslide_* annotations (most real Pebbles kernels carry
// none; landslide.md §1, §3.1 GUEST_ESP0_ADDR, §3.3). Pure: the kernel guest feeds it what it observes.
//
// - Identity: a thread is its kernel stack, i.e. the ESP0 the kernel stores in the TSS when it switches
//   to the thread (x86 needs ESP0 to enter the kernel from user mode, so every 15-410 kernel sets it per
//   thread). The guest watches the instructions that store ESP0 and calls `switchTo` with the new value;
//   a store of the value already there is not a switch. Threads are numbered by order of first
//   appearance (boot included), deterministically; the kernel's own TID of a thread is learnt when it
//   returns from gettid (int $0x48; `gettidEntered`/`gettidReturned`), for names only. A thread is gone
//   once its kernel stack is freed (`stackFreed`, from the allocator's free); a later switch to the same
//   stack is the same thread running on freed memory (the heap checks report it) unless the stack was
//   allocated again, when it is a new thread.
// - Runnable set: probed, not guessed. At a preemption point the guest snapshots the machine, injects
//   timer ticks and reports which stacks the scheduler switches to, then restores (`probe`). A
//   round-robin scheduler (the 15-410 norm) runs every runnable thread once before it comes back to the
//   preempted one, so the probe stops at the first repeat, at the idle thread (the run queue is empty),
//   at a tick that switches nowhere (the current thread is alone), or after threads + 2 ticks. Threads
//   the probe reaches only because another thread ran first during the probe (a wake-up in the few
//   instructions a thread runs before it enables interrupts) are over-approximated; a sleeper whose time
//   comes within the probe's ticks counts as runnable (choosing it lets time pass). Nothing is "asleep":
//   when the kernel idles, the guest injects ticks (bounded) before it calls the state a deadlock.
//   Whether the current thread is in that set is known without probing (`currentRunnable`: the probe
//   always counts it unless it is the idle thread or blocked). A probe also numbers the threads it meets
//   first; `identityChanges` counts such changes, so that the guest, which probes lazily, can tell when
//   a probe it left out might have numbered threads differently (kernel-guest.ts).
// - Idle and shell: the thread running when the kernel first idles at the prompt, and the thread that
//   first makes the readline system call (int $0x4D) there.
// - Lockset: by symbol, without annotations: a mutex joins the caller's lockset when its mutex_lock(mp)
//   returns and leaves it when mutex_unlock(mp) returns (the guest watches their entries and `ret`
//   instructions; a return is matched to its call by thread and stack pointer); between unlock's entry
//   and return no preemption point is taken (`inUnlock`).
//   A thread inside mutex_lock(mp) waits for mp's holder: a cycle of such waits is a kernel deadlock
//   (`blockedCycle`), as tell_landslide_mutex_blocking gives in annotated mode. A thread that switched
//   away voluntarily from inside mutex_lock(mp) while another thread held mp (`switchedAway`) is blocked
//   on mp, not runnable (running it would only try and yield again), until mp is unlocked.

import type { ThreadId } from '../model/transition.ts';

/** What the kernel guest reads of its thread model, annotated (ThreadModel) or inferred (InferredThreads). */
export interface ThreadView {
  readonly current: ThreadId | null;
  readonly inUnlock: boolean;
  runnable(): ThreadId[];
  asleep(): ThreadId[];
  threads(): ThreadId[];
  lockset(tid: ThreadId): readonly number[];
  save(): unknown;
  restore(saved: unknown): void;
}

interface PendingCall {
  tid: ThreadId;
  mutex: number;
  /** The stack pointer at entry, which the function's `ret` instruction finds again. */
  esp: number;
}

interface Known {
  tid: ThreadId;
  /** Kernel stack top (ESP0). */
  top: number;
  /** The stack was freed: the thread is gone (unless it runs again on the freed stack). */
  freed: boolean;
}

interface State {
  /** Threads in order of appearance. */
  threads: Known[];
  nextTid: ThreadId;
  cur: ThreadId | null;
  idle: ThreadId | null;
  shell: ThreadId | null;
  runnable: ThreadId[];
  locks: [ThreadId, number[]][];
  locking: PendingCall[];
  unlocking: PendingCall[];
  /** Threads inside gettid, and the kernel TIDs it returned: [tid, kernel TID]. */
  inGettid: ThreadId[];
  kernelTids: [ThreadId, number][];
  /** Threads blocked on a held mutex: [tid, mutex]. */
  blocked: [ThreadId, number][];
}

/**
 * A copy of the state for a checkpoint: the arrays changed in place are copied, and the objects changed
 * in place (a thread's `freed`, a lockset) with them; the rest (pending calls, pairs) is only replaced.
 */
function copyState(s: State): State {
  return { ...s, threads: s.threads.map((k) => ({ ...k })), locks: s.locks.map(([t, held]) => [t, held.slice()]), locking: s.locking.slice(),
    unlocking: s.unlocking.slice(), inGettid: s.inGettid.slice(), kernelTids: s.kernelTids.slice(), blocked: s.blocked.slice() };
}

/** Ticks one timer interrupt and returns the ESP0 the kernel switched to, or null (no switch, or stopped). */
export type ProbeTick = () => number | null;

export class InferredThreads implements ThreadView {
  private s: State = { threads: [], nextTid: 1, cur: null, idle: null, shell: null, runnable: [], locks: [], locking: [], unlocking: [], inGettid: [], kernelTids: [], blocked: [] };
  /** How many times `identify` numbered a thread, forgot one or found one alive again on its freed stack; never goes back. */
  private changes = 0;

  get identityChanges(): number {
    return this.changes;
  }

  get current(): ThreadId | null {
    return this.s.cur;
  }

  /** True while the current thread is between mutex_unlock's entry and its return. */
  get inUnlock(): boolean {
    return this.s.unlocking.some((c) => c.tid === this.s.cur);
  }

  get idle(): ThreadId | null {
    return this.s.idle;
  }

  get shell(): ThreadId | null {
    return this.s.shell;
  }

  /**
   * The thread whose kernel stack top is `esp0`, numbered now if it is new; `reallocated` tells whether
   * a freed stack there was allocated again since (then it is a new thread's).
   */
  identify(esp0: number, reallocated: (esp0: number) => boolean = () => false): ThreadId {
    const known = this.s.threads.find((k) => k.top === esp0);
    if (known && !(known.freed && reallocated(esp0))) {
      if (known.freed) this.changes++;
      known.freed = false;
      return known.tid;
    }
    if (known) this.forget(known.tid);
    this.changes++;
    const tid = this.s.nextTid++;
    this.s.threads.push({ tid, top: esp0, freed: false });
    return tid;
  }

  private forget(tid: ThreadId): void {
    this.s.threads = this.s.threads.filter((k) => k.tid !== tid);
    this.s.kernelTids = this.s.kernelTids.filter(([t]) => t !== tid);
    this.s.inGettid = this.s.inGettid.filter((t) => t !== tid);
    this.s.blocked = this.s.blocked.filter(([t]) => t !== tid);
    this.s.locks = this.s.locks.filter(([t]) => t !== tid);
    this.s.locking = this.s.locking.filter((c) => c.tid !== tid);
    this.s.unlocking = this.s.unlocking.filter((c) => c.tid !== tid);
  }

  /** The kernel stack top of `tid`, or undefined. */
  stackTop(tid: ThreadId): number | undefined {
    return this.s.threads.find((k) => k.tid === tid)?.top;
  }

  /** The kernel switched to the thread on `esp0` (see `identify`); returns it. */
  switchTo(esp0: number, reallocated?: (esp0: number) => boolean): ThreadId {
    this.s.cur = this.identify(esp0, reallocated);
    return this.s.cur;
  }

  markIdle(tid: ThreadId): void {
    this.s.idle ??= tid;
  }

  markShell(tid: ThreadId): void {
    this.s.shell ??= tid;
  }

  /** The allocator freed [start, end): threads whose kernel stack was there are gone (not the running one). */
  stackFreed(start: number, end: number): void {
    for (const k of this.s.threads) if (k.tid !== this.s.cur && k.top > start && k.top <= end) k.freed = true;
  }

  /** Threads the last probe found runnable (the idle thread never), less those blocked on a mutex, sorted. */
  runnable(): ThreadId[] {
    return this.s.runnable.filter((t) => !this.s.blocked.some(([b]) => b === t));
  }

  /** Whether a probe here would count the current thread runnable: it always does, unless it is the idle thread or blocked. */
  currentRunnable(): boolean {
    const cur = this.s.cur;
    return cur !== null && cur !== this.s.idle && !this.s.blocked.some(([b]) => b === cur);
  }

  /** Sleepers are not told apart from blocked threads without annotations. */
  asleep(): ThreadId[] {
    return [];
  }

  /** Threads not known to be gone, sorted. */
  threads(): ThreadId[] {
    return this.s.threads.filter((k) => !k.freed).map((k) => k.tid).sort((a, b) => a - b);
  }

  /**
   * Finds the runnable threads by ticking the timer (see the header): the current thread (unless idle)
   * and every thread the scheduler switches to before the first repeat, the idle thread, a tick without
   * a switch, or threads + 2 ticks. The caller restores the machine afterwards; the threads met stay
   * numbered (the same probe from the same state numbers them the same way).
   */
  probe(tick: ProbeTick, reallocated?: (esp0: number) => boolean): ThreadId[] {
    const cur = this.s.cur;
    const seen: ThreadId[] = cur !== null && cur !== this.s.idle ? [cur] : [];
    const limit = this.s.threads.length + 2;
    for (let i = 0; i < limit; i++) {
      const esp0 = tick();
      if (esp0 === null) break;
      const t = this.identify(esp0, reallocated);
      if (t === this.s.idle || seen.includes(t)) break;
      seen.push(t);
    }
    this.s.runnable = seen.sort((a, b) => a - b);
    return this.runnable();
  }

  /**
   * The running thread stands at the entry of mutex_lock(mutex) (kind 'lock') or mutex_unlock(mutex). A
   * second entry at the same stack pointer is the same call (a thread preempted at the entry comes back
   * to it through its interrupt frame), or one whose return was never seen: it replaces the first.
   */
  entered(kind: 'lock' | 'unlock', mutex: number, esp: number): void {
    const tid = this.s.cur;
    if (tid === null) return;
    const calls = kind === 'lock' ? this.s.locking : this.s.unlocking;
    const same = calls.findIndex((c) => c.tid === tid && c.esp === esp);
    if (same >= 0) calls.splice(same, 1);
    calls.push({ tid, mutex, esp });
  }

  /**
   * The running thread stands at a `ret` of mutex_lock (kind 'lock') or mutex_unlock with stack pointer
   * `esp`: if that ends its pending call, the mutex joins (leaves) its lockset.
   */
  returning(kind: 'lock' | 'unlock', esp: number): void {
    const cur = this.s.cur;
    const calls = kind === 'lock' ? this.s.locking : this.s.unlocking;
    const i = calls.findIndex((c) => c.tid === cur && c.esp === esp);
    if (i < 0) return;
    const [call] = calls.splice(i, 1);
    const held = this.s.locks.find(([t]) => t === cur)?.[1];
    this.s.blocked = this.s.blocked.filter(([t, m]) => (kind === 'lock' ? t !== cur : m !== call.mutex));
    if (kind === 'lock') {
      if (held) held.push(call.mutex);
      else this.s.locks.push([call.tid, [call.mutex]]);
    } else if (held && held.lastIndexOf(call.mutex) >= 0) {
      held.splice(held.lastIndexOf(call.mutex), 1);
    }
  }

  lockset(tid: ThreadId): readonly number[] {
    return this.s.locks.find(([t]) => t === tid)?.[1] ?? [];
  }

  /** The running thread entered gettid. */
  gettidEntered(): void {
    if (this.s.cur !== null && !this.s.inGettid.includes(this.s.cur)) this.s.inGettid.push(this.s.cur);
  }

  /** A gettid returns `value` to the running thread (if it is inside gettid): its kernel TID. */
  gettidReturned(value: number): void {
    const cur = this.s.cur;
    if (cur === null || !this.s.inGettid.includes(cur)) return;
    this.s.inGettid = this.s.inGettid.filter((t) => t !== cur);
    this.s.kernelTids = [...this.s.kernelTids.filter(([t]) => t !== cur), [cur, value]];
  }

  /** The kernel's TID of `tid`, once gettid told it. */
  kernelTid(tid: ThreadId): number | undefined {
    return this.s.kernelTids.find(([t]) => t === tid)?.[1];
  }

  /** The thread `tid` waits for: the holder of the mutex its pending mutex_lock wants, or null. */
  private waitsFor(tid: ThreadId): ThreadId | null {
    const calls = this.s.locking.filter((c) => c.tid === tid);
    if (calls.length === 0) return null;
    const wanted = calls[calls.length - 1].mutex;
    const holder = this.s.locks.find(([t, held]) => t !== tid && held.includes(wanted));
    return holder ? holder[0] : null;
  }

  /** The kernel switched away from `tid` voluntarily: inside mutex_lock of a mutex another thread holds, it is blocked on it. */
  switchedAway(tid: ThreadId): void {
    if (this.waitsFor(tid) === null || this.s.blocked.some(([t]) => t === tid)) return;
    const calls = this.s.locking.filter((c) => c.tid === tid);
    this.s.blocked.push([tid, calls[calls.length - 1].mutex]);
  }

  /** The cycle of lock waits through `start` (e.g. [5, 6, 5]), or null. */
  blockedCycle(start: ThreadId): ThreadId[] | null {
    const path: ThreadId[] = [start];
    for (let t = this.waitsFor(start); t !== null; t = this.waitsFor(t)) {
      const at = path.indexOf(t);
      if (at >= 0) return at === 0 ? [...path, t] : null;
      path.push(t);
    }
    return null;
  }

  save(): unknown {
    return copyState(this.s);
  }

  restore(saved: unknown): void {
    this.s = copyState(saved as State);
  }
}
