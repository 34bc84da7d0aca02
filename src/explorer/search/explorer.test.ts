import { describe, expect, it } from 'vitest';
import { plainGuest } from '../testing/plain-guest.ts';
import { ToyGuest, type ToyProgram } from '../testing/toy-guest.ts';
import { Explorer, type ExploreOptions } from './explorer.ts';
import type { Guest, Point } from './guest.ts';
import { replaySchedule } from './replay.ts';
import { decodeSchedule } from './schedule.ts';

const SMALL_LIMITS = { instructionFactor: 50, syncInstructionFactor: 50, averageFloor: 10, depthFactor: 20, warmupBranches: 10, warmupGrowth: 1.1, firstBranchDepth: 400 };

function explore(program: ToyProgram, options: Partial<ExploreOptions> = {}) {
  const explorer = new Explorer(new ToyGuest(program), { loopLimits: SMALL_LIMITS, finalStates: true, ...options });
  return explorer.runToCompletion();
}

const LOST_UPDATE: ToyProgram = {
  shared: { x: 0 },
  threads: {
    main: 'spawn w a; spawn w b; join a; join b; load x r; assert r == 2',
    w: 'load x r; pp; store x r+1',
  },
};

const LOCKED_COUNTER: ToyProgram = {
  shared: { x: 0 },
  mutexes: ['m'],
  threads: {
    main: 'spawn w a; spawn w b; join a; join b; load x r; assert r == 2',
    w: 'lock m; load x r; pp; store x r+1; unlock m',
  },
};

const INDEPENDENT: ToyProgram = {
  shared: { x: 0, y: 0, z: 0 },
  threads: {
    main: 'spawn a t1; spawn b t2; spawn c t3; join t1; join t2; join t3',
    a: 'store x 1; pp; store x 2',
    b: 'store y 1; pp; store y 2',
    c: 'store z 1; pp; store z 2',
  },
};

const LOCK_ORDER: ToyProgram = {
  shared: {},
  mutexes: ['a', 'b'],
  threads: {
    main: 'spawn p t1; spawn q t2; join t1; join t2',
    p: 'lock a; lock b; unlock b; unlock a',
    q: 'lock b; lock a; unlock a; unlock b',
  },
};

describe('Explorer on toy programs', () => {
  it('finds the lost update with a schedule that replays to the same assertion', () => {
    for (const mode of ['dpor', 'dfs'] as const) {
      const r = explore(LOST_UPDATE, { mode });
      expect(r.complete).toBe(true);
      const asserts = r.bugs.filter((b) => b.class === 'assert');
      expect(asserts).toHaveLength(1);
      const guest = new ToyGuest(LOST_UPDATE);
      const end = replaySchedule(guest, decodeSchedule(asserts[0].schedule)).point;
      expect(end.status).toBe('bug');
      expect(end.bug?.message).toBe(asserts[0].message);
      expect(r.finalStates).toEqual(['x=2']);
    }
  });

  it('collects final states only on request', () => {
    expect(explore(LOCKED_COUNTER, { finalStates: false }).finalStates).toEqual([]);
  });

  it('finds no bug in the locked counter and only the final state x=2', () => {
    for (const mode of ['dpor', 'dfs'] as const) {
      const r = explore(LOCKED_COUNTER, { mode });
      expect(r.complete).toBe(true);
      expect(r.bugs).toEqual([]);
      expect(r.finalStates).toEqual(['x=2']);
    }
  });

  it('explores one Mazurkiewicz trace of independent threads with DPOR and many with DFS', () => {
    const dpor = explore(INDEPENDENT, { mode: 'dpor' });
    const dfs = explore(INDEPENDENT, { mode: 'dfs' });
    expect(dpor.finalStates).toEqual(dfs.finalStates);
    expect(dpor.branches - dpor.sleepBlocked).toBe(1);
    expect(dfs.branches).toBeGreaterThan(50);
  });

  it('explores exactly one branch per Mazurkiewicz trace on litmus programs', () => {
    const two = (a: string, b: string): ToyProgram => ({ shared: { x: 0, y: 0 }, threads: { main: 'spawn p t1; spawn q t2; join t1; join t2', p: a, q: b } });
    const traces = (program: ToyProgram) => {
      const r = explore(program);
      return { branches: r.branches - r.sleepBlocked, finals: r.finalStates.length };
    };
    expect(traces(two('load x r', 'load x r'))).toEqual({ branches: 1, finals: 1 }); // reads commute
    expect(traces(two('store x 1', 'store x 2'))).toEqual({ branches: 2, finals: 2 }); // write-write: both orders
    expect(traces(two('store x 1', 'load x r'))).toEqual({ branches: 2, finals: 1 }); // write-read: both orders, same memory
    expect(traces(two('store x 1; pp; store y 1', 'store y 2; pp; store x 2'))).toEqual({ branches: 3, finals: 3 });
  });

  it('reports a lock-order inversion as a deadlock naming the blocked threads', () => {
    const r = explore(LOCK_ORDER);
    const d = r.bugs.find((b) => b.class === 'deadlock');
    expect(d?.message).toMatch(/^Deadlock -- no threads are runnable! \(blocked: TID 1, TID 2, TID 3\)$/);
    expect(replaySchedule(new ToyGuest(LOCK_ORDER), decodeSchedule(d!.schedule)).bug?.message).toBe(d!.message);
  });

  it('gives the identical tree when the same exploration runs twice', () => {
    const a = explore(LOCKED_COUNTER);
    const b = explore(LOCKED_COUNTER);
    expect(a.treeHash).toBe(b.treeHash);
    expect(a.nodes).toBe(b.nodes);
    expect(explore(LOST_UPDATE).treeHash).not.toBe(a.treeHash);
  });

  it('restores from sparse checkpoints with the same result as from dense ones', () => {
    const dense = explore(LOCKED_COUNTER, { checkpointInterval: 1 });
    const sparse = explore(LOCKED_COUNTER, { checkpointInterval: 1000 });
    expect(sparse.treeHash).toBe(dense.treeHash);
  });

  it('limits preemptions: bound 0 runs only non-preemptive schedules', () => {
    const bounded = explore(LOST_UPDATE, { mode: 'dfs', preemptionBound: 0 });
    expect(bounded.bugs).toEqual([]);
    const one = explore(LOST_UPDATE, { mode: 'dfs', preemptionBound: 1 });
    expect(one.bugs.map((b) => b.class)).toEqual(['assert']);
    expect(one.branches).toBeLessThan(explore(LOST_UPDATE, { mode: 'dfs' }).branches);
  });

  it('stops at the branch limit and says the exploration is incomplete', () => {
    const r = explore(INDEPENDENT, { mode: 'dfs', maxBranches: 5 });
    expect(r.branches).toBe(5);
    expect(r.complete).toBe(false);
  });

  it('finds a use-after-free with its allocation and free sites', () => {
    const r = explore({
      shared: { ptr: 0 },
      threads: {
        main: 'malloc p 4; store ptr p; spawn w t; pp; free p; join t',
        w: 'load ptr q; pp; read q v',
      },
    });
    const uaf = r.bugs.find((b) => b.class === 'use-after-free');
    expect(uaf?.message).toMatch(/USE AFTER FREE - read from 0x10000/);
    expect(uaf?.details).toEqual(['allocated by TID 1 at:', '  main:0', 'freed by TID 1 at:', '  main:4']);
  });

  it('flags a spin without preemption points as an infinite loop', () => {
    const r = explore({ shared: { flag: 0 }, threads: { main: 'spawn w t; spin flag 1; join t', w: 'store flag 1' } });
    expect(r.bugs.map((b) => b.class)).toContain('infinite-loop');
  });

  it('reports a non-zero exit of the test as a test failure', () => {
    const r = explore({ shared: {}, threads: { main: 'exit 3' } });
    expect(r.bugs).toMatchObject([{ class: 'test-failure', message: 'the test exited with status 3', schedule: '1' }]);
  });

  it('keeps only the preemption points of the given sites, and reports full schedules that replay without the filter', () => {
    const all = explore(LOST_UPDATE);
    const none = explore(LOST_UPDATE, { preemptionSites: [] });
    expect(none.bugs).toEqual([]);
    expect(none.branches).toBeLessThan(all.branches);
    const pp = explore(LOST_UPDATE, { preemptionSites: ['pp@w:2'] });
    expect(pp.complete).toBe(true);
    expect(pp.bugs.map((b) => b.class)).toEqual(['assert']);
    const replayed = replaySchedule(new ToyGuest(LOST_UPDATE), decodeSchedule(pp.bugs[0].schedule)).point;
    expect(replayed.bug?.message).toBe(pp.bugs[0].message);
    expect(explore(LOST_UPDATE, { preemptionSites: ['pp@w:2'], checkpointInterval: 1000 }).treeHash).toBe(pp.treeHash);
  });

  it('leaves a point out by site without reading its runnable set when the guest knows whether the current thread runs on', () => {
    const toy = new ToyGuest(LOST_UPDATE);
    const read = new Set<Point>();
    let points = 0;
    const lazy = (p: Point): Point => {
      if (p.status !== 'running') return p;
      points++;
      const point: Point = { status: p.status, current: p.current, live: p.live, reason: p.reason, location: p.location, currentRunnable: p.runnable.includes(p.current),
        get runnable() {
          read.add(point);
          return p.runnable;
        } };
      return point;
    };
    const guest: Guest = {
      ...plainGuest(toy),
      start: () => lazy(toy.start()),
      step: (tid, budget) => {
        const step = toy.step(tid, budget);
        return { transition: step.transition, point: lazy(step.point) };
      },
    };
    const options = { loopLimits: SMALL_LIMITS, preemptionSites: ['pp@w:2'], finalStates: true };
    expect(new Explorer(guest, options).runToCompletion()).toEqual(explore(LOST_UPDATE, options));
    expect(read.size).toBeLessThan(points);
  });

  it('branches from a prefix and never backtracks above it', () => {
    const all = explore(LOST_UPDATE, { mode: 'dfs' });
    const sub = explore(LOST_UPDATE, { mode: 'dfs', prefix: [1, 1, 2] });
    expect(sub.branches).toBeLessThan(all.branches);
    expect(sub.complete).toBe(true);
  });
});
