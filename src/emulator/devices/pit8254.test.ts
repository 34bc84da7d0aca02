import { describe, expect, it } from 'vitest';
import { IoBus } from '../bus/io-bus.ts';
import { VirtualClock } from '../time/clock.ts';
import { Scheduler } from '../time/scheduler.ts';
import { PIT_HZ, Pit8254 } from './pit8254.ts';

/** One instruction per PIT clock, so instruction counts read as PIT ticks. */
function setup() {
  const io = new IoBus();
  const scheduler = new Scheduler();
  const machine = { now: 0, edges: [] as number[] };
  const timer = scheduler.createTimer('pit', () => pit.timerFired());
  const pit = new Pit8254(new VirtualClock(PIT_HZ), () => machine.now, timer, () => machine.edges.push(machine.now));
  pit.attach(io);
  /** Advances time to `until`, firing due timers at their deadlines. */
  const runTo = (until: number) => {
    for (;;) {
      const next = scheduler.nextDeadline();
      if (next > until) break;
      machine.now = next;
      scheduler.runDue(next);
    }
    machine.now = until;
  };
  return { io, pit, machine, runTo, scheduler };
}

describe('8254 PIT', () => {
  it('mode 3 square wave on channel 0 raises IRQ0 once per period (the Pebbles timer set-up)', () => {
    const { io, machine, runTo } = setup();
    io.out8(0x43, 0x36);
    io.out8(0x40, 11932 & 0xff);
    io.out8(0x40, 11932 >> 8);
    runTo(11932 * 3 + 10);
    expect(machine.edges).toEqual([11933, 11933 * 1 + 11932, 11933 + 2 * 11932]);
  });

  it('counts down in mode 2 and the latch command freezes the read value', () => {
    const { io, machine } = setup();
    io.out8(0x43, 0x34);
    io.out8(0x40, 0x00); io.out8(0x40, 0x10); // 0x1000
    machine.now = 0x101; // 0x100 clocks after the load clock
    io.out8(0x43, 0x00); // latch channel 0
    machine.now = 0x500;
    expect(io.in8(0x40) | (io.in8(0x40) << 8)).toBe(0x1000 - 0x100);
    expect(io.in8(0x40) | (io.in8(0x40) << 8)).toBe(0x1000 - 0x4ff);
  });

  it('mode 0 raises OUT once at terminal count and then keeps wrapping', () => {
    const { io, pit, machine, runTo } = setup();
    io.out8(0x43, 0x30);
    io.out8(0x40, 100); io.out8(0x40, 0);
    expect(pit.output(0)).toBe(false);
    runTo(1000);
    expect(machine.edges).toEqual([101]);
    expect(pit.output(0)).toBe(true);
    expect(pit.count(0)).toBe((100 - 999 + 0x10000) % 0x10000);
  });

  it('supports LSB-only and MSB-only access', () => {
    const { io, machine, runTo } = setup();
    io.out8(0x43, 0x14); // channel 0, LSB only, mode 2
    io.out8(0x40, 50);
    runTo(200);
    expect(machine.edges).toEqual([51, 101, 151]);
    io.out8(0x43, 0x24); // MSB only: count 0x100
    io.out8(0x40, 1);
    machine.edges.length = 0;
    runTo(200 + 0x100 + 1);
    expect(machine.edges).toEqual([201 + 0x100]);
  });

  it('counts in BCD', () => {
    const { io, machine } = setup();
    io.out8(0x43, 0x31); // mode 0, BCD
    io.out8(0x40, 0x00); io.out8(0x40, 0x10); // 1000 decimal
    machine.now = 1 + 1;
    io.out8(0x43, 0x00);
    expect(io.in8(0x40) | (io.in8(0x40) << 8)).toBe(0x0999);
  });

  it('answers the read-back command with status then count', () => {
    const { io, machine } = setup();
    io.out8(0x43, 0xb0); // channel 2, LSB/MSB, mode 0
    expect(io.in8(0x43)).toBe(0xff); // the control port is write-only
    io.out8(0x43, 0xe8); // read-back status of channel 2
    expect(io.in8(0x42)).toBe(0x40 | 0x30); // OUT low, null count, RW=3, mode 0
    io.out8(0x42, 10); io.out8(0x42, 0);
    io.out8(0x61, 0x01); // gate 2 on
    machine.now = 5;
    io.out8(0x43, 0xc8); // read-back count and status
    expect(io.in8(0x42)).toBe(0x30);
    expect(io.in8(0x42) | (io.in8(0x42) << 8)).toBe(6);
  });

  it('reports channel 2 OUT in port 0x61 and pauses mode 0 while gate 2 is low', () => {
    const { io, machine } = setup();
    io.out8(0x43, 0xb0);
    io.out8(0x42, 20); io.out8(0x42, 0);
    machine.now = 100;
    expect(io.in8(0x61) & 0x20).toBe(0); // gate low: not counting
    io.out8(0x61, 0x01);
    machine.now = 110;
    expect(io.in8(0x61) & 0x20).toBe(0);
    machine.now = 121;
    expect(io.in8(0x61) & 0x21).toBe(0x21);
  });

  it('stops delivering edges while IRQ0 is disabled and saves/restores its state', () => {
    const { io, pit, machine, runTo, scheduler } = setup();
    io.out8(0x43, 0x34);
    io.out8(0x40, 100); io.out8(0x40, 0);
    pit.setIrqEnabled(false);
    runTo(1000);
    expect(machine.edges).toEqual([]);
    pit.setIrqEnabled(true);
    const saved = JSON.parse(JSON.stringify({ pit: pit.saveState(), sched: scheduler.saveState() }));
    runTo(1250);
    expect(machine.edges).toEqual([1001, 1101, 1201]);
    pit.loadState(saved.pit);
    scheduler.loadState(saved.sched);
    machine.now = 1000;
    machine.edges.length = 0;
    runTo(1250);
    expect(machine.edges).toEqual([1001, 1101, 1201]);
  });

  it('keeps saved states unchanged by later programming, latches and gate changes, before and after loading one', () => {
    const { io, pit, machine } = setup();
    const program = (count: number) => {
      io.out8(0x43, 0x34); io.out8(0x40, count); io.out8(0x40, 0); // channel 0, mode 2
      io.out8(0x43, 0x00); io.in8(0x40); // latch channel 0, read its LSB
      io.out8(0x61, count & 1); // gate 2
    };
    program(101);
    const first = pit.saveState();
    const copy = JSON.parse(JSON.stringify(first));
    machine.now = 40;
    program(50);
    expect(first).toEqual(copy);
    const second = pit.saveState();
    const secondCount = pit.count(0);
    pit.loadState(first);
    program(202);
    expect(first).toEqual(copy);
    expect([second.channels[0].reload, second.channels[0].latchedHigh, second.channels[2].gate]).toEqual([50, true, false]);
    pit.loadState(second);
    expect(pit.count(0)).toBe(secondCount);
  });

  it('starts the hardware-triggered modes 1 and 5 on a gate 2 rising edge', () => {
    const { io, pit, machine } = setup();
    io.out8(0x43, 0xb2); // channel 2, LSB/MSB, mode 1 (one-shot)
    io.out8(0x42, 10); io.out8(0x42, 0);
    machine.now = 50;
    expect(pit.output(2)).toBe(true); // waits for a trigger
    io.out8(0x61, 0x01); // gate rises: trigger
    machine.now = 55;
    expect(pit.output(2)).toBe(false);
    machine.now = 61;
    expect(pit.output(2)).toBe(true);
    io.out8(0x61, 0x00);
    io.out8(0x43, 0xba); // mode 5: strobe at terminal count after a trigger
    io.out8(0x42, 4); io.out8(0x42, 0);
    io.out8(0x61, 0x01);
    const start = machine.now + 1;
    machine.now = start + 4;
    expect(pit.output(2)).toBe(false);
    machine.now = start + 5;
    expect(pit.output(2)).toBe(true);
  });

  it('mode 4 strobes once; a new count in mode 2 takes effect at the end of the current period', () => {
    const { io, machine, runTo } = setup();
    io.out8(0x43, 0x38); // channel 0, mode 4
    io.out8(0x40, 10); io.out8(0x40, 0);
    runTo(100);
    expect(machine.edges).toEqual([12]); // low for one clock at terminal count (11), high again at 12
    machine.edges.length = 0;
    io.out8(0x43, 0x34); // mode 2, period 100
    io.out8(0x40, 100); io.out8(0x40, 0);
    runTo(150); // first edge at 201
    io.out8(0x40, 70); io.out8(0x40, 0); // reload: the current period still ends at 201
    io.out8(0x40, 50); io.out8(0x40, 0); // and the latest count is the one that starts there
    runTo(320);
    expect(machine.edges).toEqual([201, 251, 301]);
  });
});
