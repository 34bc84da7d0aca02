// Intel 8042 keyboard controller (as on the PC/AT, ports 0x60 data and 0x64 status/command) with a
// PS/2 keyboard behind it that sends scan code set 1, raising IRQ 1 for each byte it puts in the output
// buffer while the command byte enables the keyboard interrupt.
// Follows the IBM PC/AT Technical Reference (8042 commands 0x20/0x60 command byte, 0xA7-0xAE, 0xC0,
// 0xD0-0xD4, 0xF0-0xFF output-port pulses; status bits OBF, system flag, command/data) and the PS/2
// keyboard command set (0xED LEDs, 0xEE echo, 0xF0 scan code set, 0xF2 identify, 0xF3 typematic,
// 0xF4/0xF5 enable/disable, 0xF6 defaults, 0xFE resend, 0xFF reset).
// Typed keys wait in a queue and enter the output buffer one byte at a time, KEY_BYTE_DELAY
// instructions after the previous byte was read (a keyboard is slow; a kernel that reads port 0x60 twice
// per interrupt must not lose bytes). Command replies enter the buffer at once, ahead of typed keys.
// Always delivers set 1 (what the 8042's default translation gives); a kernel that turns translation
// off still gets set 1. No PS/2 mouse: the mouse port answers its test and otherwise stays silent.

import type { IoBus } from '../bus/io-bus.ts';
import type { StatefulDevice } from './device.ts';
import type { Timer } from '../time/scheduler.ts';
import { keyCode, KEY_NAMES, scanBytes, textToScanCodes } from './scancodes.ts';

/** Virtual instructions between two typed bytes (10 us at the default speed). */
export const KEY_BYTE_DELAY = 10_000;

export interface Kbc8042State {
  commandByte: number;
  outputPort: number;
  /** The byte in the output buffer, or -1 (OBF clear). */
  output: number;
  /** Controller and keyboard replies waiting for the output buffer. */
  replies: number[];
  /** Typed scan code bytes waiting for the output buffer. */
  keys: number[];
  /** Controller command waiting for its data byte on port 0x60 (0 = none). */
  pendingCommand: number;
  /** Keyboard command waiting for its argument (0 = none). */
  pendingKeyboardCommand: number;
  lastWriteWasCommand: boolean;
  scanning: boolean;
  lastSent: number;
  /** Instruction count of the last status read that found nothing typed pending, or -1. */
  lastEmptyPoll: number;
}

const ACK = 0xfa;

export class Kbc8042 implements StatefulDevice<Kbc8042State> {
  commandByte = 0x45; // translation on, system flag, keyboard interrupt enabled (power-on default)
  outputPort = 0xdf;
  output = -1;
  replies: number[] = [];
  keys: number[] = [];
  pendingCommand = 0;
  pendingKeyboardCommand = 0;
  lastWriteWasCommand = false;
  scanning = true;
  lastSent = 0xaa;
  lastEmptyPoll = -1;

  /**
   * @param timer the scheduler timer that paces typed bytes
   * @param now the current instruction count
   * @param setIrq1 drives IRQ 1 (high while a byte waits in the output buffer, if enabled)
   * @param onReset the CPU reset line was pulsed (command 0xFE, or output port bit 0 cleared)
   */
  constructor(
    private readonly timer: Timer,
    private readonly now: () => number,
    private readonly setIrq1: (level: boolean) => void,
    private readonly onReset: () => void,
  ) {}

  attach(io: IoBus): void {
    io.register(0x60, 1, { read8: () => this.readData(), write8: (_p, v) => this.writeData(v) });
    io.register(0x64, 1, { read8: () => this.readStatus(), write8: (_p, v) => this.writeCommand(v) });
  }

  /** Queues the scan codes that type `text` (printable ASCII, '\n', '\t', '\b'); throws RangeError otherwise. */
  typeText(text: string): void {
    this.sendScanCodes(textToScanCodes(text));
  }

  /** Presses (or releases) a named key (`Enter`, `ArrowUp`, `F1`, `Shift`, ...) or a single character key. */
  pressKey(name: string, options: { release?: boolean } = {}): void {
    const key = keyCode(name);
    if (!key) throw new RangeError(`unknown key ${JSON.stringify(name)}; known: ${KEY_NAMES.join(', ')} and a-z 0-9 punctuation`);
    this.sendScanCodes(scanBytes(key, options.release ?? false));
  }

  /** Queues raw set-1 scan code bytes (E0 prefixes and break codes included) exactly as given. */
  sendScanCodes(bytes: number[]): void {
    this.keys.push(...bytes.map((b) => b & 0xff));
    this.deliverLater();
  }

  /** True when no typed byte waits to be read by the guest (queue and output buffer empty). */
  get inputDrained(): boolean {
    return this.keys.length === 0 && this.output < 0;
  }

  private get keyboardEnabled(): boolean {
    return (this.commandByte & 0x10) === 0 && this.scanning;
  }

  private updateIrq(): void {
    this.setIrq1(this.output >= 0 && (this.commandByte & 0x01) !== 0);
  }

  private fill(byte: number): void {
    this.output = byte;
    this.lastSent = byte;
    this.updateIrq();
  }

  /** Puts the next reply in the output buffer now, or arms the timer for the next typed byte. */
  private deliverLater(): void {
    if (this.output >= 0) return;
    if (this.replies.length > 0) {
      this.fill(this.replies.shift() as number);
    } else if (this.keys.length > 0 && this.keyboardEnabled && !this.timer.armed) {
      this.timer.schedule(this.now() + KEY_BYTE_DELAY);
    }
  }

  /**
   * Puts the next typed byte in the output buffer now (raising IRQ 1) instead of after KEY_BYTE_DELAY:
   * for an explorer that chooses the instruction at which a pending key's interrupt arrives. Returns
   * false (and changes nothing) if the output buffer is full, nothing is typed, or the keyboard is off.
   */
  deliverNextKey(): boolean {
    if (this.output >= 0 || this.keys.length === 0 || !this.keyboardEnabled) return false;
    this.timer.cancel();
    this.fill(this.keys.shift() as number);
    return true;
  }

  /** Scheduler callback: the keyboard sends its next typed byte. */
  timerFired(): void {
    if (this.output < 0 && this.keys.length > 0 && this.keyboardEnabled) this.fill(this.keys.shift() as number);
  }

  private reply(...bytes: number[]): void {
    this.replies.push(...bytes);
    this.deliverLater();
  }

  readData(): number {
    const value = this.output < 0 ? this.lastSent : this.output;
    this.output = -1;
    this.updateIrq();
    this.deliverLater();
    return value;
  }

  readStatus(): number {
    if (this.inputDrained) this.lastEmptyPoll = this.now();
    // Bit 2, the system flag, reads 1 once the power-on self test has passed (always, here).
    return (this.output >= 0 ? 0x01 : 0) | 0x04 | (this.lastWriteWasCommand ? 0x08 : 0) | 0x10;
  }

  writeCommand(value: number): void {
    this.lastWriteWasCommand = true;
    this.pendingCommand = 0;
    switch (value) {
      case 0x20: this.reply(this.commandByte); break;
      case 0x60: case 0xd1: case 0xd2: case 0xd3: case 0xd4: this.pendingCommand = value; break;
      case 0xa7: this.commandByte |= 0x20; break;
      case 0xa8: this.commandByte &= ~0x20; break;
      case 0xa9: case 0xab: this.reply(0x00); break;
      case 0xaa: this.reply(0x55); break;
      case 0xad: this.commandByte |= 0x10; break;
      case 0xae: this.commandByte &= ~0x10; this.deliverLater(); break;
      case 0xc0: this.reply(0xbf); break;
      case 0xd0: this.reply(this.outputPort); break;
      default:
        if (value >= 0xf0 && (value & 0x01) === 0) this.onReset(); // pulse output port bit 0 (CPU reset)
    }
  }

  writeData(value: number): void {
    this.lastWriteWasCommand = false;
    const command = this.pendingCommand;
    this.pendingCommand = 0;
    switch (command) {
      case 0x60:
        this.commandByte = value;
        this.updateIrq();
        this.deliverLater();
        return;
      case 0xd1:
        this.outputPort = value | 0x02; // A20 stays enabled
        if ((value & 0x01) === 0) this.onReset();
        return;
      case 0xd2: this.reply(value); return;
      case 0xd3: case 0xd4: return; // no mouse
      default: this.keyboardCommand(value);
    }
  }

  private keyboardCommand(value: number): void {
    const pending = this.pendingKeyboardCommand;
    if (pending !== 0) {
      this.pendingKeyboardCommand = 0;
      if (pending === 0xf0 && value === 0) this.reply(ACK, 0x02);
      else this.reply(ACK);
      return;
    }
    switch (value) {
      case 0xed: case 0xf0: case 0xf3: this.pendingKeyboardCommand = value; this.reply(ACK); break;
      case 0xee: this.reply(0xee); break;
      case 0xf2: this.reply(ACK, 0xab, 0x83); break;
      case 0xf4: this.scanning = true; this.reply(ACK); break;
      case 0xf5: this.scanning = false; this.reply(ACK); break;
      case 0xf6: this.scanning = true; this.reply(ACK); break;
      case 0xfe: this.reply(this.lastSent); break;
      case 0xff: this.scanning = true; this.reply(ACK, 0xaa); break;
      default: this.reply(ACK);
    }
  }

  saveState(): Kbc8042State {
    return {
      commandByte: this.commandByte, outputPort: this.outputPort, output: this.output, replies: this.replies.slice(),
      keys: this.keys.slice(), pendingCommand: this.pendingCommand, pendingKeyboardCommand: this.pendingKeyboardCommand,
      lastWriteWasCommand: this.lastWriteWasCommand, scanning: this.scanning, lastSent: this.lastSent,
      lastEmptyPoll: this.lastEmptyPoll,
    };
  }

  /** Restores state; the pacing timer is restored with the scheduler's state, the IRQ line is re-driven. */
  loadState(s: Kbc8042State): void {
    this.commandByte = s.commandByte;
    this.outputPort = s.outputPort;
    this.output = s.output;
    this.replies = s.replies.slice();
    this.keys = s.keys.slice();
    this.pendingCommand = s.pendingCommand;
    this.pendingKeyboardCommand = s.pendingKeyboardCommand;
    this.lastWriteWasCommand = s.lastWriteWasCommand;
    this.scanning = s.scanning;
    this.lastSent = s.lastSent;
    this.lastEmptyPoll = s.lastEmptyPoll;
    this.updateIrq();
  }
}
