// Motorola MC146818 real-time clock and CMOS RAM (PC/AT ports 0x70 index + NMI mask, 0x71 data),
// deterministic: the clock reads `epoch + virtual seconds` (virtual time from the instruction count, see
// ../time/clock.ts) plus whatever offset the guest set by writing the time registers.
// Follows the MC146818A datasheet: time/date registers 0x00-0x09 in BCD or binary (register B bit 2)
// and 12- or 24-hour format (register B bit 1, PM flag in bit 7 of the hour), register A update-in-progress
// (bit 7) high during the last 244 us of each second, register B SET bit freezing updates while the time
// is written, register C flags (PF, AF, UF; IRQF when an enabled one is set; cleared on read) and the IRQ 8
// interrupts they enable (B bits PIE, AIE, UIE; alarm registers 1/3/5 with 0xC0-0xFF as "don't care"),
// register D valid-RAM bit. CMOS bytes follow the IBM PC/AT layout: floppy types, equipment, base and
// extended memory sizes, century (0x32).
// Flags without their interrupt enabled are computed when register C is read (PF and UF from the time of
// the previous read; AF only while AIE or UIE keeps the device's timer running).
// Not modelled: daylight saving, the square-wave output, divider reset (register A bits 4-6 are stored).
// Poll skipping: code that syncs to the clock by spinning on register A until UIP rises would burn up to a
// virtual second (1e9 instructions) of pure polling. After POLL_SKIP_AFTER consecutive reads of register A
// that found UIP clear (and no other RTC access), the device asks the machine to skip virtual time to the
// start of the next update window (the machine never skips past a pending device event). Deterministic: it
// depends only on what the guest does.
// Snapshots: the CMOS RAM array is copy-on-write. A saved state holds the array itself, and the first
// write after a save or load copies it.

import type { IoBus } from '../bus/io-bus.ts';
import type { StatefulDevice } from './device.ts';
import type { VirtualClock } from '../time/clock.ts';
import type { Timer } from '../time/scheduler.ts';

/** Default epoch: 2026-01-01 00:00:00 UTC (unix seconds). */
export const DEFAULT_RTC_EPOCH = 1_767_225_600;

export interface Mc146818State {
  index: number;
  nmiDisabled: boolean;
  ram: readonly number[];
  /** Seconds added to epoch + virtual time (changed when the guest sets the clock). */
  offset: number;
  /** Time frozen by the SET bit (unix seconds), or null. */
  frozen: number | null;
  /** Instruction count of the last register C read (for the UF and PF flags). */
  lastFlagsRead: number;
  /** Consecutive register A reads that found UIP clear (poll skipping). */
  idlePolls: number;
  /** Register C flags latched by interrupt-source events since the last read (PF 0x40, AF 0x20, UF 0x10). */
  pending: number;
}

/** What the machine connects the RTC to. */
export interface Mc146818Hooks {
  /** Asks the machine to advance virtual time to an instruction count (poll skipping). */
  skipTo?: (instructions: number) => void;
  /** The scheduler timer for periodic, alarm and update-ended interrupts. */
  timer?: Timer;
  /** Drives IRQ 8 (the RTC's IRQ output). */
  setIrq?: (level: boolean) => void;
}

interface DateFields {
  sec: number; min: number; hour: number; dow: number; day: number; month: number; year: number;
}

/** Civil date from unix seconds (proleptic Gregorian, UTC). */
export function dateFromUnix(t: number): DateFields {
  const days = Math.floor(t / 86400);
  const secs = t - days * 86400;
  // Days to civil date (era-based algorithm, March-based year).
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {
    sec: secs % 60, min: Math.floor(secs / 60) % 60, hour: Math.floor(secs / 3600),
    dow: (((days + 4) % 7) + 7) % 7 + 1, day, month, year,
  };
}

/** Unix seconds from a civil date (inverse of dateFromUnix). */
export function unixFromDate(d: Omit<DateFields, 'dow'>): number {
  const y = d.month <= 2 ? d.year - 1 : d.year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = d.month > 2 ? d.month - 3 : d.month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d.day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return days * 86400 + d.hour * 3600 + d.min * 60 + d.sec;
}

const REG_A = 0x0a;
const REG_B = 0x0b;
const REG_C = 0x0c;
const REG_D = 0x0d;
const FLAG_IRQF = 0x80;
const FLAG_PF = 0x40;
const FLAG_AF = 0x20;
const FLAG_UF = 0x10;
const CENTURY = 0x32;
/** Update-in-progress window before each second boundary (datasheet: 244 us). */
const UIP_MICROSECONDS = 244;
/** Consecutive UIP-clear polls of register A after which virtual time skips to the next update window. */
export const POLL_SKIP_AFTER = 64;

export class Mc146818 implements StatefulDevice<Mc146818State> {
  index = 0;
  nmiDisabled = false;
  /** CMOS RAM, shared with saved states until the next write (see `setRam`). */
  ram: readonly number[];
  /** No saved state shares `ram`: it may be written in place. */
  private ramOwned = true;
  offset = 0;
  frozen: number | null = null;
  lastFlagsRead = 0;
  idlePolls = 0;
  pending = 0;

  /**
   * @param memoryBytes RAM size, recorded in the CMOS memory-size bytes
   * @param epoch unix seconds the clock shows at instruction 0
   */
  constructor(
    private readonly clock: VirtualClock,
    private readonly now: () => number,
    memoryBytes: number,
    private readonly epoch: number = DEFAULT_RTC_EPOCH,
    private readonly hooks: Mc146818Hooks = {},
  ) {
    const ram: number[] = new Array(128).fill(0);
    ram[REG_A] = 0x26; // 32.768 kHz time base, 1024 Hz periodic rate
    ram[REG_B] = 0x02; // BCD, 24-hour
    ram[REG_D] = 0x80; // RAM and time valid
    ram[0x10] = 0x40; // drive A: 1.44 MB
    ram[0x14] = 0x4d; // equipment: one floppy drive, 80x25 colour display, keyboard
    ram[0x15] = 0x80; ram[0x16] = 0x02; // 640 KB base memory
    const extKB = Math.min(0xffff, Math.max(0, (memoryBytes >> 10) - 1024));
    ram[0x17] = ram[0x30] = extKB & 0xff;
    ram[0x18] = ram[0x31] = extKB >> 8;
    const above16M = Math.min(0xffff, Math.max(0, (memoryBytes - 16 * 1024 * 1024) >> 16));
    ram[0x34] = above16M & 0xff;
    ram[0x35] = above16M >> 8;
    this.ram = ram;
  }

  /** Writes CMOS byte `index`, copying the RAM first if a saved state may share it. */
  private setRam(index: number, value: number): void {
    if (!this.ramOwned) {
      this.ram = this.ram.slice();
      this.ramOwned = true;
    }
    (this.ram as number[])[index] = value;
  }

  attach(io: IoBus): void {
    io.register(0x70, 1, {
      read8: () => 0xff, // the index port is write-only on the AT
      write8: (_p, v) => { this.index = v & 0x7f; this.nmiDisabled = (v & 0x80) !== 0; },
    });
    io.register(0x71, 1, { read8: () => this.read(this.index), write8: (_p, v) => this.write(this.index, v) });
  }

  private get binary(): boolean {
    return (this.ram[REG_B] & 0x04) !== 0;
  }

  private get hours24(): boolean {
    return (this.ram[REG_B] & 0x02) !== 0;
  }

  /** The clock's current time in unix seconds. */
  time(): number {
    if (this.frozen !== null) return this.frozen;
    return this.epoch + this.offset + Math.floor(this.now() / this.clock.instructionsPerSecond);
  }

  private encode(v: number): number {
    return this.binary ? v : (Math.floor(v / 10) << 4) | (v % 10);
  }

  private decode(v: number): number {
    return this.binary ? v : ((v >> 4) & 0xf) * 10 + (v & 0xf);
  }

  private encodeHour(hour: number): number {
    if (this.hours24) return this.encode(hour);
    const h12 = hour % 12 === 0 ? 12 : hour % 12;
    return this.encode(h12) | (hour >= 12 ? 0x80 : 0);
  }

  private decodeHour(v: number): number {
    if (this.hours24) return this.decode(v);
    const h = this.decode(v & 0x7f) % 12;
    return (v & 0x80) !== 0 ? h + 12 : h;
  }

  read(index: number): number {
    if (index === REG_A) return this.readRegisterA();
    this.idlePolls = 0;
    const d = dateFromUnix(this.time());
    switch (index) {
      case 0x00: return this.encode(d.sec);
      case 0x02: return this.encode(d.min);
      case 0x04: return this.encodeHour(d.hour);
      case 0x06: return d.dow;
      case 0x07: return this.encode(d.day);
      case 0x08: return this.encode(d.month);
      case 0x09: return this.encode(d.year % 100);
      case CENTURY: return this.encode(Math.floor(d.year / 100));
      case REG_C: return this.readFlags();
      default: return this.ram[index];
    }
  }

  /** Instructions before each second boundary during which UIP reads 1. */
  private get uipWindow(): number {
    return Math.ceil((this.clock.instructionsPerSecond * UIP_MICROSECONDS) / 1e6);
  }

  private updateInProgress(): boolean {
    if (this.frozen !== null) return false;
    const ips = this.clock.instructionsPerSecond;
    return this.now() % ips >= ips - this.uipWindow;
  }

  private readRegisterA(): number {
    const uip = this.updateInProgress();
    if (uip || this.frozen !== null) {
      this.idlePolls = 0;
    } else if (++this.idlePolls >= POLL_SKIP_AFTER) {
      this.idlePolls = 0;
      const ips = this.clock.instructionsPerSecond;
      this.hooks.skipTo?.((Math.floor(this.now() / ips) + 1) * ips - this.uipWindow);
    }
    return (this.ram[REG_A] & 0x7f) | (uip ? 0x80 : 0);
  }

  /** The periodic interrupt rate in Hz from register A, or 0 when off. */
  private get periodHz(): number {
    const rate = this.ram[REG_A] & 0x0f;
    if (rate === 0) return 0;
    // Rate 6 = 1024 Hz; rates 1 and 2 give 256 and 128 Hz with the 32.768 kHz time base.
    return rate <= 2 ? 32768 >> (rate + 6) : 65536 >> rate;
  }

  /** Register C: the latched flags plus PF/UF for ticks and seconds passed since the last read; clears them. */
  private readFlags(): number {
    const now = this.now();
    const ips = this.clock.instructionsPerSecond;
    let flags = this.pending;
    if (Math.floor(now / ips) !== Math.floor(this.lastFlagsRead / ips)) flags |= FLAG_UF;
    const hz = this.periodHz;
    if (hz !== 0 && this.clock.ticksAt(now, hz) !== this.clock.ticksAt(this.lastFlagsRead, hz)) flags |= FLAG_PF;
    this.lastFlagsRead = now;
    this.pending = 0;
    this.updateIrq();
    return (flags & this.ram[REG_B] & 0x70) !== 0 ? flags | FLAG_IRQF : flags;
  }

  /** IRQ 8 is high while an enabled flag is latched (until register C is read). */
  private updateIrq(): void {
    this.hooks.setIrq?.((this.pending & this.ram[REG_B] & 0x70) !== 0);
  }

  /** Arms the timer for the next event of an enabled interrupt source (periodic tick, second boundary). */
  private reschedule(): void {
    const timer = this.hooks.timer;
    if (!timer) return;
    const b = this.ram[REG_B];
    const now = this.now();
    let next = Infinity;
    const hz = this.periodHz;
    if ((b & 0x40) !== 0 && hz !== 0) next = this.clock.instructionAtTick(this.clock.ticksAt(now, hz) + 1, hz);
    if ((b & 0x30) !== 0 && this.frozen === null) {
      const ips = this.clock.instructionsPerSecond;
      next = Math.min(next, (Math.floor(now / ips) + 1) * ips);
    }
    if (next === Infinity) timer.cancel();
    else timer.schedule(next);
  }

  /** Scheduler callback: a periodic tick and/or a second boundary (update cycle end) happened at `at`. */
  timerFired(at: number): void {
    const hz = this.periodHz;
    if (hz !== 0 && this.clock.ticksAt(at, hz) !== this.clock.ticksAt(at - 1, hz)) this.pending |= FLAG_PF;
    if (at % this.clock.instructionsPerSecond === 0 && this.frozen === null) {
      this.pending |= FLAG_UF;
      if (this.alarmMatches()) this.pending |= FLAG_AF;
    }
    this.updateIrq();
    this.reschedule();
  }

  /** Alarm registers 1, 3, 5 against seconds, minutes, hours; 0xC0-0xFF matches anything. */
  private alarmMatches(): boolean {
    const d = dateFromUnix(this.time());
    const pairs: [number, number][] = [[0x01, this.encode(d.sec)], [0x03, this.encode(d.min)], [0x05, this.encodeHour(d.hour)]];
    return pairs.every(([reg, value]) => (this.ram[reg] & 0xc0) === 0xc0 || this.ram[reg] === value);
  }

  write(index: number, value: number): void {
    this.idlePolls = 0;
    if (index <= 0x09 || index === CENTURY) {
      const d = dateFromUnix(this.time());
      const fields = { ...d };
      switch (index) {
        case 0x00: fields.sec = this.decode(value) % 60; break;
        case 0x02: fields.min = this.decode(value) % 60; break;
        case 0x04: fields.hour = this.decodeHour(value) % 24; break;
        case 0x07: fields.day = Math.max(1, this.decode(value)); break;
        case 0x08: fields.month = Math.min(12, Math.max(1, this.decode(value))); break;
        case 0x09: fields.year = Math.floor(d.year / 100) * 100 + (this.decode(value) % 100); break;
        case CENTURY: fields.year = this.decode(value) * 100 + (d.year % 100); break;
        case 0x01: case 0x03: case 0x05: this.setRam(index, value); return; // alarm
        default: return; // the day of week is computed from the date
      }
      this.setTime(unixFromDate(fields));
      return;
    }
    switch (index) {
      case REG_A:
        this.setRam(REG_A, value & 0x7f);
        this.reschedule();
        return;
      case REG_B: {
        const wasSet = (this.ram[REG_B] & 0x80) !== 0;
        const set = (value & 0x80) !== 0;
        if (set && !wasSet) this.frozen = this.time();
        this.setRam(REG_B, value);
        if (!set && wasSet && this.frozen !== null) {
          const t = this.frozen;
          this.frozen = null;
          this.setTime(t);
        }
        this.updateIrq();
        this.reschedule();
        return;
      }
      case REG_C: case REG_D: return; // read-only
      default: this.setRam(index, value);
    }
  }

  private setTime(t: number): void {
    if (this.frozen !== null) {
      this.frozen = t;
      return;
    }
    this.offset += t - this.time();
  }

  /** The state; its RAM array is shared with the device until the next write. */
  saveState(): Mc146818State {
    this.ramOwned = false;
    return {
      index: this.index, nmiDisabled: this.nmiDisabled, ram: this.ram, offset: this.offset,
      frozen: this.frozen, lastFlagsRead: this.lastFlagsRead, idlePolls: this.idlePolls, pending: this.pending,
    };
  }

  /** Restores state (sharing its RAM array until the next write); the timer's deadline comes back with the scheduler's state; IRQ 8 is re-driven. */
  loadState(s: Mc146818State): void {
    this.index = s.index;
    this.nmiDisabled = s.nmiDisabled;
    this.ram = s.ram;
    this.ramOwned = false;
    this.offset = s.offset;
    this.frozen = s.frozen;
    this.lastFlagsRead = s.lastFlagsRead;
    this.idlePolls = s.idlePolls;
    this.pending = s.pending;
    this.updateIrq();
  }
}
