// A two-lane 32-bit hash of plain state data (numbers, strings, booleans, null, arrays, typed arrays and
// plain objects, as the devices' and CPU's saveState give it), walking the values instead of hashing
// their JSON text: the machine's state hash is taken at the end of every explored branch. Object keys
// are not hashed (a saveState's shape is fixed by its code), only how many there are; every value is
// tagged with its kind, so that 1, "1", true and [1] differ. FNV-1a style mixing per 32-bit word.
// Speed: plain arrays and typed arrays are walked by separate loops (each sees one kind of array), and
// plain arrays' integer elements (register files, the VGA's 768-entry palette: most of the values) are
// mixed in local variables rather than through the walker's fields.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

const NUMBER = 1;
const FLOAT = 2;
const STRING = 3;
const TRUE = 4;
const FALSE = 5;
const UNDEFINED = 6;
const NULL = 7;
const ARRAY = 8;
const OBJECT = 9;

/** One step of each lane: the lane's state after mixing in 32-bit word `x`. */
function mixA(a: number, x: number): number {
  return Math.imul(a ^ x, 0x01000193);
}

function mixB(b: number, x: number): number {
  return Math.imul(b ^ x, 0x85ebca6b) ^ (b >>> 13);
}

class Lanes {
  a = 0x811c9dc5;
  b = 0x01000193 ^ 0x9e3779b9;

  mix(x: number): void {
    this.a = mixA(this.a, x);
    this.b = mixB(this.b, x);
  }

  value(v: unknown): void {
    switch (typeof v) {
      case 'number':
        if ((v | 0) === v) {
          this.mix(NUMBER);
          this.mix(v);
        } else {
          f64[0] = v;
          this.mix(FLOAT);
          this.mix(u32[0]);
          this.mix(u32[1]);
        }
        return;
      case 'string':
        this.mix(STRING);
        this.mix(v.length);
        for (let i = 0; i < v.length; i++) this.mix(v.charCodeAt(i));
        return;
      case 'boolean':
        this.mix(v ? TRUE : FALSE);
        return;
      case 'undefined':
        this.mix(UNDEFINED);
        return;
      case 'object':
        this.object(v);
        return;
      default:
        throw new TypeError(`cannot hash a ${typeof v} in machine state`);
    }
  }

  private object(v: object | null): void {
    if (v === null) {
      this.mix(NULL);
    } else if (Array.isArray(v)) {
      this.list(v as unknown[]);
    } else if (ArrayBuffer.isView(v)) {
      this.typed(v as unknown as ArrayLike<number>);
    } else {
      const values = Object.values(v);
      this.mix(OBJECT);
      this.mix(values.length);
      for (let i = 0; i < values.length; i++) this.value(values[i]);
    }
  }

  /** A typed array: like a plain array of its numbers. */
  private typed(list: ArrayLike<number>): void {
    this.mix(ARRAY);
    this.mix(list.length);
    for (let i = 0; i < list.length; i++) this.value(list[i]);
  }

  /** A plain array: its length, then its elements (integers mixed here, the rest by `value`). */
  private list(list: unknown[]): void {
    this.mix(ARRAY);
    this.mix(list.length);
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      if (typeof x === 'number' && (x | 0) === x) {
        a = mixA(mixA(a, NUMBER), x);
        b = mixB(mixB(b, NUMBER), x);
      } else {
        this.a = a;
        this.b = b;
        this.value(x);
        a = this.a;
        b = this.b;
      }
    }
    this.a = a;
    this.b = b;
  }
}

/** The two hash lanes of `value` (plain state data). */
export function hashState(value: unknown): [number, number] {
  const lanes = new Lanes();
  lanes.value(value);
  return [lanes.a >>> 0, lanes.b >>> 0];
}
