import { describe, expect, it } from 'vitest';
import { IoBus } from '../bus/io-bus.ts';
import { VirtualClock } from '../time/clock.ts';
import { Scheduler } from '../time/scheduler.ts';
import { dateFromUnix, Mc146818, POLL_SKIP_AFTER, unixFromDate } from './mc146818.ts';

const IPS = 1000;
// 2026-03-14 15:09:26 UTC, a Saturday
const EPOCH = unixFromDate({ year: 2026, month: 3, day: 14, hour: 15, min: 9, sec: 26 });

function setup() {
  const io = new IoBus();
  const t = { now: 0 };
  const rtc = new Mc146818(new VirtualClock(IPS), () => t.now, 256 << 20, EPOCH);
  rtc.attach(io);
  const reg = (i: number) => { io.out8(0x70, i); return io.in8(0x71); };
  const set = (i: number, v: number) => { io.out8(0x70, i); io.out8(0x71, v); };
  return { io, t, rtc, reg, set };
}

describe('MC146818 RTC / CMOS', () => {
  it('converts dates both ways', () => {
    expect(dateFromUnix(0)).toEqual({ sec: 0, min: 0, hour: 0, dow: 5, day: 1, month: 1, year: 1970 });
    expect(dateFromUnix(EPOCH)).toMatchObject({ year: 2026, month: 3, day: 14, hour: 15, min: 9, sec: 26, dow: 7 });
    expect(unixFromDate({ year: 2000, month: 2, day: 29, hour: 0, min: 0, sec: 0 })).toBe(951782400);
  });

  it('reads the epoch in BCD 24-hour mode and advances with virtual time', () => {
    const { t, reg } = setup();
    expect([reg(9), reg(8), reg(7), reg(4), reg(2), reg(0), reg(6), reg(0x32)]).toEqual([0x26, 0x03, 0x14, 0x15, 0x09, 0x26, 7, 0x20]);
    t.now = 35 * IPS + 1;
    expect([reg(2), reg(0)]).toEqual([0x10, 0x01]);
  });

  it('honours binary and 12-hour modes from register B', () => {
    const { reg, set } = setup();
    set(0x0b, 0x04); // binary, 12-hour
    expect(reg(4)).toBe(0x80 | 3); // 3 PM
    expect(reg(0)).toBe(26);
    set(0x0b, 0x06); // binary, 24-hour
    expect(reg(4)).toBe(15);
  });

  it('raises update-in-progress in the last 244 us of each second', () => {
    const { t, reg } = setup();
    t.now = 500;
    expect(reg(0x0a) & 0x80).toBe(0);
    t.now = 999; // within 244 us of the next second at 1000 instructions per second
    expect(reg(0x0a) & 0x80).toBe(0x80);
  });

  it('lets the guest set the clock under the SET bit', () => {
    const { t, reg, set } = setup();
    set(0x0b, 0x82);
    set(0x04, 0x08);
    set(0x02, 0x30);
    t.now = 5 * IPS;
    expect(reg(2)).toBe(0x30); // frozen while SET
    set(0x0b, 0x02);
    t.now = 7 * IPS;
    expect([reg(4), reg(2), reg(0)]).toEqual([0x08, 0x30, 0x28]);
  });

  it('reports memory size in the AT CMOS bytes and clears register C on read', () => {
    const { t, reg, rtc } = setup();
    expect(reg(0x15) | (reg(0x16) << 8)).toBe(640);
    expect(reg(0x30) | (reg(0x31) << 8)).toBe(0xffff); // 255 MB above 1 MB, clamped
    expect(reg(0x34) | (reg(0x35) << 8)).toBe((256 - 16) * 16);
    expect(reg(0x0d)).toBe(0x80);
    t.now = 2 * IPS;
    expect(reg(0x0c)).toBe(0x50); // UF and PF, but no IRQF: their interrupts are not enabled
    expect(reg(0x0c)).toBe(0);
    const saved = JSON.parse(JSON.stringify(rtc.saveState()));
    rtc.loadState(saved);
    expect(reg(0x15)).toBe(0x80);
  });

  it('keeps saved states unchanged by later CMOS writes, before and after loading one', () => {
    const { rtc, reg, set } = setup();
    set(0x40, 1);
    const first = rtc.saveState();
    const copy = JSON.parse(JSON.stringify(first));
    set(0x40, 2);
    set(0x01, 0x30); // alarm seconds
    expect(first).toEqual(copy);
    const second = rtc.saveState();
    rtc.loadState(first);
    expect([reg(0x40), reg(0x01)]).toEqual([1, 0]);
    set(0x40, 3);
    expect(first).toEqual(copy);
    expect([second.ram[0x40], second.ram[0x01]]).toEqual([2, 0x30]);
    rtc.loadState(second);
    expect([reg(0x40), reg(0x01)]).toEqual([2, 0x30]);
  });

  it('maps midnight and noon to 12 AM and 12 PM in 12-hour mode, both ways', () => {
    const io = new IoBus();
    const t = { now: 0 };
    const midnight = unixFromDate({ year: 2026, month: 1, day: 1, hour: 0, min: 0, sec: 0 });
    const rtc = new Mc146818(new VirtualClock(IPS), () => t.now, 1 << 20, midnight);
    rtc.attach(io);
    const reg = (i: number) => { io.out8(0x70, i); return io.in8(0x71); };
    io.out8(0x70, 0x0b); io.out8(0x71, 0x00); // BCD, 12-hour
    expect(reg(4)).toBe(0x12);
    io.out8(0x70, 0x04); io.out8(0x71, 0x92); // set 12 PM
    expect(reg(4)).toBe(0x92);
    io.out8(0x70, 0x0b); io.out8(0x71, 0x02); // back to 24-hour
    expect(reg(4)).toBe(0x12);
    expect(reg(0x32)).toBe(0x20); // century
  });

  it('skips virtual time to the next update window when the guest only polls UIP', () => {
    const io = new IoBus();
    const t = { now: 100 };
    const skips: number[] = [];
    const rtc = new Mc146818(new VirtualClock(1_000_000), () => t.now, 1 << 20, EPOCH, { skipTo: (to) => { skips.push(to); t.now = to; } });
    rtc.attach(io);
    io.out8(0x70, 0x0a);
    let polls = 0;
    while ((io.in8(0x71) & 0x80) === 0) polls++;
    expect(polls).toBe(POLL_SKIP_AFTER);
    expect(skips).toEqual([1_000_000 - 244]);
    io.out8(0x70, 0x00);
    expect(io.in8(0x71)).toBe(0x26); // still the old second: the update has not happened yet
    t.now = 1_000_000;
    io.out8(0x70, 0x0a);
    expect(io.in8(0x71) & 0x80).toBe(0);
    expect(rtc.saveState().idlePolls).toBe(1);
  });

  it('raises IRQ 8 for periodic, update-ended and alarm interrupts until register C is read', () => {
    const io = new IoBus();
    const scheduler = new Scheduler();
    const t = { now: 0, irq: false };
    const timer = scheduler.createTimer('rtc', (at) => rtc.timerFired(at));
    const rtc = new Mc146818(new VirtualClock(1_000_000), () => t.now, 1 << 20, EPOCH, {
      timer, setIrq: (level) => { t.irq = level; },
    });
    rtc.attach(io);
    const reg = (i: number) => { io.out8(0x70, i); return io.in8(0x71); };
    const set = (i: number, v: number) => { io.out8(0x70, i); io.out8(0x71, v); };
    const advance = () => { t.now = scheduler.nextDeadline(); scheduler.runDue(t.now); };
    set(0x0a, 0x2f); // 2 Hz periodic rate
    set(0x0b, 0x42); // PIE
    expect(scheduler.nextDeadline()).toBe(500_000);
    advance();
    expect(t.irq).toBe(true);
    expect(reg(0x0c)).toBe(0xc0);
    expect(t.irq).toBe(false);
    set(0x0b, 0x12); // UIE only
    advance();
    expect(t.now).toBe(1_000_000);
    expect(reg(0x0c) & 0x90).toBe(0x90); // IRQF + UF (PF is set too: periodic ticks passed)
    set(0x01, 0x29); set(0x03, 0xff); set(0x05, 0xff); // alarm at second 29 of any minute and hour
    set(0x0b, 0x22); // AIE
    advance(); // 15:09:27
    expect(t.irq).toBe(false);
    reg(0x0c);
    advance(); // 15:09:28
    advance(); // 15:09:29
    expect(t.irq).toBe(true);
    expect(reg(0x0c) & 0xa0).toBe(0xa0); // IRQF + AF
    const saved = JSON.parse(JSON.stringify(rtc.saveState()));
    rtc.loadState(saved);
    expect(t.irq).toBe(false);
  });
});
