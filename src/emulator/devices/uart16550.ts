// National Semiconductor 16550A UART at COM1 (ports 0x3F8-0x3FF, IRQ 4), as seen by a kernel that writes
// debug output to the serial port: transmitted bytes go to a log at once (the line is infinitely fast),
// so the line status register always reports the transmitter empty. Follows the PC16550D datasheet:
// RBR/THR, IER, IIR/FCR, LCR (DLAB), MCR (OUT2 gates the PC's IRQ line, loopback), LSR, MSR, SCR and the
// divisor latch. Interrupts: transmitter-holding-register-empty and received-data-available (loopback
// only: nothing is ever received from outside), priority and clearing per the datasheet. The FIFO is
// reported as enabled in IIR when FCR enables it, and holds looped-back bytes.

import type { IoBus } from '../bus/io-bus.ts';
import type { StatefulDevice } from './device.ts';

export const COM1_BASE = 0x3f8;

export interface Uart16550State {
  ier: number;
  lcr: number;
  mcr: number;
  scr: number;
  fcr: number;
  divisor: number;
  rx: number[];
  thrEmptyPending: boolean;
}

export class Uart16550 implements StatefulDevice<Uart16550State> {
  ier = 0;
  lcr = 0;
  mcr = 0;
  scr = 0;
  fcr = 0;
  divisor = 12; // 9600 baud
  rx: number[] = [];
  thrEmptyPending = false;
  /** Everything transmitted, as text (bytes as Latin-1 characters). */
  transmitted = '';

  /**
   * @param setIrq drives the COM1 interrupt line (IRQ 4)
   * @param onTransmit hears each transmitted byte
   */
  constructor(
    private readonly setIrq: (level: boolean) => void,
    private readonly onTransmit: (byte: number) => void = () => {},
    private readonly base = COM1_BASE,
  ) {}

  attach(io: IoBus): void {
    io.register(this.base, 8, { read8: (p) => this.read(p - this.base), write8: (p, v) => this.write(p - this.base, v) });
  }

  private get dlab(): boolean {
    return (this.lcr & 0x80) !== 0;
  }

  private get loopback(): boolean {
    return (this.mcr & 0x10) !== 0;
  }

  /** The highest-priority pending interrupt's IIR code (0x04 data, 0x02 THR empty) or 0x01 none. */
  private interruptId(): number {
    if ((this.ier & 0x01) !== 0 && this.rx.length > 0) return 0x04;
    if ((this.ier & 0x02) !== 0 && this.thrEmptyPending) return 0x02;
    return 0x01;
  }

  private updateIrq(): void {
    // On the PC the UART's interrupt reaches the PIC only while MCR OUT2 is set (and never in loopback).
    this.setIrq(this.interruptId() !== 0x01 && (this.mcr & 0x08) !== 0 && !this.loopback);
  }

  read(reg: number): number {
    switch (reg) {
      case 0: {
        if (this.dlab) return this.divisor & 0xff;
        const v = this.rx.shift() ?? 0;
        this.updateIrq();
        return v;
      }
      case 1: return this.dlab ? this.divisor >> 8 : this.ier;
      case 2: {
        const id = this.interruptId();
        if (id === 0x02) this.thrEmptyPending = false; // reading IIR clears a THR-empty interrupt
        this.updateIrq();
        return id | ((this.fcr & 0x01) !== 0 ? 0xc0 : 0);
      }
      case 3: return this.lcr;
      case 4: return this.mcr;
      case 5: return 0x60 | (this.rx.length > 0 ? 0x01 : 0); // THRE and TEMT always: transmission is instant
      case 6: // MSR: in loopback the modem outputs feed the inputs; otherwise CTS, DSR and DCD are asserted
        return this.loopback ? ((this.mcr & 0x01) << 5) | ((this.mcr & 0x02) << 3) | ((this.mcr & 0x0c) << 4) : 0xb0;
      default: return this.scr;
    }
  }

  write(reg: number, value: number): void {
    switch (reg) {
      case 0:
        if (this.dlab) {
          this.divisor = (this.divisor & 0xff00) | value;
          return;
        }
        if (this.loopback) {
          if (this.rx.length < 16) this.rx.push(value);
        } else {
          this.transmitted += String.fromCharCode(value);
          this.onTransmit(value);
        }
        this.thrEmptyPending = true;
        break;
      case 1:
        if (this.dlab) {
          this.divisor = (this.divisor & 0xff) | (value << 8);
          return;
        }
        // Enabling the THR-empty interrupt while the holding register is empty raises it at once.
        if ((value & 0x02) !== 0 && (this.ier & 0x02) === 0) this.thrEmptyPending = true;
        this.ier = value & 0x0f;
        break;
      case 2:
        this.fcr = value & 0xc9;
        if ((value & 0x02) !== 0) this.rx = [];
        break;
      case 3: this.lcr = value; return;
      case 4: this.mcr = value & 0x1f; break;
      case 7: this.scr = value; return;
      default: return;
    }
    this.updateIrq();
  }

  saveState(): Uart16550State {
    return {
      ier: this.ier, lcr: this.lcr, mcr: this.mcr, scr: this.scr, fcr: this.fcr, divisor: this.divisor,
      rx: this.rx.slice(), thrEmptyPending: this.thrEmptyPending,
    };
  }

  /** Restores the registers (the transmitted log is output, not state) and re-drives the IRQ line. */
  loadState(s: Uart16550State): void {
    this.ier = s.ier;
    this.lcr = s.lcr;
    this.mcr = s.mcr;
    this.scr = s.scr;
    this.fcr = s.fcr;
    this.divisor = s.divisor;
    this.rx = s.rx.slice();
    this.thrEmptyPending = s.thrEmptyPending;
    this.updateIrq();
  }
}
