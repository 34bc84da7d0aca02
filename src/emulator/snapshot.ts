// Copy-on-write memory snapshots for the whole-machine snapshot/restore the explorer depends on.
//
// Model. Every snapshot owns a persistent page table: a trie of small nodes (FAN children each, as many
// levels as the page count needs) mapping a physical page number to an immutable 4 KiB copy, or to null
// for a page that is all zeros (a null subtree: all its pages are zeros). Taking a snapshot copies only
// the pages written since the previous snapshot or restore (the "dirty list", found by page-granular write
// tracking in PhysicalMemory at no cost to the CPU's fast path; each page is reported once per arming, so
// the list has no repeats) into a new trie that copies just the nodes on those pages' paths and shares
// every other node and page copy with its parent. Small nodes keep that path copying cheap: the explorer
// takes tens of snapshots per branch with a handful of dirty pages each. So many live snapshots cost memory
// proportional to what differs between them, and dropping a snapshot object frees it (plain GC). The page
// copies of one take live in one buffer (one allocation per take rather than per page, which costs more than
// the copying): it is freed once no live image holds any of its pages. A page written back to zeros is
// copied like any other (null is for pages never written since they were last zero).
// Restoring snapshot S while the machine stands at checkpoint C (the last snapshot taken or restored)
// plus dirty list D copies back exactly the pages in D plus the pages whose copies differ between C's and
// S's tries (found by walking both tries and skipping subtrees shared by reference). Cost: proportional
// to pages written since C and pages that differ between C and S, never to RAM size.
// The memory hash is additive over pages (sum of per-page hashes mod 2^32, two independent lanes, zero
// pages contribute 0), so the hash of the current memory is C's hash adjusted by the dirty pages only.
// Hashes are computed when asked for, not when taking (the explorer takes tens of snapshots per state
// hash): an image's hash is the last hashed image's adjusted by the pages whose copies differ between the
// two (the same trie walk as restore), and a page copy's hash is computed once, when first needed.

import { PAGE_SHIFT, PAGE_SIZE, type PhysicalMemory, type WriteTracking } from './memory/physical-memory.ts';

/** Page-number bits resolved per trie level (the top level takes what is left over). */
const LEVEL_BITS = 4;
const FAN = 1 << LEVEL_BITS;
const ZERO_PAGE = new Uint8Array(PAGE_SIZE);

/** An immutable copy of one page; its hash lanes are computed when first asked for. */
class PageCopy {
  private lanes: [number, number] | null = null;

  constructor(
    readonly page: number,
    readonly bytes: Uint8Array,
  ) {}

  hash(): [number, number] {
    return (this.lanes ??= hashPage(this.page, this.bytes));
  }
}

/**
 * A trie node: FAN children (nodes, or page copies at the last level; null for all zeros). Immutable once
 * its image is returned; `epoch` names the take that created it, which alone may still fill it in.
 */
class TrieNode {
  constructor(
    readonly epoch: number,
    readonly slots: (TrieNode | PageCopy | null)[],
  ) {}
}

/** The memory part of a snapshot: opaque outside this module (its hash: `MemorySnapshots.hashOf`). */
export interface MemoryImage {
  readonly root: TrieNode;
  /** Number of page copies this image added over its parent (for statistics). */
  readonly ownPages: number;
  /** Additive hash lanes of the whole memory once computed (a cache kept by `MemorySnapshots.hashOf`). */
  lanes: [number, number] | null;
}

/** Called for each page whose copies differ between two tries (null: zeros). */
type PageVisitor = (page: number, from: PageCopy | null, to: PageCopy | null) => void;

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

/**
 * Tracks the pages written since the current checkpoint and builds / restores memory images.
 * One per machine; it owns a write-tracking handle on the machine's memory.
 */
export class MemorySnapshots {
  private readonly tracking: WriteTracking;
  /** Pages written since the checkpoint, each once. */
  private readonly dirty: number[] = [];
  /** Shift of the page-number bits the root resolves (the last level's shift is 0). */
  private readonly topShift: number;
  /** The checkpoint the machine stands on: the last image taken or restored (initially all zeros). */
  private base: MemoryImage;
  /** The last image whose hash was computed (the others' hashes are found from it). */
  private hashed: MemoryImage;
  private epoch = 0;

  constructor(private readonly memory: PhysicalMemory) {
    const pageBits = Math.max(1, Math.ceil(Math.log2(memory.pageCount)));
    this.topShift = Math.ceil(pageBits / LEVEL_BITS) * LEVEL_BITS - LEVEL_BITS;
    this.base = this.hashed = { root: new TrieNode(0, emptySlots()), ownPages: 0, lanes: [0, 0] };
    this.tracking = memory.trackWrites({ pageWritten: (page) => this.dirty.push(page) });
    // Precondition: `memory` is fresh (all zeros), equal to the empty base, so every page is clean until written.
    this.tracking.watchAll();
  }

  /** Pages written since the last snapshot or restore. */
  get dirtyPages(): number {
    return this.dirty.length;
  }

  /** Captures memory: copies the dirty pages, shares everything else with the current checkpoint. */
  take(): MemoryImage {
    const dirty = this.dirty;
    if (dirty.length === 0) return (this.base = { root: this.base.root, ownPages: 0, lanes: this.base.lanes });
    const epoch = ++this.epoch;
    const root = new TrieNode(epoch, this.base.root.slots.slice());
    const bytes = this.memory.bytes;
    const copies = new Uint8Array(dirty.length * PAGE_SIZE); // one allocation for all page copies of this take
    for (let i = 0; i < dirty.length; i++) {
      const page = dirty[i];
      let node = root;
      for (let shift = this.topShift; shift > 0; shift -= LEVEL_BITS) {
        const index = (page >>> shift) & (FAN - 1);
        const child = node.slots[index] as TrieNode | null;
        if (child !== null && child.epoch === epoch) {
          node = child;
        } else {
          node = node.slots[index] = new TrieNode(epoch, child === null ? emptySlots() : child.slots.slice());
        }
      }
      const start = page << PAGE_SHIFT;
      const at = i * PAGE_SIZE;
      copies.set(bytes.subarray(start, start + PAGE_SIZE), at);
      node.slots[page & (FAN - 1)] = new PageCopy(page, copies.subarray(at, at + PAGE_SIZE));
    }
    const image: MemoryImage = { root, ownPages: dirty.length, lanes: null };
    this.rearmDirty();
    this.base = image;
    return image;
  }

  /** Makes memory equal to `image`; returns the number of pages copied back. */
  restore(image: MemoryImage): number {
    const dirty = this.dirty;
    const written = dirty.length;
    for (let i = 0; i < written; i++) this.copyBack(dirty[i], pageIn(image.root, dirty[i], this.topShift));
    // Pages still armed that differ: copying them back reports them, which appends them to `dirty`.
    this.forEachDifference(this.base.root, image.root, (page, _from, to) => {
      if (this.tracking.isWatched(page)) this.copyBack(page, to);
    });
    const copied = dirty.length;
    this.rearmDirty();
    this.base = image;
    return copied;
  }

  /** Hash lanes of an image's memory (cost: the pages that differ from the last image hashed). */
  hashOf(image: MemoryImage): [number, number] {
    if (image.lanes === null) {
      const lanes = (this.hashed.lanes as [number, number]).slice() as [number, number];
      this.forEachDifference(this.hashed.root, image.root, (_page, from, to) => {
        const [o1, o2] = from === null ? [0, 0] : from.hash();
        const [n1, n2] = to === null ? [0, 0] : to.hash();
        lanes[0] = (lanes[0] - o1 + n1) >>> 0;
        lanes[1] = (lanes[1] - o2 + n2) >>> 0;
      });
      image.lanes = lanes;
      this.hashed = image;
    }
    return image.lanes;
  }

  /** Hash lanes of the current memory contents (cost: the dirty pages, and hashing the checkpoint). */
  hash(): [number, number] {
    let [h1, h2] = this.hashOf(this.base);
    const bytes = this.memory.bytes;
    for (const page of this.dirty) {
      const old = pageIn(this.base.root, page, this.topShift);
      const [o1, o2] = old === null ? [0, 0] : old.hash();
      const [p1, p2] = hashPage(page, bytes, page << PAGE_SHIFT);
      h1 = (h1 - o1 + p1) >>> 0;
      h2 = (h2 - o2 + p2) >>> 0;
    }
    return [h1, h2];
  }

  /** Calls `visit` for every page whose copies differ between the tries under `from` and `to`, skipping shared subtrees. */
  private forEachDifference(from: TrieNode, to: TrieNode, visit: PageVisitor): void {
    walkDifferences(from, to, this.topShift, 0, visit);
  }

  /**
   * Writes a page copy (null: zeros) over `page`, through the memory API so the CPU drops decoded code
   * there (only where the bytes change: PhysicalMemory compares them on code pages).
   */
  private copyBack(page: number, copy: PageCopy | null): void {
    this.memory.writeBytes(page << PAGE_SHIFT, copy === null ? ZERO_PAGE : copy.bytes);
  }

  private rearmDirty(): void {
    const dirty = this.dirty;
    for (let i = 0; i < dirty.length; i++) this.tracking.watch(dirty[i]);
    dirty.length = 0;
  }
}

function emptySlots(): (TrieNode | PageCopy | null)[] {
  return new Array<TrieNode | PageCopy | null>(FAN).fill(null);
}

/** `forEachDifference` below the nodes `from` and `to` (null: all zeros) at one position: the page bits above `shift` are in `prefix`. */
function walkDifferences(from: TrieNode | null, to: TrieNode | null, shift: number, prefix: number, visit: PageVisitor): void {
  for (let i = 0; i < FAN; i++) {
    const a = from === null ? null : from.slots[i];
    const b = to === null ? null : to.slots[i];
    if (a === b) continue;
    const position = prefix | (i << shift);
    if (shift > 0) walkDifferences(a as TrieNode | null, b as TrieNode | null, shift - LEVEL_BITS, position, visit);
    else visit(position, a as PageCopy | null, b as PageCopy | null);
  }
}

/** The copy of `page` in the trie under `root` (null: zeros). */
function pageIn(root: TrieNode, page: number, topShift: number): PageCopy | null {
  let node: TrieNode | null = root;
  for (let shift = topShift; shift > 0 && node !== null; shift -= LEVEL_BITS) {
    node = node.slots[(page >>> shift) & (FAN - 1)] as TrieNode | null;
  }
  return node === null ? null : (node.slots[page & (FAN - 1)] as PageCopy | null);
}
