import { describe, expect, it } from 'vitest';
import { ExplorationTree } from './tree.ts';

const at = (location: string, runnable: number[], current = runnable[0]) => ({ reason: 'syscall', location, current, runnable });

describe('ExplorationTree', () => {
  it('keeps nodes with their parent, choice, depth, point and status', () => {
    const tree = new ExplorationTree();
    const root = tree.add(-1, -1, at('main (a.c:1)', [4, 5]));
    const a = tree.add(root.id, 4, { reason: 'mutex_lock', location: 'mutex_lock (m.c:9)', current: 4, runnable: [4, 5] });
    const b = tree.add(root.id, 5, at('main (a.c:1)', [5], 5));
    const c = tree.add(a.id, 5, at('yield (y.c:3)', []));
    tree.setStatus(c.id, 'done');
    expect(tree.size).toBe(4);
    expect(tree.node(a.id)).toEqual({ id: 1, parent: 0, tid: 4, depth: 1, reason: 'mutex_lock', location: 'mutex_lock (m.c:9)', current: 4, runnable: [4, 5], status: 'point' });
    expect(tree.node(c.id)).toMatchObject({ parent: a.id, tid: 5, depth: 2, status: 'done', runnable: [] });
    expect([tree.status(b.id), tree.status(c.id), tree.parent(c.id), tree.parent(root.id)]).toEqual(['point', 'done', a.id, -1]);
    expect([tree.child(root.id, 5), tree.child(root.id, 6), tree.child(c.id, 4)]).toEqual([b.id, undefined, undefined]);
    expect(tree.childrenOf(root.id)).toEqual([a.id, b.id]);
    expect(tree.schedule(c.id)).toEqual([4, 5]);
    expect(tree.nodes().map((n) => n.id)).toEqual([0, 1, 2, 3]);
    expect(() => tree.node(4)).toThrow(/no tree node 4/);
  });

  it('grows past its first capacity and keeps children in the order added', () => {
    const tree = new ExplorationTree();
    tree.add(-1, -1, at('root', [1, 2, 3]));
    for (let i = 1; i < 5000; i++) tree.add(Math.floor((i - 1) / 3), i % 7, at(`f${i % 13}`, [i % 3, 9]));
    expect(tree.size).toBe(5000);
    expect(tree.childrenOf(1000)).toEqual([3001, 3002, 3003]);
    expect(tree.node(4999)).toMatchObject({ parent: 1666, tid: 4999 % 7, location: 'f7', runnable: [4999 % 3, 9] });
    expect(tree.schedule(4999).length).toBe(tree.node(4999).depth);
  });

  it('fingerprints shape, choices and statuses', () => {
    const build = (status: 'done' | 'bug') => {
      const tree = new ExplorationTree();
      tree.add(-1, -1, at('root', [1, 2]));
      tree.add(0, 1, at('x', []));
      tree.setStatus(1, status);
      return tree.hash();
    };
    expect(build('done')).toBe(build('done'));
    expect(build('done')).not.toBe(build('bug'));
  });
});
