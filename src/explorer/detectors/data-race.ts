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
      const byWord = new Map<number, Access[]>();
      for (const x of a.accesses) {
        const list = byWord.get(x.addr);
        if (list) list.push(x);
        else byWord.set(x.addr, [x]);
      }
      for (const y of b.accesses) {
        for (const x of byWord.get(y.addr) ?? []) {
          if (!x.write && !y.write) continue;
          if (!x.interruptsEnabled && !y.interruptsEnabled) continue;
          if (this.mode === 'lockset' && !disjoint(x.locks, y.locks)) continue;
          const f = this.record(y.addr, { tid: a.tid, eip: x.eip, write: x.write, locks: [...x.locks], node: nodes[j] },
            { tid: b.tid, eip: y.eip, write: y.write, locks: [...y.locks], node: nodes[k] });
          if (f) changed.push(f);
        }
      }
    }
    return changed;
  }

  private record(addr: number, first: RaceAccess, second: RaceAccess): RaceFinding | null {
    const sideA = `${first.eip}:${first.write ? 'w' : 'r'}`;
    const sideB = `${second.eip}:${second.write ? 'w' : 'r'}`;
    const key = `${addr}|${[sideA, sideB].sort().join('|')}`;
    let orders = this.orders.get(key);
    if (!orders) this.orders.set(key, (orders = new Set()));
    const order = `${first.tid}/${sideA}>${second.tid}/${sideB}`;
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
    const f: RaceFinding = { addr, first, second, confirmed: false, count: 1 };
    this.found.set(key, f);
    return f;
  }

  findings(): RaceFinding[] {
    return [...this.found.values()];
  }
}
