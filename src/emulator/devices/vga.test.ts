import { describe, expect, it } from 'vitest';
import { IoBus } from '../bus/io-bus.ts';
import { TEXT_BASE, trimRow, Vga } from './vga.ts';

function setup() {
  const io = new IoBus();
  const memory = { bytes: new Uint8Array(0x100000) };
  const vga = new Vga(memory);
  vga.attach(io);
  const put = (row: number, col: number, text: string, attr = 0x07) => {
    for (let i = 0; i < text.length; i++) {
      memory.bytes[TEXT_BASE + 2 * (row * 80 + col + i)] = text.charCodeAt(i);
      memory.bytes[TEXT_BASE + 2 * (row * 80 + col + i) + 1] = attr;
    }
  };
  return { io, vga, memory, put };
}

describe('VGA text mode', () => {
  it('reads rows and attribute cells from 0xB8000', () => {
    const { vga, put } = setup();
    put(0, 0, '[410-shell]$ ', 0x1f);
    put(24, 75, 'end');
    const s = vga.screen();
    expect(s.rows).toHaveLength(25);
    expect(s.rows.every((r) => r.length === 80)).toBe(true);
    expect(trimRow(s.rows[0])).toBe('[410-shell]$');
    expect(s.rows[24].endsWith('end  ')).toBe(true);
    expect(s.cells[0]).toBe(0x1f00 | '['.charCodeAt(0));
    expect(s.rows[1]).toBe(' '.repeat(80)); // NUL cells show as blanks
  });

  it('maps code page 437 glyphs', () => {
    const { vga, memory } = setup();
    memory.bytes[TEXT_BASE] = 0xc9;
    memory.bytes[TEXT_BASE + 2] = 0x01;
    expect(vga.screen().rows[0].slice(0, 2)).toBe('╔☺');
  });

  it('gives the rows as one text, a newline between rows, even where a cell holds byte 0x0A', () => {
    const { vga, memory, put } = setup();
    put(0, 0, 'first');
    put(24, 0, 'last');
    memory.bytes[TEXT_BASE + 2 * 79] = 0x0a; // shows as '◙', not as a line break
    const text = vga.text();
    expect(text).toBe(vga.screen().rows.join('\n'));
    expect(text.split('\n')).toHaveLength(25);
    expect(text.slice(0, 81)).toBe('first' + ' '.repeat(74) + '◙\n');
    expect(text.endsWith('\nlast' + ' '.repeat(76))).toBe(true);
  });

  it('tracks the CRTC cursor position and shape, including 16-bit index/data writes', () => {
    const { io, vga } = setup();
    const pos = 3 * 80 + 7;
    io.out8(0x3d4, 0x0e); io.out8(0x3d5, pos >> 8);
    io.out8(0x3d4, 0x0f); io.out8(0x3d5, pos & 0xff);
    expect(vga.cursor()).toMatchObject({ row: 3, col: 7, visible: true });
    io.out16(0x3d4, 0x200a); // cursor disable bit
    expect(vga.cursor().visible).toBe(false);
    io.out8(0x3d4, 0x0f);
    expect(io.in8(0x3d5)).toBe(pos & 0xff);
  });

  it('displays from the CRTC start address', () => {
    const { io, vga, put } = setup();
    put(1, 0, 'second');
    io.out8(0x3d4, 0x0c); io.out8(0x3d5, 0);
    io.out8(0x3d4, 0x0d); io.out8(0x3d5, 80);
    expect(trimRow(vga.screen().rows[0])).toBe('second');
  });

  it('reports screen changes since the last call and alternates retrace status', () => {
    const { io, vga, put } = setup();
    expect(vga.screenChanged()).toBe(true);
    expect(vga.screenChanged()).toBe(false);
    put(5, 5, 'x');
    expect(vga.screenChanged()).toBe(true);
    expect(vga.screenChanged()).toBe(false);
    expect(io.in8(0x3da) & 0x08).not.toBe(io.in8(0x3da) & 0x08);
    const saved = JSON.parse(JSON.stringify(vga.saveState()));
    io.out16(0x3d4, 0x200a);
    vga.loadState(saved);
    expect(vga.cursor().visible).toBe(true);
  });

  it('keeps saved states unchanged by later register writes, before and after loading one', () => {
    const { io, vga } = setup();
    const writeAll = (k: number) => {
      io.out16(0x3d4, (k << 8) | 0x0e); // CRTC
      io.out8(0x3c4, 1); io.out8(0x3c5, k); // sequencer
      io.out8(0x3ce, 2); io.out8(0x3cf, k); // graphics
      io.in8(0x3da); io.out8(0x3c0, 3); io.out8(0x3c0, k); // attribute
      io.out8(0x3c8, 4); io.out8(0x3c9, k); // DAC
    };
    writeAll(1);
    const first = vga.saveState();
    const copy = JSON.parse(JSON.stringify(first));
    writeAll(2);
    expect(first).toEqual(copy);
    const second = vga.saveState();
    vga.loadState(first);
    writeAll(3);
    expect(first).toEqual(copy);
    expect([second.crtc[0x0e], second.seq[1], second.gfx[2], second.attr[3], second.dac[12]]).toEqual([2, 2, 2, 2, 2]);
    vga.loadState(second);
    expect(vga.saveState()).toEqual(second);
  });

  it('indexes the attribute controller with a flip-flop that a read of 0x3DA resets', () => {
    const { io, vga } = setup();
    io.out8(0x3c0, 0x10); // index: mode control
    io.out8(0x3c0, 0x0c); // data
    expect(vga.attr[0x10]).toBe(0x0c);
    io.out8(0x3c0, 0x11); // index again
    io.in8(0x3da); // reset: the next write is an index
    io.out8(0x3c0, 0x12);
    io.out8(0x3c0, 0x0f);
    expect(vga.attr[0x12]).toBe(0x0f);
    expect(vga.attr[0x11]).toBe(0);
  });
});
