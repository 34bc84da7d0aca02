// The kernel memory observer's shortcut (kernel-guest.ts): most tracked accesses come in runs over one
// heap chunk or one global area (freeing an address space reads a page table word after word), and each
// would pass the same checks, so the observer remembers the last range of "plain" addresses: tracked,
// outside the ignored data, inside one live heap chunk or outside the heap region (the heap check passes,
// landslide.md §5), and off every thread's noted kernel stack (neither the thread's own stack, ignored,
// nor another's, recorded as such). An access there needs no lookup but its instruction's. The range is
// derived from the live chunks and the noted stacks only, and holds while both stay as they were: the
// heap tracker's change count and the stacks list (replaced on every change, never changed in place).

import type { HeapTracker } from '../detectors/heap.ts';
import type { ThreadId } from '../model/transition.ts';

export interface Range {
  readonly start: number;
  readonly end: number;
}

/** The threads' kernel stacks as noted: each thread with the top of its stack. */
export type NotedStacks = readonly (readonly [ThreadId, number])[];

export class PlainRange {
  private start = 0;
  private end = 0;
  /** What the range was derived from: the heap's change count and the stacks list then. */
  private heapChanges = -1;
  private stacks: NotedStacks | null = null;

  /**
   * `tracked`: the ranges observed; `ignored`: the data left out; `stackSize`: the bytes below a stack's
   * top that are its stack; `limit`: the first address that is never plain (user memory).
   */
  constructor(private readonly heap: HeapTracker, private readonly tracked: readonly Range[], private readonly ignored: readonly Range[],
    private readonly stackSize: number, private readonly limit: number) {}

  /** Whether `address` lies in the range noted last, the heap and `stacks` being as they were then. */
  has(address: number, stacks: NotedStacks): boolean {
    return address < this.end && address >= this.start && this.stacks === stacks && this.heapChanges === this.heap.changes;
  }

  /**
   * Notes the widest plain range around `address`, which must be plain itself: tracked, not ignored,
   * in a live chunk or outside the heap region, and off `stacks`.
   */
  note(address: number, stacks: NotedStacks): void {
    this.start = 0;
    this.end = this.limit;
    for (const r of this.tracked) {
      if (address >= r.start && address < r.end) {
        this.exclude(address, 0, r.start);
        this.exclude(address, r.end, this.limit);
      }
    }
    const chunk = this.heap.liveChunk(address);
    if (chunk) {
      this.exclude(address, 0, chunk.start);
      this.exclude(address, chunk.end, this.limit);
    } else {
      this.exclude(address, this.heap.region.start, this.heap.region.end);
    }
    for (const r of this.ignored) this.exclude(address, r.start, r.end);
    for (let i = 0; i < stacks.length; i++) this.exclude(address, stacks[i][1] - this.stackSize, stacks[i][1]);
    this.stacks = stacks;
    this.heapChanges = this.heap.changes;
  }

  /** Narrows the range, which holds `address`, to leave out [from, to), which does not. */
  private exclude(address: number, from: number, to: number): void {
    if (to <= address) this.start = Math.max(this.start, to);
    else if (from > address) this.end = Math.min(this.end, from);
  }
}
