// Heap tracking (landslide.md §5): the allocator's entries and exits give the live chunks; every
// tracked access to the heap region must fall inside a live chunk. An access inside a freed chunk is a
// use-after-free (reported with the call stacks that allocated and freed the chunk, as Landslide
// prints them), anywhere else an access to
// never-allocated heap. Frees are checked (double free, free of a never-allocated address, of an address
// inside another block), and so is re-entry into the allocator. A free of a never-allocated address is
// classed invalid-heap-access (it is not a double free; Landslide prints both under "bad free").
// Chunks are kept sorted by address so that a lookup is a binary search.

import { bug, type Bug } from './bug.ts';
import type { ThreadId } from '../model/transition.ts';

/**
 * Where a heap operation happened: the call stack, innermost first, one "function (file:line)" per
 * frame. Described on demand: symbolising a stack costs more than most allocations, and only the
 * chunks of a bug are ever described.
 */
export type Site = () => readonly string[];

/** A site known by name only (toy guests and tests). */
export function siteAt(...frames: string[]): Site {
  return () => frames;
}

export interface Chunk {
  start: number;
  end: number;
  tid: ThreadId;
  allocSite: Site;
  /** Who freed it and where (null while live). */
  freeTid: ThreadId | null;
  freeSite: Site | null;
}

interface HeapState {
  live: Chunk[];
  freed: Chunk[];
  inAllocator: string | null;
}

function find(list: readonly Chunk[], addr: number): Chunk | null {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = list[mid];
    if (addr < c.start) hi = mid - 1;
    else if (addr >= c.end) lo = mid + 1;
    else return c;
  }
  return null;
}

function insert(list: Chunk[], c: Chunk): void {
  let i = list.length;
  while (i > 0 && list[i - 1].start > c.start) i--;
  list.splice(i, 0, c);
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/** Bug detail lines: a title, then the stack indented. */
function stackLines(title: string, site: Site): string[] {
  return [title, ...site().map((frame) => `  ${frame}`)];
}

function allocLines(c: Chunk): string[] {
  return stackLines(`allocated by TID ${c.tid} at:`, c.allocSite);
}

function freeLines(c: Chunk, first = false): string[] {
  return c.freeSite ? stackLines(`${first ? 'first ' : ''}freed by TID ${c.freeTid} at:`, c.freeSite) : [];
}

export class HeapTracker {
  private s: HeapState = { live: [], freed: [], inAllocator: null };
  /** The live chunk the last access fell in (accesses cluster): checked before the search; dropped when the live list changes. */
  private lastHit: Chunk | null = null;

  /** `region` is the heap's address range [start, end): only accesses inside it are checked. */
  constructor(readonly region: { start: number; end: number }) {}

  get liveChunks(): readonly Chunk[] {
    return this.s.live;
  }

  /** Allocator entry (`what`: "malloc", "free"...); returns a re-entrancy bug when already inside it. */
  enter(what: string, tid: ThreadId, site: Site): Bug | null {
    if (this.s.inAllocator !== null) {
      const stack = site();
      return bug('invalid-heap-access', `${this.s.inAllocator} reentered ${what}! (allocator re-entered by TID ${tid})`, tid, stack[0] ?? null,
        stackLines(`${what} called by TID ${tid} at:`, () => stack));
    }
    this.s.inAllocator = what;
    return null;
  }

  leave(): void {
    this.s.inAllocator = null;
  }

  get insideAllocator(): boolean {
    return this.s.inAllocator !== null;
  }

  /** A successful allocation of [start, start+size). */
  allocated(start: number, size: number, tid: ThreadId, site: Site): void {
    const end = start + Math.max(1, size);
    this.s.freed = this.s.freed.filter((f) => f.end <= start || f.start >= end);
    insert(this.s.live, { start, end, tid, allocSite: site, freeTid: null, freeSite: null });
    this.lastHit = null;
  }

  /** A free of `addr`; returns the bug when the free is wrong. */
  free(addr: number, tid: ThreadId, site: Site): Bug | null {
    const live = find(this.s.live, addr);
    if (live && live.start === addr) {
      this.s.live.splice(this.s.live.indexOf(live), 1);
      insert(this.s.freed, { ...live, freeTid: tid, freeSite: site });
      this.lastHit = null;
      return null;
    }
    const stack = site();
    const here = stackLines(`freed by TID ${tid} at:`, () => stack);
    if (live) {
      return bug('invalid-heap-access', `Attempted to free ${hex(addr)}, which is contained within another malloced block (${hex(live.start)}..${hex(live.end)})`, tid, stack[0] ?? null,
        [...here, ...allocLines(live)]);
    }
    const freed = find(this.s.freed, addr);
    if (freed && freed.start === addr) {
      return bug('double-free', `DOUBLE FREE of ${hex(addr)}`, tid, stack[0] ?? null, [...here, ...allocLines(freed), ...freeLines(freed, true)]);
    }
    return bug('invalid-heap-access', `Attempted to free ${hex(addr)}, which was never malloced!`, tid, stack[0] ?? null, here);
  }

  /** The live chunk holding `addr`, if any. */
  liveChunk(addr: number): Chunk | null {
    return find(this.s.live, addr);
  }

  /** The freed chunk starting at `addr`, if any. */
  freedChunk(addr: number): Chunk | null {
    const c = find(this.s.freed, addr);
    return c && c.start === addr ? c : null;
  }

  /**
   * Checks an access to `addr`; returns the bug when it is outside every live chunk. `site` may be a
   * function, called only when there is a bug (describing an address costs a symbol lookup).
   */
  access(addr: number, write: boolean, tid: ThreadId, where: string | (() => string)): Bug | null {
    if (addr < this.region.start || addr >= this.region.end) return null;
    const hit = this.lastHit;
    if (hit !== null && addr >= hit.start && addr < hit.end) return null;
    const live = find(this.s.live, addr);
    if (live) {
      this.lastHit = live;
      return null;
    }
    const site = typeof where === 'string' ? where : where();
    const verb = write ? 'write to' : 'read from';
    const freed = find(this.s.freed, addr);
    if (freed) {
      return bug('use-after-free', `USE AFTER FREE - ${verb} ${hex(addr)} (chunk ${hex(freed.start)}..${hex(freed.end)})`, tid, site,
        [...allocLines(freed), ...freeLines(freed)]);
    }
    return bug('invalid-heap-access', `INVALID HEAP ACCESS (never allocated) - ${verb} ${hex(addr)}`, tid, site);
  }

  /** Chunks are never mutated once recorded (free replaces the record), so copying the lists suffices. */
  save(): unknown {
    return { live: this.s.live.slice(), freed: this.s.freed.slice(), inAllocator: this.s.inAllocator } satisfies HeapState;
  }

  restore(saved: unknown): void {
    const s = saved as HeapState;
    this.s = { live: s.live.slice(), freed: s.freed.slice(), inAllocator: s.inAllocator };
    this.lastHit = null;
  }
}
