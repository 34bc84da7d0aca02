// Tests of the VGA text-mode palette, code page 437 glyphs, attributes and screen text.
import { describe, expect, it } from 'vitest';
import { cellLook, cp437Char, screenText, VGA_PALETTE } from './vga-text.ts';

describe('VGA text mode', () => {
  it('has the 16 default colours', () => {
    expect(VGA_PALETTE).toHaveLength(16);
    expect(VGA_PALETTE[6]).toBe('#aa5500'); // brown, not dark yellow
    expect(VGA_PALETTE[15]).toBe('#ffffff');
  });

  it('maps code page 437', () => {
    expect(cp437Char(0x41)).toBe('A');
    expect(cp437Char(0x00)).toBe(' ');
    expect(cp437Char(0x01)).toBe('☺');
    expect(cp437Char(0x7f)).toBe('⌂');
    expect(cp437Char(0xb3)).toBe('│');
    expect(cp437Char(0xc9)).toBe('╔');
    expect(cp437Char(0xdb)).toBe('█');
    expect(cp437Char(0xe0)).toBe('α');
    expect(cp437Char(0xfe)).toBe('■');
    for (let code = 0; code < 256; code++) expect(cp437Char(code)).toHaveLength(1);
  });

  it('decodes attributes, with blinking foreground', () => {
    const look = cellLook(0x1f41, true); // white on blue 'A'
    expect(look).toEqual({ char: 'A', foreground: '#ffffff', background: '#0000aa' });
    const blinking = 0xcc42; // blink, bright red on red 'B'
    expect(cellLook(blinking, true).foreground).toBe('#ff5555');
    expect(cellLook(blinking, false).foreground).toBe('#aa0000');
  });

  it('reads the screen as text', () => {
    const cells = new Uint16Array(4 * 2).fill(0x0720);
    [...'hi'].forEach((c, i) => (cells[4 + i] = 0x0700 | c.charCodeAt(0)));
    expect(screenText(cells, 4, 2)).toEqual(['', 'hi']);
  });
});
