// Bounds-aware little-endian reads over a byte array, shared by the ELF, multiboot, FAT12 and DWARF
// readers. `u8/u16/u32` return undefined past the end so callers can turn a short read into a clear
// LoadError or a partial result instead of a host exception.

export class ByteReader {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** True when [offset, offset+size) lies inside the bytes. */
  has(offset: number, size: number): boolean {
    return Number.isInteger(offset) && offset >= 0 && size >= 0 && offset + size <= this.bytes.length;
  }

  u8(offset: number): number | undefined {
    return this.has(offset, 1) ? this.bytes[offset] : undefined;
  }

  u16(offset: number): number | undefined {
    return this.has(offset, 2) ? this.view.getUint16(offset, true) : undefined;
  }

  u32(offset: number): number | undefined {
    return this.has(offset, 4) ? this.view.getUint32(offset, true) : undefined;
  }

  /** A NUL-terminated string (Latin-1) starting at offset, at most `max` bytes; '' past the end. */
  cstring(offset: number, max = 4096): string {
    let s = '';
    for (let i = offset; i >= 0 && i < this.bytes.length && i < offset + max; i++) {
      const b = this.bytes[i];
      if (b === 0) break;
      s += String.fromCharCode(b);
    }
    return s;
  }
}
