import { describe, expect, it } from 'vitest';
import { raceKey } from './detectors/data-race.ts';
import type { ExplorerEvent } from './events.ts';
import { replaySchedule } from './search/replay.ts';
import { decodeSchedule, encodeSchedule } from './search/schedule.ts';
import { ExplorationSession } from './session.ts';
import { plainGuest } from './testing/plain-guest.ts';
import { ToyGuest, type ToyProgram } from './testing/toy-guest.ts';

const LOST_UPDATE: ToyProgram = {
  shared: { x: 0 },
  threads: { main: 'spawn w a; spawn w b; join a; join b; load x r; assert r == 2', w: 'load x r; pp; store x r+1' },
};

function make() {
  const events: ExplorerEvent[] = [];
  let now = 0;
  const guest = new ToyGuest(LOST_UPDATE);
  const session = new ExplorationSession(guest, {}, (b) => events.push(...b), () => (now += 0.001));
  return { session, events, guest };
}

describe('ExplorationSession', () => {
  it('runs to the end in slices and streams nodes, transitions, bugs, progress and state', () => {
    const { session, events } = make();
    while (session.runSlice(0.01));
    const kinds = new Set(events.map((e) => e.kind));
    expect([...kinds]).toEqual(expect.arrayContaining(['node', 'transition', 'bug', 'progress', 'state']));
    expect(session.state).toBe('finished');
    const last = events.filter((e) => e.kind === 'progress').at(-1);
    expect(last).toMatchObject({ progress: { complete: true, percent: 100, bugs: 1 } });
    const nodes = events.filter((e) => e.kind === 'node');
    expect(nodes.map((e) => (e.kind === 'node' ? e.id : -1))).toEqual(nodes.map((_, i) => i));
  });

  it('pauses, resumes and stops', () => {
    const { session } = make();
    session.command({ kind: 'pause' });
    expect(session.state).toBe('idle');
    session.runSlice(0);
    session.command({ kind: 'pause' });
    expect(session.state).toBe('paused');
    expect(session.runSlice(0)).toBe(false);
    session.command({ kind: 'resume' });
    expect(session.state).toBe('running');
    session.command({ kind: 'stop' });
    expect(session.runSlice(0)).toBe(false);
    expect(session.state).toBe('stopped');
  });

  it('goes to a node and steps by preemption point along the tree', () => {
    const { session, events } = make();
    while (session.runSlice(0.01));
    const bug = session.bugs()[0];
    session.command({ kind: 'goto', node: bug.node });
    const at = events.at(-1);
    expect(at).toMatchObject({ kind: 'position', node: bug.node, schedule: bug.schedule });
    session.command({ kind: 'step', unit: 'point', direction: 'backward', count: 2 });
    const back = events.at(-1);
    expect(back?.kind === 'position' && back.node).toBe(session.explorer.tree.node(session.explorer.tree.node(bug.node).parent).parent);
    session.command({ kind: 'step', unit: 'point', direction: 'forward' });
    expect(events.at(-1)?.kind).toBe('position');
  });

  it('branches from a node and explores only below it', () => {
    const { session, events } = make();
    session.runSlice(0);
    const before = session.explorer.tree.size;
    session.command({ kind: 'branch', node: 1, tid: 1 });
    while (session.runSlice(0.01));
    expect(session.state).toBe('finished');
    expect(session.explorer.tree.size).toBeGreaterThan(before);
    expect(events.some((e) => e.kind === 'state' && e.state === 'error')).toBe(false);
  });

  it('numbers a bug by the branches of the whole session, also when a search branched off by the user found it', () => {
    const events: ExplorerEvent[] = [];
    let now = 0;
    const session = new ExplorationSession(new ToyGuest(LOST_UPDATE), {}, (b) => events.push(...b), () => (now += 0.001));
    session.runSlice(0); // one branch per slice
    session.command({ kind: 'branch', node: 2, tid: 2 });
    while (session.runSlice(0) && session.bugs().length === 0);
    const found = events.find((e) => e.kind === 'bug');
    // The branched search found it in its second branch, the session's third.
    expect(found?.kind === 'bug' && found.bug.branch).toBe(3);
    expect(session.progress().branches).toBe(3);
  });

  it('stops at the branch that found the first bug when asked to', () => {
    let now = 0;
    const session = new ExplorationSession(plainGuest(new ToyGuest(NOISY_LOST_UPDATE)), { iterativeDeepening: true, preemptionBound: 2, stopOnFirstBug: true },
      () => {}, () => (now += 0.001));
    while (session.runSlice(0.01));
    expect(session.state).toBe('finished');
    const [bug] = session.bugs();
    // A probe found it; the session re-ran it in the full tree (one more branch) and stopped.
    expect(session.progress()).toMatchObject({ branches: bug.branch + 1, complete: false, bugs: 1 });
  });

  // The lost update's window comes first, then writes of y that give the full search many orders to try first.
  const NOISY_LOST_UPDATE: ToyProgram = { ...LOST_UPDATE, shared: { x: 0, y: 0 },
    threads: { ...LOST_UPDATE.threads, w: 'load x r; pp; store x r+1; pp; store y 1; pp; store y 2; pp; store y 3' } };
  const probing = (events: ExplorerEvent[]) => {
    let now = 0;
    // A guest without data-race points: only the planned probes run.
    return new ExplorationSession(plainGuest(new ToyGuest(NOISY_LOST_UPDATE)), { iterativeDeepening: true, preemptionBound: 2 },
      (b) => events.push(...b), () => (now += 0.001));
  };

  it('probes small preemption-point sets and bounds first, then completes the full exploration', () => {
    const events: ExplorerEvent[] = [];
    const session = probing(events);
    while (session.runSlice(0.01) && session.bugs().length === 0);
    const [bug] = session.bugs();
    expect(bug.class).toBe('assert');
    // Found by a probe, re-run in the full tree: the report's node is there, with the same schedule.
    expect(session.explorer.bugReports()).toEqual([]);
    expect(bug.branch).toBeGreaterThan(session.explorer.branchCount); // the probes' branches count
    expect(encodeSchedule(session.explorer.tree.schedule(bug.node))).toBe(bug.schedule);
    expect(events).toContainEqual({ kind: 'bug', bug });
    // The estimate counts the probes' branches too, so it never falls below the branches done.
    for (const e of events) if (e.kind === 'progress') expect(e.progress.estimatedBranches).toBeGreaterThanOrEqual(e.progress.branches);
    while (session.runSlice(0.01));
    expect(session.state).toBe('finished');
    expect(session.progress()).toMatchObject({ complete: true, bugs: 1 });
    expect(session.progress().branches).toBeGreaterThan(session.explorer.branchCount);
    expect(session.progress().estimatedBranches).toBe(session.progress().branches);
  });

  it('probes deterministically: the same session twice gives the same tree and counts', () => {
    const runs = [0, 1].map(() => {
      const session = probing([]);
      while (session.runSlice(0.01));
      return { hash: session.explorer.tree.hash(), progress: session.progress(), bugs: session.bugs() };
    });
    expect(runs[1].hash).toBe(runs[0].hash);
    expect({ ...runs[1].progress, elapsedSeconds: 0 }).toEqual({ ...runs[0].progress, elapsedSeconds: 0 });
    expect(runs[1].bugs).toEqual(runs[0].bugs);
  });

  // The lost update with no preemption point between a worker's load and store: only a data-race
  // point before one of them (from the race on x) can interleave the two workers there.
  const ATOMIC_LOOKING: ToyProgram = { ...LOST_UPDATE, threads: { ...LOST_UPDATE.threads, w: 'load x r; store x r+1' } };

  it('without data-race points the lost update between two plain accesses is out of reach', () => {
    const session = new ExplorationSession(new ToyGuest(ATOMIC_LOOKING), {}, () => {}, () => 0);
    while (session.runSlice(1));
    expect(session.progress()).toMatchObject({ complete: true, bugs: 0 });
    expect(session.explorer.races.count).toBeGreaterThan(0);
  });

  it('probes a new race with a data-race point and reports the bug with a schedule that replays with it', () => {
    const events: ExplorerEvent[] = [];
    let now = 0;
    const session = new ExplorationSession(new ToyGuest(ATOMIC_LOOKING), { iterativeDeepening: true }, (b) => events.push(...b), () => (now += 0.001));
    while (session.runSlice(0.01) && session.bugs().length === 0);
    const [bug] = session.bugs();
    expect(bug).toMatchObject({ class: 'assert', node: -1 });
    expect(events).toContainEqual({ kind: 'bug', bug });
    const schedule = decodeSchedule(bug.schedule);
    expect(schedule.dataRacePoints.length).toBeGreaterThan(0);
    expect(bug.schedule.startsWith(`dr=0x${schedule.dataRacePoints[0].toString(16)}`)).toBe(true);
    const guest = new ToyGuest(ATOMIC_LOOKING);
    expect(replaySchedule(guest, schedule).bug?.message).toBe(bug.message);
    expect(replaySchedule(guest, schedule).points.some((p) => p.reason === 'data-race')).toBe(true);
    // Without its points the same choices are another run: the main tree, which has no such bug.
    expect(() => replaySchedule(guest, { ...schedule, dataRacePoints: [] })).toThrow();
    while (session.runSlice(0.01));
    expect(session.progress()).toMatchObject({ complete: true, bugs: 1 });
    expect(session.explorer.bugReports()).toEqual([]);
  });

  it('reports a race only a data-race probe can reach, with node -1 on both sides', () => {
    // Each worker writes the heap word its increment of x selects: the same word for both only after
    // the lost update, which needs a data-race point (see above), so the full exploration never races there.
    const program: ToyProgram = {
      shared: { x: 0, ptr: 0 },
      threads: { main: 'malloc p 8; store ptr p; spawn w a; spawn w b; join a; join b', w: 'load x r; store x r+1; add r r; add r r; load ptr q; add q r; write q+0 1' },
    };
    const events: ExplorerEvent[] = [];
    let now = 0;
    const session = new ExplorationSession(new ToyGuest(program), { iterativeDeepening: true }, (b) => events.push(...b), () => (now += 0.001));
    while (session.runSlice(0.01));
    expect(session.progress().complete).toBe(true);
    const probeOnly = session.races().filter((r) => !session.explorer.races.has(r));
    expect(probeOnly).toHaveLength(1);
    const [race] = probeOnly;
    expect(race).toMatchObject({ first: { write: true, node: -1 }, second: { write: true, node: -1 } });
    expect(race.first.tid).not.toBe(race.second.tid);
    // Reported when first found, and again when confirmed (both orders seen).
    const reported = events.flatMap((e) => (e.kind === 'race' && e.race.first.node === -1 ? [e.race] : []));
    expect(reported.map(raceKey)).toEqual([raceKey(race), raceKey(race)]);
    expect(reported.map((r) => r.confirmed)).toEqual([false, true]);
    expect(reported[1]).toEqual(race);
    expect(session.progress().races).toBe(session.explorer.races.count + 1);
  });

  it('goes back to a visited node from its checkpoint, re-executing only what follows it', () => {
    const counter = { steps: 0 };
    const counted = plainGuest(new ToyGuest(LOST_UPDATE), counter);
    const events: ExplorerEvent[] = [];
    let now = 0;
    const session = new ExplorationSession(counted, {}, (b) => events.push(...b), () => (now += 0.001));
    while (session.runSlice(0.01));
    const bug = session.bugs()[0];
    const depth = session.explorer.tree.node(bug.node).depth;
    counter.steps = 0;
    session.command({ kind: 'goto', node: bug.node });
    expect(counter.steps).toBe(depth); // from the start of the test
    const position = events.at(-1);
    session.command({ kind: 'goto', node: 0 });
    counter.steps = 0;
    session.command({ kind: 'goto', node: bug.node });
    expect(counter.steps).toBe(0); // from its own checkpoint
    expect(events.at(-1)).toEqual(position);
    counter.steps = 0;
    session.command({ kind: 'step', unit: 'point', direction: 'backward' }); // the parent: from the start
    session.command({ kind: 'step', unit: 'point', direction: 'forward' }); // the bug's node: from its checkpoint
    expect(counter.steps).toBe(depth - 1);
    expect(events.at(-1)).toEqual(position);
  });
});
