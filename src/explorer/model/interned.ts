// Interning: values numbered in the order first seen, each stored once, found by a string key. Used where
// many records repeat a few values (the exploration tree's locations and runnable sets, the locksets of
// recorded accesses) and keep a number instead.

export class Interned<T> {
  private readonly numbers = new Map<string, number>();
  private readonly list: T[] = [];

  /** The number of the value with this key (numbering `value` now if the key is new). */
  number(key: string, value: T): number {
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = this.list.length;
      this.numbers.set(key, n);
      this.list.push(value);
    }
    return n;
  }

  /** The value numbered `n`. */
  value(n: number): T {
    return this.list[n];
  }
}
