// An exploration session: the explorer behind the commands and events of events.ts, used alike by the
// worker (the IDE) and the CLI. The caller owns time: it passes a clock (seconds) and calls `runSlice`
// repeatedly (between slices it can deliver commands), so the engine itself never reads a clock or
// blocks. Events are batched per slice. Navigation (go to a node, step by preemption point or by
// instruction) runs on the guest between branches: it restores the checkpoint of the nearest node on
// the way that it visited before (it keeps NAVIGATION_MARKS of them; else the start of the test) and
// re-executes the rest of the schedule deterministically, checking each point against the tree. Every
// navigation command positions the guest afresh (the search, or a report, may have used it since), and
// the explorer restores its own state from its checkpoints before the next branch, so navigation never
// disturbs the search.
// With `iterativeDeepening`, small explorations probe first (Quicksand's small preemption-point sets,
// Blum et al., OOPSLA 2016, and CHESS's iterative context bounding): after the full exploration's first
// branch has shown the preemption-point sites, probes explore, in order, bound 0 and then every bound
// from 1 up with one site kept at a time, each up to a branch budget, while every
// FULL_EXPLORATION_TURN-th branch is the full exploration's; then the full exploration goes on alone.
// Data-race probes (Quicksand's handling of a new data race): when an exploration (the full one or a
// probe) finds a data race, the instruction of its earlier access gets a data-race preemption point (a
// point just before it, so the later access can come first; when the race is confirmed in the other
// order, the other access's too), and two probes are queued: a small one that keeps only that point,
// and a big one with the finder's sites and points plus it (unless the finder keeps every site: the
// full exploration plus one point would be about as big as itself), both under the session's bound (2 when
// unbounded). The data-race probes run by priority (confirmed races first, then suspected ones; the
// small probes of each kind before its big ones; in order within each), taking turns with the planned
// probes (a race probe, a planned probe, ...), so neither kind starves the other; a probe runs once (the
// same sites, points and bound are not probed twice), and not when a probe that found a bug keeps a
// subset of its sites and points.
// A probe's bug is re-run in the full tree from its full schedule (so its report names a node there),
// unless the probe had data-race points the full exploration has not (its tree has no such points): then
// the probe's own report stands, with its schedule (which names the points and replays with them) and
// node -1. Likewise a race a probe finds that the full exploration has not is reported (a race event, and
// in `races()`) with node -1 on both sides. Only the full exploration's completion makes the session complete.

import type { BugReport, EventSink, ExplorerCommand, ExplorerEvent, Progress, SessionState } from './events.ts';
import type { ThreadId } from './model/transition.ts';
import { Explorer, type ExploreOptions, type ExploreResult } from './search/explorer.ts';
import type { Guest } from './search/guest.ts';
import { bugKey } from './detectors/bug.ts';
import { raceKey, type RaceFinding } from './detectors/data-race.ts';
import { pointSite } from './search/preemption-sites.ts';
import { decodeSchedule, encodeSchedule, normalisePoints } from './search/schedule.ts';

export interface SessionOptions extends Partial<ExploreOptions> {
  /** Stop after this many seconds of the caller's clock; null: no limit. */
  timeLimitSeconds?: number | null;
  /** Probe small explorations first (see the file header); for finding bugs fast. */
  iterativeDeepening?: boolean;
}

/** How many visited nodes navigation keeps a guest checkpoint of. */
export const NAVIGATION_MARKS = 64;

/** Branches a probe may take before the session moves on to the next. */
export const PROBE_BRANCHES = 128;
/**
 * While probing, every this many-th branch is the full exploration's (Quicksand runs it as one job among
 * the probes, so it gets a core's share). Measured on the planted bugs, all found by probes: an 8th of
 * the branches takes 10-15% fewer branches to each bug than a 4th did.
 */
export const FULL_EXPLORATION_TURN = 8;
/**
 * Probe priorities, most urgent first (Quicksand's DR_CONFIRMED, DR_SUSPECTED, then the other sets); a
 * race's big probe comes after the small probes of its kind (priority + 1): small sets first.
 */
const CONFIRMED_RACE = 0;
const SUSPECTED_RACE = 2;
const PLANNED = 4;

interface Probe {
  explorer: Explorer;
  priority: number;
}

/** Where navigation has put the guest: at tree node `node`, `offset` instructions into running `tid`. */
export interface Cursor {
  node: number;
  tid: ThreadId | null;
  offset: number;
}

export class ExplorationSession {
  private readonly main: Explorer;
  private active: Explorer;
  private readonly branches: Explorer[] = [];
  /**
   * Iterative deepening's probes still to run, in two queues taking turns (the planned probes, the
   * data-race probes; each queue's first is running), and their finished probes' branches.
   */
  private probes: [Probe[], Probe[]] | null = null;
  private lane = 0;
  private probeBranches = 0;
  private turns = 0;
  private readonly probed = new Set<string>();
  /** Probes queued so far (sites, data-race points and bound), so none runs twice. */
  private readonly queued = new Set<string>();
  /** Races already turned into data-race probes: new ones, and confirmed ones. */
  private readonly racesSeen = new WeakSet<RaceFinding>();
  private readonly racesConfirmed = new WeakSet<RaceFinding>();
  /** The options of probes that found a bug (probes keeping more than one of them are skipped). */
  private readonly bugFinders: ExploreOptions[] = [];
  /** Bugs found only by data-race probes, as they reported them. */
  private readonly raceProbeBugs: BugReport[] = [];
  /** Races the probes found, by pair (raceKey), as reported: their nodes are -1 (a probe's tree is not the full one). */
  private readonly probeFoundRaces = new Map<string, RaceFinding>();
  private stateValue: SessionState = 'idle';
  private readonly startedAt: number;
  private pausedAt: number | null = null;
  private pausedTotal = 0;
  private pending: ExplorerEvent[] = [];
  private cursor: Cursor | null = null;
  /** Guest checkpoints of nodes navigation went to, oldest first. */
  private readonly marks = new Map<number, unknown>();

  constructor(private readonly guest: Guest, private readonly options: SessionOptions,
    private readonly sink: EventSink, private readonly clock: () => number) {
    this.main = new Explorer(guest, options, this.collect);
    this.active = this.main;
    this.startedAt = clock();
  }

  get state(): SessionState {
    return this.stateValue;
  }

  get explorer(): Explorer {
    return this.main;
  }

  private setState(state: SessionState, message?: string): void {
    this.stateValue = state;
    this.pending.push(message === undefined ? { kind: 'state', state } : { kind: 'state', state, message });
  }

  /**
   * The sink of the searches that report in the full tree. A search numbers a bug by its own branches;
   * the report gets the session's count instead (every search's branches, as progress counts them), so
   * that "found in branch N" and the progress line agree.
   */
  private readonly collect = (batch: ExplorerEvent[]): void => {
    for (const e of batch) if (e.kind === 'bug') e.bug.branch = this.branchCount();
    this.pending.push(...batch);
  };

  private flush(): void {
    if (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      this.sink(batch);
    }
  }

  /** Seconds of exploration so far (pauses excluded). */
  elapsedSeconds(): number {
    const now = this.pausedAt ?? this.clock();
    return Math.max(0, now - this.startedAt - this.pausedTotal);
  }

  progress(): Progress {
    const est = this.main.estimator.snapshot();
    const complete = this.main.done && this.main.complete;
    const bugs = this.bugs().length;
    const branches = this.branchCount();
    // The main exploration's estimate plus what the other searches (probes, branch commands) took.
    const others = branches - this.main.branchCount;
    return {
      branches,
      estimatedBranches: complete ? branches : Math.round(est.estimatedBranches) + others,
      percent: complete ? 100 : Math.round(est.fraction * 1000) / 10,
      elapsedSeconds: this.elapsedSeconds(),
      etaSeconds: complete ? 0 : this.main.estimator.eta(this.elapsedSeconds()),
      nodes: this.main.tree.size,
      bugs,
      races: this.main.races.count + this.probeOnlyRaces().length,
      complete,
    };
  }

  /** Branches of every search so far: the full exploration, branch commands and probes. */
  private branchCount(): number {
    return this.all().reduce((n, e) => n + e.branchCount, 0) + this.probeBranches
      + (this.probes ?? []).reduce((n, queue) => n + (queue[0]?.explorer.branchCount ?? 0), 0);
  }

  private all(): Explorer[] {
    return [this.main, ...this.branches];
  }

  bugs(): BugReport[] {
    const seen = new Map<string, BugReport>();
    for (const b of [...this.all().flatMap((e) => e.bugReports()), ...this.raceProbeBugs]) {
      const key = bugKey(b);
      if (!seen.has(key)) seen.set(key, b);
    }
    return [...seen.values()];
  }

  /** Every data-race finding: the full exploration's, then those only probes found (with node -1). */
  races(): RaceFinding[] {
    return [...this.main.races.findings(), ...this.probeOnlyRaces()];
  }

  private probeOnlyRaces(): RaceFinding[] {
    return [...this.probeFoundRaces.values()].filter((f) => !this.main.races.has(f));
  }

  result(): ExploreResult {
    return { ...this.main.result(), bugs: this.bugs() };
  }

  /**
   * Runs branches for about `sliceSeconds` of the caller's clock (at least one branch). Returns true
   * while there is more to do and the session is running.
   */
  runSlice(sliceSeconds = 0.05): boolean {
    if (this.stateValue === 'idle') this.setState('running');
    if (this.stateValue !== 'running') {
      this.flush();
      return false;
    }
    const until = this.clock() + sliceSeconds;
    try {
      do {
        if (!this.probing() && !this.active.runBranch()) {
          if (this.active !== this.main) {
            this.active = this.main;
            continue;
          }
          this.setState('finished');
          break;
        }
        if (this.stateValue !== 'running') break;
        // The branch limit counts every search's branches (the full exploration alone stops there too).
        const max = this.options.maxBranches;
        if (max !== undefined && max !== null && this.branchCount() >= max) {
          this.setState('finished');
          break;
        }
        const limit = this.options.timeLimitSeconds;
        if (limit !== undefined && limit !== null && this.elapsedSeconds() >= limit) {
          this.setState('stopped', `time limit of ${limit} s reached`);
          break;
        }
      } while (this.clock() < until);
    } catch (e) {
      this.setState('error', e instanceof Error ? e.message : String(e));
    }
    this.pending.push({ kind: 'progress', progress: this.progress() });
    this.flush();
    return this.stateValue === 'running';
  }

  /**
   * Runs one branch of the current probe when there is one (and reports its new bugs, and queues
   * probes for its new races); false when probing is over (or not asked for) and the full exploration
   * should run.
   */
  private probing(): boolean {
    if (!this.options.iterativeDeepening || this.active !== this.main || this.main.branchCount === 0) return false;
    if (!this.probes) {
      this.probes = [[], []];
      for (const plan of this.planProbes()) this.queue(plan, PLANNED);
    }
    this.probeRaces(this.main);
    if (++this.turns % FULL_EXPLORATION_TURN === 0) return false;
    const lane = this.probes[this.lane].length ? this.lane : 1 - this.lane;
    const queue = this.probes[lane];
    const probe = queue[0]?.explorer;
    if (!probe) return false;
    this.lane = 1 - lane;
    const more = probe.runBranch();
    for (const b of probe.bugReports()) {
      if (this.probed.has(b.schedule)) continue;
      this.probed.add(b.schedule);
      this.bugFinders.push(probe.options);
      // The full tree has the points of the full exploration only.
      if (normalisePoints(probe.options.dataRacePoints).join() === normalisePoints(this.main.options.dataRacePoints).join()) this.rerun(b);
      else this.reportRaceProbeBug(b);
      if (this.options.stopOnFirstBug) this.setState('finished');
    }
    this.probeRaces(probe);
    if (!more || probe.branchCount >= PROBE_BRANCHES) {
      this.probeBranches += probe.branchCount;
      queue.shift();
    }
    return true;
  }

  /** A probe's bug, run again in the full tree without the probe's restrictions: a bug report with a node there. */
  private rerun(b: BugReport): void {
    const rerun = new Explorer(this.guest, { ...this.options, prefix: decodeSchedule(b.schedule).choices, maxBranches: 1, preemptionSites: null, preemptionBound: null },
      this.collect, this.main.tree);
    rerun.runBranch(); // its branch repeats the probe's, counted already
    this.branches.push(rerun);
  }

  /** A data-race probe's bug: its own report (the full tree has not its points), when the bug is new. */
  private reportRaceProbeBug(b: BugReport): void {
    if (this.bugs().some((known) => bugKey(known) === bugKey(b))) return;
    const report = { ...b, details: [...b.details], node: -1, branch: this.branchCount() };
    this.raceProbeBugs.push(report);
    this.pending.push({ kind: 'bug', bug: report });
  }

  /**
   * Queues the data-race probes of `finder`'s races not seen before (the earlier access of a new race,
   * the later one of a newly confirmed race): a small probe keeping only that point, and a big one with
   * the finder's sites and points plus it when the finder keeps only some sites.
   */
  private probeRaces(finder: Explorer): void {
    // Nothing could preempt at the points under bound 0; some guests have no such points.
    if (this.options.preemptionBound === 0 || !this.guest.setDataRacePoints) return;
    for (const race of finder.races.findings()) {
      let eip: number;
      if (!this.racesSeen.has(race)) {
        this.racesSeen.add(race);
        eip = race.first.eip;
      } else if (race.confirmed && !this.racesConfirmed.has(race)) {
        eip = race.second.eip;
      } else {
        continue;
      }
      if (finder !== this.main) this.reportProbeRace(race);
      if (race.confirmed) this.racesConfirmed.add(race);
      const priority = race.confirmed ? CONFIRMED_RACE : SUSPECTED_RACE;
      const site = pointSite({ reason: 'data-race', location: this.guest.locate(eip) });
      const bound = this.options.preemptionBound ?? 2;
      const { preemptionSites: sites, dataRacePoints: points } = finder.options;
      this.queue({ sites: [site], points: [eip], bound }, priority);
      // A finder keeping every site (the full exploration, bound 0's probe) has no small set to grow.
      if (sites) this.queue({ sites: [...sites, site], points: [...points, eip], bound }, priority + 1);
    }
  }

  /**
   * Reports a race a probe found (new to it, or just confirmed there) unless the full exploration has the
   * same pair: a new pair once, and again when it becomes confirmed, by the probe or by two probes that
   * saw its two orders. The full exploration's report of a pair replaces a probe's (see `races`).
   */
  private reportProbeRace(race: RaceFinding): void {
    if (this.main.races.has(race)) return;
    const key = raceKey(race);
    const known = this.probeFoundRaces.get(key);
    if (!known) {
      const copy = { ...race, first: { ...race.first, locks: [...race.first.locks], node: -1 }, second: { ...race.second, locks: [...race.second.locks], node: -1 } };
      this.probeFoundRaces.set(key, copy);
      this.pending.push({ kind: 'race', race: { ...copy } });
      return;
    }
    const otherOrder = known.first.eip !== race.first.eip || known.first.write !== race.first.write || known.first.tid !== race.first.tid;
    if (known.confirmed || !(race.confirmed || otherOrder)) return;
    known.confirmed = true;
    this.pending.push({ kind: 'race', race: { ...known } });
  }

  /**
   * Queues a planned probe last in the planned queue, or a data-race probe in the other behind those of
   * its priority or a more urgent one (never ahead of a running one), unless the same probe was queued
   * before or it keeps all the sites and points of a probe that found a bug.
   */
  private queue(plan: { sites: string[] | null; points: number[]; bound: number | null }, priority: number): void {
    const sites = plan.sites && [...new Set(plan.sites)].sort();
    const points = normalisePoints(plan.points);
    const key = JSON.stringify([sites, points, plan.bound]);
    if (this.queued.has(key)) return;
    this.queued.add(key);
    const covers = (found: ExploreOptions) => found.dataRacePoints.every((p) => points.includes(p))
      && (sites === null || (found.preemptionSites !== null && found.preemptionSites.every((x) => sites.includes(x))));
    if (this.bugFinders.some(covers)) return;
    const explorer = new Explorer(this.guest, { ...this.options, preemptionSites: sites, dataRacePoints: points, preemptionBound: plan.bound, maxBranches: null, prefix: [] });
    const queue = this.probes![priority === PLANNED ? 0 : 1];
    const running = queue.length > 0 && queue[0].explorer.branchCount > 0 ? 1 : 0;
    let at = queue.length;
    while (at > running && queue[at - 1].priority > priority) at--;
    queue.splice(at, 0, { explorer, priority });
  }

  /**
   * The planned probes: bound 0 (every site), then for each bound from 1 up to the full exploration's
   * (up to 2, then unbounded, when it is unbounded) one probe per site where its first branch had a
   * choice, the kernel's explicit tell_landslide_preempt() sites first. With one preemption the
   * single-site probes cover every site's schedules, so no all-sites probe is needed between bound 0 and
   * the full exploration.
   */
  private planProbes(): { sites: string[] | null; points: number[]; bound: number | null }[] {
    const sites: string[] = [];
    for (const n of this.main.tree.nodes()) {
      const site = pointSite(n);
      if (n.parent >= 0 && n.runnable.length > 1 && !sites.includes(site)) sites.push(site);
    }
    const explicit = (site: string) => (site.startsWith('preempt@') ? 0 : 1);
    sites.sort((a, b) => explicit(a) - explicit(b));
    const bound = this.options.preemptionBound ?? null;
    if (bound === 0) return [];
    const points = [...this.main.options.dataRacePoints];
    const plan: { sites: string[] | null; points: number[]; bound: number | null }[] = [{ sites: null, points, bound: 0 }];
    for (let b = 1; b <= (bound ?? 2); b++) for (const site of sites) plan.push({ sites: [site], points, bound: b });
    if (bound === null) for (const site of sites) plan.push({ sites: [site], points, bound: null });
    return plan;
  }

  /** Applies a command; its events go out at once. */
  command(c: ExplorerCommand): void {
    try {
      this.apply(c);
    } catch (e) {
      this.setState('error', e instanceof Error ? e.message : String(e));
    }
    this.flush();
  }

  private apply(c: ExplorerCommand): void {
    switch (c.kind) {
      case 'start':
        if (this.stateValue === 'idle') this.setState('running');
        break;
      case 'pause':
        if (this.stateValue === 'running') {
          this.pausedAt = this.clock();
          this.setState('paused');
        }
        break;
      case 'resume':
        if (this.stateValue === 'paused') {
          this.pausedTotal += this.clock() - (this.pausedAt ?? this.clock());
          this.pausedAt = null;
          this.setState('running');
        }
        break;
      case 'stop':
        if (this.stateValue === 'running' || this.stateValue === 'paused' || this.stateValue === 'idle') this.setState('stopped');
        break;
      case 'branch': {
        const prefix = [...this.main.tree.schedule(c.node), c.tid];
        const sub = new Explorer(this.guest, { ...this.options, prefix }, this.collect, this.main.tree);
        this.branches.push(sub);
        this.active = sub;
        if (this.stateValue !== 'paused') this.setState('running');
        break;
      }
      case 'goto':
        this.goTo(c.node);
        break;
      case 'step':
        for (let i = 0; i < (c.count ?? 1); i++) this.step(c.unit, c.direction);
        break;
    }
  }

  private position(point: { current: ThreadId; location: string }): void {
    const cur = this.cursor!;
    this.pending.push({ kind: 'position', node: cur.node, tid: cur.tid, offset: cur.offset, current: point.current,
      location: point.location, stack: this.guest.stack(), schedule: encodeSchedule(this.main.tree.schedule(cur.node), this.main.options.dataRacePoints) });
  }

  /** Puts the guest at tree node `node` and reports the position. */
  private goTo(node: number): void {
    this.cursor = { node, tid: null, offset: 0 };
    this.position(this.reach(node));
  }

  /**
   * Puts the guest in the state of tree node `node`: from the nearest visited node on its path (or the
   * start), re-executing the choices after it; returns the point reached. Throws when a re-executed
   * point differs from the tree's (a nondeterministic guest).
   */
  private reach(node: number): { current: ThreadId; location: string } {
    const tree = this.main.tree;
    const path: number[] = [];
    for (let n = node; n >= 0; n = tree.parent(n)) path.unshift(n);
    let from = path.length - 1;
    while (from > 0 && !this.marks.has(path[from])) from--;
    const mark = this.marks.get(path[from]);
    this.guest.setDataRacePoints?.(this.main.options.dataRacePoints);
    if (mark === undefined) this.guest.start();
    else this.guest.restore(mark);
    for (let i = from + 1; i < path.length; i++) {
      const expected = tree.node(path[i]);
      const { point } = this.guest.step(expected.tid, Number.MAX_SAFE_INTEGER);
      if (point.current !== expected.current || point.runnable.join() !== expected.runnable.join()) {
        throw new Error(`the guest is not deterministic: going to node ${node}, running TID ${expected.tid} reached [${point.runnable.join(', ')}] (current ${point.current}) instead of [${expected.runnable.join(', ')}] (current ${expected.current})`);
      }
    }
    if (from < path.length - 1) {
      this.marks.set(node, this.guest.save());
      if (this.marks.size > NAVIGATION_MARKS) this.marks.delete(this.marks.keys().next().value!);
    }
    return tree.node(node);
  }

  /** The thread to run next from `node`: the child already explored first along the tree, else the current thread. */
  private nextChoice(node: number): ThreadId | null {
    const n = this.main.tree.node(node);
    if (n.status !== 'point' || n.runnable.length === 0) return null;
    const explored = this.main.tree.childrenOf(node).map((id) => this.main.tree.node(id).tid);
    if (explored.includes(n.current)) return n.current;
    return explored[0] ?? (n.runnable.includes(n.current) ? n.current : n.runnable[0]);
  }

  private step(unit: 'point' | 'instruction', direction: 'forward' | 'backward'): void {
    const cur = this.cursor ?? { node: 0, tid: null, offset: 0 };
    const tree = this.main.tree;
    if (unit === 'point') {
      if (direction === 'backward') {
        const parent = cur.offset > 0 ? cur.node : tree.parent(cur.node);
        if (parent >= 0) this.goTo(parent);
        return;
      }
      const tid = this.nextChoice(cur.node);
      if (tid === null) return;
      const child = tree.child(cur.node, tid);
      if (child !== undefined) {
        this.goTo(child);
        return;
      }
      this.reach(cur.node);
      const { point } = this.guest.step(tid, Number.MAX_SAFE_INTEGER);
      this.cursor = { node: cur.node, tid, offset: 0 };
      this.pending.push({ kind: 'position', node: cur.node, tid, offset: -1, current: point.current, location: point.location,
        stack: this.guest.stack(), schedule: encodeSchedule([...tree.schedule(cur.node), tid], this.main.options.dataRacePoints) });
      return;
    }
    if (!this.guest.stepInstructions) throw new Error('this guest cannot step by instruction');
    // By instruction: back at the node, run the transition to one instruction after (or before) the cursor.
    if (direction === 'forward') {
      const tid = cur.tid ?? this.nextChoice(cur.node);
      if (tid === null) return;
      this.reach(cur.node);
      const r = this.guest.stepInstructions(tid, cur.offset + 1);
      if (r.step) {
        const child = tree.child(cur.node, tid);
        this.cursor = { node: child ?? cur.node, tid: child === undefined ? tid : null, offset: 0 };
        this.position(r.step.point);
      } else {
        this.cursor = { node: cur.node, tid, offset: r.executed };
        this.position(tree.node(cur.node));
      }
      return;
    }
    if (cur.offset === 0) {
      const parent = tree.parent(cur.node);
      if (parent < 0) return;
      this.goTo(parent);
      return;
    }
    const target = cur.offset - 1;
    this.reach(cur.node);
    if (target > 0 && cur.tid !== null) this.guest.stepInstructions(cur.tid, target);
    this.cursor = { node: cur.node, tid: cur.tid, offset: target };
    this.position(tree.node(cur.node));
  }
}
