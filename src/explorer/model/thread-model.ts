// The kernel's threads as Landslide's scheduler model keeps them (landslide.md §1, `schedule.c`):
// agents on the runqueue (rq), descheduled (dq) or sleeping (sq); the current agent; the pending
// lifecycle action (forking, vanishing, sleeping); mutex blocking (blocked-on address and owner TID)
// and each agent's lockset. It is driven by the `tell_landslide_*` annotations, in the order the kernel
// makes them, and reports inconsistent annotations as `AnnotationError`s that name the call and thread.
// Pure: the guest adapter feeds it what it observes at annotation entries; the toy guest does the same.

import type { ThreadId } from './transition.ts';

/** Where an agent lives. `none`: running and off every queue (CURRENT_THREAD_LIVES_ON_RQ=0). */
export type AgentQueue = 'rq' | 'dq' | 'sq' | 'none';

export interface Agent {
  readonly tid: ThreadId;
  queue: AgentQueue;
  /** Mutex whose lock the agent is inside (set by mutex_locking, cleared by locking_done). */
  blockedOnAddr: number | null;
  /** Owner the agent yields to while the mutex is held (mutex_blocking), or null. */
  blockedOnTid: ThreadId | null;
  /** Mutexes held, in acquisition order. */
  lockset: number[];
}

export interface ThreadModelConfig {
  /** Threads that exist before `sched_init_done` (init, idle, shell...). */
  startingThreads: readonly { tid: ThreadId; onRq: boolean }[];
  /** Whether the running thread stays on the runqueue (CURRENT_THREAD_LIVES_ON_RQ). */
  currentThreadLivesOnRq: boolean;
  /** The idle thread, never a scheduling candidate. */
  idleTid?: ThreadId;
}

/** An annotation sequence the model cannot follow. */
export class AnnotationError extends Error {
  override name = 'AnnotationError';
}

/** Plain-data view of one agent for the event stream. */
export interface AgentView {
  tid: ThreadId;
  queue: AgentQueue;
  current: boolean;
  blockedOnTid: ThreadId | null;
  lockset: number[];
}

interface SavedModel {
  readonly agents: readonly Agent[];
  readonly started: boolean;
  readonly cur: ThreadId | null;
  readonly forkPending: boolean;
  readonly vanishingTid: ThreadId | null;
  readonly sleepingTid: ThreadId | null;
  readonly unlocking: number | null;
  readonly trylocking: number | null;
}

/** A copy of an agent that shares nothing mutable with it (checkpoints stay as they were taken). */
function copyAgent(a: Agent): Agent {
  return { tid: a.tid, queue: a.queue, blockedOnAddr: a.blockedOnAddr, blockedOnTid: a.blockedOnTid, lockset: a.lockset.slice() };
}

export class ThreadModel {
  private readonly agents = new Map<ThreadId, Agent>();
  private started = false;
  private cur: ThreadId | null = null;
  private forkPending = false;
  private vanishingTid: ThreadId | null = null;
  private sleepingTid: ThreadId | null = null;
  private unlocking: number | null = null;
  private trylocking: number | null = null;

  constructor(private readonly config: ThreadModelConfig) {}

  /** Whether `sched_init_done` has been seen (before it, lifecycle annotations are ignored). */
  get initialised(): boolean {
    return this.started;
  }

  /** The running thread, as the last thread_switch named it. */
  get current(): ThreadId | null {
    return this.cur;
  }

  /** True while the current thread is inside mutex_unlock (no preemption points are taken there). */
  get inUnlock(): boolean {
    return this.unlocking !== null;
  }

  has(tid: ThreadId): boolean {
    return this.agents.has(tid);
  }

  lockset(tid: ThreadId): readonly number[] {
    return this.agents.get(tid)?.lockset ?? [];
  }

  /** Threads the explorer may choose at a preemption point, sorted. */
  runnable(): ThreadId[] {
    const out: ThreadId[] = [];
    for (const a of this.agents.values()) {
      if (a.tid === this.config.idleTid || a.blockedOnTid !== null) continue;
      if (a.queue === 'rq' || (a.queue === 'none' && a.tid === this.cur)) out.push(a.tid);
    }
    return out.sort((x, y) => x - y);
  }

  /** Threads that are asleep on timer ticks (they still count as alive: ticks will wake them). */
  asleep(): ThreadId[] {
    return [...this.agents.values()].filter((a) => a.queue === 'sq').map((a) => a.tid).sort((x, y) => x - y);
  }

  /** All known threads, sorted. */
  threads(): ThreadId[] {
    return [...this.agents.keys()].sort((x, y) => x - y);
  }

  /** How many threads exist (without building the sorted list). */
  get threadCount(): number {
    return this.agents.size;
  }

  view(): AgentView[] {
    return this.threads().map((tid) => {
      const a = this.agents.get(tid)!;
      return { tid, queue: a.queue, current: tid === this.cur, blockedOnTid: a.blockedOnTid, lockset: [...a.lockset] };
    });
  }

  /** Plain-data copy of the whole model, for checkpoints. */
  save(): unknown {
    const saved: SavedModel = {
      agents: [...this.agents.values()].map(copyAgent), started: this.started, cur: this.cur, forkPending: this.forkPending,
      vanishingTid: this.vanishingTid, sleepingTid: this.sleepingTid, unlocking: this.unlocking, trylocking: this.trylocking,
    };
    return saved;
  }

  restore(saved: unknown): void {
    const s = saved as SavedModel;
    this.agents.clear();
    for (const a of s.agents) this.agents.set(a.tid, copyAgent(a));
    this.started = s.started;
    this.cur = s.cur;
    this.forkPending = s.forkPending;
    this.vanishingTid = s.vanishingTid;
    this.sleepingTid = s.sleepingTid;
    this.unlocking = s.unlocking;
    this.trylocking = s.trylocking;
  }

  private fail(call: string, message: string): never {
    const who = this.cur === null ? 'before any thread_switch' : `in TID ${this.cur}`;
    throw new AnnotationError(`${call} ${who}: ${message} (probably incorrect annotations?)`);
  }

  private agent(call: string, tid: ThreadId): Agent {
    const a = this.agents.get(tid);
    if (!a) this.fail(call, `TID ${tid} is not a known thread`);
    return a;
  }

  private create(tid: ThreadId, queue: AgentQueue): Agent {
    const a: Agent = { tid, queue, blockedOnAddr: null, blockedOnTid: null, lockset: [] };
    this.agents.set(tid, a);
    this.forkPending = false;
    return a;
  }

  private noActionInFlight(call: string): void {
    if (this.forkPending) this.fail(call, 'a fork is still in flight (tell_landslide_forking without the new thread)');
    if (this.vanishingTid !== null) this.fail(call, `TID ${this.vanishingTid} is still vanishing`);
    if (this.sleepingTid !== null) this.fail(call, `TID ${this.sleepingTid} is still going to sleep`);
  }

  /** tell_landslide_sched_init_done(): analysis starts; the starting threads exist. */
  schedInitDone(current: ThreadId | null = null): void {
    const call = 'tell_landslide_sched_init_done()';
    if (this.started) this.fail(call, 'called twice');
    for (const t of this.config.startingThreads) this.create(t.tid, t.onRq ? 'rq' : 'dq');
    this.started = true;
    if (current !== null) {
      const a = this.agents.get(current) ?? this.create(current, this.config.currentThreadLivesOnRq ? 'rq' : 'none');
      this.cur = a.tid;
    }
  }

  /** tell_landslide_thread_switch(new_tid): the sleep, vanish and wake-up bookkeeping, then `cur`. */
  threadSwitch(newTid: ThreadId): void {
    if (!this.started) return;
    const call = `tell_landslide_thread_switch(${newTid})`;
    const prev = this.cur === null ? undefined : this.agents.get(this.cur);
    if (prev && this.sleepingTid === prev.tid) {
      prev.queue = 'sq';
      this.sleepingTid = null;
    }
    if (prev && this.vanishingTid === prev.tid && prev.tid !== newTid) {
      this.agents.delete(prev.tid);
      this.vanishingTid = null;
    }
    if (prev && prev.tid !== newTid && prev.queue === 'none' && this.agents.has(prev.tid)) prev.queue = 'dq';
    const next = this.agents.get(newTid);
    if (!next) {
      if (!this.forkPending) this.fail(call, `TID ${newTid} is unknown; did you forget to tell_landslide_forking()?`);
      this.create(newTid, this.config.currentThreadLivesOnRq ? 'rq' : 'none');
    } else if (!this.config.currentThreadLivesOnRq && next.queue !== 'rq') {
      next.queue = 'none';
    } else if (next.queue === 'sq') {
      next.queue = 'rq';
    }
    this.cur = newTid;
  }

  /** tell_landslide_forking(): the next unknown TID named by thread_switch or thread_on_rq is new. */
  forking(): void {
    if (!this.started) return;
    this.noActionInFlight('tell_landslide_forking()');
    this.forkPending = true;
  }

  /** tell_landslide_vanishing(): the current thread goes away at its next switch. */
  vanishing(): void {
    if (!this.started) return;
    const call = 'tell_landslide_vanishing()';
    this.noActionInFlight(call);
    if (this.cur === null) this.fail(call, 'no current thread');
    this.vanishingTid = this.cur;
  }

  /** tell_landslide_sleeping(): the current thread moves to the sleep queue at its next switch. */
  sleeping(): void {
    if (!this.started) return;
    const call = 'tell_landslide_sleeping()';
    this.noActionInFlight(call);
    if (this.cur === null) this.fail(call, 'no current thread');
    this.sleepingTid = this.cur;
  }

  /** tell_landslide_thread_on_rq(tid): creates a forked agent, or wakes one from dq/sq. */
  threadOnRq(tid: ThreadId): void {
    if (!this.started) return;
    const call = `tell_landslide_thread_on_rq(${tid})`;
    const a = this.agents.get(tid);
    if (!a) {
      if (!this.forkPending) this.fail(call, `TID ${tid} is unknown; did you forget to tell_landslide_forking()?`);
      this.create(tid, 'rq');
      return;
    }
    if (a.queue === 'rq') this.fail(call, `TID ${tid} is already on the runqueue`);
    a.queue = 'rq';
  }

  /** tell_landslide_thread_off_rq(tid): the agent leaves the runqueue (rq -> dq, or running). */
  threadOffRq(tid: ThreadId): void {
    if (!this.started) return;
    const call = `tell_landslide_thread_off_rq(${tid})`;
    const a = this.agent(call, tid);
    if (a.queue !== 'rq') {
      const where = a.queue === 'dq' ? 'descheduled' : a.queue === 'sq' ? 'asleep' : 'running off the runqueue';
      this.fail(call, `TID ${tid} is not on the runqueue (it is ${where})`);
    }
    a.queue = !this.config.currentThreadLivesOnRq && tid === this.cur ? 'none' : 'dq';
  }

  private curAgent(call: string): Agent {
    if (this.cur === null) this.fail(call, 'no current thread');
    return this.agent(call, this.cur);
  }

  /** tell_landslide_mutex_locking(m): the current thread is inside lock(m); m joins its lockset. */
  mutexLocking(m: number): void {
    if (!this.started) return;
    const a = this.curAgent(`tell_landslide_mutex_locking(${hex(m)})`);
    a.blockedOnAddr = m;
    a.lockset.push(m);
  }

  /**
   * tell_landslide_mutex_blocking(owner): the current thread yields to `owner` until the mutex is free.
   * Returns the blocked-on cycle through the current thread (e.g. [1, 2, 1]) when there is one: a
   * kernel deadlock.
   */
  mutexBlocking(owner: ThreadId): ThreadId[] | null {
    if (!this.started) return null;
    const a = this.curAgent(`tell_landslide_mutex_blocking(${owner})`);
    a.blockedOnTid = owner;
    return this.blockedCycle(a.tid);
  }

  /** The cycle of blocked-on edges starting at `start` (tortoise and hare), or null. */
  blockedCycle(start: ThreadId): ThreadId[] | null {
    const next = (t: ThreadId | null): ThreadId | null => (t === null ? null : this.agents.get(t)?.blockedOnTid ?? null);
    let slow: ThreadId | null = start;
    let fast: ThreadId | null = start;
    for (;;) {
      slow = next(slow);
      fast = next(next(fast));
      if (slow === null || fast === null) return null;
      if (slow === fast) break;
    }
    // slow is on the cycle; list it starting from `start` if start is on it, else from slow.
    const cycle: ThreadId[] = [];
    let onCycle = false;
    let t: ThreadId | null = slow;
    do {
      if (t === start) onCycle = true;
      t = next(t);
    } while (t !== slow && t !== null);
    const from = onCycle ? start : slow;
    t = from;
    do {
      cycle.push(t!);
      t = next(t);
    } while (t !== from && t !== null);
    cycle.push(from);
    return cycle;
  }

  /** tell_landslide_mutex_locking_done(m): the current thread owns m; other contenders now wait on it. */
  mutexLockingDone(m: number): void {
    if (!this.started) return;
    const a = this.curAgent(`tell_landslide_mutex_locking_done(${hex(m)})`);
    a.blockedOnAddr = null;
    a.blockedOnTid = null;
    for (const other of this.agents.values()) {
      if (other !== a && other.blockedOnAddr === m && other.blockedOnTid !== null) other.blockedOnTid = a.tid;
    }
  }

  /** tell_landslide_mutex_unlocking(m): contenders are unblocked; no preemption points until done. */
  mutexUnlocking(m: number): void {
    if (!this.started) return;
    const call = `tell_landslide_mutex_unlocking(${hex(m)})`;
    const a = this.curAgent(call);
    if (!a.lockset.includes(m)) this.fail(call, `TID ${a.tid} does not hold mutex ${hex(m)}`);
    for (const other of this.agents.values()) if (other.blockedOnAddr === m) other.blockedOnTid = null;
    this.unlocking = m;
  }

  /** tell_landslide_mutex_unlocking_done(): the mutex leaves the lockset. */
  mutexUnlockingDone(): void {
    if (!this.started) return;
    const call = 'tell_landslide_mutex_unlocking_done()';
    const a = this.curAgent(call);
    if (this.unlocking === null) this.fail(call, 'no tell_landslide_mutex_unlocking() before it');
    const i = a.lockset.lastIndexOf(this.unlocking);
    a.lockset.splice(i, 1);
    this.unlocking = null;
  }

  /** tell_landslide_mutex_trylocking(m). */
  mutexTrylocking(m: number): void {
    if (!this.started) return;
    const a = this.curAgent(`tell_landslide_mutex_trylocking(${hex(m)})`);
    a.lockset.push(m);
    this.trylocking = m;
  }

  /** tell_landslide_mutex_trylocking_done(m, succeeded): on failure the lockset addition is undone. */
  mutexTrylockingDone(m: number, succeeded: boolean): void {
    if (!this.started) return;
    const call = `tell_landslide_mutex_trylocking_done(${hex(m)}, ${succeeded ? 1 : 0})`;
    const a = this.curAgent(call);
    if (this.trylocking !== m) this.fail(call, `no matching tell_landslide_mutex_trylocking(${hex(m)})`);
    if (!succeeded) a.lockset.splice(a.lockset.lastIndexOf(m), 1);
    this.trylocking = null;
  }
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}
