// The exploration tree: one node per preemption point reached, one edge per thread chosen there.
// Nodes are kept (small plain records) for the whole exploration so that the IDE can go to any of
// them; a node's schedule is the chain of choices from the root. `hash()` fingerprints the tree, so
// that two explorations can be compared for determinism.

import type { ThreadId } from '../model/transition.ts';
import type { Schedule } from './schedule.ts';

/**
 * point: an inner preemption point; done/bug: the branch ended there; sleep-blocked: every runnable
 * thread was in the sleep set (an equivalent branch was explored); bound: the preemption bound stopped it.
 */
export type NodeStatus = 'point' | 'done' | 'bug' | 'sleep-blocked' | 'bound';

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
  status: NodeStatus;
}

export class ExplorationTree {
  readonly nodes: TreeNode[] = [];
  private readonly children = new Map<number, Map<ThreadId, number>>();

  get size(): number {
    return this.nodes.length;
  }

  node(id: number): TreeNode {
    const n = this.nodes[id];
    if (!n) throw new RangeError(`no tree node ${id} (the tree has ${this.nodes.length})`);
    return n;
  }

  child(parent: number, tid: ThreadId): number | undefined {
    return this.children.get(parent)?.get(tid);
  }

  childrenOf(parent: number): number[] {
    return [...(this.children.get(parent)?.values() ?? [])];
  }

  add(parent: number, tid: ThreadId, info: { reason: string; location: string; current: ThreadId; runnable: readonly ThreadId[] }): TreeNode {
    const depth = parent < 0 ? 0 : this.node(parent).depth + 1;
    const node: TreeNode = { id: this.nodes.length, parent, tid, depth, status: 'point', ...info, runnable: [...info.runnable] };
    this.nodes.push(node);
    if (parent >= 0) {
      let m = this.children.get(parent);
      if (!m) this.children.set(parent, (m = new Map()));
      m.set(tid, node.id);
    }
    return node;
  }

  /** The choices from the root to node `id`. */
  schedule(id: number): Schedule {
    const out: ThreadId[] = [];
    for (let n = this.node(id); n.parent >= 0; n = this.node(n.parent)) out.push(n.tid);
    return out.reverse();
  }

  /** A fingerprint of the tree's shape, choices and statuses (FNV-1a, two 32-bit lanes). */
  hash(): string {
    let a = 0x811c9dc5;
    let b = 0x01000193 ^ 0x5bd1e995;
    const mix = (s: string) => {
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
      }
    };
    for (const n of this.nodes) mix(`${n.parent},${n.tid},${n.depth},${n.status},${n.reason},${n.current};`);
    return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
  }
}
