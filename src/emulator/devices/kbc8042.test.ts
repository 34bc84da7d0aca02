import { describe, expect, it } from 'vitest';
import { IoBus } from '../bus/io-bus.ts';
import { Scheduler } from '../time/scheduler.ts';
import { Kbc8042, KEY_BYTE_DELAY } from './kbc8042.ts';
import { textToScanCodes } from './scancodes.ts';

function setup() {
  const io = new IoBus();
  const scheduler = new Scheduler();
  const state = { now: 0, irq: false, resets: 0 };
  const timer = scheduler.createTimer('kbd', () => kbc.timerFired());
  const kbc = new Kbc8042(timer, () => state.now, (l) => { state.irq = l; }, () => { state.resets++; });
  kbc.attach(io);
  const advance = () => {
    state.now = scheduler.nextDeadline();
    scheduler.runDue(state.now);
  };
  /** Reads every typed byte the way an interrupt handler would: wait for IRQ1, read port 0x60. */
  const drain = () => {
    const bytes: number[] = [];
    while (!kbc.inputDrained) {
      if (!state.irq) advance();
      expect(io.in8(0x64) & 1).toBe(1);
      bytes.push(io.in8(0x60));
    }
    return bytes;
  };
  return { io, kbc, state, drain, scheduler };
}

describe('8042 keyboard controller', () => {
  it('types text as set-1 make and break codes, one byte per IRQ1', () => {
    const { kbc, drain, state, io } = setup();
    kbc.typeText('ls\n');
    expect(state.irq).toBe(false);
    expect(io.in8(0x64) & 1).toBe(0);
    expect(drain()).toEqual([0x26, 0xa6, 0x1f, 0x9f, 0x1c, 0x9c]);
    expect(state.irq).toBe(false);
  });

  it('paces typed bytes: the next byte arrives only after the previous one is read', () => {
    const { kbc, io, scheduler, state } = setup();
    kbc.typeText('a');
    expect(scheduler.nextDeadline()).toBe(KEY_BYTE_DELAY);
    state.now = KEY_BYTE_DELAY;
    scheduler.runDue(state.now);
    expect(scheduler.nextDeadline()).toBe(Infinity);
    expect(io.in8(0x60)).toBe(0x1e);
    expect(scheduler.nextDeadline()).toBe(2 * KEY_BYTE_DELAY);
  });

  it('wraps shifted characters in Shift and prefixes extended keys with E0', () => {
    expect(textToScanCodes('A!')).toEqual([0x2a, 0x1e, 0x9e, 0xaa, 0x2a, 0x02, 0x82, 0xaa]);
    const { kbc, drain } = setup();
    kbc.pressKey('ArrowUp');
    kbc.pressKey('ArrowUp', { release: true });
    expect(drain()).toEqual([0xe0, 0x48, 0xe0, 0xc8]);
    expect(() => kbc.typeText('é')).toThrow(/cannot type/);
    expect(() => kbc.pressKey('Hyper')).toThrow(/unknown key/);
  });

  it('answers controller commands: self test, command byte read and write, port tests', () => {
    const { io, state } = setup();
    io.out8(0x64, 0xaa);
    expect(io.in8(0x64) & 0x09).toBe(0x09); // OBF, last write was a command
    expect(io.in8(0x60)).toBe(0x55);
    io.out8(0x64, 0x20);
    expect(io.in8(0x60)).toBe(0x45);
    io.out8(0x64, 0x60);
    io.out8(0x60, 0x44); // keyboard interrupt off
    io.out8(0x64, 0xab);
    expect(state.irq).toBe(false);
    expect(io.in8(0x64) & 1).toBe(1);
    expect(io.in8(0x60)).toBe(0x00);
  });

  it('answers keyboard commands with ACK and holds typed keys while the keyboard is disabled', () => {
    const { io, kbc, drain, scheduler } = setup();
    io.out8(0x60, 0xff);
    expect(io.in8(0x60)).toBe(0xfa);
    expect(io.in8(0x60)).toBe(0xaa);
    io.out8(0x60, 0xed);
    expect(io.in8(0x60)).toBe(0xfa);
    io.out8(0x60, 0x07);
    expect(io.in8(0x60)).toBe(0xfa);
    io.out8(0x64, 0xad);
    kbc.typeText('q');
    expect(scheduler.nextDeadline()).toBe(Infinity);
    io.out8(0x64, 0xae);
    expect(drain()).toEqual([0x10, 0x90]);
  });

  it('pulses the reset line on command 0xFE and saves/restores its queue', () => {
    const { io, kbc, state, drain } = setup();
    io.out8(0x64, 0xfe);
    expect(state.resets).toBe(1);
    kbc.typeText('xy');
    const saved = JSON.parse(JSON.stringify(kbc.saveState()));
    expect(drain()).toEqual([0x2d, 0xad, 0x15, 0x95]);
    kbc.loadState(saved);
    expect(kbc.inputDrained).toBe(false);
    expect(kbc.keys).toEqual([0x2d, 0xad, 0x15, 0x95]);
  });

  it('delivers the next typed byte on demand (explorer-chosen key timing)', () => {
    const { io, kbc, state, scheduler } = setup();
    expect(kbc.deliverNextKey()).toBe(false); // nothing typed
    kbc.typeText('z');
    expect(kbc.deliverNextKey()).toBe(true);
    expect(state.irq).toBe(true);
    expect(scheduler.nextDeadline()).toBe(Infinity);
    expect(kbc.deliverNextKey()).toBe(false); // output buffer full
    expect(io.in8(0x60)).toBe(0x2c);
    expect(kbc.deliverNextKey()).toBe(true);
    expect(io.in8(0x60)).toBe(0xac);
  });
});
