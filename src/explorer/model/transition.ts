// Transitions and their access summaries (landslide.md §4.2, §4.3). A transition is what one thread
// does between two preemption points; its summary lists the shared words it read and wrote, the heap
// chunks it freed and the other threads' stacks it touched. Two transitions conflict (are dependent)
// when they touch the same word and one writes, when one accesses a chunk the other freed, or when one
// touches the other's stack. Granularity is the aligned 32-bit word: adjacent bytes may conflict
// falsely, which costs branches but never soundness. A transition may keep thousands of accesses
// (freeing an address space reads every page-table word), so they are stored as numbers in one typed
// array per transition (`AccessList`), not as an object each.

import { Interned } from './interned.ts';

/** A thread identifier as the guest names it (a kernel TID, or a toy thread number). */
export type ThreadId = number;

/** One recorded access, as race reports and tests see it (`AccessList.at`). */
export interface Access {
  readonly addr: number;
  readonly write: boolean;
  /** Address of the accessing instruction (or a toy program counter). */
  readonly eip: number;
  /** Locks held (mutex addresses), sorted. */
  readonly locks: readonly number[];
  readonly interruptsEnabled: boolean;
  /** Made by an atomic read-modify-write (xchg with memory, a lock-prefixed instruction): synchronisation. */
  readonly atomic: boolean;
}

/**
 * Locksets by number: each distinct lockset (a sorted list of mutex addresses) is numbered when first
 * seen, the empty one 0. Numbers are never reused, so they stay valid in every list that holds them.
 */
export class LocksetTable {
  private readonly sets = new Interned<readonly number[]>();

  constructor() {
    this.sets.number('', []);
  }

  /** The number of the sorted lockset `locks` (numbered now if new). */
  id(locks: readonly number[]): number {
    if (locks.length === 0) return 0;
    if (locks.length > 1) return this.sets.number(locks.join(','), locks);
    // One lock, the usual case: looked up by the address itself, without building its key.
    let n = this.single.get(locks[0]);
    if (n === undefined) this.single.set(locks[0], (n = this.sets.number(String(locks[0]), locks)));
    return n;
  }

  /** Numbers of the one-lock locksets, by the lock's address. */
  private readonly single = new Map<number, number>();

  /** The lockset numbered `id`. */
  locks(id: number): readonly number[] {
    return this.sets.value(id);
  }
}

/** Flag bits of an access, below its lockset number (`AccessList`). */
const WRITE = 1;
const INTERRUPTS_ENABLED = 2;
const ATOMIC = 4;
const FLAG_BITS = 3;
/** Numbers stored per access. */
const STRIDE = 3;

/**
 * The accesses a transition kept (the first per word, kind and lockset), in the order made, read by
 * index: three numbers each in one Uint32Array, the word address, the instruction address, and the
 * lockset number (in `locksets`) shifted above the flags (write, interrupts enabled, atomic).
 */
export class AccessList {
  /** No accesses (summaries made by hand). */
  static readonly EMPTY = new AccessList(new Uint32Array(0), new LocksetTable());

  constructor(private readonly data: Uint32Array, readonly locksets: LocksetTable) {}

  get length(): number {
    return this.data.length / STRIDE;
  }

  /** Word address of access i. */
  addr(i: number): number {
    return this.data[STRIDE * i];
  }

  /** Instruction address of access i. */
  eip(i: number): number {
    return this.data[STRIDE * i + 1];
  }

  write(i: number): boolean {
    return (this.data[STRIDE * i + 2] & WRITE) !== 0;
  }

  interruptsEnabled(i: number): boolean {
    return (this.data[STRIDE * i + 2] & INTERRUPTS_ENABLED) !== 0;
  }

  atomic(i: number): boolean {
    return (this.data[STRIDE * i + 2] & ATOMIC) !== 0;
  }

  /** Locks held by access i, sorted. */
  locks(i: number): readonly number[] {
    return this.locksets.locks(this.data[STRIDE * i + 2] >>> FLAG_BITS);
  }

  /** Access i as an object. */
  at(i: number): Access {
    return { addr: this.addr(i), write: this.write(i), eip: this.eip(i), locks: this.locks(i), interruptsEnabled: this.interruptsEnabled(i), atomic: this.atomic(i) };
  }

  /** The accesses of `lists` one after the other (lists of one recorder: their lockset numbers agree). */
  static concat(lists: readonly AccessList[]): AccessList {
    const some = lists.filter((l) => l.length > 0);
    if (some.length <= 1) return some[0] ?? lists[0] ?? AccessList.EMPTY;
    if (some.some((l) => l.locksets !== some[0].locksets)) throw new Error('AccessList.concat: the lists number their locksets differently');
    const data = new Uint32Array(some.reduce((n, l) => n + l.data.length, 0));
    for (let k = 0, at = 0; k < some.length; at += some[k].data.length, k++) data.set(some[k].data, at);
    return new AccessList(data, some[0].locksets);
  }
}

/** What a transition did to shared memory. Arrays are sorted and free of duplicates. */
export interface TransitionSummary {
  readonly tid: ThreadId;
  readonly reads: readonly number[];
  readonly writes: readonly number[];
  /** Heap chunks freed by the transition, as [start, end). */
  readonly freed: readonly (readonly [number, number])[];
  /** Threads whose stacks the transition accessed. */
  readonly foreignStacks: readonly ThreadId[];
  readonly accesses: AccessList;
  /** Guest instructions (or toy steps) the transition took. */
  readonly instructions: number;
}

const ascending = (a: number, b: number) => a - b;

function sameList(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Numbers per arena of kept accesses (AccessRecorder): 16K accesses (192 KB), more than the sample kernel's
 * busiest transition keeps, and small enough that the transitions a search holds on to pin little.
 */
const ARENA_WORDS = STRIDE * 16384;

/** Keys per 4 KB page: its 1024 words, each read (even key) and written (odd key). */
const PAGE_KEYS = 2048;
/**
 * Emptied pages of keys kept for the next transitions: more than the sample kernel's transitions touch
 * (ten at most); a rare transition touching more (each page costs 8 KB) leaves the rest to the GC.
 */
const SPARE_PAGES = 64;

/** The keys one transition accessed in one page: a bit each, and the value given with each key present. */
class PageKeys {
  /** The page's number (key / PAGE_KEYS). */
  number = -1;
  readonly bits = new Uint32Array(PAGE_KEYS / 32);
  readonly values = new Int32Array(PAGE_KEYS);
}

/**
 * The word and kind keys (word / 4 * 2 + write: below 2^31) one transition accessed, each with the lockset
 * of its first access: a bitmap per page touched (accesses cluster, e.g. a scan of a page table, so a
 * key is usually a bit in the page used last, and the keys come out sorted by walking the pages in
 * order: no hashing, no sort). Pages are reused from transition to transition (fresh tables per
 * transition made much of the explorer's garbage).
 */
class KeyTable {
  /** The pages holding keys, and emptied pages kept for reuse. */
  private readonly used: PageKeys[] = [];
  private readonly spare: PageKeys[] = [];
  private readonly byNumber = new Map<number, PageKeys>();
  /** The page used last (a page holding no keys before the first). */
  private last = new PageKeys();
  /** Keys held, and how many of them are writes (odd). */
  private size = 0;
  private writes = 0;

  /** The value of `key`; absent, the key is added with `value` and -1 is returned. */
  getOrAdd(key: number, value: number): number {
    const number = key >>> 11;
    const page = this.last.number === number ? this.last : this.page(number);
    const i = key & (PAGE_KEYS - 1);
    const bits = page.bits[i >>> 5];
    const bit = 1 << (i & 31);
    if ((bits & bit) !== 0) return page.values[i];
    page.bits[i >>> 5] = bits | bit;
    page.values[i] = value;
    this.size++;
    this.writes += key & 1;
    return -1;
  }

  /** The page numbered `number`, taken into use now if new; it becomes the last used. */
  private page(number: number): PageKeys {
    let page = this.byNumber.get(number);
    if (page === undefined) {
      page = this.spare.pop() ?? new PageKeys();
      page.number = number;
      this.used.push(page);
      this.byNumber.set(number, page);
    }
    this.last = page;
    return page;
  }

  /** The words read and the words written, as addresses, each in ascending order. */
  words(): { reads: number[]; writes: number[] } {
    // Arrays of their final length (filled at once, not grown by pushes).
    const reads = new Array<number>(this.size - this.writes);
    const writes = new Array<number>(this.writes);
    let r = 0;
    let w = 0;
    const pages = this.used.sort((a, b) => a.number - b.number);
    for (let p = 0; p < pages.length; p++) {
      const { bits, number } = pages[p];
      for (let j = 0; j < bits.length; j++) {
        // Bit k of bits[j] is the key number * PAGE_KEYS + 32 * j + k: word 16 * j + k / 2 of the page.
        const base = number * 4096 + 64 * j;
        for (let b = bits[j] & 0x55555555; b !== 0; b &= b - 1) reads[r++] = base + 2 * (31 - Math.clz32(b & -b));
        for (let b = bits[j] & 0xaaaaaaaa; b !== 0; b &= b - 1) writes[w++] = base + 2 * (30 - Math.clz32(b & -b));
      }
    }
    return { reads, writes };
  }

  /** Empties the table. */
  clear(): void {
    for (const page of this.used) {
      page.bits.fill(0);
      page.number = -1;
      if (this.spare.length < SPARE_PAGES) this.spare.push(page);
    }
    this.used.length = 0;
    this.byNumber.clear();
    this.size = 0;
    this.writes = 0;
  }
}

/** Collects the accesses of one transition; `finish` turns them into a summary. */
export class AccessRecorder {
  private freed: [number, number][] = [];
  private stacks = new Set<ThreadId>();
  /**
   * The kept accesses so far, `count` of them (as in `AccessList`), from `keptStart` in an arena that the
   * transitions' lists share: `finish` hands out the part it holds, with no copy, and the next transition
   * goes on after it. A full arena is left to the lists in it (the garbage collector frees it with the
   * last) and the transition's accesses so far move to a new one.
   */
  private arena = new Uint32Array(ARENA_WORDS);
  private keptStart = 0;
  private count = 0;
  /** The lockset of the first access recorded per word and kind; its keys give the read and write sets. */
  private readonly seen = new KeyTable();
  /** The locksets of later accesses recorded per key, for keys accessed under several locksets. */
  private more = new Map<number, number[]>();
  private locks: readonly number[] = [];
  private readonly locksets = new LocksetTable();
  private locksId = 0;
  /** The summaries' list when nothing was kept. */
  private readonly none = new AccessList(new Uint32Array(0), this.locksets);
  /** The key of the last single-word access recorded (-1: none) under the current lockset: repeats change nothing. */
  private lastKey = -1;

  /** Sets the lockset attached to the following accesses. */
  setLocks(locks: readonly number[]): void {
    this.lastKey = -1;
    if (sameList(locks, this.locks)) return; // unchanged (and so sorted)
    this.locks = [...locks].sort(ascending);
    this.locksId = this.locksets.id(this.locks);
  }

  /**
   * `isAtomic` says whether the instruction at an address is an atomic read-modify-write; it is asked
   * only for the accesses kept (the first per word, kind and lockset), not for every access.
   */
  constructor(private readonly isAtomic: (eip: number) => boolean = () => false) {}

  /** Records an access of `size` bytes at `addr`. */
  access(addr: number, size: number, write: boolean, eip: number, interruptsEnabled = true): void {
    const first = addr >>> 2;
    const last = (addr + size - 1) >>> 2;
    const kind = write ? 1 : 0;
    if (first === last) {
      const key = first * 2 + kind;
      if (key === this.lastKey) return;
      this.lastKey = key;
      this.word(key, eip, interruptsEnabled);
      return;
    }
    this.lastKey = -1;
    for (let w = first; w <= last; w++) this.word(w * 2 + kind, eip, interruptsEnabled);
  }

  /** Records an access to the word and kind `key` under the current lockset: kept when it is the first such. */
  private word(key: number, eip: number, interruptsEnabled: boolean): void {
    const first = this.seen.getOrAdd(key, this.locksId);
    if (first !== -1) {
      if (first === this.locksId) return;
      const others = this.more.get(key);
      if (!others) this.more.set(key, [this.locksId]);
      else if (others.includes(this.locksId)) return;
      else others.push(this.locksId);
    }
    this.keep((key >>> 1) * 4, eip, (this.locksId << FLAG_BITS) | (key & 1 ? WRITE : 0) | (interruptsEnabled ? INTERRUPTS_ENABLED : 0) | (this.isAtomic(eip) ? ATOMIC : 0));
  }

  /** Appends a kept access (word, instruction, lockset number and flags, as in `AccessList`). */
  private keep(w: number, eip: number, meta: number): void {
    let at = this.keptStart + STRIDE * this.count;
    if (at === this.arena.length) {
      const arena = new Uint32Array(Math.max(ARENA_WORDS, 2 * STRIDE * this.count));
      arena.set(this.arena.subarray(this.keptStart, at));
      this.arena = arena;
      this.keptStart = 0;
      at = STRIDE * this.count;
    }
    const kept = this.arena;
    kept[at++] = w;
    kept[at++] = eip;
    kept[at] = meta;
    this.count++;
  }

  /** Records that the chunk [start, end) was freed. */
  free(start: number, end: number): void {
    this.freed.push([start, end]);
  }

  /** Records an access to another thread's stack. */
  foreignStack(tid: ThreadId): void {
    this.stacks.add(tid);
  }

  /** The summary of everything recorded, attributed to `tid`; the recorder is reset. */
  finish(tid: ThreadId, instructions: number): TransitionSummary {
    const { reads, writes } = this.seen.words();
    const summary: TransitionSummary = {
      tid,
      reads,
      writes,
      freed: this.freed,
      foreignStacks: [...this.stacks].sort(ascending),
      accesses: this.count === 0 ? this.none : new AccessList(this.arena.subarray(this.keptStart, this.keptStart + STRIDE * this.count), this.locksets),
      instructions,
    };
    this.freed = [];
    this.stacks = new Set();
    this.keptStart += STRIDE * this.count;
    this.count = 0;
    this.seen.clear();
    if (this.more.size > 0) this.more = new Map();
    this.lastKey = -1;
    return summary;
  }
}

/** Index of the first element of the sorted array `list` at or after `lo` that is >= `value` (list.length if none). */
function lowerBound(list: readonly number[], value: number, lo = 0): number {
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of `w` in the sorted word list `list`, or -1. */
export function indexOfWord(list: readonly number[], w: number): number {
  const i = lowerBound(list, w);
  return i < list.length && list[i] === w ? i : -1;
}

/**
 * Whether the two sorted arrays have a word in common. Write sets are usually a few words against
 * dozens of reads, so a short array is looked up in the long one by binary search.
 */
function intersect(a: readonly number[], b: readonly number[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const small = a.length <= b.length ? a : b;
  const large = small === a ? b : a;
  if (small.length * 8 < large.length) {
    let from = 0;
    for (let i = 0; i < small.length; i++) {
      from = lowerBound(large, small[i], from);
      if (from < large.length && large[from] === small[i]) return true;
    }
    return false;
  }
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else return true;
  }
  return false;
}

/** True when the two sorted word lists have a word in common. */
export function sharesWords(a: readonly number[], b: readonly number[]): boolean {
  return intersect(a, b);
}

/** True when `other` read or wrote a word overlapping one of the chunks in `freed`. */
export function touchesFreed(freed: TransitionSummary['freed'], other: TransitionSummary): boolean {
  for (const [start, end] of freed) if (overlaps(other.reads, start, end) || overlaps(other.writes, start, end)) return true;
  return false;
}

/** True when a word [w, w + 4) of the sorted list overlaps [start, end), i.e. start - 4 < w < end. */
function overlaps(list: readonly number[], start: number, end: number): boolean {
  const i = lowerBound(list, start - 3);
  return i < list.length && list[i] < end;
}

/** True when the two transitions are dependent (see the file header). Same-thread order is separate. */
export function conflicts(a: TransitionSummary, b: TransitionSummary): boolean {
  return intersect(a.writes, b.writes) || intersect(a.writes, b.reads) || intersect(a.reads, b.writes)
    || (a.freed.length > 0 && touchesFreed(a.freed, b)) || (b.freed.length > 0 && touchesFreed(b.freed, a))
    || (a.foreignStacks.length > 0 && a.foreignStacks.includes(b.tid)) || (b.foreignStacks.length > 0 && b.foreignStacks.includes(a.tid));
}

/**
 * The words on which the two transitions conflict, sorted (for the event stream and reports): both write
 * sets walked together in ascending order, a word written by one only conflicting when the other reads it.
 */
export function conflictWords(a: TransitionSummary, b: TransitionSummary): number[] {
  const out: number[] = [];
  const aw = a.writes;
  const bw = b.writes;
  let i = 0;
  let j = 0;
  // Where the next word is looked for in the other's reads (the words come ascending).
  let inB = 0;
  let inA = 0;
  while (i < aw.length || j < bw.length) {
    if (j === bw.length || (i < aw.length && aw[i] < bw[j])) {
      inB = lowerBound(b.reads, aw[i], inB);
      if (inB < b.reads.length && b.reads[inB] === aw[i]) out.push(aw[i]);
      i++;
    } else if (i === aw.length || bw[j] < aw[i]) {
      inA = lowerBound(a.reads, bw[j], inA);
      if (inA < a.reads.length && a.reads[inA] === bw[j]) out.push(bw[j]);
      j++;
    } else {
      out.push(aw[i]);
      i++;
      j++;
    }
  }
  return out;
}
