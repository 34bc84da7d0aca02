// Happens-before over one execution and its races (Flanagan & Godefroid, POPL 2005; races and
// reversal initials as in Source-DPOR, Abdulla et al., POPL 2014). Transition k (1-based position in
// the execution) happens after: the previous transition of its thread (program order); the
// transition that enabled its thread (made it runnable: forking, waking, unlocking; Landslide's
// "enabler", needed because scheduler bookkeeping is not tracked as memory); and every earlier
// dependent transition. Two transitions j < k of different threads race when they are dependent and
// j does not happen before k through anything but their own direct edge: reversing them may give a
// new Mazurkiewicz trace.

import { indexOfWord, sharesWords, touchesFreed, type ThreadId, type TransitionSummary } from '../model/transition.ts';
import { VectorClock } from '../model/vector-clock.ts';

export interface Race {
  /** Positions (1-based) of the earlier and the later transition. */
  readonly first: number;
  readonly second: number;
}

export interface HappensBefore {
  /** `clocks[k]` is the clock of transition k (index 0 is the empty clock of the start). */
  readonly clocks: readonly VectorClock[];
  /** Ordered by the later transition (`second`), then as found. */
  readonly races: readonly Race[];
  /** Dense index of each thread in the clocks. */
  readonly index: ReadonlyMap<ThreadId, number>;
  /** `dependencies[k]`: earlier positions of other threads that k is dependent on (for the event stream), ascending. */
  readonly dependencies: readonly (readonly number[])[];
  /**
   * `wordDependencies[k]`: those of dependencies[k] that conflict with k on a word (one writes a word the
   * other accesses), ascending; the others are dependent through a freed chunk or a stack only.
   */
  readonly wordDependencies: readonly (readonly number[])[];
}

/**
 * Transitions reading more words than this (a few, such as copying an address space, read thousands)
 * are not indexed by the words they read: a transition that writes is compared with each of them.
 */
const BIG_READS = 64;

/**
 * Positions (1-based) that read and that wrote each word, ascending, for the execution analysed last
 * (`held`); it grows and shrinks at its end, so the next execution keeps the entries of the prefix it
 * shares. Finding a transition's dependences then costs its accesses and those of the transitions it
 * shares words with, instead of a comparison with every earlier transition.
 */
class WordIndex {
  readonly held: TransitionSummary[] = [];
  private readonly readers = new Map<number, number[]>();
  private readonly writers = new Map<number, number[]>();
  /** Positions of each thread's transitions. */
  private readonly byThread = new Map<ThreadId, number[]>();
  /** Positions whose transitions touched each thread's stack. */
  private readonly stackTouchers = new Map<ThreadId, number[]>();
  /** Positions whose transitions freed chunks. */
  private readonly freers: number[] = [];
  /** Positions whose transitions read more than BIG_READS words (not in `readers`). */
  private readonly bigReaders: number[] = [];
  /** `stamp[j] === mark` when position j was found conflicting by the current search (a fresh mark per search). */
  private readonly stamp: number[] = [0];
  /** `wordStamp[j] === mark` when position j was found conflicting on a word by the current search. */
  private readonly wordStamp: number[] = [0];
  private mark = 0;

  push(t: TransitionSummary): void {
    this.held.push(t);
    const k = this.held.length;
    if (t.reads.length > BIG_READS) this.bigReaders.push(k);
    else for (let i = 0; i < t.reads.length; i++) listFor(this.readers, t.reads[i]).push(k);
    for (let i = 0; i < t.writes.length; i++) listFor(this.writers, t.writes[i]).push(k);
    listFor(this.byThread, t.tid).push(k);
    for (let i = 0; i < t.foreignStacks.length; i++) listFor(this.stackTouchers, t.foreignStacks[i]).push(k);
    if (t.freed.length > 0) this.freers.push(k);
    if (this.stamp.length <= k) {
      this.stamp.push(0);
      this.wordStamp.push(0);
    }
  }

  /** The latest held position of thread `tid`'s transitions (0: none). */
  lastOf(tid: ThreadId): number {
    const list = this.byThread.get(tid);
    return list ? list[list.length - 1] : 0;
  }

  /** Drops the positions after `length`. */
  truncate(length: number): void {
    while (this.held.length > length) {
      const k = this.held.length;
      const t = this.held.pop()!;
      if (t.reads.length > BIG_READS) this.bigReaders.pop();
      else for (let i = 0; i < t.reads.length; i++) popFrom(this.readers, t.reads[i]);
      for (let i = 0; i < t.writes.length; i++) popFrom(this.writers, t.writes[i]);
      popFrom(this.byThread, t.tid);
      for (let i = 0; i < t.foreignStacks.length; i++) popFrom(this.stackTouchers, t.foreignStacks[i]);
      if (this.freers.length > 0 && this.freers[this.freers.length - 1] === k) this.freers.pop();
    }
  }

  /**
   * Pushes to `out` the held positions of other threads whose transitions conflict with `t` (see
   * `conflicts`), and to `onWords` those of them that conflict on a word, both descending.
   */
  dependences(t: TransitionSummary, out: number[], onWords: number[]): void {
    this.mark++;
    const held = this.held;
    const { reads, writes, foreignStacks } = t;
    for (let i = 0; i < writes.length; i++) {
      this.addAll(this.readers.get(writes[i]), true);
      this.addAll(this.writers.get(writes[i]), true);
    }
    // A read set longer than the held written words (thousands when copying an address space) is
    // matched against those words rather than looked up word by word.
    if (reads.length > this.writers.size) {
      this.writers.forEach((list, w) => {
        if (indexOfWord(reads, w) >= 0) this.addAll(list, true);
      });
    } else {
      for (let i = 0; i < reads.length; i++) this.addAll(this.writers.get(reads[i]), true);
    }
    const { bigReaders, freers } = this;
    if (writes.length > 0) for (let i = 0; i < bigReaders.length; i++) if (sharesWords(writes, held[bigReaders[i] - 1].reads)) this.add(bigReaders[i], true);
    this.addAll(this.stackTouchers.get(t.tid), false);
    for (let i = 0; i < foreignStacks.length; i++) this.addAll(this.byThread.get(foreignStacks[i]), false);
    // (Positions of t's own thread are left out below: no need to look at their chunks and words.)
    for (let i = 0; i < freers.length; i++) {
      const j = freers[i];
      if (held[j - 1].tid !== t.tid && touchesFreed(held[j - 1].freed, t)) this.add(j, false);
    }
    if (t.freed.length > 0) {
      for (let j = 1; j <= held.length; j++) if (this.stamp[j] !== this.mark && held[j - 1].tid !== t.tid && touchesFreed(t.freed, held[j - 1])) this.add(j, false);
    }
    // The marked positions, descending (a scan of the path costs less than sorting what was found).
    for (let j = held.length; j >= 1; j--) {
      if (this.stamp[j] !== this.mark || held[j - 1].tid === t.tid) continue;
      out.push(j);
      if (this.wordStamp[j] === this.mark) onWords.push(j);
    }
  }

  /** Marks position j as found by the search under way (`word`: conflicting on a word). */
  private add(j: number, word: boolean): void {
    this.stamp[j] = this.mark;
    if (word) this.wordStamp[j] = this.mark;
  }

  private addAll(list: number[] | undefined, word: boolean): void {
    if (list) for (let i = 0; i < list.length; i++) this.add(list[i], word);
  }
}

function listFor(map: Map<number, number[]>, w: number): number[] {
  let list = map.get(w);
  if (!list) map.set(w, (list = []));
  return list;
}

/** Drops the last position listed for `w` (and the list once empty, so that a map's size counts its words in use). */
function popFrom(map: Map<number, number[]>, w: number): void {
  const list = map.get(w)!;
  list.pop();
  if (list.length === 0) map.delete(w);
}

/**
 * Happens-before analysis of the executions of one search, one after the other. Each analysis reuses
 * the work done for the prefix the execution shares (the same summary objects, which implies the same
 * runnable sets) with the execution analysed last, in place: the clocks, dependences and race objects
 * of the shared prefix stay, the rest is dropped and analysed afresh.
 */
export class HappensBeforeAnalyser {
  private readonly words = new WordIndex();
  private readonly index = new Map<ThreadId, number>();
  private readonly clocks: VectorClock[] = [new VectorClock()];
  private readonly races: Race[] = [];
  private readonly dependencies: (readonly number[])[] = [[]];
  private readonly wordDependencies: (readonly number[])[] = [[]];
  /** `slots[k]`: the clock index (in `index`) of position k's thread. */
  private readonly slots: number[] = [-1];
  /** The analysis of the execution analysed last: it changes with the next one. */
  private readonly result: HappensBefore = { clocks: this.clocks, races: this.races, index: this.index, dependencies: this.dependencies,
    wordDependencies: this.wordDependencies };

  /**
   * Analyses the execution `transitions` (transitions[k-1] is position k) given the runnable threads of
   * each state (`enabled[k]` after k transitions; enabled[0] at the start). The result is valid until
   * the next analysis, which keeps what it shares (positions, race objects) and replaces the rest.
   */
  analyse(transitions: readonly TransitionSummary[], enabled: readonly (readonly ThreadId[])[]): HappensBefore {
    const held = this.words.held;
    let from = 1;
    const limit = Math.min(held.length, transitions.length);
    while (from <= limit && held[from - 1] === transitions[from - 1]) from++;
    this.words.truncate(from - 1);
    const { index, clocks, races, dependencies, wordDependencies, slots } = this;
    if (from === 1) index.clear();
    clocks.length = from;
    slots.length = from;
    dependencies.length = from;
    wordDependencies.length = from;
    while (races.length > 0 && races[races.length - 1].second >= from) races.pop();
    const start = enabled[0] ?? [];
    for (let s = 0; s < start.length; s++) this.slotOf(start[s]);
    for (let k = from; k <= transitions.length; k++) {
      const t = transitions[k - 1];
      const i = this.slotOf(t.tid);
      const prev = this.words.lastOf(t.tid);
      const acc = clocks[prev].copy();
      // The enabler: the latest transition after which t.tid became runnable.
      for (let m = k - 1; m > prev; m--) {
        if (!enabled[m - 1]?.includes(t.tid) && enabled[m]?.includes(t.tid)) {
          acc.join(clocks[m]);
          break;
        }
      }
      const deps: number[] = [];
      const onWords: number[] = [];
      this.words.dependences(t, deps, onWords);
      for (let d = 0; d < deps.length; d++) {
        const j = deps[d];
        // Already ordered before k: clocks[j] is covered by acc, the join would change nothing.
        if (acc.get(slots[j]) >= j) continue;
        races.push({ first: j, second: k });
        acc.join(clocks[j]);
      }
      acc.set(i, k);
      clocks.push(acc);
      slots.push(i);
      dependencies.push(deps.reverse());
      wordDependencies.push(onWords.reverse());
      this.words.push(t);
    }
    return this.result;
  }

  /** The clock index of thread `tid` (the next free one if it has none yet). */
  private slotOf(tid: ThreadId): number {
    let i = this.index.get(tid);
    if (i === undefined) {
      i = this.index.size;
      this.index.set(tid, i);
    }
    return i;
  }
}

/** Whether position j happens before position k (j < k) in the analysed execution. */
export function happensBefore(hb: HappensBefore, transitions: readonly TransitionSummary[], j: number, k: number): boolean {
  if (j === 0) return true;
  const i = hb.index.get(transitions[j - 1].tid)!;
  return hb.clocks[k].get(i) >= j;
}

/**
 * The threads that can start a reversal of `race`: the initials of v = (the transitions after
 * `first` that do not happen after it) followed by `second`, i.e. the threads whose first event in v
 * has no happens-before predecessor in v.
 */
export function reversalInitials(hb: HappensBefore, transitions: readonly TransitionSummary[], race: Race): ThreadId[] {
  const v: number[] = [];
  for (let m = race.first + 1; m < race.second; m++) {
    if (!happensBefore(hb, transitions, race.first, m)) v.push(m);
  }
  v.push(race.second);
  const seen = new Set<ThreadId>();
  const initials: ThreadId[] = [];
  for (let a = 0; a < v.length; a++) {
    const tid = transitions[v[a] - 1].tid;
    if (seen.has(tid)) continue;
    seen.add(tid);
    let hasPredecessor = false;
    for (let b = 0; b < a && !hasPredecessor; b++) hasPredecessor = happensBefore(hb, transitions, v[b], v[a]);
    if (!hasPredecessor) initials.push(tid);
  }
  return initials;
}
