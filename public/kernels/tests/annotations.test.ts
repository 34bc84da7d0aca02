// The kernel's tell_landslide_* annotations tell a consistent story. Boots the annotated kernel in our
// machine, stops at every annotation call, reads its arguments from the stack, and replays them against
// the thread model of landslide.md section 1 (with the running thread counted on the runqueue), while
// the shell runs most of the tests: a thread is switched to only if it is runnable, put on the
// runqueue only if it is off it (or is a new thread announced by `forking`), taken off only if it is on
// it; `vanishing`/`sleeping` apply at the next switch; mutex calls pair up and no thread vanishes
// holding a kernel mutex; switches happen with interrupts disabled.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DebugInfo, Machine } from '../../../src/emulator/index.ts';
import { KERNELS_DIR } from './manifest.ts';
import { runShellTests } from './shell-tests.ts';

const EFLAGS_IF = 0x200;
const IDLE_TID = 1;
const INIT_TID = 2;

/** The tests run one after another in one boot (readline_test reads the line typed after its name). */
const TESTS = ['fork_wait', 'fork_exit_bomb', 'wait_getpid', 'yield_desc_mkrun', 'double_thread_fork',
  'double_wait', 'yield_vanish', 'vanish_vanish', 'remove_new_pages', 'sleep_test', 'thr_exit_join',
  'thr_join_exit', 'mutex_test', 'paradise_lost', 'broadcast_test', 'readline_test'];

class ThreadModel {
  readonly runnable = new Set<number>([IDLE_TID, INIT_TID]);
  readonly sleeping = new Set<number>();
  readonly known = new Set<number>([IDLE_TID, INIT_TID]);
  readonly held = new Map<number, Set<number>>();
  current = 0;
  forking = false;
  vanishing = false;
  goingToSleep = false;
  switches = 0;

  /** The latest annotation calls, for the failure message. */
  readonly recent: string[] = [];

  note(call: string): void {
    this.recent.push(call);
    if (this.recent.length > 20) this.recent.shift();
  }

  private fail(what: string): never {
    throw new Error(`annotation inconsistency (thread ${this.current}): ${what}; latest calls:\n${this.recent.join('\n')}`);
  }

  private locks(tid: number): Set<number> {
    let set = this.held.get(tid);
    if (!set) this.held.set(tid, (set = new Set()));
    return set;
  }

  forkingCall(): void {
    if (this.forking) this.fail('forking() twice without a new thread');
    this.forking = true;
  }

  onRq(tid: number): void {
    if (!this.known.has(tid)) {
      if (!this.forking) this.fail(`thread_on_rq(${tid}) for an unknown thread without forking()`);
      this.forking = false;
      this.known.add(tid);
    } else if (this.runnable.has(tid)) {
      this.fail(`thread_on_rq(${tid}) for a thread already on the runqueue`);
    }
    this.sleeping.delete(tid);
    this.runnable.add(tid);
  }

  offRq(tid: number): void {
    if (!this.runnable.has(tid)) this.fail(`thread_off_rq(${tid}) for a thread not on the runqueue`);
    this.runnable.delete(tid);
  }

  threadSwitch(tid: number, interruptsOn: boolean): void {
    if (interruptsOn) this.fail(`thread_switch(${tid}) with interrupts enabled`);
    if (this.vanishing) {
      if (this.locks(this.current).size > 0) this.fail('vanished holding a kernel mutex');
      this.runnable.delete(this.current);
      this.known.delete(this.current);
      this.vanishing = false;
    }
    if (this.goingToSleep) {
      this.runnable.delete(this.current);
      this.sleeping.add(this.current);
      this.goingToSleep = false;
    }
    if (!this.runnable.has(tid)) this.fail(`thread_switch(${tid}) to a thread that is not runnable`);
    this.current = tid;
    this.switches++;
  }

  mutexLockingDone(mutex: number): void {
    const held = this.locks(this.current);
    if (held.has(mutex)) this.fail(`mutex ${mutex.toString(16)} locked twice`);
    held.add(mutex);
  }

  mutexUnlocking(mutex: number): void {
    if (!this.locks(this.current).delete(mutex)) this.fail(`unlocking mutex ${mutex.toString(16)} it does not hold`);
  }
}

describe('Landslide annotations of the pebbles kernel', () => {
  it('are consistent while the shell runs the tests', () => {
    const image = new Uint8Array(readFileSync(join(KERNELS_DIR, 'pebbles.elf')));
    const symbols = DebugInfo.fromKernel(image).kernel.symbols;
    const at = (name: string) => {
      const address = symbols.address(`tell_landslide_${name}`);
      if (address === undefined) throw new Error(`tell_landslide_${name} is missing`);
      return address;
    };
    const machine = Machine.boot(image);
    const arg = (n: number) => machine.memory.read32((machine.cpu.regs[4] >>> 0) + 4 * n);
    const model = new ThreadModel();
    const initDone = at('sched_init_done');
    let started = false;
    const handlers = new Map<number, () => void>([
      [initDone, () => {}],
      [at('thread_switch'), () => model.threadSwitch(arg(1), (machine.cpu.eflags & EFLAGS_IF) !== 0)],
      [at('forking'), () => model.forkingCall()],
      [at('vanishing'), () => { model.vanishing = true; }],
      [at('sleeping'), () => { model.goingToSleep = true; }],
      [at('thread_on_rq'), () => model.onRq(arg(1))],
      [at('thread_off_rq'), () => model.offRq(arg(1))],
      [at('mutex_locking_done'), () => model.mutexLockingDone(arg(1))],
      [at('mutex_unlocking'), () => model.mutexUnlocking(arg(1))],
    ]);
    for (const address of handlers.keys()) machine.cpu.execWatch.add(address);

    const budget = 4e9;
    const runUntil = (done: () => boolean) => {
      while (!done() && machine.instructions < budget) {
        const stop = machine.run(budget - machine.instructions);
        if (stop.reason === 'watch') {
          if (stop.address === initDone) started = true;
          else if (started && handlers.has(stop.address as number)) {
            model.note(`${symbols.lookup(stop.address as number)?.name}(${arg(1).toString(16)})`);
            handlers.get(stop.address as number)?.();
          }
        } else if (stop.reason !== 'limit') {
          throw new Error(`the kernel stopped: ${stop.reason}`);
        }
      }
    };
    expect(runShellTests(machine, TESTS, runUntil)).toEqual(TESTS.map((t) => `${t}: PASS`));
    expect(model.switches).toBeGreaterThan(100);
  }, 60_000);
});
