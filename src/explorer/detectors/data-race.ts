// Data-race findings (landslide.md §4.3 check_locksets): two accesses by different threads to the same
// word, at least one a write, at least one with interrupts enabled, that are either
// - 'happens-before': unordered by happens-before (the execution's races, as the DPOR finds them), or
// - 'lockset': made with disjoint locksets (Landslide's "limited happens-before" mode).
// A finding is "suspected" until both orders of the pair have been seen across branches, then
// "confirmed". Findings carry both accesses, so reports can show both sides.

import type { Access, ThreadId, TransitionSummary } from '../model/transition.ts';
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
  return !a.some((x) => b.includes(x));
}

/** The union of two sorted, duplicate-free word lists, sorted. */
function mergedWords(a: readonly number[], b: readonly number[]): readonly number[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
    else if (i >= a.length || b[j] < a[i]) out.push(b[j++]);
    else {
      out.push(a[i++]);
      j++;
    }
  }
  return out;
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

export class RaceDetector {
  /** Findings by word and pair of sides, with the orders (thread and side first, then second) seen. */
  private readonly found = new Map<string, { finding: RaceFinding; orders: Set<string> }>();
  private readonly indexes = new WeakMap<TransitionSummary, Map<number, number[]>>();

  constructor(readonly mode: RaceMode) {}

  /**
   * Looks at one finished execution (`nodes[k]` is the tree node transition k leads to) and returns the
   * findings that are new or just became confirmed. Pairs whose later transition comes before position
   * `from` were already seen in an earlier branch with the same prefix.
   */
  observe(transitions: readonly TransitionSummary[], hb: HappensBefore, nodes: readonly number[], from = 1): RaceFinding[] {
    const changed: RaceFinding[] = [];
    if (this.mode === 'happens-before') {
      for (let r = firstRaceFrom(hb.races, from); r < hb.races.length; r++) this.pair(transitions, nodes, hb.races[r].first, hb.races[r].second, changed);
    } else {
      for (let k = Math.max(0, from); k < hb.dependencies.length; k++) for (const j of hb.dependencies[k]) this.pair(transitions, nodes, j, k, changed);
    }
    return changed;
  }

  /** Checks the accesses of positions j < k against each other, adding new or newly confirmed findings to `changed`. */
  private pair(transitions: readonly TransitionSummary[], nodes: readonly number[], j: number, k: number, changed: RaceFinding[]): void {
    const a = transitions[j - 1];
    const b = transitions[k - 1];
    // A pair needs a write, so only the words either side wrote can race; b's accesses there are
    // visited in b's order, each against a's accesses to the word in a's order.
    const words = mergedWords(a.writes, b.writes);
    if (words.length === 0) return;
    const inA = this.wordIndex(a);
    const inB = this.wordIndex(b);
    const ys: number[] = [];
    for (const w of words) {
      if (!inA.has(w)) continue;
      const at = inB.get(w);
      if (at) ys.push(...at);
    }
    ys.sort((p, q) => p - q);
    for (const yi of ys) {
      const y = b.accesses[yi];
      for (const xi of inA.get(y.addr)!) {
        const x = a.accesses[xi];
        if (!x.write && !y.write) continue;
        if (!x.interruptsEnabled && !y.interruptsEnabled) continue;
        if (this.mode === 'lockset' && !disjoint(x.locks, y.locks)) continue;
        const f = this.record(y.addr, a.tid, x, nodes[j], b.tid, y, nodes[k]);
        if (f) changed.push(f);
      }
    }
  }

  /** Positions of a transition's accesses by word (summaries are immutable, so the index is kept with them). */
  private wordIndex(t: TransitionSummary): Map<number, number[]> {
    let byWord = this.indexes.get(t);
    if (byWord) return byWord;
    byWord = new Map();
    t.accesses.forEach((x, i) => {
      const list = byWord!.get(x.addr);
      if (list) list.push(i);
      else byWord!.set(x.addr, [i]);
    });
    this.indexes.set(t, byWord);
    return byWord;
  }

  private record(addr: number, firstTid: ThreadId, x: Access, firstNode: number, secondTid: ThreadId, y: Access, secondNode: number): RaceFinding | null {
    // A side is an instruction and its kind; the key is the word and the unordered pair of sides.
    const sideA = x.eip * 2 + (x.write ? 1 : 0);
    const sideB = y.eip * 2 + (y.write ? 1 : 0);
    const key = sideA < sideB ? `${addr}|${sideA}|${sideB}` : `${addr}|${sideB}|${sideA}`;
    const existing = this.found.get(key);
    if (existing) {
      existing.finding.count++;
      // Once confirmed, the orders seen no longer matter.
      if (existing.finding.confirmed) return null;
      const order = `${firstTid}/${sideA}>${secondTid}/${sideB}`;
      if (existing.orders.has(order)) return null;
      existing.orders.add(order);
      existing.finding.confirmed = true;
      return existing.finding;
    }
    const finding: RaceFinding = {
      addr,
      first: { tid: firstTid, eip: x.eip, write: x.write, locks: [...x.locks], node: firstNode },
      second: { tid: secondTid, eip: y.eip, write: y.write, locks: [...y.locks], node: secondNode },
      confirmed: false,
      count: 1,
    };
    this.found.set(key, { finding, orders: new Set([`${firstTid}/${sideA}>${secondTid}/${sideB}`]) });
    return finding;
  }

  findings(): RaceFinding[] {
    return [...this.found.values()].map((e) => e.finding);
  }
}
