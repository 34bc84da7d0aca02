// Physical RAM of the PC, from address 0 up to `size`, plus page-granular write tracking.
//
// Reads above RAM return all ones (no device decodes the address) and writes there are ignored, as on a
// PC bus with nothing behind the address. Multi-byte accesses are little-endian and may be unaligned.
//
// Write tracking: every 4 KiB page has a flag byte. PAGE_CODE says the CPU holds decoded instructions for
// the page; PAGE_WATCHED says at least one WriteTracking handle waits for the next write to the page.
// The CPU never maps a flagged page writable in its TLB, so the first write to it takes the CPU's slow
// path, which calls `noteWrite` here; writers outside the CPU (devices, loaders) go through
// write8/16/32/writeBytes, which do the same.
// Hence tracking costs nothing on the CPU's fast path: an unflagged page is written at full speed, a
// watched page costs one slow write per arming.

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

/** The CPU has decoded instructions from this page (writes must invalidate them). */
export const PAGE_CODE = 1;
/** Some WriteTracking handle is armed on this page. */
export const PAGE_WATCHED = 2;

/** Told (once per arming) that a watched page was written. */
export interface WriteTracker {
  pageWritten(page: number): void;
}

/** Hooks the CPU installs so that memory writes from outside it keep its caches coherent. */
export interface MemoryListener {
  /** Bytes [paddr, paddr+length) of a PAGE_CODE page were written. */
  codeWritten(paddr: number, length: number): void;
  /** `page` (or every page when -1) became watched: drop any writable mapping of it. */
  pageProtected(page: number): void;
}

/**
 * One client's view of write tracking. A page is "armed" until its next write; the write is reported
 * through `tracker.pageWritten(page)` and disarms the page for this handle only.
 */
export class WriteTracking {
  /** 1 where this handle is armed. */
  private readonly armed: Uint8Array;
  private disposed = false;

  constructor(
    private readonly memory: PhysicalMemory,
    readonly tracker: WriteTracker,
  ) {
    this.armed = new Uint8Array(memory.pageCount);
  }

  /** Arms `page`: its next write is reported. */
  watch(page: number): void {
    if (this.disposed || page < 0 || page >= this.armed.length || this.armed[page]) return;
    this.armed[page] = 1;
    this.memory.armPage(page);
  }

  /** Arms every page of RAM. */
  watchAll(): void {
    if (this.disposed) return;
    this.armed.fill(1);
    this.memory.armAll();
  }

  /** True while `page` is armed (not written since the last `watch`). */
  isWatched(page: number): boolean {
    return this.armed[page] === 1;
  }

  /** Stops tracking; no more reports. */
  dispose(): void {
    this.disposed = true;
    this.armed.fill(0);
    this.memory.removeTracking(this);
  }

  /** Called by PhysicalMemory on the first write to a page after arming. */
  hit(page: number): void {
    if (this.armed[page] === 0) return;
    this.armed[page] = 0;
    this.tracker.pageWritten(page);
  }

  /** Re-establishes the memory's page flags after another handle left. */
  rearmInto(flags: Uint8Array): void {
    for (let p = 0; p < this.armed.length; p++) if (this.armed[p]) flags[p] |= PAGE_WATCHED;
  }
}

export class PhysicalMemory {
  readonly size: number;
  /** Raw RAM. Read it freely; write only through the write methods (tracking, code invalidation). */
  readonly bytes: Uint8Array;
  /** Little-endian view over `bytes` for the CPU's fast path. */
  readonly view: DataView;
  /** `bytes` as 32-bit words (a little-endian host), for comparing whole words. */
  private readonly words: Int32Array;
  readonly pageCount: number;
  /** PAGE_CODE | PAGE_WATCHED per page; the CPU reads it when it fills its TLB. */
  readonly pageFlags: Uint8Array;
  /** Installed by the CPU (one per memory). */
  listener: MemoryListener | null = null;
  private trackings: WriteTracking[] = [];

  constructor(sizeBytes: number) {
    if (!Number.isInteger(sizeBytes) || sizeBytes < PAGE_SIZE || sizeBytes % PAGE_SIZE !== 0 || sizeBytes > 0x80000000) {
      throw new RangeError(`memory size must be a multiple of 4 KiB between 4 KiB and 2 GiB, got ${sizeBytes}`);
    }
    this.size = sizeBytes;
    this.bytes = new Uint8Array(sizeBytes);
    this.view = new DataView(this.bytes.buffer);
    this.words = new Int32Array(this.bytes.buffer);
    this.pageCount = sizeBytes >>> PAGE_SHIFT;
    this.pageFlags = new Uint8Array(this.pageCount);
  }

  read8(paddr: number): number {
    paddr >>>= 0;
    return paddr < this.size ? this.bytes[paddr] : 0xff;
  }

  read16(paddr: number): number {
    paddr >>>= 0;
    if (paddr + 1 < this.size) return this.view.getUint16(paddr, true);
    return this.read8(paddr) | (this.read8(paddr + 1) << 8);
  }

  read32(paddr: number): number {
    paddr >>>= 0;
    if (paddr + 3 < this.size) return this.view.getUint32(paddr, true);
    return (this.read16(paddr) | (this.read16(paddr + 2) << 16)) >>> 0;
  }

  write8(paddr: number, value: number): void {
    paddr >>>= 0;
    if (paddr >= this.size) return;
    if (this.pageFlags[paddr >>> PAGE_SHIFT] !== 0) this.noteWrite(paddr, 1);
    this.bytes[paddr] = value;
  }

  write16(paddr: number, value: number): void {
    paddr >>>= 0;
    if (paddr + 1 >= this.size) {
      this.write8(paddr, value);
      this.write8(paddr + 1, value >>> 8);
      return;
    }
    this.noteWrite(paddr, 2);
    this.view.setUint16(paddr, value, true);
  }

  write32(paddr: number, value: number): void {
    paddr >>>= 0;
    if (paddr + 3 >= this.size) {
      this.write16(paddr, value);
      this.write16(paddr + 2, value >>> 16);
      return;
    }
    this.noteWrite(paddr, 4);
    this.view.setUint32(paddr, value >>> 0, true);
  }

  /** A copy of `len` bytes at `paddr`; bytes above RAM read as 0xFF. */
  readBytes(paddr: number, len: number): Uint8Array {
    paddr >>>= 0;
    const out = new Uint8Array(len).fill(0xff);
    if (paddr < this.size) out.set(this.bytes.subarray(paddr, Math.min(this.size, paddr + len)));
    return out;
  }

  /** Writes `data` at `paddr` (the part above RAM is dropped). */
  writeBytes(paddr: number, data: Uint8Array): void {
    paddr >>>= 0;
    if (paddr >= this.size) return;
    const len = Math.min(data.length, this.size - paddr);
    this.noteWrite(paddr, len, data);
    this.bytes.set(len === data.length ? data : data.subarray(0, len), paddr);
  }

  /**
   * [start, end) less its leading and trailing bytes that `data` (to be written at `paddr`) leaves as they
   * are: compared word by word where both sides are aligned (a restored page), then byte by byte.
   */
  private changedSpan(start: number, end: number, paddr: number, data: Uint8Array): [number, number] {
    const at = data.byteOffset - paddr; // data's buffer offset of memory address a is a + at
    if (((start | end | at) & 3) === 0 && end > start) {
      const from = new Int32Array(data.buffer, start + at, (end - start) >>> 2);
      const base = start >>> 2;
      let first = 0;
      let last = from.length;
      while (first < last && this.words[base + first] === from[first]) first++;
      while (last > first && this.words[base + last - 1] === from[last - 1]) last--;
      end = start + 4 * last;
      start += 4 * first;
    }
    while (start < end && this.bytes[start] === data[start - paddr]) start++;
    while (end > start && this.bytes[end - 1] === data[end - 1 - paddr]) end--;
    return [start, end];
  }

  /** Registers a tracker; nothing is armed until the handle's `watch`/`watchAll` is called. */
  trackWrites(tracker: WriteTracker): WriteTracking {
    const handle = new WriteTracking(this, tracker);
    this.trackings.push(handle);
    return handle;
  }

  /**
   * Called before bytes [paddr, paddr+length) are modified (by the CPU's slow path or by the write
   * methods): reports watched pages and invalidates decoded code. Cheap when no page is flagged. Given the
   * bytes about to be written (`data`), only the part of a code page they change counts as code written
   * (restoring a snapshot rewrites whole pages, mostly with what is there).
   */
  noteWrite(paddr: number, length: number, data?: Uint8Array): void {
    if (length <= 0) return;
    const first = paddr >>> PAGE_SHIFT;
    const last = Math.min(this.pageCount - 1, (paddr + length - 1) >>> PAGE_SHIFT);
    for (let page = first; page <= last; page++) {
      const flags = this.pageFlags[page];
      if (flags === 0) continue;
      if (flags & PAGE_WATCHED) {
        this.pageFlags[page] = flags & ~PAGE_WATCHED;
        for (const t of this.trackings) t.hit(page);
      }
      if (flags & PAGE_CODE && this.listener) {
        let start = Math.max(paddr, page << PAGE_SHIFT);
        let end = Math.min(paddr + length, (page + 1) << PAGE_SHIFT);
        if (data !== undefined) [start, end] = this.changedSpan(start, end, paddr, data);
        if (end > start) this.listener.codeWritten(start, end - start);
      }
    }
  }

  /** @internal WriteTracking.watch */
  armPage(page: number): void {
    if (this.pageFlags[page] & PAGE_WATCHED) return;
    this.pageFlags[page] |= PAGE_WATCHED;
    this.listener?.pageProtected(page);
  }

  /** @internal WriteTracking.watchAll */
  armAll(): void {
    for (let p = 0; p < this.pageCount; p++) this.pageFlags[p] |= PAGE_WATCHED;
    this.listener?.pageProtected(-1);
  }

  /** @internal WriteTracking.dispose */
  removeTracking(handle: WriteTracking): void {
    this.trackings = this.trackings.filter((t) => t !== handle);
    for (let p = 0; p < this.pageCount; p++) this.pageFlags[p] &= ~PAGE_WATCHED;
    for (const t of this.trackings) t.rearmInto(this.pageFlags);
  }
}
