// The emulator's debug ports, compatible with QEMU and Bochs:
// - port 0xE9 debug console (Bochs "port e9 hack", QEMU `-debugcon`): bytes written are appended to a
//   text log; reading the port returns 0xE9 so software can detect it.
// - port 0xF4 exit device (QEMU `-device isa-debug-exit,iobase=0xf4`): writing v (any width) ends the
//   run with exit status (v << 1) | 1, as QEMU does.
// Neither exists on a real PC; both are what test and benchmark kernels use to report.

import type { IoBus } from '../bus/io-bus.ts';
import type { PortDevice } from './device.ts';

export const DEBUGCON_PORT = 0xe9;
export const EXIT_PORT = 0xf4;

export class DebugConsole implements PortDevice {
  text = '';

  constructor(private readonly onByte: (byte: number) => void = () => {}) {}

  attach(io: IoBus): void {
    io.register(DEBUGCON_PORT, 1, {
      read8: () => DEBUGCON_PORT,
      write8: (_p, v) => {
        this.text += String.fromCharCode(v);
        this.onByte(v);
      },
    });
  }
}

export class IsaDebugExit implements PortDevice {
  /** @param onExit receives the exit status (v << 1) | 1 */
  constructor(private readonly onExit: (status: number) => void) {}

  attach(io: IoBus): void {
    const exit = (_p: number, v: number) => this.onExit(((v << 1) | 1) >>> 0);
    io.register(EXIT_PORT, 1, { write8: exit, write16: exit, write32: exit });
  }
}
