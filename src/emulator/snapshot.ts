// Copy-on-write memory snapshots for the whole-machine snapshot/restore the explorer depends on.
//
// Model. Every snapshot owns a persistent page table: a two-level trie (LEAF pages per leaf) mapping a
// physical page number to an immutable 4 KiB copy, or to null for a page that is all zeros. Taking a
// snapshot copies only the pages written since the previous snapshot or restore (the "dirty set", found
// by page-granular write tracking in PhysicalMemory at no cost to the CPU's fast path) into a new trie
// that shares every untouched leaf and page copy with its parent. So many live snapshots cost memory
// proportional to what differs between them, and dropping a snapshot object frees it (plain GC).
// Restoring snapshot S while the machine stands at checkpoint C (the last snapshot taken or restored)
// plus dirty set D copies back exactly the pages in D plus the pages whose copies differ between C's and
// S's tries (found by comparing leaves by reference). Cost: proportional to pages written since C and
// pages that differ between C and S, never to RAM size.
// The memory hash is additive over pages (sum of per-page hashes mod 2^32, two independent lanes, zero
// pages contribute 0), so the hash of the current memory is C's hash adjusted by the dirty pages only.

import { PAGE_SHIFT, PAGE_SIZE, type PhysicalMemory, type WriteTracking } from './memory/physical-memory.ts';

const LEAF_BITS = 8;
const LEAF = 1 << LEAF_BITS;

/** An immutable copy of one page with its two hash lanes. */
interface PageCopy {
  readonly bytes: Uint8Array;
  readonly h1: number;
  readonly h2: number;
}

type Leaf = readonly (PageCopy | null)[];
type Trie = readonly (Leaf | null)[];

/** The memory part of a snapshot: opaque outside this module. */
export interface MemoryImage {
  readonly trie: Trie;
  /** Additive hash lanes of the whole memory. */
  readonly h1: number;
  readonly h2: number;
  /** Number of page copies this image added over its parent (for statistics). */
  readonly ownPages: number;
}

/** Two 32-bit hash lanes of a page's content, salted with its page number; (0, 0) for a zero page. */
export function hashPage(page: number, bytes: Uint8Array, offset = 0): [number, number] {
  const words = new Int32Array(bytes.buffer, bytes.byteOffset + offset, PAGE_SIZE / 4);
  let a = 0x811c9dc5 ^ page;
  let b = Math.imul(page ^ 0x5bd1e995, 0x27d4eb2d);
  let any = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    any |= w;
    a = Math.imul(a ^ w, 0x01000193);
    b = Math.imul((b + w) ^ (b >>> 15), 0x2c1b3c6d);
  }
  if (any === 0) return [0, 0];
  return [(a ^ (a >>> 16)) >>> 0, (b ^ (b >>> 13)) >>> 0];
}

function pageAt(trie: Trie, page: number): PageCopy | null {
  const leaf = trie[page >>> LEAF_BITS];
  return leaf ? leaf[page & (LEAF - 1)] : null;
}

/**
 * Tracks the pages written since the current checkpoint and builds / restores memory images.
 * One per machine; it owns a write-tracking handle on the machine's memory.
 */
export class MemorySnapshots {
  private readonly tracking: WriteTracking;
  private readonly dirty = new Set<number>();
  /** The checkpoint the machine stands on: the last image taken or restored (initially all zeros). */
  private base: MemoryImage;

  constructor(private readonly memory: PhysicalMemory) {
    this.base = { trie: new Array(Math.ceil(memory.pageCount / LEAF)).fill(null), h1: 0, h2: 0, ownPages: 0 };
    this.tracking = memory.trackWrites({ pageWritten: (page) => this.dirty.add(page) });
    // Precondition: `memory` is fresh (all zeros), equal to the empty base, so every page is clean until written.
    this.tracking.watchAll();
  }

  /** Pages written since the last snapshot or restore. */
  get dirtyPages(): number {
    return this.dirty.size;
  }

  /** Captures memory: copies the dirty pages, shares everything else with the current checkpoint. */
  take(): MemoryImage {
    const trie = [...this.base.trie];
    const copiedLeaves = new Set<number>();
    let { h1, h2 } = this.base;
    const bytes = this.memory.bytes;
    for (const page of [...this.dirty].sort((x, y) => x - y)) {
      const li = page >>> LEAF_BITS;
      if (!copiedLeaves.has(li)) {
        trie[li] = trie[li] ? [...(trie[li] as Leaf)] : new Array(LEAF).fill(null);
        copiedLeaves.add(li);
      }
      const leaf = trie[li] as (PageCopy | null)[];
      const old = leaf[page & (LEAF - 1)];
      const start = page << PAGE_SHIFT;
      const [p1, p2] = hashPage(page, bytes, start);
      leaf[page & (LEAF - 1)] = p1 === 0 && p2 === 0 ? null : { bytes: bytes.slice(start, start + PAGE_SIZE), h1: p1, h2: p2 };
      h1 = (h1 - (old?.h1 ?? 0) + p1) >>> 0;
      h2 = (h2 - (old?.h2 ?? 0) + p2) >>> 0;
    }
    const image: MemoryImage = { trie, h1, h2, ownPages: this.dirty.size };
    this.rearmDirty();
    this.base = image;
    return image;
  }

  /** Makes memory equal to `image`; returns the number of pages copied back. */
  restore(image: MemoryImage): number {
    const pages = new Set(this.dirty);
    const from = this.base.trie;
    const to = image.trie;
    for (let li = 0; li < to.length; li++) {
      const a = from[li];
      const b = to[li];
      if (a === b) continue;
      for (let j = 0; j < LEAF; j++) {
        if ((a ? a[j] : null) !== (b ? b[j] : null)) pages.add((li << LEAF_BITS) | j);
      }
    }
    const zero = new Uint8Array(PAGE_SIZE);
    for (const page of pages) {
      // Through the memory API, so the CPU drops decoded code of the page.
      this.memory.writeBytes(page << PAGE_SHIFT, pageAt(to, page)?.bytes ?? zero);
    }
    this.dirty.clear();
    for (const page of pages) this.tracking.watch(page);
    this.base = image;
    return pages.size;
  }

  /** Hash lanes of the current memory contents (cost: the dirty pages). */
  hash(): [number, number] {
    let { h1, h2 } = this.base;
    const bytes = this.memory.bytes;
    for (const page of this.dirty) {
      const old = pageAt(this.base.trie, page);
      const [p1, p2] = hashPage(page, bytes, page << PAGE_SHIFT);
      h1 = (h1 - (old?.h1 ?? 0) + p1) >>> 0;
      h2 = (h2 - (old?.h2 ?? 0) + p2) >>> 0;
    }
    return [h1, h2];
  }

  private rearmDirty(): void {
    for (const page of this.dirty) this.tracking.watch(page);
    this.dirty.clear();
  }
}
