// A fixed set of address ranges with constant-time membership, for the memory observer's per-access
// filters (the scheduler's code, ignored globals): one bit per byte over the span from the lowest start to
// the highest end, so it suits ranges that lie close together (functions in .text, symbols in .data/.bss).

export class AddressSet {
  private readonly base: number;
  private readonly span: number;
  private readonly bits: Uint32Array;

  /** The union of the ranges [start, end). */
  constructor(ranges: readonly { readonly start: number; readonly end: number }[]) {
    const used = ranges.filter((r) => r.end > r.start);
    this.base = used.length ? Math.min(...used.map((r) => r.start)) : 0;
    this.span = used.length ? Math.max(...used.map((r) => r.end)) - this.base : 0;
    this.bits = new Uint32Array(Math.ceil(this.span / 32));
    for (const r of used) for (let i = r.start - this.base; i < r.end - this.base; i++) this.bits[i >>> 5] |= 1 << (i & 31);
  }

  has(address: number): boolean {
    const i = address - this.base;
    return i >= 0 && i < this.span && (this.bits[i >>> 5] & (1 << (i & 31))) !== 0;
  }
}
