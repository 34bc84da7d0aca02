// A toy "kernel" implementing the Guest interface without the emulator, to test the search and the
// detectors on small programs with known answers (the litmus-test idea of loom and Nidhugg).
// Threads run programs over shared words, mutexes, a heap and thread-local registers. The toy keeps
// its threads in a ThreadModel exactly as a kernel would through the tell_landslide annotations
// (forking + thread_on_rq at spawn, thread_off_rq when blocking, vanishing at exit, mutex annotations,
// thread_switch at every switch), so that model is exercised too.
//
// Program text, one thread per entry, statements separated by ';':
//   load X R | store X V | xchg X R V | add R V | lock M | unlock M | spawn PROG R | join R | yield | pp
//   assert R == V | assert R != V | malloc R SIZE | free R | read R+OFF R2 | write R+OFF V | spin X V | exit V
// (`xchg X R V`: R gets X and X gets V, as one atomic read-modify-write.)
// X is a shared word, M a mutex, R a register, V a number, a register or REG+NUM. Preemption points:
// before `lock` (mutex_lock entry), after `unlock`, `spawn`, `yield`, `pp`, and wherever a thread blocks
// or exits (the toy scheduler then switches to the lowest runnable TID, as a voluntary switch); and
// data-race points (setDataRacePoints, reason 'data-race') before the statements at those program
// counters (eip = program index * 1000 + statement index), unless the statement starts the transition.
// Each statement costs one instruction; `spin` costs one per iteration.

import { bug, type Bug } from '../detectors/bug.ts';
import { HeapTracker, siteAt } from '../detectors/heap.ts';
import { ThreadModel } from '../model/thread-model.ts';
import { AccessRecorder, type ThreadId } from '../model/transition.ts';
import type { Guest, Point, Step } from '../search/guest.ts';

export interface ToyProgram {
  /** Shared words and their initial values. */
  shared: Record<string, number>;
  mutexes?: string[];
  /** Thread programs by name; `main` starts the test as TID 1. */
  threads: Record<string, string>;
}

type Operand = { kind: 'num'; value: number } | { kind: 'reg'; reg: string; plus: number };

type Op =
  | { op: 'load'; addr: number; reg: string }
  | { op: 'store'; addr: number; value: Operand }
  | { op: 'xchg'; addr: number; reg: string; value: Operand }
  | { op: 'add'; reg: string; value: Operand }
  | { op: 'lock' | 'unlock'; addr: number }
  | { op: 'spawn'; prog: string; reg: string }
  | { op: 'join'; value: Operand }
  | { op: 'yield' | 'pp' }
  | { op: 'assert'; reg: string; equal: boolean; value: Operand; text: string }
  | { op: 'malloc'; reg: string; size: number }
  | { op: 'free'; value: Operand }
  | { op: 'read'; ptr: Operand; reg: string }
  | { op: 'write'; ptr: Operand; value: Operand }
  | { op: 'spin'; addr: number; value: Operand }
  | { op: 'exit'; value: Operand };

interface ToyThread {
  tid: ThreadId;
  prog: string;
  pc: number;
  regs: Record<string, number>;
  state: 'run' | 'blocked' | 'done';
  /** Already stopped at the preemption point before the current `lock`. */
  arrived: boolean;
  locking: boolean;
  exitStatus: number;
}

interface ToyState {
  memory: Record<number, number>;
  threads: ToyThread[];
  current: ThreadId;
  nextTid: number;
  nextHeap: number;
  waiters: Record<number, ThreadId[]>;
  joiners: Record<number, ThreadId[]>;
}

export const TOY_SHARED_BASE = 0x1000;
const TOY_MUTEX_BASE = 0x2000;
const TOY_HEAP = { start: 0x10000, end: 0x20000 };

export class ToySyntaxError extends Error {
  override name = 'ToySyntaxError';
}

export class ToyGuest implements Guest<unknown> {
  private readonly programs = new Map<string, Op[]>();
  private readonly progIndex = new Map<string, number>();
  private readonly addresses = new Map<string, number>();
  private readonly names = new Map<number, string>();
  private model!: ThreadModel;
  private heap!: HeapTracker;
  private s!: ToyState;
  private readonly recorder = new AccessRecorder((eip) => this.statementAt(eip)?.op === 'xchg');
  /** Data-race points in force, and those set for the next start or restore. */
  private dataRacePoints = new Set<number>();
  private nextDataRacePoints = new Set<number>();

  constructor(private readonly program: ToyProgram) {
    Object.keys(program.shared).forEach((name, i) => this.name(name, TOY_SHARED_BASE + 4 * i));
    (program.mutexes ?? []).forEach((name, i) => this.name(name, TOY_MUTEX_BASE + 4 * i));
    if (!program.threads.main) throw new ToySyntaxError('a toy program needs a thread program named main');
    Object.keys(program.threads).forEach((name, i) => this.progIndex.set(name, i));
    for (const [name, text] of Object.entries(program.threads)) this.programs.set(name, this.parse(name, text));
  }

  private name(name: string, addr: number): void {
    this.addresses.set(name, addr);
    this.names.set(addr, name);
  }

  private parse(prog: string, text: string): Op[] {
    const fail = (stmt: string, why: string): never => { throw new ToySyntaxError(`${prog}: '${stmt}': ${why}`); };
    const operand = (stmt: string, t: string | undefined): Operand => {
      if (t === undefined) return fail(stmt, 'missing operand');
      if (/^-?\d+$/.test(t)) return { kind: 'num', value: Number(t) };
      const m = /^([a-z_]\w*)(?:\+(\d+))?$/i.exec(t);
      if (!m) return fail(stmt, `bad operand '${t}'`);
      return { kind: 'reg', reg: m[1], plus: Number(m[2] ?? 0) };
    };
    const shared = (stmt: string, t: string | undefined, mutex = false): number => {
      const a = t === undefined ? undefined : this.addresses.get(t);
      if (a === undefined || (a >= TOY_MUTEX_BASE) !== mutex) return fail(stmt, `'${t}' is not a declared ${mutex ? 'mutex' : 'shared word'}`);
      return a;
    };
    return text.split(';').map((s) => s.trim()).filter((s) => s).map((stmt): Op => {
      const [w, a, b, c] = stmt.split(/\s+/);
      switch (w) {
        case 'load': return { op: 'load', addr: shared(stmt, a), reg: b ?? fail(stmt, 'missing register') };
        case 'store': return { op: 'store', addr: shared(stmt, a), value: operand(stmt, b) };
        case 'xchg': return { op: 'xchg', addr: shared(stmt, a), reg: b ?? fail(stmt, 'missing register'), value: operand(stmt, c) };
        case 'add': return { op: 'add', reg: a ?? fail(stmt, 'missing register'), value: operand(stmt, b) };
        case 'lock': case 'unlock': return { op: w, addr: shared(stmt, a, true) };
        case 'spawn':
          if (!a || !this.program.threads[a]) fail(stmt, `no thread program '${a}'`);
          return { op: 'spawn', prog: a, reg: b ?? '_' };
        case 'join': return { op: 'join', value: operand(stmt, a) };
        case 'yield': case 'pp': return { op: w };
        case 'assert':
          if (b !== '==' && b !== '!=') fail(stmt, "expected 'assert R == V' or 'assert R != V'");
          return { op: 'assert', reg: a ?? fail(stmt, 'missing register'), equal: b === '==', value: operand(stmt, c), text: stmt };
        case 'malloc': return { op: 'malloc', reg: a ?? fail(stmt, 'missing register'), size: Number(b ?? fail(stmt, 'missing size')) };
        case 'free': return { op: 'free', value: operand(stmt, a) };
        case 'read': return { op: 'read', ptr: operand(stmt, a), reg: b ?? fail(stmt, 'missing register') };
        case 'write': return { op: 'write', ptr: operand(stmt, a), value: operand(stmt, b) };
        case 'spin': return { op: 'spin', addr: shared(stmt, a), value: operand(stmt, b) };
        case 'exit': return { op: 'exit', value: operand(stmt, a) };
        default: return fail(stmt, `unknown statement '${w}'`);
      }
    });
  }

  setDataRacePoints(addresses: readonly number[]): void {
    this.nextDataRacePoints = new Set(addresses);
  }

  start(): Point {
    this.dataRacePoints = this.nextDataRacePoints;
    this.model = new ThreadModel({ startingThreads: [{ tid: 0, onRq: true }], currentThreadLivesOnRq: true, idleTid: 0 });
    this.heap = new HeapTracker(TOY_HEAP);
    const memory: Record<number, number> = {};
    Object.values(this.program.shared).forEach((v, i) => { memory[TOY_SHARED_BASE + 4 * i] = v; });
    this.s = { memory, threads: [], current: 1, nextTid: 1, nextHeap: TOY_HEAP.start, waiters: {}, joiners: {} };
    this.model.schedInitDone();
    this.model.forking();
    const main = this.spawn('main');
    this.model.threadSwitch(main.tid);
    return this.point('start', null);
  }

  save(): unknown {
    // The heap tracker's saved state is already a copy (and holds sites, which cannot be cloned).
    return { ...structuredClone({ s: this.s, model: this.model.save() }), heap: this.heap.save() };
  }

  restore(checkpoint: unknown): void {
    const c = checkpoint as { s: ToyState; model: unknown; heap: unknown };
    this.dataRacePoints = this.nextDataRacePoints;
    this.s = structuredClone(c.s);
    this.model.restore(structuredClone(c.model));
    this.heap.restore(c.heap);
  }

  threadName(tid: ThreadId): string {
    const t = this.s?.threads.find((x) => x.tid === tid);
    return t ? `TID ${tid} (${t.prog})` : `TID ${tid}`;
  }

  stack(): string[] {
    const t = this.s.threads.find((x) => x.tid === this.s.current);
    return t ? [this.locate(this.eip(t))] : ['idle'];
  }

  /** "prog:pc" for a toy program counter (eip = program index * 1000 + pc). */
  locate(eip: number): string {
    return `${this.programAt(eip) ?? '?'}:${eip % 1000}`;
  }

  /** The name of the thread program a toy program counter is in. */
  private programAt(eip: number): string | undefined {
    return [...this.progIndex].find(([, i]) => i === Math.floor(eip / 1000))?.[0];
  }

  /** The value of a shared word (for tests). */
  peek(name: string): number {
    return this.s.memory[this.addresses.get(name)!] ?? 0;
  }

  private spawn(prog: string): ToyThread {
    const t: ToyThread = { tid: this.s.nextTid++, prog, pc: 0, regs: {}, state: 'run', arrived: false, locking: false, exitStatus: 0 };
    this.s.threads.push(t);
    this.model.threadOnRq(t.tid);
    return t;
  }

  private thread(tid: ThreadId): ToyThread {
    const t = this.s.threads.find((x) => x.tid === tid);
    if (!t) throw new Error(`toy: no thread ${tid}`);
    return t;
  }

  private value(t: ToyThread, v: Operand): number {
    return v.kind === 'num' ? v.value : (t.regs[v.reg] ?? 0) + v.plus;
  }

  private eip(t: ToyThread): number {
    return this.progIndex.get(t.prog)! * 1000 + t.pc;
  }

  /** The statement at a toy program counter. */
  private statementAt(eip: number): Op | undefined {
    const prog = this.programAt(eip);
    return prog === undefined ? undefined : this.programs.get(prog)?.[eip % 1000];
  }

  private mem(t: ToyThread, addr: number, write: boolean, value = 0): number | Bug {
    this.recorder.access(addr, 4, write, this.eip(t));
    const problem = this.heap.access(addr, write, t.tid, this.locate(this.eip(t)));
    if (problem) return problem;
    if (write) this.s.memory[addr] = value;
    return this.s.memory[addr] ?? 0;
  }

  /** Voluntary switch to the lowest other runnable thread, or to the idle thread 0 (the toy scheduler). */
  private switchAway(): void {
    const next = this.model.runnable().filter((x) => x !== this.s.current)[0] ?? 0;
    this.model.threadSwitch(next);
    this.s.current = next;
  }

  step(tid: ThreadId, budget: number): Step {
    if (tid !== this.s.current) {
      this.model.threadSwitch(tid);
      this.s.current = tid;
    }
    const t = this.thread(tid);
    let instructions = 0;
    let reason = 'pp';
    let found: Bug | null = null;
    for (;;) {
      this.recorder.setLocks(this.model.lockset(tid));
      const op = this.programs.get(t.prog)![t.pc];
      if (op === undefined || op.op === 'exit') {
        t.exitStatus = op ? this.value(t, op.value) : 0;
        t.state = 'done';
        for (const j of this.s.joiners[t.tid] ?? []) { this.thread(j).state = 'run'; this.model.threadOnRq(j); }
        this.model.vanishing();
        if (t.prog === 'main' && t.exitStatus !== 0) found = bug('test-failure', `the test exited with status ${t.exitStatus}`, tid, this.locate(this.eip(t)));
        this.switchAway();
        reason = 'vanish';
        break;
      }
      if (instructions > 0 && this.dataRacePoints.has(this.eip(t))) {
        reason = 'data-race';
        break;
      }
      if (op.op === 'lock' && !t.arrived && instructions > 0) {
        t.arrived = true;
        reason = 'mutex_lock';
        break;
      }
      if (++instructions > budget) {
        return { transition: this.recorder.finish(tid, instructions), point: this.point('stuck', null) };
      }
      const here = this.locate(this.eip(t));
      let stop = false;
      switch (op.op) {
        case 'load': {
          const v = this.mem(t, op.addr, false);
          if (typeof v !== 'number') found = v;
          else t.regs[op.reg] = v;
          break;
        }
        case 'xchg': {
          const old = this.mem(t, op.addr, false);
          const stored = typeof old === 'number' ? this.mem(t, op.addr, true, this.value(t, op.value)) : old;
          if (typeof stored !== 'number') found = stored;
          else t.regs[op.reg] = old as number;
          break;
        }
        case 'store': {
          const v = this.mem(t, op.addr, true, this.value(t, op.value));
          if (typeof v !== 'number') found = v;
          break;
        }
        case 'add': t.regs[op.reg] = (t.regs[op.reg] ?? 0) + this.value(t, op.value); break;
        case 'lock': {
          if (!t.locking) { this.model.mutexLocking(op.addr); t.locking = true; }
          const owner = this.mem(t, op.addr, false) as number;
          if (owner === 0) {
            this.mem(t, op.addr, true, tid);
            this.model.mutexLockingDone(op.addr);
            t.locking = false;
            t.arrived = false;
          } else {
            (this.s.waiters[op.addr] ??= []).push(tid);
            t.state = 'blocked';
            this.model.threadOffRq(tid);
            this.switchAway();
            reason = 'blocked';
            stop = true;
            t.pc--; // retry the lock when woken
          }
          break;
        }
        case 'unlock': {
          this.model.mutexUnlocking(op.addr);
          this.mem(t, op.addr, true, 0);
          for (const w of this.s.waiters[op.addr] ?? []) { this.thread(w).state = 'run'; this.model.threadOnRq(w); }
          this.s.waiters[op.addr] = [];
          this.model.mutexUnlockingDone();
          reason = 'mutex_unlock';
          stop = true;
          break;
        }
        case 'spawn': {
          this.model.forking();
          t.regs[op.reg] = this.spawn(op.prog).tid;
          reason = 'spawn';
          stop = true;
          break;
        }
        case 'join': {
          const target = this.s.threads.find((x) => x.tid === this.value(t, op.value));
          if (target && target.state !== 'done') {
            (this.s.joiners[target.tid] ??= []).push(tid);
            t.state = 'blocked';
            this.model.threadOffRq(tid);
            this.switchAway();
            reason = 'blocked';
            stop = true;
            t.pc--;
          }
          break;
        }
        case 'yield': case 'pp': reason = op.op; stop = true; break;
        case 'assert': {
          const ok = ((t.regs[op.reg] ?? 0) === this.value(t, op.value)) === op.equal;
          if (!ok) found = bug('assert', `failed assertion \`${op.text}' (${op.reg} = ${t.regs[op.reg] ?? 0})`, tid, here);
          break;
        }
        case 'malloc': {
          const reentry = this.heap.enter('malloc', tid, siteAt(here));
          if (reentry) { found = reentry; break; }
          const addr = this.s.nextHeap;
          this.s.nextHeap += Math.max(4, (op.size + 3) & ~3);
          this.heap.allocated(addr, op.size, tid, siteAt(here));
          this.heap.leave();
          t.regs[op.reg] = addr;
          break;
        }
        case 'free': {
          const addr = this.value(t, op.value);
          const problem = this.heap.free(addr, tid, siteAt(here));
          if (problem) found = problem;
          else this.recorder.free(addr, addr + 4);
          break;
        }
        case 'read': {
          const v = this.mem(t, this.value(t, op.ptr), false);
          if (typeof v !== 'number') found = v;
          else t.regs[op.reg] = v;
          break;
        }
        case 'write': {
          const v = this.mem(t, this.value(t, op.ptr), true, this.value(t, op.value));
          if (typeof v !== 'number') found = v;
          break;
        }
        case 'spin': {
          while ((this.mem(t, op.addr, false) as number) !== this.value(t, op.value)) {
            if (++instructions > budget) return { transition: this.recorder.finish(tid, instructions), point: this.point('stuck', null) };
          }
          break;
        }
      }
      t.pc++;
      if (found || stop) break;
    }
    return { transition: this.recorder.finish(tid, instructions), point: this.point(reason, found) };
  }

  private point(reason: string, found: Bug | null): Point {
    const live = this.s.threads.filter((x) => x.state !== 'done').map((x) => x.tid);
    const cur = this.s.threads.find((x) => x.tid === this.s.current);
    const location = cur ? this.locate(this.eip(cur)) : 'end';
    const base = { current: this.s.current, runnable: this.model.runnable(), live, reason, location };
    if (reason === 'stuck') return { ...base, status: 'stuck' };
    if (found) return { ...base, status: 'bug', bug: found };
    if (live.length === 0) return { ...base, status: 'done', runnable: [], stateHash: this.stateHash() };
    return { ...base, status: 'running' };
  }

  /** The final state: shared words by name. */
  private stateHash(): string {
    return Object.keys(this.program.shared).map((n) => `${n}=${this.peek(n)}`).join(',');
  }
}
