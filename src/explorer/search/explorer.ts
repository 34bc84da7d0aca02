// The search: depth-first exploration of the tree of preemption points, one branch per call, as
// dynamic partial-order reduction (DPOR with sleep sets; races and reversal initials from
// happens-before.ts) or as plain exhaustive DFS (the baseline), optionally under a preemption bound
// (bounded DPOR is bounded partial-order reduction, BPOR, without sleep sets).
// At every new point the default choice is Landslide's: keep running the current thread. The search
// decides; the Guest runs (shuttle's Scheduler/Execution split). Between branches it keeps only the
// current path (with guest checkpoints every `checkpointInterval` levels); finished subtrees survive as
// tree nodes and folded estimator costs.

import { bugKey, type Bug } from '../detectors/bug.ts';
import { RaceDetector, type RaceMode } from '../detectors/data-race.ts';
import { LANDSLIDE_LOOP_LIMITS, ProgressMonitor, tooDeepBug, type LoopLimits } from '../detectors/infinite-loop.ts';
import { Estimator, type EstimateLevel } from '../estimate.ts';
import type { BugReport, EventSink, ExplorerEvent } from '../events.ts';
import { conflicts, conflictWords, type ThreadId, type TransitionSummary } from '../model/transition.ts';
import type { Guest, Point, Step } from './guest.ts';
import { pointBug } from './point-bug.ts';
import { mergeTransitions, pointSite } from './preemption-sites.ts';
import { HappensBeforeAnalyser, reversalInitials, type HappensBefore, type Race } from './happens-before.ts';
import { encodeSchedule, type Schedule } from './schedule.ts';
import { ExplorationTree, type NodeStatus } from './tree.ts';

export interface ExploreOptions {
  /** 'dpor': partial-order reduction with sleep sets; 'dfs': every runnable thread at every point. */
  mode: 'dpor' | 'dfs';
  /**
   * Maximum preemptions (switches away from a runnable current thread) per branch; null: unbounded.
   * Bounded DPOR is bounded partial-order reduction (see `tag`) without sleep sets (a sleeping thread's
   * equivalent branch may have been cut by the bound): it reaches every bug and final state that
   * bounded DFS reaches.
   */
  preemptionBound: number | null;
  /** Stop after this many branches; null: no limit. */
  maxBranches: number | null;
  stopOnFirstBug: boolean;
  /** Keep a guest checkpoint every this many levels of the current path (default: the guest's preference, else 1). */
  checkpointInterval: number;
  /** Choices fixed before exploring (branching from a node); the search never backtracks into them. */
  prefix: Schedule;
  /**
   * The preemption points to keep, by site (preemption-sites.ts); null: all. At a point left out the
   * current thread runs on (its transitions merge), unless it cannot (then the point is kept). Bug
   * reports give full schedules (a choice at every point of the guest), which replay without the filter.
   */
  preemptionSites: readonly string[] | null;
  /**
   * Data-race preemption points: code addresses the guest also stops before (Guest.setDataRacePoints,
   * set before every start and restore, so explorations sharing a guest keep their own). Bug schedules
   * carry them, since they replay only with the same points.
   */
  dataRacePoints: readonly number[];
  raceMode: RaceMode;
  loopLimits: LoopLimits;
  /**
   * Collect the distinct final-state hashes of the branches that ended normally (`ExploreResult.finalStates`),
   * for comparing explorations; a guest may hash its whole state for each (the kernel guest's costs about
   * as much as running a few thousand instructions), so only on request.
   */
  finalStates: boolean;
}

export const DEFAULT_EXPLORE_OPTIONS: ExploreOptions = {
  mode: 'dpor',
  preemptionBound: null,
  maxBranches: null,
  stopOnFirstBug: false,
  checkpointInterval: 1,
  prefix: [],
  preemptionSites: null,
  dataRacePoints: [],
  raceMode: 'lockset',
  loopLimits: LANDSLIDE_LOOP_LIMITS,
  finalStates: false,
};

/** The explorer cannot go on (a nondeterministic guest, a prefix that does not fit the tree...). */
export class ExploreError extends Error {
  override name = 'ExploreError';
}

interface Level<C> {
  node: number;
  point: Point;
  /** The transition into `node` (null at the root). */
  transition: TransitionSummary | null;
  preemptions: number;
  /** Children explored or being explored. */
  done: Set<ThreadId>;
  /** The backtrack set: children to explore (a superset of `done` once explored). */
  todo: Set<ThreadId>;
  /** Threads not to run here, with the transition they would make (unbounded DPOR only). */
  sleep: Map<ThreadId, TransitionSummary>;
  /** Transitions of explored children, for the sleep sets of later siblings. */
  explored: Map<ThreadId, TransitionSummary>;
  /** The child on the current path. */
  chosen: ThreadId | null;
  /** The guest's choices from here to the child on the path: `chosen`, then the points left out. */
  steps: ThreadId[];
  checkpoint: C | null;
  /** Estimator: sum of (edge + cost) over finished children subtrees. */
  finishedCost: number;
  /** The part of `finishedCost` from children that preempt the current thread. */
  preemptingCost: number;
  /** The level as the estimator sees it, until one of the fields it is made of changes (then null). */
  estimate: EstimateLevel | null;
}

export interface ExploreResult {
  branches: number;
  complete: boolean;
  bugs: BugReport[];
  /** Distinct final-state hashes of branches that ended normally, sorted (none unless `options.finalStates`). */
  finalStates: string[];
  sleepBlocked: number;
  boundPruned: number;
  treeHash: string;
  nodes: number;
}

export class Explorer<C = unknown> {
  readonly options: ExploreOptions;
  readonly tree: ExplorationTree;
  readonly estimator = new Estimator();
  readonly races: RaceDetector;
  private readonly monitor: ProgressMonitor;
  private readonly levels: Level<C>[] = [];
  private readonly bugs = new Map<string, BugReport>();
  private readonly finalStates = new Set<string>();
  private branches = 0;
  private sleepBlocked = 0;
  private boundPruned = 0;
  private finished = false;
  private pending: ExplorerEvent[] = [];

  constructor(private readonly guest: Guest<C>, options: Partial<ExploreOptions> = {},
    private readonly sink: EventSink | null = null, tree?: ExplorationTree) {
    this.options = { ...DEFAULT_EXPLORE_OPTIONS, checkpointInterval: guest.checkpointInterval ?? 1, ...options };
    if (this.options.checkpointInterval < 1) throw new ExploreError('checkpointInterval must be at least 1');
    if (this.options.dataRacePoints.length && !guest.setDataRacePoints) throw new ExploreError('this guest has no data-race preemption points');
    this.tree = tree ?? new ExplorationTree();
    this.races = new RaceDetector(this.options.raceMode);
    this.monitor = new ProgressMonitor(this.options.loopLimits);
  }

  /** True once every branch has been explored (or a limit or the first bug stopped the search). */
  get done(): boolean {
    return this.finished;
  }

  get branchCount(): number {
    return this.branches;
  }

  /** The node the current branch ended at (or -1 before the first branch). */
  get leaf(): number {
    return this.levels.length ? this.levels[this.levels.length - 1].node : -1;
  }

  /** Explores one more branch. Returns false when there is nothing left to explore. */
  runBranch(): boolean {
    if (this.finished) return false;
    if (this.levels.length === 0) this.begin();
    else if (!this.backtrack()) {
      this.finished = true;
      this.flush();
      return false;
    }
    this.extend();
    const stop = (this.options.maxBranches !== null && this.branches >= this.options.maxBranches)
      || (this.options.stopOnFirstBug && this.bugs.size > 0);
    if (stop) this.finished = true;
    this.flush();
    return !this.finished;
  }

  /** Runs branches until done; convenient for tests and small guests. */
  runToCompletion(): ExploreResult {
    while (this.runBranch());
    return this.result();
  }

  /** Complete means every branch was explored: not stopped by a branch limit or the first bug. */
  get complete(): boolean {
    return this.finished && !this.hasPending();
  }

  /** The distinct bugs found so far, first occurrence each (cheap: no tree hash). */
  bugReports(): BugReport[] {
    return [...this.bugs.values()];
  }

  result(): ExploreResult {
    return {
      branches: this.branches,
      complete: this.complete,
      bugs: [...this.bugs.values()],
      finalStates: [...this.finalStates].sort(),
      sleepBlocked: this.sleepBlocked,
      boundPruned: this.boundPruned,
      treeHash: this.tree.hash(),
      nodes: this.tree.size,
    };
  }

  private emit(e: ExplorerEvent): void {
    if (this.sink) this.pending.push(e);
  }

  private flush(): void {
    if (this.sink && this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      this.sink(batch);
    }
  }

  private nodeFor(parent: number, tid: ThreadId, point: Point): number {
    const existing = parent < 0 ? (this.tree.size ? 0 : undefined) : this.tree.child(parent, tid);
    if (existing !== undefined) return existing;
    const n = this.tree.add(parent, tid, { reason: point.reason, location: point.location, current: point.current, runnable: point.runnable });
    this.emit({ kind: 'node', id: n.id, parent, tid, depth: n.depth, reason: n.reason, location: n.location,
      current: n.current, runnable: [...n.runnable], status: n.status });
    return n.id;
  }

  private newLevel(node: number, point: Point, transition: TransitionSummary | null, preemptions: number, sleep: Map<ThreadId, TransitionSummary>): Level<C> {
    const depth = this.levels.length;
    const level: Level<C> = {
      node, point, transition, preemptions, done: new Set(), todo: new Set(), sleep, explored: new Map(), chosen: null, steps: [],
      checkpoint: depth % this.options.checkpointInterval === 0 && point.status === 'running' ? this.guest.save() : null,
      finishedCost: 0, preemptingCost: 0, estimate: null,
    };
    if (this.options.mode === 'dfs' && depth >= this.options.prefix.length) for (const t of point.runnable) level.todo.add(t);
    this.levels.push(level);
    if (transition) this.path.push(transition);
    this.runnables.push(point.runnable);
    this.nodes.push(node);
    return level;
  }

  /** Drops the deepest level. */
  private popLevel(): Level<C> {
    const level = this.levels.pop()!;
    this.path.length = this.levels.length - 1;
    this.runnables.length = this.levels.length;
    this.nodes.length = this.levels.length;
    return level;
  }

  private begin(): void {
    this.guest.setDataRacePoints?.(this.options.dataRacePoints);
    const point = this.guest.start();
    this.newLevel(this.nodeFor(-1, -1, point), point, null, 0, new Map());
    for (const tid of this.options.prefix) {
      const top = this.levels[this.levels.length - 1];
      if (top.point.status !== 'running' || !top.point.runnable.includes(tid)) {
        throw new ExploreError(`the schedule prefix chooses TID ${tid} at point ${this.levels.length - 1}, where the runnable threads are [${top.point.runnable.join(', ')}]`);
      }
      this.take(top, tid);
    }
  }

  private isPreemption(level: Level<C>, tid: ThreadId): boolean {
    return tid !== level.point.current && level.point.runnable.includes(level.point.current);
  }

  private withinBound(level: Level<C>, tid: ThreadId): boolean {
    const bound = this.options.preemptionBound;
    return bound === null || level.preemptions + (this.isPreemption(level, tid) ? 1 : 0) <= bound;
  }

  /** Runs `tid` from the top level and pushes the new point. */
  private take(level: Level<C>, tid: ThreadId): Level<C> {
    const { transition, point, steps } = this.stepThrough(tid);
    level.steps = steps;
    this.monitor.recordTransition(transition.instructions);
    this.estimator.addCost(transition.instructions);
    level.chosen = tid;
    level.estimate = null;
    level.done.add(tid);
    level.todo.add(tid);
    level.explored.set(tid, transition);
    const sleep = new Map<ThreadId, TransitionSummary>();
    if (this.options.mode === 'dpor' && this.options.preemptionBound === null) {
      for (const [r, tr] of [...level.sleep, ...level.explored]) {
        if (r !== tid && point.runnable.includes(r) && !conflicts(tr, transition)) sleep.set(r, tr);
      }
    }
    const child = this.nodeFor(level.node, tid, point);
    return this.newLevel(child, point, transition, level.preemptions + (this.isPreemption(level, tid) ? 1 : 0), sleep);
  }

  /** Runs `tid` to the next kept point (on through the points left out); `steps` are the guest's choices. */
  private stepThrough(tid: ThreadId): Step & { steps: ThreadId[] } {
    const budget = this.monitor.instructionBudget();
    const first = this.guest.step(tid, budget);
    let point = first.point;
    const parts = [first.transition];
    let instructions = first.transition.instructions;
    const steps = [tid];
    while (this.leftOut(point, tid)) {
      const next = this.guest.step(tid, budget - instructions);
      steps.push(tid);
      parts.push(next.transition);
      instructions += next.transition.instructions;
      point = next.point;
    }
    return { transition: mergeTransitions(parts), point, steps };
  }

  /**
   * Whether `tid` runs on through `point` because the point's site is not kept. The point's runnable set
   * is not read when the guest knows `currentRunnable` (a lazy guest then skips computing it).
   */
  private leftOut(point: Point, tid: ThreadId): boolean {
    const sites = this.options.preemptionSites;
    return sites !== null && point.status === 'running' && point.current === tid && !sites.includes(pointSite(point))
      && (point.currentRunnable ?? point.runnable.includes(tid));
  }

  /** Follows the default policy from the top level until the branch ends. */
  private extend(): void {
    for (;;) {
      const top = this.levels[this.levels.length - 1];
      const p = top.point;
      const depth = this.levels.length - 1;
      if (p.status === 'done') return this.endBranch('done', null);
      const found = pointBug(p, top.transition ?? undefined);
      if (found) return this.endBranch('bug', found);
      if (depth > this.monitor.depthLimit()) return this.endBranch('bug', tooDeepBug(p.current, depth, p.location));
      const candidates = p.runnable.filter((t) => !top.sleep.has(t));
      if (candidates.length === 0) return this.endBranch('sleep-blocked', null);
      const tid = candidates.includes(p.current) ? p.current : candidates[0];
      if (!this.withinBound(top, tid)) return this.endBranch('bound', null);
      this.take(top, tid);
    }
  }

  private endBranch(status: NodeStatus, found: Bug | null): void {
    this.branches++;
    const leaf = this.levels[this.levels.length - 1];
    this.tree.setStatus(leaf.node, status);
    this.emit({ kind: 'node-status', id: leaf.node, status, todo: [], done: [], sleep: [...leaf.sleep.keys()] });
    if (status === 'sleep-blocked') this.sleepBlocked++;
    if (status === 'bound') this.boundPruned++;
    if (status === 'done' && this.options.finalStates) {
      const hash = leaf.point.stateHash; // read before the guest moves on (Point.stateHash)
      if (hash !== undefined) this.finalStates.add(hash);
    }
    if (found) this.recordBug(found, leaf.node);
    this.monitor.recordBranch(this.levels.length - 1);
    this.analyse();
    this.estimator.addBranch(this.estimateLevels());
  }

  private recordBug(b: Bug, node: number): void {
    const key = bugKey(b);
    const known = this.bugs.get(key);
    if (known) {
      known.occurrences++;
      return;
    }
    const report: BugReport = {
      class: b.class, message: b.message, tid: b.tid, thread: b.tid === null ? null : this.guest.threadName(b.tid),
      location: b.location, details: [...b.details], schedule: encodeSchedule(this.levels.slice(0, -1).flatMap((l) => l.steps), this.options.dataRacePoints),
      branch: this.branches, node, occurrences: 1,
    };
    this.bugs.set(key, report);
    this.emit({ kind: 'bug', bug: report });
  }

  /** Happens-before over the branch: transition events, race findings, DPOR backtrack points. */
  private analyse(): void {
    const transitions = this.path;
    const nodes = this.nodes;
    const hb = this.analyser.analyse(transitions, this.runnables);
    const from = this.fresh;
    this.fresh = this.levels.length;
    if (this.sink) {
      for (let k = from; k < this.levels.length; k++) {
        const t = transitions[k - 1];
        const onWords = hb.wordDependencies[k];
        this.emit({ kind: 'transition', node: nodes[k], tid: t.tid, instructions: t.instructions, reads: t.reads.slice(), writes: t.writes.slice(),
          conflicts: hb.dependencies[k].map((j) => ({ node: nodes[j], words: onWords.includes(j) ? conflictWords(transitions[j - 1], t) : [] })) });
      }
    }
    for (const race of this.races.observe(transitions, this.runnables, hb, nodes, from)) this.emit({ kind: 'race', race: { ...race } });
    if (this.options.mode !== 'dpor') return;
    this.backtrackRaces(hb, transitions);
    this.backtrackPending(transitions, this.runnables);
  }

  /**
   * Adds DPOR backtrack points for the races of `hb` whose later transition is at position >= from. A
   * race found again (the analyser keeps the race objects of a shared prefix) reuses its reversal
   * initials, and is skipped once its tag can change nothing more (see `tag`).
   */
  private backtrackRaces(hb: HappensBefore, transitions: readonly TransitionSummary[], from = 1): void {
    const floor = this.options.prefix.length;
    for (const race of hb.races) {
      if (race.second < from || race.first - 1 < floor) continue;
      let initials = this.reversals.get(race);
      if (initials === null) continue;
      const later = transitions[race.second - 1].tid;
      if (this.options.preemptionBound !== null) {
        // Bounded, the race's later thread itself is tagged: no initials needed.
        this.tag(race.first - 1, [later], later);
        continue;
      }
      if (initials === undefined) this.reversals.set(race, (initials = reversalInitials(hb, transitions, race)));
      if (!this.tag(race.first - 1, initials, later)) this.reversals.set(race, null);
    }
  }

  /** Reversal initials of the races seen so far; null once a race's tag can change nothing more. */
  private readonly reversals = new WeakMap<Race, readonly ThreadId[] | null>();

  /**
   * A branch cut short is not a maximal execution, so the races of the transitions that never ran must
   * be found here. A bug (or a stuck transition) halts the whole system, so it is dependent with the
   * pending transition of every other thread (Flanagan & Godefroid consider every process, enabled or
   * not): all threads runnable at the point before it are explored there. A branch ended by its sleep set
   * or by the bound has pending transitions known from the sleep set or explored siblings (or probed by
   * running them); their races with the branch are analysed as if each ran next.
   */
  private backtrackPending(transitions: readonly TransitionSummary[], enabled: readonly (readonly ThreadId[])[]): void {
    const leafIndex = this.levels.length - 1;
    const leaf = this.levels[leafIndex];
    const status = leaf.point.status;
    if (status === 'done' || (status === 'running' && leaf.point.runnable.length === 0)) return;
    if (status === 'bug' || status === 'stuck') {
      const before = this.levels[leafIndex - 1];
      if (!before) return;
      this.tag(leafIndex - 1, before.point.runnable, null);
      return;
    }
    if (leafIndex < this.options.prefix.length) return;
    for (const p of leaf.point.runnable) {
      let pending = leaf.sleep.get(p) ?? leaf.explored.get(p);
      if (!pending) {
        this.restoreTo(leafIndex);
        pending = this.stepThrough(p).transition;
      }
      const probe = [...transitions, pending];
      // The probe extends this branch's execution: only its last transition is analysed afresh.
      const hb = this.analyser.analyse(probe, [...enabled, enabled[leafIndex]]);
      this.backtrackRaces(hb, probe, leafIndex + 1);
    }
  }

  /**
   * Adds the backtrack point that reverses a race at level `index`: a reversal can start with any of
   * `initials`, the race's later transition is `later`'s (null: every initial must run there, as after a
   * bug). Unbounded, one enabled initial is enough (a source set), or every runnable thread when none is
   * enabled. Under a preemption bound that is not enough: the bound makes otherwise independent
   * transitions dependent, so a reversal that starts well may still need more preemptions than the
   * branch has left. Bounded partial-order reduction (Coons, Musuvathi & McKinley, OOPSLA 2013) tags
   * `later` itself (or every runnable thread when it is not runnable there), and conservatively tags it
   * also at the latest earlier level where the branch switched threads at no extra cost (it preempted
   * there, or the current thread could not go on), where switching to `later` instead costs no more
   * preemptions than the branch already spent. (A switch the kernel made on its own, e.g. after a
   * thread blocked, does not count: choosing another thread than the kernel's there is a preemption.)
   * Returns false when the tag changed nothing and never will (unbounded: an initial is already in the
   * backtrack or sleep set there).
   */
  private tag(index: number, initials: readonly ThreadId[], later: ThreadId | null): boolean {
    if (index < this.options.prefix.length) return false;
    const level = this.levels[index];
    if (this.options.preemptionBound === null) {
      // Settled for good: the backtrack set only grows and the sleep set is fixed.
      if (later !== null && initials.some((t) => level.todo.has(t) || level.sleep.has(t))) return false;
      const enabledHere = later === null ? initials : initials.filter((t) => level.point.runnable.includes(t));
      this.addBacktrack(level, later !== null && enabledHere.length ? [enabledHere[0]] : level.point.runnable);
      return true;
    }
    const threads = later === null ? initials : [later];
    this.addBacktrack(level, threads);
    let j = index - 1;
    while (j >= this.options.prefix.length && !this.freeSwitch(this.levels[j])) j--;
    if (j >= this.options.prefix.length) this.addBacktrack(this.levels[j], threads);
    return true;
  }

  /** Whether the branch may run another thread at `level` for no more preemptions than its own choice cost. */
  private freeSwitch(level: Level<C>): boolean {
    return this.isPreemption(level, level.chosen!) || !level.point.runnable.includes(level.point.current);
  }

  /** Tags `threads` at `level` (every runnable thread when none of them is runnable there); a node-status event says when that grew its todo set. */
  private addBacktrack(level: Level<C>, threads: readonly ThreadId[]): void {
    const enabled = threads.filter((t) => level.point.runnable.includes(t));
    const before = level.todo.size;
    for (const t of enabled.length ? enabled : level.point.runnable) level.todo.add(t);
    if (level.todo.size === before) return; // already tagged: nothing changed
    level.estimate = null;
    this.emit({ kind: 'node-status', id: level.node, status: 'point', todo: [...level.todo], done: [...level.done], sleep: [...level.sleep.keys()] });
  }

  /** The current path by position, alongside `levels`: its transitions (position k at k - 1), runnable sets and nodes (at k). */
  private readonly path: TransitionSummary[] = [];
  private readonly runnables: (readonly ThreadId[])[] = [];
  private readonly nodes: number[] = [];
  /** The first level whose incoming transition has not been analysed (reported and race-checked) yet. */
  private fresh = 1;
  /** Happens-before analyses of the branches and probes, each reusing the prefix shared with the one before. */
  private readonly analyser = new HappensBeforeAnalyser();

  /** The lowest thread still to explore at a level (within the bound, not asleep), or null. */
  private nextCandidate(level: Level<C>): ThreadId | null {
    let next: ThreadId | null = null;
    for (const t of level.todo) {
      if (level.done.has(t) || level.sleep.has(t) || !this.withinBound(level, t)) continue;
      if (next === null || t < next) next = t;
    }
    return next;
  }

  private hasPending(): boolean {
    for (let k = this.levels.length - 2; k >= this.options.prefix.length; k--) if (this.nextCandidate(this.levels[k]) !== null) return true;
    return false;
  }

  /** The path as the estimator sees it; a level is recomputed only after it changed (see `Level.estimate`). */
  private estimateLevels(): EstimateLevel[] {
    const out: EstimateLevel[] = [];
    for (let k = 0; k < this.levels.length - 1; k++) {
      const l = this.levels[k];
      out.push((l.estimate ??= this.estimateLevel(l, this.levels[k + 1].transition!.instructions)));
    }
    return out;
  }

  private estimateLevel(l: Level<C>, edgeCost: number): EstimateLevel {
    // Marked: explored, or still to explore (within the bound, not asleep).
    let marked = l.done.size;
    let exploredPreempting = 0;
    for (const t of l.done) if (this.isPreemption(l, t)) exploredPreempting++;
    let markedPreempting = exploredPreempting;
    for (const t of l.todo) {
      if (l.done.has(t) || l.sleep.has(t) || !this.withinBound(l, t)) continue;
      marked++;
      if (this.isPreemption(l, t)) markedPreempting++;
    }
    return { marked, explored: l.done.size, finishedCost: l.finishedCost, edgeCost,
      preempting: { marked: markedPreempting, explored: exploredPreempting, finishedCost: l.preemptingCost, onPath: this.isPreemption(l, l.chosen!) } };
  }

  /** Moves to the deepest level with something left to explore and takes it; false when none is left. */
  private backtrack(): boolean {
    let k = this.levels.length - 2;
    while (k >= this.options.prefix.length && this.nextCandidate(this.levels[k]) === null) k--;
    if (k < this.options.prefix.length) return false;
    while (this.levels.length > k + 1) {
      const popped = this.popLevel();
      const parent = this.levels[this.levels.length - 1];
      const cost = popped.transition!.instructions + popped.finishedCost;
      parent.finishedCost += cost;
      parent.estimate = null;
      if (this.isPreemption(parent, parent.chosen!)) parent.preemptingCost += cost;
      if (popped.point.status === 'running' && this.tree.status(popped.node) === 'point') {
        this.emit({ kind: 'node-status', id: popped.node, status: 'point', todo: [...popped.todo], done: [...popped.done], sleep: [...popped.sleep.keys()] });
      }
    }
    this.fresh = k + 1;
    this.restoreTo(k);
    const level = this.levels[k];
    this.take(level, this.nextCandidate(level)!);
    return true;
  }

  /** Puts the guest in the state of level k: nearest checkpoint at or above it, then replay. */
  private restoreTo(k: number): void {
    let c = k;
    while (c > 0 && this.levels[c].checkpoint === null) c--;
    const base = this.levels[c];
    this.guest.setDataRacePoints?.(this.options.dataRacePoints);
    if (base.checkpoint === null) this.guest.start();
    else this.guest.restore(base.checkpoint);
    for (let i = c; i < k; i++) {
      const level = this.levels[i];
      let point: Point | null = null;
      for (const tid of level.steps) point = this.guest.step(tid, Number.MAX_SAFE_INTEGER).point;
      if (!point) throw new ExploreError(`no choice recorded at depth ${i}`);
      const expected = this.levels[i + 1].point;
      if (point.status !== expected.status || point.runnable.join() !== expected.runnable.join() || point.current !== expected.current) {
        throw new ExploreError(`the guest is not deterministic: replaying TID ${level.chosen} at depth ${i} reached [${point.runnable.join(', ')}] (current ${point.current}) instead of [${expected.runnable.join(', ')}] (current ${expected.current})`);
      }
    }
  }
}
