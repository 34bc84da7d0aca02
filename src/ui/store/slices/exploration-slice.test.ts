import { describe, expect, it } from 'vitest';
import type { ExplorationBug } from '../../../workers/protocol.ts';
import { createAppStore } from '../index.ts';

const bug: ExplorationBug = { class: 'deadlock', message: 'TID 4 and TID 5 wait for each other', tid: 4, thread: 'TID 4', location: 'mutex_lock (kern/mutex.c:40)',
  details: [], schedule: '4.5', branch: 3, node: 17, occurrences: 1 };
const progress = { branches: 3, estimatedBranches: 12, percent: 25, elapsedSeconds: 1, etaSeconds: 3, nodes: 40, bugs: 1, races: 1, complete: false };

describe('exploration slice', () => {
  it('follows the worker’s events: state, progress (with the race count) and bugs, and what it cannot see', () => {
    const store = createAppStore();
    store.getState().explorationStarted('fork_wait');
    const limitations = ["no kernel function 'panic' (symbols.panic): kernel panics and failed asserts go unseen"];
    store.getState().explorationLimitations(limitations);
    store.getState().applyExplorationEvents([
      { kind: 'node', id: 1, parent: 0, tid: 4, depth: 1, reason: 'yield', location: 'f', current: 4, runnable: [4, 5], status: 'point' },
      { kind: 'bug', bug },
      { kind: 'progress', progress },
      { kind: 'race', race: { addr: 0x1000, first: { tid: 4, eip: 1, write: true, locks: [], node: 1 }, second: { tid: 5, eip: 2, write: false, locks: [], node: 2 }, confirmed: false, count: 1 } },
    ]);
    store.getState().applyExplorationEvents([{ kind: 'state', state: 'stopped', message: 'time limit of 10 s reached' }]);
    expect(store.getState().exploration).toEqual({ test: 'fork_wait', state: 'stopped', message: 'time limit of 10 s reached', progress, bugs: [bug], limitations });
    store.getState().clearExploration();
    expect(store.getState().exploration.test).toBeNull();
  });
});
