// A two-lane 32-bit hash of plain state data (numbers, strings, booleans, null, arrays, typed arrays and
// plain objects, as the devices' and CPU's saveState give it), walking the values instead of hashing
// their JSON text: the machine's state hash is taken at the end of every explored branch. Object keys
// are not hashed (a saveState's shape is fixed by its code), only how many there are; every value is
// tagged with its kind, so that 1, "1", true and [1] differ. FNV-1a style mixing per 32-bit word.

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

class Lanes {
  a = 0x811c9dc5;
  b = 0x01000193 ^ 0x9e3779b9;

  mix(x: number): void {
    this.a = Math.imul(this.a ^ x, 0x01000193);
    this.b = Math.imul(this.b ^ x, 0x85ebca6b) ^ (this.b >>> 13);
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
    } else if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      const list = v as ArrayLike<unknown>;
      this.mix(ARRAY);
      this.mix(list.length);
      for (let i = 0; i < list.length; i++) this.value(list[i]);
    } else {
      const values = Object.values(v);
      this.mix(OBJECT);
      this.mix(values.length);
      for (let i = 0; i < values.length; i++) this.value(values[i]);
    }
  }
}

/** The two hash lanes of `value` (plain state data). */
export function hashState(value: unknown): [number, number] {
  const lanes = new Lanes();
  lanes.value(value);
  return [lanes.a >>> 0, lanes.b >>> 0];
}
