import { describe, expect, it } from 'vitest';
import { VirtualClock } from './clock.ts';
import { Scheduler } from './scheduler.ts';

describe('virtual clock', () => {
  it('converts instruction counts to oscillator ticks exactly, far beyond 2^32 instructions', () => {
    const clock = new VirtualClock(1_000_000_000);
    expect(clock.ticksAt(1_000_000_000, 1_193_182)).toBe(1_193_182);
    const n = 7_654_321_987_654;
    const ticks = clock.ticksAt(n, 1_193_182);
    expect(ticks).toBe(Number((BigInt(n) * 1193182n) / 1000000000n));
    const at = clock.instructionAtTick(ticks, 1_193_182);
    expect(clock.ticksAt(at, 1_193_182)).toBe(ticks);
    expect(clock.ticksAt(at - 1, 1_193_182)).toBe(ticks - 1);
    expect(() => new VirtualClock(0)).toThrow(RangeError);
  });
});

describe('scheduler', () => {
  it('fires due timers in deadline order and lets callbacks re-arm', () => {
    const s = new Scheduler();
    const log: string[] = [];
    const a = s.createTimer('a', (t) => { log.push(`a@${t}`); if (t < 30) a.schedule(t + 10); });
    const b = s.createTimer('b', (t) => log.push(`b@${t}`));
    a.schedule(10);
    b.schedule(15);
    expect(s.nextDeadline()).toBe(10);
    expect(s.runDue(25)).toBe(3);
    expect(log).toEqual(['a@10', 'b@15', 'a@20']);
    expect(s.nextDeadline()).toBe(30);
    const saved = s.saveState();
    expect(saved).toEqual([30, null]);
    s.runDue(100);
    s.loadState(saved);
    expect(a.deadline).toBe(30);
    expect(b.armed).toBe(false);
    expect(() => s.createTimer('a', () => {})).toThrow(/duplicate/);
  });

  it('tells its listener about every new deadline (so a running CPU can be stopped early)', () => {
    const s = new Scheduler();
    const seen: number[] = [];
    s.onSchedule = (d) => seen.push(d);
    const t = s.createTimer('t', () => {});
    t.schedule(500);
    t.schedule(200);
    t.cancel();
    expect(seen).toEqual([500, 200]);
  });
});
