import { describe, expect, it } from 'vitest';
import { IoBus } from '../bus/io-bus.ts';
import { PicPair } from './pic8259.ts';

/** The PC BIOS / Pebbles remap: master at 0x20, slave at 0x28, cascade on IR2, 8086 mode. */
function setup(icw4 = 0x01) {
  const io = new IoBus();
  const intr: boolean[] = [];
  const pic = new PicPair((level) => intr.push(level));
  pic.attach(io);
  io.out8(0x20, 0x11); io.out8(0x21, 0x20); io.out8(0x21, 0x04); io.out8(0x21, icw4);
  io.out8(0xa0, 0x11); io.out8(0xa1, 0x28); io.out8(0xa1, 0x02); io.out8(0xa1, icw4);
  io.out8(0x21, 0x00); io.out8(0xa1, 0x00);
  return { io, pic, intr };
}

describe('8259A pair', () => {
  it('latches an edge, raises INTR and delivers the remapped vector', () => {
    const { io, pic } = setup();
    pic.pulseIrq(0);
    expect(pic.intr).toBe(true);
    expect(io.in8(0x20)).toBe(0x01); // IRR by default after ICW1
    expect(pic.acknowledge()).toBe(0x20);
    expect(pic.intr).toBe(false);
    io.out8(0x20, 0x0b); // OCW3: read ISR
    expect(io.in8(0x20)).toBe(0x01);
    io.out8(0x20, 0x20); // non-specific EOI
    expect(io.in8(0x20)).toBe(0x00);
  });

  it('is edge triggered: a held line does not re-request after EOI', () => {
    const { io, pic } = setup();
    pic.setIrq(1, true);
    expect(pic.acknowledge()).toBe(0x21);
    io.out8(0x20, 0x20);
    expect(pic.intr).toBe(false);
    pic.setIrq(1, true);
    expect(pic.intr).toBe(false);
    pic.setIrq(1, false);
    pic.setIrq(1, true);
    expect(pic.intr).toBe(true);
  });

  it('masks with OCW1 and reads IMR back', () => {
    const { io, pic } = setup();
    io.out8(0x21, 0xfe);
    expect(io.in8(0x21)).toBe(0xfe);
    pic.pulseIrq(1);
    expect(pic.intr).toBe(false);
    expect(io.in8(0x20)).toBe(0x02); // still requested in IRR
    io.out8(0x21, 0x00);
    expect(pic.intr).toBe(true);
    expect(pic.acknowledge()).toBe(0x21);
  });

  it('nests by priority: a lower-priority request waits for EOI, a higher one preempts', () => {
    const { io, pic } = setup();
    pic.pulseIrq(3);
    expect(pic.acknowledge()).toBe(0x23);
    pic.pulseIrq(5);
    expect(pic.intr).toBe(false);
    pic.pulseIrq(1);
    expect(pic.intr).toBe(true);
    expect(pic.acknowledge()).toBe(0x21);
    io.out8(0x20, 0x20); // EOI clears IR1 (highest in service)
    expect(pic.intr).toBe(false); // IR3 still in service blocks IR5
    io.out8(0x20, 0x63); // specific EOI for IR3
    expect(pic.acknowledge()).toBe(0x25);
  });

  it('cascades slave requests through IR2 and needs EOI on both chips', () => {
    const { io, pic } = setup();
    pic.pulseIrq(12);
    expect(pic.intr).toBe(true);
    expect(pic.acknowledge()).toBe(0x2c);
    io.out8(0x20, 0x0b);
    io.out8(0xa0, 0x0b);
    expect(io.in8(0x20)).toBe(0x04);
    expect(io.in8(0xa0)).toBe(0x10);
    io.out8(0xa0, 0x20);
    io.out8(0x20, 0x20);
    expect(io.in8(0x20)).toBe(0);
    expect(io.in8(0xa0)).toBe(0);
  });

  it('reports spurious IRQ 7 when the request vanishes before INTA (level mode)', () => {
    const io = new IoBus();
    const pic = new PicPair(() => {});
    pic.attach(io);
    io.out8(0x20, 0x19); io.out8(0x21, 0x20); io.out8(0x21, 0x04); io.out8(0x21, 0x01);
    pic.setIrq(4, true);
    expect(pic.intr).toBe(true);
    pic.setIrq(4, false);
    expect(pic.acknowledge()).toBe(0x27);
    io.out8(0x20, 0x0b);
    expect(io.in8(0x20)).toBe(0); // spurious: nothing in service
  });

  it('reports spurious IRQ 15 from the slave with master IR2 in service', () => {
    const { io, pic } = setup();
    pic.pulseIrq(9);
    io.out8(0xa1, 0x02); // mask IR9 on the slave after the request reached the master
    // The master still sees its IR2 request latched from the edge.
    expect(pic.acknowledge()).toBe(0x2f);
    io.out8(0x20, 0x0b);
    expect(io.in8(0x20)).toBe(0x04);
  });

  it('auto-EOI leaves nothing in service', () => {
    const { io, pic } = setup(0x03);
    pic.pulseIrq(0);
    expect(pic.acknowledge()).toBe(0x20);
    io.out8(0x20, 0x0b);
    expect(io.in8(0x20)).toBe(0);
    pic.pulseIrq(0);
    expect(pic.intr).toBe(true);
  });

  it('rotates priority on a rotate-on-non-specific-EOI command', () => {
    const { io, pic } = setup();
    pic.pulseIrq(0);
    expect(pic.acknowledge()).toBe(0x20);
    io.out8(0x20, 0xa0); // rotate: IR0 becomes lowest priority
    pic.pulseIrq(0);
    pic.pulseIrq(4);
    expect(pic.acknowledge()).toBe(0x24);
  });

  it('answers a poll command with the pending level and acknowledges it', () => {
    const { io, pic } = setup();
    pic.pulseIrq(6);
    io.out8(0x20, 0x0c);
    expect(io.in8(0x20)).toBe(0x86);
    io.out8(0x20, 0x0b);
    expect(io.in8(0x20)).toBe(0x40);
  });

  it('does not signal INTR while being initialised and restores its state', () => {
    const { io, pic, intr } = setup();
    io.out8(0x20, 0x11);
    pic.pulseIrq(0);
    expect(pic.intr).toBe(false);
    io.out8(0x21, 0x20); io.out8(0x21, 0x04); io.out8(0x21, 0x01);
    expect(pic.intr).toBe(true); // the edge was latched in IRR during initialisation
    io.out8(0x21, 0x01);
    pic.pulseIrq(3);
    const saved = pic.saveState();
    expect(pic.acknowledge()).toBe(0x23);
    pic.loadState(JSON.parse(JSON.stringify(saved)));
    expect(intr.at(-1)).toBe(true);
    expect(pic.acknowledge()).toBe(0x23);
  });

  it('lets lower priorities through in special mask mode while a masked level is in service', () => {
    const { io, pic } = setup();
    pic.pulseIrq(1);
    expect(pic.acknowledge()).toBe(0x21); // IR1 in service
    pic.pulseIrq(4);
    expect(pic.intr).toBe(false); // fully nested: IR1 blocks IR4
    io.out8(0x21, 0x02); // mask IR1
    io.out8(0x20, 0x68); // OCW3: set special mask mode
    expect(pic.intr).toBe(true);
    expect(pic.acknowledge()).toBe(0x24);
    io.out8(0x20, 0x48); // reset special mask mode
    io.out8(0x20, 0x64); // specific EOI IR4
    expect(pic.intr).toBe(false);
  });
});
