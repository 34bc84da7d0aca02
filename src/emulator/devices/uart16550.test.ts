import { describe, expect, it } from 'vitest';
import { IoBus } from '../bus/io-bus.ts';
import { DebugConsole, IsaDebugExit } from './debug-ports.ts';
import { SystemPorts } from './system-ports.ts';
import { Uart16550 } from './uart16550.ts';

describe('16550 UART on COM1', () => {
  it('transmits to the log and always reports the transmitter empty', () => {
    const io = new IoBus();
    const bytes: number[] = [];
    const uart = new Uart16550(() => {}, (b) => bytes.push(b));
    uart.attach(io);
    io.out8(0x3fb, 0x80); io.out8(0x3f8, 0x01); io.out8(0x3f9, 0x00); io.out8(0x3fb, 0x03); // 115200 8N1
    expect(uart.divisor).toBe(1);
    for (const c of 'hi\n') io.out8(0x3f8, c.charCodeAt(0));
    expect(uart.transmitted).toBe('hi\n');
    expect(bytes).toEqual([0x68, 0x69, 0x0a]);
    expect(io.in8(0x3fd) & 0x60).toBe(0x60);
  });

  it('raises IRQ 4 for THR empty when enabled and OUT2 is set; IIR read clears it', () => {
    const io = new IoBus();
    const irq = { level: false };
    const uart = new Uart16550((l) => { irq.level = l; });
    uart.attach(io);
    io.out8(0x3fc, 0x08);
    io.out8(0x3f9, 0x02);
    expect(irq.level).toBe(true);
    expect(io.in8(0x3fa)).toBe(0x02);
    expect(irq.level).toBe(false);
    expect(io.in8(0x3fa)).toBe(0x01);
  });

  it('loops bytes back in loopback mode', () => {
    const io = new IoBus();
    const uart = new Uart16550(() => {});
    uart.attach(io);
    io.out8(0x3fc, 0x10);
    io.out8(0x3f8, 0xae);
    expect(io.in8(0x3fd) & 1).toBe(1);
    expect(io.in8(0x3f8)).toBe(0xae);
    expect(uart.transmitted).toBe('');
    const saved = uart.saveState();
    uart.loadState(saved);
    expect(uart.mcr).toBe(0x10);
  });
});

describe('debug ports', () => {
  it('collects port 0xE9 output, answers 0xE9, and exits through port 0xF4 like QEMU', () => {
    const io = new IoBus();
    const con = new DebugConsole();
    const exits: number[] = [];
    con.attach(io);
    new IsaDebugExit((s) => exits.push(s)).attach(io);
    io.out8(0xe9, 0x6f); io.out8(0xe9, 0x6b);
    expect(con.text).toBe('ok');
    expect(io.in8(0xe9)).toBe(0xe9);
    io.out8(0xf4, 0x10);
    io.out32(0xf4, 0);
    expect(exits).toEqual([0x21, 1]);
  });

  it('keeps A20 on, stores POST codes, and resets through port 0x92 bit 0', () => {
    const io = new IoBus();
    let resets = 0;
    const sys = new SystemPorts(() => { resets++; });
    sys.attach(io);
    io.out8(0x80, 0x42);
    expect(io.in8(0x80)).toBe(0x42);
    io.out8(0x92, 0x00);
    expect(io.in8(0x92) & 0x02).toBe(0x02);
    io.out8(0x92, 0x01);
    expect(resets).toBe(1);
    expect(io.in32(0xcfc)).toBe(0xffffffff); // PCI absent
  });
});
