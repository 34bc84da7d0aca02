// Tests of the guest session run loop: step, step over, run to, stops, pause, idling, errors, log.
import { describe, expect, it } from 'vitest';
import type { EngineUpdate } from '../protocol.ts';
import { GuestSession } from './session.ts';
import { SourceLibrary } from './source-library.ts';
import { FakeGuest } from './testing/fake-guest.ts';
import { UpdateBatcher } from './update-batcher.ts';

function setup() {
  const guest = new FakeGuest();
  const updates: EngineUpdate[] = [];
  const batcher = new UpdateBatcher((u) => updates.push(u), () => guest.clock.now, () => null);
  const session = new GuestSession(guest, { now: () => guest.clock.now, pause: () => Promise.resolve(), batcher }, new SourceLibrary());
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const lastStatus = () => updates.filter((u) => u.status).at(-1)?.status;
  return { guest, session, updates, settle, lastStatus };
}

describe('guest session', () => {
  it('steps one instruction and reports an inspection', () => {
    const { guest, session, updates } = setup();
    session.stepInto();
    expect(guest.instructions).toBe(1);
    const last = updates.at(-1)!;
    expect(last.status?.state).toBe('paused');
    expect(last.status?.stop?.reason).toBe('step');
    expect(last.inspection?.registers.eip).toBe(0x1001);
    expect(last.inspection?.disassembly[last.inspection.currentLine].address).toBe(0x1001);
  });

  it('steps a halted CPU into its next interrupt', () => {
    const { guest, session, lastStatus } = setup();
    guest.cpu.halted = true;
    guest.deadline = 10_000_000;
    session.stepInto();
    expect(guest.cpu.halted).toBe(false);
    expect(guest.instructions).toBe(10_000_001);
    expect(lastStatus()?.stop?.eip).toBe(0x3001);
  });

  it('steps over a call, leaving no watch behind', async () => {
    const { guest, session, settle, lastStatus } = setup();
    for (let i = 0; i < 5; i++) session.stepInto();
    expect(guest.eip).toBe(0x1005);
    session.stepOver();
    await settle();
    expect(guest.eip).toBe(0x100a);
    expect(lastStatus()?.stop?.reason).toBe('step');
    expect(guest.cpu.execWatch.size).toBe(0);
  });

  it('runs to an address', async () => {
    const { guest, session, settle, lastStatus } = setup();
    session.runTo(0x2001);
    await settle();
    expect(guest.eip).toBe(0x2001);
    expect(lastStatus()?.stop).toMatchObject({ reason: 'target', eip: 0x2001 });
    expect(lastStatus()?.stop?.message).toContain('<callee+1>');
  });

  it('runs until a MAGIC_BREAK, and can continue after it', async () => {
    const { guest, session, settle, lastStatus } = setup();
    guest.stops.set(3, 'magic-break');
    guest.stops.set(7, 'triple-fault');
    session.run();
    await settle();
    expect(lastStatus()?.stop?.reason).toBe('magic-break');
    expect(lastStatus()?.stop?.message).toMatch(/^MAGIC_BREAK at 0x00001003 <main\+3>/);
    session.run();
    await settle();
    expect(lastStatus()).toMatchObject({ state: 'stopped', stop: { reason: 'triple-fault' } });
    session.run(); // a stopped guest stays stopped
    expect(lastStatus()?.state).toBe('stopped');
  });

  it('pauses a running guest between chunks', async () => {
    const { session, settle, lastStatus } = setup();
    session.run();
    session.pause();
    await settle();
    expect(lastStatus()).toMatchObject({ state: 'paused', stop: { reason: 'pause' } });
  });

  it('sleeps while idle until input arrives', async () => {
    const { guest, session, settle, lastStatus } = setup();
    guest.stops.set(2, 'idle');
    session.run();
    await settle();
    expect(lastStatus()?.state).toBe('waiting');
    const before = guest.instructions;
    await settle();
    expect(guest.instructions).toBe(before);
    guest.keyboard.typeText('x');
    session.inputArrived();
    expect(lastStatus()?.state).toBe('running');
    session.pause();
    await settle();
    expect(guest.instructions).toBeGreaterThan(before);
  });

  it('turns an emulator exception into a stop with its message', () => {
    const { guest, session, lastStatus } = setup();
    guest.run = () => {
      throw new TypeError('bad opcode table');
    };
    session.stepInto();
    expect(lastStatus()).toMatchObject({ state: 'stopped', stop: { reason: 'error', message: 'The emulator failed: TypeError: bad opcode table' } });
  });

  it('still reports a stop when the guest cannot be inspected', () => {
    const { guest, session, lastStatus, updates } = setup();
    guest.stackTrace = () => {
      throw new RangeError('bad frame');
    };
    session.stepInto();
    expect(lastStatus()?.stop?.message).toMatch(/^Stepped at .*\(the guest could not be inspected: bad frame\)$/);
    expect(updates.at(-1)?.inspection).toBeUndefined();
  });

  it('forwards the guest log', () => {
    const { guest, session, updates } = setup();
    guest.onLog?.({ source: 'kernel', text: 'hello', instructions: 0 });
    session.announce();
    expect(updates.at(-1)?.log).toEqual([{ source: 'kernel', text: 'hello' }]);
  });
});
