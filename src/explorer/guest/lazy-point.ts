// A preemption point whose runnable set is computed only when read (docs/explorer.md, "Unannotated
// kernels"): without annotations the kernel guest must probe the scheduler for it, and the points that
// an iterative-deepening probe search leaves out are never read. The first read of `runnable` or `live`
// asks the guest (a probe may learn of threads, so the live ones come with it); the rest is known at once.

import type { ThreadId } from '../model/transition.ts';
import type { Point } from '../search/guest.ts';

export type PointThreads = Pick<Point, 'runnable' | 'live'>;

export class LazyPoint implements Point {
  readonly status = 'running';
  private known: PointThreads | null = null;

  constructor(readonly current: ThreadId, readonly reason: string, readonly location: string, readonly currentRunnable: boolean,
    private readonly probe: (point: LazyPoint) => PointThreads) {}

  get runnable(): readonly ThreadId[] {
    return this.threads().runnable;
  }

  get live(): readonly ThreadId[] {
    return this.threads().live;
  }

  /** The runnable and live threads, asked of the guest on the first call only. */
  threads(): PointThreads {
    return (this.known ??= this.probe(this));
  }
}
