// The bug a preemption point stands for, as the search and replays both judge it: what the guest
// reported, a transition that never reached a preemption point (infinite loop), or no runnable thread
// while the test lives (deadlock).

import { bug, type Bug } from '../detectors/bug.ts';
import { noRunnableBug } from '../detectors/deadlock.ts';
import { stuckTransitionBug } from '../detectors/infinite-loop.ts';
import type { TransitionSummary } from '../model/transition.ts';
import type { Point } from './guest.ts';

/** The bug at point `p`, reached by transition `last` (undefined at the start), or null. */
export function pointBug(p: Point, last: TransitionSummary | undefined): Bug | null {
  switch (p.status) {
    case 'done': return null;
    case 'bug': return p.bug ?? bug('panic', 'the guest reported a bug without details', p.current, p.location);
    case 'stuck': return stuckTransitionBug(last?.tid ?? p.current, last?.instructions ?? 0, p.location);
    case 'running': return p.runnable.length === 0 ? noRunnableBug(p.live, p.location) : null;
  }
}
