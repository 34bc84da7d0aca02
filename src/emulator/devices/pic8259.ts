// Intel 8259A programmable interrupt controller, and the PC/AT master-slave pair built from two of them
// (master at ports 0x20/0x21, slave at 0xA0/0xA1, slave INT wired to master IR2).
// Follows the Intel 8259A datasheet (order no. 231468): initialisation words ICW1-ICW4, operation words
// OCW1 (mask), OCW2 (EOI and rotation commands), OCW3 (register read select, poll, special mask mode);
// fully nested priority with rotation, automatic EOI, edge- or level-triggered requests (ICW1 LTIM),
// IRR/ISR/IMR reads, and spurious IRQ 7 (master) / IRQ 15 (slave) when a request vanishes before INTA.
// Not modelled (no PC uses them): 8080/8085 call-address mode, buffered-mode pin behaviour, special
// fully nested mode (accepted and stored only).

import type { IoBus } from '../bus/io-bus.ts';
import type { StatefulDevice } from './device.ts';

/** Plain-data state of one 8259A. */
export interface Pic8259State {
  irr: number;
  isr: number;
  imr: number;
  /** Input line levels (for edge detection). */
  lines: number;
  /** Next initialisation word expected: 0 = initialised (OCWs), 2..4 = ICW2..ICW4. */
  initStep: number;
  icw1: number;
  vectorBase: number;
  icw3: number;
  icw4: number;
  /** OCW3 read-register select: true reads ISR on the command port, false IRR. */
  readIsr: boolean;
  specialMask: boolean;
  rotateOnAutoEoi: boolean;
  /** The IR level with the lowest priority (7 after initialisation). */
  lowestPriority: number;
  pollPending: boolean;
}

/** One 8259A chip. `onOutput` sees its INT pin level after every change. */
export class Pic8259 {
  irr = 0;
  isr = 0;
  imr = 0;
  lines = 0;
  initStep = 0;
  icw1 = 0;
  vectorBase = 0;
  icw3 = 0;
  icw4 = 0;
  readIsr = false;
  specialMask = false;
  rotateOnAutoEoi = false;
  lowestPriority = 7;
  pollPending = false;
  private output = false;

  constructor(private readonly onOutput: (level: boolean) => void) {}

  get levelTriggered(): boolean {
    return (this.icw1 & 0x08) !== 0;
  }

  get autoEoi(): boolean {
    return (this.icw4 & 0x02) !== 0;
  }

  /** Sets input line `irq` (0-7) to `level`. Edge mode latches a request on a rising edge only. */
  setLine(irq: number, level: boolean): void {
    const bit = 1 << irq;
    const was = (this.lines & bit) !== 0;
    if (level) {
      this.lines |= bit;
      if (!was || this.levelTriggered) this.irr |= bit;
    } else {
      this.lines &= ~bit;
      if (this.levelTriggered) this.irr &= ~bit;
    }
    this.update();
  }

  /** The IR level the chip would present at INTA now, or -1. */
  pending(): number {
    const requests = this.irr & ~this.imr;
    if (requests === 0) return -1;
    // In special mask mode, in-service levels that are masked do not block lower priorities.
    const blocking = this.specialMask ? this.isr & ~this.imr : this.isr;
    for (let r = 0; r < 8; r++) {
      const irq = (this.lowestPriority + 1 + r) & 7;
      const bit = 1 << irq;
      if (blocking & bit) return -1;
      if (requests & bit) return irq;
    }
    return -1;
  }

  /** Recomputes the INT output; notifies the listener on change. */
  update(): void {
    const out = this.initStep === 0 && this.pending() >= 0;
    if (out !== this.output) {
      this.output = out;
      this.onOutput(out);
    }
  }

  get intOutput(): boolean {
    return this.output;
  }

  /**
   * The INTA cycle: returns the acknowledged IR level (ISR set unless auto-EOI, IRR cleared for edge
   * mode), or 7 for a spurious request (no ISR bit set).
   */
  acknowledge(): number {
    const irq = this.pending();
    if (irq < 0) {
      this.update();
      return 7;
    }
    const bit = 1 << irq;
    this.irr &= ~bit;
    if (this.autoEoi) {
      if (this.rotateOnAutoEoi) this.lowestPriority = irq;
    } else {
      this.isr |= bit;
    }
    // In level mode the request stays latched while the line stays high (datasheet: IRR follows IR).
    if (this.levelTriggered && (this.lines & bit) !== 0) this.irr |= bit;
    this.update();
    return irq;
  }

  /** The highest-priority in-service level, or -1. */
  private highestInService(): number {
    for (let r = 0; r < 8; r++) {
      const irq = (this.lowestPriority + 1 + r) & 7;
      if (this.isr & (1 << irq)) return irq;
    }
    return -1;
  }

  writeCommand(value: number): void {
    if (value & 0x10) {
      // ICW1: restart initialisation. Clears IMR, resets priority, selects IRR reads.
      this.icw1 = value;
      this.initStep = 2;
      this.imr = 0;
      this.isr = 0;
      this.irr = this.levelTriggered ? this.lines : 0;
      this.icw4 = 0;
      this.lowestPriority = 7;
      this.specialMask = false;
      this.readIsr = false;
      this.rotateOnAutoEoi = false;
      this.pollPending = false;
      this.update();
    } else if (value & 0x08) {
      this.writeOcw3(value);
    } else {
      this.writeOcw2(value);
    }
  }

  private writeOcw3(value: number): void {
    if (value & 0x02) this.readIsr = (value & 0x01) !== 0;
    if (value & 0x04) this.pollPending = true;
    if (value & 0x40) this.specialMask = (value & 0x20) !== 0;
    this.update();
  }

  private writeOcw2(value: number): void {
    const level = value & 7;
    switch (value >> 5) {
      case 1: { // non-specific EOI
        const irq = this.highestInService();
        if (irq >= 0) this.isr &= ~(1 << irq);
        break;
      }
      case 3: // specific EOI
        this.isr &= ~(1 << level);
        break;
      case 5: { // rotate on non-specific EOI
        const irq = this.highestInService();
        if (irq >= 0) {
          this.isr &= ~(1 << irq);
          this.lowestPriority = irq;
        }
        break;
      }
      case 4: this.rotateOnAutoEoi = true; break;
      case 0: this.rotateOnAutoEoi = false; break;
      case 7: // rotate on specific EOI
        this.isr &= ~(1 << level);
        this.lowestPriority = level;
        break;
      case 6: this.lowestPriority = level; break; // set priority
      default: break; // 2: no operation
    }
    this.update();
  }

  writeData(value: number): void {
    switch (this.initStep) {
      case 2:
        this.vectorBase = value & 0xf8;
        this.initStep = (this.icw1 & 0x02) === 0 ? 3 : (this.icw1 & 0x01) !== 0 ? 4 : 0;
        break;
      case 3:
        this.icw3 = value;
        this.initStep = (this.icw1 & 0x01) !== 0 ? 4 : 0;
        break;
      case 4:
        this.icw4 = value;
        this.initStep = 0;
        break;
      default:
        this.imr = value; // OCW1
    }
    this.update();
  }

  /** Reads the command port: the poll word after a poll command, else IRR or ISR per OCW3. */
  readCommand(): number {
    if (this.pollPending) return this.poll();
    return this.readIsr ? this.isr : this.irr;
  }

  readData(): number {
    if (this.pollPending) return this.poll();
    return this.imr;
  }

  /** Poll mode: acknowledges the pending level like INTA and returns 0x80 | level, or 0 if none. */
  private poll(): number {
    this.pollPending = false;
    const irq = this.pending();
    if (irq < 0) return 0;
    this.acknowledge();
    return 0x80 | irq;
  }

  saveState(): Pic8259State {
    return {
      irr: this.irr, isr: this.isr, imr: this.imr, lines: this.lines, initStep: this.initStep, icw1: this.icw1,
      vectorBase: this.vectorBase, icw3: this.icw3, icw4: this.icw4, readIsr: this.readIsr,
      specialMask: this.specialMask, rotateOnAutoEoi: this.rotateOnAutoEoi,
      lowestPriority: this.lowestPriority, pollPending: this.pollPending,
    };
  }

  /** Restores state; the INT output is recomputed silently (the owner re-syncs the wire). */
  loadState(s: Pic8259State): void {
    this.irr = s.irr;
    this.isr = s.isr;
    this.imr = s.imr;
    this.lines = s.lines;
    this.initStep = s.initStep;
    this.icw1 = s.icw1;
    this.vectorBase = s.vectorBase;
    this.icw3 = s.icw3;
    this.icw4 = s.icw4;
    this.readIsr = s.readIsr;
    this.specialMask = s.specialMask;
    this.rotateOnAutoEoi = s.rotateOnAutoEoi;
    this.lowestPriority = s.lowestPriority;
    this.pollPending = s.pollPending;
    this.output = this.initStep === 0 && this.pending() >= 0;
  }
}

export interface PicPairState {
  master: Pic8259State;
  slave: Pic8259State;
}

/** The cascade IR input of the master that the slave's INT pin drives (PC/AT wiring). */
const CASCADE_IRQ = 2;

/**
 * The PC/AT interrupt controller pair. IRQ 0-7 go to the master, 8-15 to the slave; the master's INT
 * drives the CPU's INTR line (`onIntr`), and `acknowledge()` performs the two INTA cycles and returns the
 * vector the CPU dispatches through.
 */
export class PicPair implements StatefulDevice<PicPairState> {
  readonly master: Pic8259;
  readonly slave: Pic8259;

  constructor(private readonly onIntr: (asserted: boolean) => void) {
    this.master = new Pic8259((level) => this.onIntr(level));
    this.slave = new Pic8259((level) => this.master.setLine(CASCADE_IRQ, level));
  }

  attach(io: IoBus): void {
    io.register(0x20, 1, { read8: () => this.master.readCommand(), write8: (_p, v) => this.master.writeCommand(v) });
    io.register(0x21, 1, { read8: () => this.master.readData(), write8: (_p, v) => this.master.writeData(v) });
    io.register(0xa0, 1, { read8: () => this.slave.readCommand(), write8: (_p, v) => this.slave.writeCommand(v) });
    io.register(0xa1, 1, { read8: () => this.slave.readData(), write8: (_p, v) => this.slave.writeData(v) });
  }

  /** Sets the level of IRQ line 0-15. */
  setIrq(irq: number, level: boolean): void {
    if (irq < 8) this.master.setLine(irq, level);
    else this.slave.setLine(irq - 8, level);
  }

  /** A rising edge on an edge-triggered line: lower, then raise (how the PIT's and keyboard's pulses arrive). */
  pulseIrq(irq: number): void {
    this.setIrq(irq, false);
    this.setIrq(irq, true);
  }

  get intr(): boolean {
    return this.master.intOutput;
  }

  /** INTA: returns the interrupt vector (spurious: master base+7, or slave base+7 with master IR2 in service). */
  acknowledge(): number {
    const irq = this.master.acknowledge();
    if (irq === CASCADE_IRQ && (this.master.icw1 & 0x02) === 0) {
      return (this.slave.vectorBase + this.slave.acknowledge()) & 0xff;
    }
    return (this.master.vectorBase + irq) & 0xff;
  }

  saveState(): PicPairState {
    return { master: this.master.saveState(), slave: this.slave.saveState() };
  }

  loadState(s: PicPairState): void {
    this.slave.loadState(s.slave);
    this.master.loadState(s.master);
    this.onIntr(this.master.intOutput);
  }
}
