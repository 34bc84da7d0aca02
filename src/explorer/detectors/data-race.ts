// Data-race findings (landslide.md §4.3 check_locksets): two accesses by different threads to the same
// word, at least one a write, at least one with interrupts enabled, that are either
// - 'happens-before': unordered by happens-before (the execution's races, as the DPOR finds them), or
// - 'lockset': made with disjoint locksets (Landslide's "limited happens-before" mode): the mutexes are
//   left to the locksets, while thread creation and wakeup still order: a thread that could not run
//   from the earlier access on until a later transition of the accessing thread made it runnable (it
//   created or woke it) does everything after that access (`enabledBy`).
// Two atomic read-modify-writes (xchg with memory, lock-prefixed instructions) synchronise; they never race.
// A finding is "suspected" until both orders of the pair have been seen across branches, then
// "confirmed". Findings carry both accesses, so reports can show both sides.

import { conflictWords, indexOfWord, type AccessList, type ThreadId, type TransitionSummary } from '../model/transition.ts';
import type { HappensBefore } from '../search/happens-before.ts';

export type RaceMode = 'happens-before' | 'lockset';

export interface RaceAccess {
  tid: ThreadId;
  eip: number;
  write: boolean;
  locks: number[];
  /** Tree node the access's transition leads to. */
  node: number;
}

export interface RaceFinding {
  addr: number;
  first: RaceAccess;
  second: RaceAccess;
  confirmed: boolean;
  /** Branches in which the pair was seen. */
  count: number;
}

function disjoint(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (b.includes(a[i])) return false;
  return true;
}

/**
 * A transition's accesses chained by word, without a map: `firstRead[i]` / `firstWrite[i]` is the first
 * read / write access to `reads[i]` / `writes[i]` (-1 none), `next[p]` the next access of the same word
 * and kind after access p (-1 none). The arrays may be longer than the transition's lists (scratch chains).
 */
interface AccessChains {
  firstRead: Int32Array;
  firstWrite: Int32Array;
  next: Int32Array;
}

/** Chains of `t`'s accesses, in `chains` (arrays at least as long as t's read, write and access lists). */
function link(t: TransitionSummary, chains: AccessChains): AccessChains {
  const { firstRead, firstWrite, next } = chains;
  const { reads, writes, accesses } = t;
  firstRead.fill(-1, 0, reads.length);
  firstWrite.fill(-1, 0, writes.length);
  let lastRead = 0;
  let lastWrite = 0;
  for (let i = accesses.length - 1; i >= 0; i--) {
    // (An access whose word is not in the summary's lists, never for recorded or merged summaries, is left unchained.)
    if (accesses.write(i)) {
      const at = slotNear(writes, accesses.addr(i), lastWrite);
      if (at < 0) continue;
      lastWrite = at;
      next[i] = firstWrite[at];
      firstWrite[at] = i;
    } else {
      const at = slotNear(reads, accesses.addr(i), lastRead);
      if (at < 0) continue;
      lastRead = at;
      next[i] = firstRead[at];
      firstRead[at] = i;
    }
  }
  return chains;
}

/** Chains with room for `reads` reads, `writes` writes and `accesses` accesses. */
function newChains(reads: number, writes: number, accesses: number): AccessChains {
  return { firstRead: new Int32Array(reads), firstWrite: new Int32Array(writes), next: new Int32Array(accesses) };
}

/**
 * A list of access positions kept from pair to pair: a typed array and a count (an array emptied by
 * `length = 0` drops its storage, and sorting one with a comparator copies it).
 */
class PositionList {
  items = new Int32Array(64);
  length = 0;

  push(p: number): void {
    if (this.length === this.items.length) {
      const more = new Int32Array(2 * this.length);
      more.set(this.items);
      this.items = more;
    }
    this.items[this.length++] = p;
  }

  /** Sorts the positions ascending. */
  sort(): void {
    this.items.subarray(0, this.length).sort();
  }
}

/** Appends to `out` the positions of `t`'s accesses to word `w`, ascending. */
function positions(t: TransitionSummary, chains: AccessChains, w: number, out: PositionList): void {
  const r = indexOfWord(t.reads, w);
  const v = indexOfWord(t.writes, w);
  let p = r >= 0 ? chains.firstRead[r] : -1;
  let q = v >= 0 ? chains.firstWrite[v] : -1;
  while (p >= 0 || q >= 0) {
    if (q < 0 || (p >= 0 && p < q)) {
      out.push(p);
      p = chains.next[p];
    } else {
      out.push(q);
      q = chains.next[q];
    }
  }
}

/**
 * The index of `w` in the sorted list `words` (or -1), looked for next to `hint` first: a transition
 * mostly walks memory word after word (copying or freeing an address space), so that is where it is.
 */
function slotNear(words: readonly number[], w: number, hint: number): number {
  if (hint > 0 && words[hint - 1] === w) return hint - 1;
  if (words[hint] === w) return hint;
  if (hint + 1 < words.length && words[hint + 1] === w) return hint + 1;
  return indexOfWord(words, w);
}

/**
 * For thread `tid`, `next[p]` is the first point e >= p at which it is runnable (`runnables.length`
 * when none). (`runnables[i]`: the runnable threads at point i, where transition i + 1 is chosen.)
 */
function runnableFrom(runnables: readonly (readonly ThreadId[])[], tid: ThreadId): Int32Array {
  const next = new Int32Array(runnables.length);
  let e = runnables.length;
  for (let p = runnables.length - 1; p >= 0; p--) next[p] = e = runnables[p].includes(tid) ? p : e;
  return next;
}

/**
 * Whether the thread of transition k could not run from transition j on (it is not runnable at the
 * point where j was chosen) until a transition of j's own thread made it runnable: it was created or
 * woken by that thread after j, so j happens before transition k. (`next`: `runnableFrom` for k's thread.)
 */
function enabledBy(transitions: readonly TransitionSummary[], next: Int32Array, j: number, k: number): boolean {
  if (next[j - 1] === j - 1) return false;
  const e = next[j];
  return e < k && transitions[e - 1].tid === transitions[j - 1].tid;
}

/** Index of the first race whose later transition is at position >= `from` (races are ordered by it). */
function firstRaceFrom(races: HappensBefore['races'], from: number): number {
  let lo = 0;
  let hi = races.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (races[mid].second < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A finding and the first order its pair was seen in (threads and sides), until both orders were seen. */
interface Entry {
  finding: RaceFinding;
  firstTid: ThreadId;
  firstSide: number;
  secondTid: ThreadId;
  secondSide: number;
}

/** A side of a pair: the instruction and the kind of its access. */
function side(eip: number, write: boolean): number {
  return eip * 2 + (write ? 1 : 0);
}

/** The lower and the higher side of a finding's pair (so either order of the pair gives the same). */
function sides(f: RaceFinding): [number, number] {
  const a = side(f.first.eip, f.first.write);
  const b = side(f.second.eip, f.second.write);
  return a < b ? [a, b] : [b, a];
}

/** A key naming a finding's pair: its word and both sides, whichever order was seen. */
export function raceKey(f: RaceFinding): string {
  const [low, high] = sides(f);
  return `${f.addr}:${low}:${high}`;
}

export class RaceDetector {
  /** Entries by word, then by the lower and the higher side of the pair (a side is an instruction and its kind). */
  private readonly found = new Map<number, Map<number, Map<number, Entry>>>();
  /** Every finding, in the order found. */
  private readonly all: RaceFinding[] = [];
  private readonly chainsOf = new WeakMap<TransitionSummary, AccessChains>();

  constructor(readonly mode: RaceMode) {}

  /**
   * Looks at one finished execution (`nodes[k]` is the tree node transition k leads to) and returns the
   * findings that are new or just became confirmed. Pairs whose later transition comes before position
   * `from` were already seen in an earlier branch with the same prefix.
   */
  observe(transitions: readonly TransitionSummary[], runnables: readonly (readonly ThreadId[])[], hb: HappensBefore, nodes: readonly number[],
    from = 1): RaceFinding[] {
    const changed: RaceFinding[] = [];
    if (this.mode === 'happens-before') {
      for (let r = firstRaceFrom(hb.races, from); r < hb.races.length; r++) this.pair(transitions, nodes, hb.races[r].first, hb.races[r].second, changed);
    } else {
      const nextRunnable = new Map<ThreadId, Int32Array>();
      // Only accesses to one word can race: pairs dependent through a freed chunk or a stack only are left out.
      for (let k = Math.max(1, from); k < hb.wordDependencies.length; k++) {
        if (hb.wordDependencies[k].length === 0) continue;
        const tid = transitions[k - 1].tid;
        let next = nextRunnable.get(tid);
        if (!next) nextRunnable.set(tid, (next = runnableFrom(runnables, tid)));
        const deps = hb.wordDependencies[k];
        for (let d = 0; d < deps.length; d++) if (!enabledBy(transitions, next, deps[d], k)) this.pair(transitions, nodes, deps[d], k, changed);
      }
    }
    return changed;
  }

  /** Checks the accesses of positions j < k against each other, adding new or newly confirmed findings to `changed`. */
  private pair(transitions: readonly TransitionSummary[], nodes: readonly number[], j: number, k: number, changed: RaceFinding[]): void {
    const a = transitions[j - 1];
    const b = transitions[k - 1];
    // A pair needs a write, so only the words they conflict on can race; b's accesses there are
    // visited in b's order, each against a's accesses to the word in a's order.
    const words = conflictWords(a, b);
    if (words.length === 0) return;
    const { ys, xs, starts } = this;
    ys.length = 0;
    xs.length = 0;
    starts.length = 0;
    const aChains = this.chains(a);
    const bChains = this.laterChains(b);
    for (let i = 0; i < words.length; i++) {
      positions(b, bChains, words[i], ys);
      starts.push(xs.length);
      positions(a, aChains, words[i], xs);
    }
    starts.push(xs.length);
    if (words.length > 1) ys.sort();
    const xa = a.accesses;
    const ya = b.accesses;
    for (let i = 0; i < ys.length; i++) {
      const y = ys.items[i];
      const addr = ya.addr(y);
      const at = words.length > 1 ? indexOfWord(words, addr) : 0;
      for (let p = starts.items[at]; p < starts.items[at + 1]; p++) {
        const x = xs.items[p];
        if ((!xa.write(x) && !ya.write(y)) || (xa.atomic(x) && ya.atomic(y))) continue;
        if (!xa.interruptsEnabled(x) && !ya.interruptsEnabled(y)) continue;
        if (this.mode === 'lockset' && !disjoint(xa.locks(x), ya.locks(y))) continue;
        const f = this.record(addr, a.tid, xa, x, nodes[j], b.tid, ya, y, nodes[k]);
        if (f) changed.push(f);
      }
    }
  }

  /** Scratch lists of `pair`: b's access positions; a's, word by word (word i's from starts[i] to starts[i + 1]). */
  private readonly ys = new PositionList();
  private readonly xs = new PositionList();
  private readonly starts = new PositionList();

  /** The transition's access chains (summaries are immutable, so the index is kept with them). */
  private chains(t: TransitionSummary): AccessChains {
    let index = this.chainsOf.get(t);
    if (!index) this.chainsOf.set(t, (index = link(t, newChains(t.reads.length, t.writes.length, t.accesses.length))));
    return index;
  }

  /**
   * The access chains of a pair's later transition. Pairs come by later transition, and the later ones
   * are mostly the big ones (thousands of accesses, such as freeing an address space) that are never an
   * earlier one: unless already kept, their chains are made in scratch arrays, valid until the next
   * later transition (allocating them made most of the detector's cost).
   */
  private laterChains(t: TransitionSummary): AccessChains {
    const kept = this.chainsOf.get(t);
    if (kept) return kept;
    if (t === this.scratchOf) return this.scratch;
    const { firstRead, firstWrite, next } = this.scratch;
    if (firstRead.length < t.reads.length || firstWrite.length < t.writes.length || next.length < t.accesses.length) {
      this.scratch = newChains(Math.max(2 * firstRead.length, t.reads.length), Math.max(2 * firstWrite.length, t.writes.length),
        Math.max(2 * next.length, t.accesses.length));
    }
    this.scratchOf = t;
    return link(t, this.scratch);
  }

  /** Chains reused from later transition to later transition (`laterChains`), and whose they are. */
  private scratch = newChains(256, 64, 256);
  private scratchOf: TransitionSummary | null = null;

  /** Counts the pair of access `xi` of `xa` (the earlier transition's) and access `yi` of `ya`; returns its finding when new or just confirmed. */
  private record(addr: number, firstTid: ThreadId, xa: AccessList, xi: number, firstNode: number, secondTid: ThreadId, ya: AccessList, yi: number,
    secondNode: number): RaceFinding | null {
    const sideA = side(xa.eip(xi), xa.write(xi));
    const sideB = side(ya.eip(yi), ya.write(yi));
    let byLow = this.found.get(addr);
    if (!byLow) this.found.set(addr, (byLow = new Map()));
    const low = Math.min(sideA, sideB);
    let byHigh = byLow.get(low);
    if (!byHigh) byLow.set(low, (byHigh = new Map()));
    const high = Math.max(sideA, sideB);
    const existing = byHigh.get(high);
    if (existing) {
      const finding = existing.finding;
      finding.count++;
      // Once confirmed, the orders seen no longer matter.
      if (finding.confirmed) return null;
      if (existing.firstTid === firstTid && existing.firstSide === sideA && existing.secondTid === secondTid && existing.secondSide === sideB) return null;
      finding.confirmed = true;
      return finding;
    }
    const x = xa.at(xi);
    const y = ya.at(yi);
    const finding: RaceFinding = {
      addr,
      first: { tid: firstTid, eip: x.eip, write: x.write, locks: [...x.locks], node: firstNode },
      second: { tid: secondTid, eip: y.eip, write: y.write, locks: [...y.locks], node: secondNode },
      confirmed: false,
      count: 1,
    };
    byHigh.set(high, { finding, firstTid, firstSide: sideA, secondTid, secondSide: sideB });
    this.all.push(finding);
    return finding;
  }

  findings(): RaceFinding[] {
    return [...this.all];
  }

  /** Whether a finding of the same pair (word and both sides, in either order) is among these findings. */
  has(f: RaceFinding): boolean {
    const [low, high] = sides(f);
    return this.found.get(f.addr)?.get(low)?.has(high) ?? false;
  }

  /** How many findings there are (without copying them). */
  get count(): number {
    return this.all.length;
  }
}
