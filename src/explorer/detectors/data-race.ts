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
  private readonly found = new Map<string, RaceFinding>();
  private readonly orders = new Map<string, Set<string>>();
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
    const sideA = `${x.eip}:${x.write ? 'w' : 'r'}`;
    const sideB = `${y.eip}:${y.write ? 'w' : 'r'}`;
    const key = sideA < sideB ? `${addr}|${sideA}|${sideB}` : `${addr}|${sideB}|${sideA}`;
    let orders = this.orders.get(key);
    if (!orders) this.orders.set(key, (orders = new Set()));
    const order = `${firstTid}/${sideA}>${secondTid}/${sideB}`;
    const newOrder = !orders.has(order);
    orders.add(order);
    const existing = this.found.get(key);
    if (existing) {
      existing.count++;
      if (!existing.confirmed && newOrder && orders.size >= 2) {
        existing.confirmed = true;
        return existing;
      }
      return null;
    }
    const f: RaceFinding = {
      addr,
      first: { tid: firstTid, eip: x.eip, write: x.write, locks: [...x.locks], node: firstNode },
      second: { tid: secondTid, eip: y.eip, write: y.write, locks: [...y.locks], node: secondNode },
      confirmed: false,
      count: 1,
    };
    this.found.set(key, f);
    return f;
  }

  findings(): RaceFinding[] {
    return [...this.found.values()];
  }
}
