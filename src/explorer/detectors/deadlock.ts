// Deadlock reports (landslide.md §5): no runnable thread while the test still lives, and kernel mutex
// cycles found from tell_landslide_mutex_blocking (the cycle itself comes from ThreadModel).

import { bug, type Bug } from './bug.ts';
import type { ThreadId } from '../model/transition.ts';

export function noRunnableBug(live: readonly ThreadId[], location: string): Bug {
  const who = live.length ? ` (blocked: ${live.map((t) => `TID ${t}`).join(', ')})` : '';
  return bug('deadlock', `Deadlock -- no threads are runnable!${who}`, live[0] ?? null, location);
}

export function mutexCycleBug(cycle: readonly ThreadId[], location: string): Bug {
  return bug('deadlock', `KERNEL DEADLOCK! (${cycle.join(' -> ')})`, cycle[0] ?? null, location);
}
