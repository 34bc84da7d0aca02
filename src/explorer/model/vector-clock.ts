// Vector clocks over dense thread indices (Lamport/Fidge/Mattern): entry k is the position, in the
// current execution, of the latest transition of thread k known to happen before. Positions start
// at 1, so 0 means "nothing known". Used by the DPOR happens-before relation and the race detector.

/** A vector clock; missing entries read as 0. Instances are mutable, `copy()` before sharing. */
export class VectorClock {
  private entries: number[];

  constructor(entries: readonly number[] = []) {
    this.entries = entries.slice();
  }

  /** The entry for dense thread index `k`. */
  get(k: number): number {
    return this.entries[k] ?? 0;
  }

  /** Sets entry `k` (grows the clock with zeros as needed). */
  set(k: number, value: number): void {
    while (this.entries.length <= k) this.entries.push(0);
    this.entries[k] = value;
  }

  /** Pointwise maximum with `other`, in place. */
  join(other: VectorClock): this {
    const o = other.entries;
    while (this.entries.length < o.length) this.entries.push(0);
    for (let k = 0; k < o.length; k++) if (o[k] > this.entries[k]) this.entries[k] = o[k];
    return this;
  }

  /** True when every entry is <= the matching one of `other` (this happens before or equals other). */
  leq(other: VectorClock): boolean {
    for (let k = 0; k < this.entries.length; k++) if (this.entries[k] > other.get(k)) return false;
    return true;
  }

  copy(): VectorClock {
    return new VectorClock(this.entries);
  }

  /** Plain data, for events and tests. */
  toArray(): number[] {
    return this.entries.slice();
  }
}
