// PC/AT motherboard glue that software touches during boot: the POST diagnostic port 0x80 (written as an
// I/O delay or progress code; we keep the last code) and PS/2 System Control Port A at 0x92 (bit 1 fast
// A20 gate, which stays enabled on this machine; bit 0 fast CPU reset). PCI is absent: its configuration
// ports 0xCF8/0xCFC stay unclaimed and read all ones (see ../bus/io-bus.ts).

import type { IoBus } from '../bus/io-bus.ts';
import type { StatefulDevice } from './device.ts';

export interface SystemPortsState {
  postCode: number;
  port92: number;
}

export class SystemPorts implements StatefulDevice<SystemPortsState> {
  postCode = 0;
  port92 = 0x02;

  /** @param onReset the guest asked for a CPU reset (port 0x92 bit 0) */
  constructor(private readonly onReset: () => void) {}

  attach(io: IoBus): void {
    io.register(0x80, 1, { read8: () => this.postCode, write8: (_p, v) => { this.postCode = v; } });
    io.register(0x92, 1, {
      read8: () => this.port92,
      write8: (_p, v) => {
        this.port92 = (v & ~0x01) | 0x02;
        if (v & 0x01) this.onReset();
      },
    });
  }

  saveState(): SystemPortsState {
    return { postCode: this.postCode, port92: this.port92 };
  }

  loadState(s: SystemPortsState): void {
    this.postCode = s.postCode;
    this.port92 = s.port92;
  }
}
