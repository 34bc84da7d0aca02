// Intel 8254 programmable interval timer (ports 0x40-0x43) and the PC's port 0x61 (channel 2 gate,
// speaker data, refresh toggle and OUT2 read-back), in virtual time.
// Follows the Intel 8254 datasheet (order no. 231164): control word (SC, RW, M, BCD), counter latch
// command, read-back command (count and status), LSB / MSB / LSB-then-MSB access, binary and BCD counting,
// modes 0-5. The counters are never stepped: each channel remembers the PIT tick at which its count was
// loaded, and the count and OUT level are computed from the current tick (virtual time, see
// ../time/clock.ts). Channel 0's OUT rising edges drive IRQ0 through a scheduler timer.
// Simplifications (documented, harmless for PC software): writing a control word does not itself produce
// an IRQ0 edge; the mode 3 count read-back is approximate for odd counts; channels 0 and 1 have their
// gate tied high, so modes 1 and 5 (hardware-triggered) never start on them.
// Snapshots: the channel states are copy-on-write. A saved state holds them as they are, and the first
// change after a save or load copies them, so saving and restoring copy nothing.

import type { IoBus } from '../bus/io-bus.ts';
import type { StatefulDevice } from './device.ts';
import type { VirtualClock } from '../time/clock.ts';
import type { Timer } from '../time/scheduler.ts';

/** The 8254's input clock on the PC (Hz). */
export const PIT_HZ = 1_193_182;

export interface PitChannelState {
  mode: number;
  /** RW bits of the control word: 1 LSB, 2 MSB, 3 LSB then MSB. */
  access: number;
  bcd: boolean;
  /** The count register as written (0 means the maximum count). */
  reload: number;
  /** PIT tick at which counting started with `reload`; null while no count is loaded / not triggered. */
  start: number | null;
  /**
   * Count still in effect before `start` when a reload written while counting in modes 2/3 waits for the
   * end of the current period (which ends with a rising edge at `start`); -1 otherwise.
   */
  previous: number;
  /** LSB written and waiting for the MSB (access mode 3), or -1. */
  pendingLow: number;
  /** Next live read in access mode 3 returns the MSB. */
  readHigh: boolean;
  /** Latched count, or -1; with its own LSB/MSB toggle. */
  latched: number;
  latchedHigh: boolean;
  /** Latched status byte, or -1. */
  status: number;
  nullCount: boolean;
  gate: boolean;
  /** While the gate is low in modes 0/4, the tick counting paused at (else null). */
  pausedAt: number | null;
}

export interface Pit8254State {
  channels: readonly Readonly<PitChannelState>[];
  speakerData: boolean;
}

function freshChannel(gate: boolean): PitChannelState {
  return {
    mode: 0, access: 3, bcd: false, reload: 0, start: null, previous: -1, pendingLow: -1, readHigh: false,
    latched: -1, latchedHigh: false, status: -1, nullCount: true, gate, pausedAt: null,
  };
}

function fromBcd(v: number): number {
  return ((v >> 12) & 0xf) * 1000 + ((v >> 8) & 0xf) * 100 + ((v >> 4) & 0xf) * 10 + (v & 0xf);
}

function toBcd(v: number): number {
  return ((Math.floor(v / 1000) % 10) << 12) | ((Math.floor(v / 100) % 10) << 8) | ((Math.floor(v / 10) % 10) << 4) | (v % 10);
}

export class Pit8254 implements StatefulDevice<Pit8254State> {
  /** Shared with saved states until the next change (see `channel`). */
  private channels: readonly Readonly<PitChannelState>[] = [freshChannel(true), freshChannel(true), freshChannel(false)];
  /** No saved state shares `channels`: they may be changed in place. */
  private owned = true;
  speakerData = false;
  private irqEnabled = true;

  /**
   * @param now the current instruction count
   * @param timer the scheduler timer this PIT uses for channel 0's OUT rising edges
   * @param onChannel0Edge called at each rising edge of channel 0's OUT (the PC wires it to IRQ0)
   */
  constructor(
    private readonly clock: VirtualClock,
    private readonly now: () => number,
    private readonly timer: Timer,
    private readonly onChannel0Edge: () => void,
  ) {}

  attach(io: IoBus): void {
    io.register(0x40, 3, { read8: (p) => this.readCounter(p - 0x40), write8: (p, v) => this.writeCounter(p - 0x40, v) });
    io.register(0x43, 1, { write8: (_p, v) => this.writeControl(v) });
    io.register(0x61, 1, { read8: () => this.readPort61(), write8: (_p, v) => this.writePort61(v) });
  }

  /** Channel `index` to change: copies the channels first if a saved state may share them. */
  private channel(index: number): PitChannelState {
    if (!this.owned) {
      this.channels = this.channels.map((c) => ({ ...c }));
      this.owned = true;
    }
    return this.channels[index] as PitChannelState;
  }

  /** Current PIT tick. */
  ticks(): number {
    return this.clock.ticksAt(this.now(), PIT_HZ);
  }

  /** Turns channel 0's IRQ0 edges on or off (the explorer delivers timer interrupts itself). */
  setIrqEnabled(enabled: boolean): void {
    this.irqEnabled = enabled;
    this.reschedule();
  }

  /** Effective count (1..65536 binary, 1..10000 BCD) of a count register value. */
  private period(c: PitChannelState, reload: number): number {
    if (c.bcd) return reload === 0 ? 10000 : fromBcd(reload);
    return reload === 0 ? 0x10000 : reload;
  }

  /** Ticks elapsed since counting started (excluding paused time), or -1 if not counting. */
  private elapsed(c: PitChannelState, t: number): number {
    if (c.start === null) return -1;
    const at = c.pausedAt ?? t;
    return at - c.start;
  }

  /** The counting element's value at tick t (raw, as the chip would present it before BCD encoding). */
  count(index: number, t = this.ticks()): number {
    const c = this.channels[index];
    const e = this.elapsed(c, t);
    const modulus = c.bcd ? 10000 : 0x10000;
    if (e < 0) {
      // A deferred reload (modes 2/3): the old period is still running and ends at `start`.
      if (c.start !== null && c.previous >= 0) return Math.min(c.start - t, this.period(c, c.previous)) % modulus;
      return c.reload % modulus;
    }
    const n = this.period(c, c.reload);
    switch (c.mode) {
      case 2:
        return n - (e % n);
      case 3: {
        const half = Math.ceil(n / 2);
        const h = e % n;
        return (h < half ? n - 2 * h : n - 2 * (h - half)) & ~1;
      }
      default: // 0, 1, 4, 5: count down once, then keep wrapping
        return (((n - e) % modulus) + modulus) % modulus;
    }
  }

  /** OUT level of a channel at tick t. */
  output(index: number, t = this.ticks()): boolean {
    const c = this.channels[index];
    const e = this.elapsed(c, t);
    if (e < 0) return c.mode !== 0; // after a control word OUT is low in mode 0, high otherwise
    const n = this.period(c, c.reload);
    switch (c.mode) {
      case 0: return e >= n;
      case 1: return e >= n;
      case 2: return c.gate ? e % n !== n - 1 : true;
      case 3: return c.gate ? e % n < Math.ceil(n / 2) : true;
      default: return e !== n; // 4, 5: one-clock low strobe at terminal count
    }
  }

  /** The first tick > t at which channel 0's OUT rises, or Infinity. */
  private nextRisingEdge(t: number): number {
    const c = this.channels[0];
    if (c.start === null || c.pausedAt !== null || !c.gate) return Infinity;
    const n = this.period(c, c.reload);
    const e = t - c.start;
    if (e < 0 && c.previous >= 0) return c.start; // the old period ends with an edge, then the new count runs
    switch (c.mode) {
      case 0: return e < n ? c.start + n : Infinity;
      case 2: case 3: {
        if (e < n) return c.start + n;
        return c.start + (Math.floor(e / n) + 1) * n;
      }
      case 4: return e < n + 1 ? c.start + n + 1 : Infinity;
      default: return Infinity;
    }
  }

  /** Re-arms the IRQ0 timer for the next rising edge of channel 0 after now. */
  private reschedule(): void {
    if (!this.irqEnabled) {
      this.timer.cancel();
      return;
    }
    const edge = this.nextRisingEdge(this.ticks());
    if (edge === Infinity) this.timer.cancel();
    else this.timer.schedule(this.clock.instructionAtTick(edge, PIT_HZ));
  }

  /** Scheduler callback: channel 0's OUT rose. */
  timerFired(): void {
    this.onChannel0Edge();
    this.reschedule();
  }

  writeControl(value: number): void {
    const sc = value >> 6;
    if (sc === 3) {
      this.readBack(value);
      return;
    }
    const c = this.channel(sc);
    const rw = (value >> 4) & 3;
    if (rw === 0) {
      if (c.latched < 0) {
        const v = this.count(sc);
        c.latched = c.bcd ? toBcd(v % 10000) : v & 0xffff;
        c.latchedHigh = false;
      }
      return;
    }
    c.access = rw;
    c.mode = (value >> 1) & 7;
    if (c.mode > 5) c.mode -= 4; // 6 and 7 alias modes 2 and 3
    c.bcd = (value & 1) !== 0;
    c.start = null;
    c.previous = -1;
    c.pausedAt = null;
    c.pendingLow = -1;
    c.readHigh = false;
    c.latched = -1;
    c.status = -1;
    c.nullCount = true;
    if (sc === 0) this.reschedule();
  }

  private readBack(value: number): void {
    for (let i = 0; i < 3; i++) {
      if ((value & (2 << i)) === 0) continue;
      const c = this.channel(i);
      if ((value & 0x20) === 0 && c.latched < 0) {
        const v = this.count(i);
        c.latched = c.bcd ? toBcd(v % 10000) : v & 0xffff;
        c.latchedHigh = false;
      }
      if ((value & 0x10) === 0 && c.status < 0) {
        c.status = (this.output(i) ? 0x80 : 0) | (c.nullCount ? 0x40 : 0) | (c.access << 4) | (c.mode << 1) | (c.bcd ? 1 : 0);
      }
    }
  }

  writeCounter(index: number, value: number): void {
    const c = this.channel(index);
    let reload: number;
    if (c.access === 1) reload = value;
    else if (c.access === 2) reload = value << 8;
    else if (c.pendingLow < 0) {
      c.pendingLow = value;
      return;
    } else {
      reload = c.pendingLow | (value << 8);
      c.pendingLow = -1;
    }
    this.loadCount(index, reload);
  }

  private loadCount(index: number, reload: number): void {
    const c = this.channel(index);
    const t = this.ticks();
    const counting = c.start !== null && t >= c.start;
    const deferred = c.start !== null && t < c.start && c.previous >= 0;
    if (deferred) {
      // Another new count before the current period ended: the latest one starts when it ends.
    } else if (counting && (c.mode === 2 || c.mode === 3) && c.pausedAt === null) {
      // Modes 2 and 3 take a new count at the end of the current period.
      const n = this.period(c, c.reload);
      c.previous = c.reload;
      c.start = (c.start as number) + (Math.floor((t - (c.start as number)) / n) + 1) * n;
    } else if (c.mode === 1 || c.mode === 5) {
      c.start = null; // waits for a gate trigger
      c.previous = -1;
    } else {
      c.previous = -1;
      c.start = t + 1; // loaded into the counting element on the next clock
      c.pausedAt = c.gate || c.mode === 2 || c.mode === 3 ? null : c.start;
    }
    c.reload = reload;
    c.nullCount = false;
    if (index === 0) this.reschedule();
  }

  readCounter(index: number): number {
    const c = this.channel(index);
    if (c.status >= 0) {
      const s = c.status;
      c.status = -1;
      return s;
    }
    if (c.latched >= 0) {
      const v = c.latched;
      if (c.access === 1) { c.latched = -1; return v & 0xff; }
      if (c.access === 2) { c.latched = -1; return v >> 8; }
      if (!c.latchedHigh) { c.latchedHigh = true; return v & 0xff; }
      c.latched = -1;
      c.latchedHigh = false;
      return v >> 8;
    }
    const raw = this.count(index);
    const v = c.bcd ? toBcd(raw % 10000) : raw & 0xffff;
    if (c.access === 1) return v & 0xff;
    if (c.access === 2) return v >> 8;
    c.readHigh = !c.readHigh;
    return c.readHigh ? v & 0xff : v >> 8;
  }

  /** Channel 2's gate (port 0x61 bit 0): rising edges trigger modes 1/5 and restart modes 2/3. */
  setGate2(level: boolean): void {
    if (level === this.channels[2].gate) return;
    const c = this.channel(2);
    const t = this.ticks();
    c.gate = level;
    if (level) {
      if (c.mode === 0 || c.mode === 4) {
        if (c.pausedAt !== null && c.start !== null) c.start += Math.max(0, t - c.pausedAt);
        c.pausedAt = null;
      } else if (!c.nullCount) {
        c.start = t + 1;
      }
    } else if ((c.mode === 0 || c.mode === 4) && c.start !== null && c.pausedAt === null) {
      c.pausedAt = Math.max(t, c.start);
    }
  }

  private readPort61(): number {
    const t = this.ticks();
    const refresh = Math.floor(t / 18) & 1; // DRAM refresh request toggles every ~15 us
    return (this.output(2, t) ? 0x20 : 0) | (refresh ? 0x10 : 0) | (this.speakerData ? 0x02 : 0) | (this.channels[2].gate ? 0x01 : 0);
  }

  private writePort61(value: number): void {
    this.speakerData = (value & 0x02) !== 0;
    this.setGate2((value & 0x01) !== 0);
  }

  /** The state; its channels are shared with the PIT until it next changes them. */
  saveState(): Pit8254State {
    this.owned = false;
    return { channels: this.channels, speakerData: this.speakerData };
  }

  /** Restores state (sharing its channels until the next change); the IRQ0 timer's deadline is restored with the scheduler's state. */
  loadState(s: Pit8254State): void {
    this.channels = s.channels;
    this.owned = false;
    this.speakerData = s.speakerData;
  }
}
