// The x86 I/O port space (64 K ports). Devices register byte, word and dword handlers per port; a port
// nobody claims reads as all ones and ignores writes, as on a PC with nothing decoding the address. Word
// and dword accesses that no device handles at that width are split into byte accesses (little-endian),
// so a device implements only the widths its datasheet gives.

export type PortReader = (port: number) => number;
export type PortWriter = (port: number, value: number) => void;

export interface PortHandlers {
  read8?: PortReader;
  write8?: PortWriter;
  read16?: PortReader;
  write16?: PortWriter;
  read32?: PortReader;
  write32?: PortWriter;
}

/** Hears every port access; installed only while someone traces I/O (see `IoBus.observer`). */
export interface IoObserver {
  onIo(port: number, size: 1 | 2 | 4, value: number, isWrite: boolean): void;
}

const PORTS = 0x10000;

const unclaimedRead8: PortReader = () => 0xff;
const unclaimedWrite: PortWriter = () => {};

export class IoBus {
  private readonly r8: PortReader[] = new Array(PORTS).fill(unclaimedRead8);
  private readonly w8: PortWriter[] = new Array(PORTS).fill(unclaimedWrite);
  private readonly r16: (PortReader | null)[] = new Array(PORTS).fill(null);
  private readonly w16: (PortWriter | null)[] = new Array(PORTS).fill(null);
  private readonly r32: (PortReader | null)[] = new Array(PORTS).fill(null);
  private readonly w32: (PortWriter | null)[] = new Array(PORTS).fill(null);
  /** Set to trace port I/O; `null` (the default) costs one test per access. */
  observer: IoObserver | null = null;

  /** Claims `count` consecutive ports starting at `first` for the given handlers. */
  register(first: number, count: number, handlers: PortHandlers): void {
    for (let port = first; port < first + count; port++) {
      if (handlers.read8) this.r8[port] = handlers.read8;
      if (handlers.write8) this.w8[port] = handlers.write8;
      if (handlers.read16) this.r16[port] = handlers.read16;
      if (handlers.write16) this.w16[port] = handlers.write16;
      if (handlers.read32) this.r32[port] = handlers.read32;
      if (handlers.write32) this.w32[port] = handlers.write32;
    }
  }

  in8(port: number): number {
    port &= 0xffff;
    const value = this.r8[port](port) & 0xff;
    this.observer?.onIo(port, 1, value, false);
    return value;
  }

  in16(port: number): number {
    port &= 0xffff;
    const handler = this.r16[port];
    const value = handler
      ? handler(port) & 0xffff
      : (this.r8[port](port) & 0xff) | ((this.r8[(port + 1) & 0xffff]((port + 1) & 0xffff) & 0xff) << 8);
    this.observer?.onIo(port, 2, value, false);
    return value;
  }

  in32(port: number): number {
    port &= 0xffff;
    const handler = this.r32[port];
    let value: number;
    if (handler) {
      value = handler(port) >>> 0;
    } else {
      value = 0;
      for (let i = 3; i >= 0; i--) {
        const p = (port + i) & 0xffff;
        value = (value << 8) | (this.r8[p](p) & 0xff);
      }
      value >>>= 0;
    }
    this.observer?.onIo(port, 4, value, false);
    return value;
  }

  out8(port: number, value: number): void {
    port &= 0xffff;
    value &= 0xff;
    this.observer?.onIo(port, 1, value, true);
    this.w8[port](port, value);
  }

  out16(port: number, value: number): void {
    port &= 0xffff;
    value &= 0xffff;
    this.observer?.onIo(port, 2, value, true);
    const handler = this.w16[port];
    if (handler) {
      handler(port, value);
    } else {
      this.w8[port](port, value & 0xff);
      const next = (port + 1) & 0xffff;
      this.w8[next](next, value >>> 8);
    }
  }

  out32(port: number, value: number): void {
    port &= 0xffff;
    value >>>= 0;
    this.observer?.onIo(port, 4, value, true);
    const handler = this.w32[port];
    if (handler) {
      handler(port, value);
    } else {
      for (let i = 0; i < 4; i++) {
        const p = (port + i) & 0xffff;
        this.w8[p](p, (value >>> (8 * i)) & 0xff);
      }
    }
  }
}
