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

export class RaceDetector {
  /** Findings by word and pair of sides, with the orders (thread and side first, then second) seen. */
  private readonly found = new Map<string, { finding: RaceFinding; orders: Set<string> }>();
  private readonly indexes = new WeakMap<TransitionSummary, Map<number, Access[]>>();

  constructor(readonly mode: RaceMode) {}

  /**
   * Looks at one finished execution (`nodes[k]` is the tree node transition k leads to) and returns the
   * findings that are new or just became confirmed. Pairs whose later transition comes before position
   * `from` were already seen in an earlier branch with the same prefix.
   */
  observe(transitions: readonly TransitionSummary[], hb: HappensBefore, nodes: readonly number[], from = 1): RaceFinding[] {
    const changed: RaceFinding[] = [];
    const pairs: [number, number][] = this.mode === 'happens-before'
      ? hb.races.filter((r) => r.second >= from).map((r) => [r.first, r.second])
      : hb.dependencies.flatMap((deps, k) => (k >= from ? deps.map((j): [number, number] => [j, k]) : []));
    for (const [j, k] of pairs) {
      const a = transitions[j - 1];
      const b = transitions[k - 1];
      const byWord = this.wordIndex(a);
      for (const y of b.accesses) {
        const xs = byWord.get(y.addr);
        if (!xs) continue;
        for (const x of xs) {
          if (!x.write && !y.write) continue;
          if (!x.interruptsEnabled && !y.interruptsEnabled) continue;
          if (this.mode === 'lockset' && !disjoint(x.locks, y.locks)) continue;
          const f = this.record(y.addr, a.tid, x, nodes[j], b.tid, y, nodes[k]);
          if (f) changed.push(f);
        }
      }
    }
    return changed;
  }

  /** A transition's accesses by word (summaries are immutable, so the index is kept with them). */
  private wordIndex(t: TransitionSummary): Map<number, Access[]> {
    let byWord = this.indexes.get(t);
    if (byWord) return byWord;
    byWord = new Map();
    for (const x of t.accesses) {
      const list = byWord.get(x.addr);
      if (list) list.push(x);
      else byWord.set(x.addr, [x]);
    }
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
