// The exploration tree: one node per preemption point reached, one edge per thread chosen there.
// Nodes are kept for the whole exploration so that the IDE can go to any of them; a node's schedule is
// the chain of choices from the root. `hash()` fingerprints the tree, so that two explorations can be
// compared for determinism.
//
// Storage is by column, in typed arrays (44 bytes a node, where an object per node with its own
// arrays and a map of children cost about 600): an hour of exploration makes millions of nodes, and the
// IDE's worker lives within a browser tab's memory. Locations, reasons and runnable sets repeat from
// node to node, so each is stored once (interned) and nodes hold its number. Children are linked in the
// order they were added (first child, next sibling). `node(id)` returns a fresh read-only record.

import { Interned } from '../model/interned.ts';
import type { ThreadId } from '../model/transition.ts';
import type { Schedule } from './schedule.ts';

/**
 * point: an inner preemption point; done/bug: the branch ended there; sleep-blocked: every runnable
 * thread was in the sleep set (an equivalent branch was explored); bound: the preemption bound stopped it.
 */
export type NodeStatus = 'point' | 'done' | 'bug' | 'sleep-blocked' | 'bound';

const STATUSES: readonly NodeStatus[] = ['point', 'done', 'bug', 'sleep-blocked', 'bound'];

export interface TreeNode {
  readonly id: number;
  /** -1 for the root. */
  readonly parent: number;
  /** The thread chosen at the parent to get here (-1 for the root). */
  readonly tid: ThreadId;
  readonly depth: number;
  readonly reason: string;
  readonly location: string;
  readonly current: ThreadId;
  readonly runnable: readonly ThreadId[];
  readonly status: NodeStatus;
}

/** The columns, one Int32Array each (statuses fit the same arrays: a few values). */
const COLUMNS = ['parent', 'tid', 'depth', 'current', 'reason', 'location', 'runnable', 'status', 'firstChild', 'lastChild', 'nextSibling'] as const;
type Column = (typeof COLUMNS)[number];

export class ExplorationTree {
  private count = 0;
  private columns: Record<Column, Int32Array> = ExplorationTree.allocate(1024);
  private readonly reasons = new Interned<string>();
  private readonly locations = new Interned<string>();
  private readonly runnables = new Interned<readonly ThreadId[]>();

  private static allocate(capacity: number): Record<Column, Int32Array> {
    return Object.fromEntries(COLUMNS.map((c) => [c, new Int32Array(capacity)])) as Record<Column, Int32Array>;
  }

  get size(): number {
    return this.count;
  }

  node(id: number): TreeNode {
    this.check(id);
    const c = this.columns;
    return {
      id, parent: c.parent[id], tid: c.tid[id], depth: c.depth[id], reason: this.reasons.value(c.reason[id]),
      location: this.locations.value(c.location[id]), current: c.current[id], runnable: this.runnables.value(c.runnable[id]),
      status: STATUSES[c.status[id]],
    };
  }

  /** Every node, in the order added (a record each: for small trees and tests). */
  nodes(): TreeNode[] {
    return Array.from({ length: this.count }, (_, id) => this.node(id));
  }

  parent(id: number): number {
    this.check(id);
    return this.columns.parent[id];
  }

  status(id: number): NodeStatus {
    this.check(id);
    return STATUSES[this.columns.status[id]];
  }

  setStatus(id: number, status: NodeStatus): void {
    this.check(id);
    this.columns.status[id] = STATUSES.indexOf(status);
  }

  child(parent: number, tid: ThreadId): number | undefined {
    const c = this.columns;
    for (let n = c.firstChild[parent]; n >= 0; n = c.nextSibling[n]) if (c.tid[n] === tid) return n;
    return undefined;
  }

  /** The children of `parent`, in the order they were added. */
  childrenOf(parent: number): number[] {
    const c = this.columns;
    const out: number[] = [];
    for (let n = c.firstChild[parent]; n >= 0; n = c.nextSibling[n]) out.push(n);
    return out;
  }

  add(parent: number, tid: ThreadId, info: { reason: string; location: string; current: ThreadId; runnable: readonly ThreadId[] }): TreeNode {
    const id = this.count;
    if (id === this.columns.parent.length) this.grow();
    const c = this.columns;
    c.parent[id] = parent;
    c.tid[id] = tid;
    c.depth[id] = parent < 0 ? 0 : c.depth[this.check(parent)] + 1;
    c.current[id] = info.current;
    c.reason[id] = this.reasons.number(info.reason, info.reason);
    c.location[id] = this.locations.number(info.location, info.location);
    c.runnable[id] = this.runnables.number(info.runnable.join(), [...info.runnable]);
    c.status[id] = 0;
    c.firstChild[id] = -1;
    c.lastChild[id] = -1;
    c.nextSibling[id] = -1;
    if (parent >= 0) {
      if (c.lastChild[parent] < 0) c.firstChild[parent] = id;
      else c.nextSibling[c.lastChild[parent]] = id;
      c.lastChild[parent] = id;
    }
    this.count++;
    return this.node(id);
  }

  /** The choices from the root to node `id`. */
  schedule(id: number): Schedule {
    this.check(id);
    const c = this.columns;
    const out: ThreadId[] = [];
    for (let n = id; c.parent[n] >= 0; n = c.parent[n]) out.push(c.tid[n]);
    return out.reverse();
  }

  /** A fingerprint of the tree's shape, choices and statuses (FNV-1a, two 32-bit lanes). */
  hash(): string {
    let a = 0x811c9dc5;
    let b = 0x01000193 ^ 0x5bd1e995;
    const mix = (s: string) => {
      for (let i = 0; i < s.length; i++) {
        const ch = s.charCodeAt(i);
        a = Math.imul(a ^ ch, 0x01000193);
        b = Math.imul(b ^ ch, 0x01000193) ^ (b >>> 13);
      }
    };
    const c = this.columns;
    for (let n = 0; n < this.count; n++) {
      mix(`${c.parent[n]},${c.tid[n]},${c.depth[n]},${STATUSES[c.status[n]]},${this.reasons.value(c.reason[n])},${c.current[n]};`);
    }
    return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
  }

  private check(id: number): number {
    if (!(id >= 0 && id < this.count)) throw new RangeError(`no tree node ${id} (the tree has ${this.count})`);
    return id;
  }

  private grow(): void {
    const bigger = ExplorationTree.allocate(2 * this.columns.parent.length);
    for (const c of COLUMNS) bigger[c].set(this.columns[c]);
    this.columns = bigger;
  }
}
