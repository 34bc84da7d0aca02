// A guest behind the bare Guest contract (search/guest.ts) with none of its optional members (no
// data-race points, no stepping by instruction), counting its steps: for tests that compare what an
// exploration does with and without a guest's optional abilities.

import type { Guest } from '../search/guest.ts';

export function plainGuest(guest: Guest, counter = { steps: 0 }): Guest {
  return {
    start: () => guest.start(),
    step: (tid, budget) => {
      counter.steps++;
      return guest.step(tid, budget);
    },
    save: () => guest.save(),
    restore: (c) => guest.restore(c),
    checkpointInterval: guest.checkpointInterval,
    threadName: (tid) => guest.threadName(tid),
    stack: () => guest.stack(),
    locate: (address) => guest.locate(address),
  };
}
