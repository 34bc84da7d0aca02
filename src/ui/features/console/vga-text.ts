// The VGA text mode as the guest sees it (IBM VGA text mode 3, 80x25): each cell is a 16-bit word,
// character (code page 437) in the low byte, attribute in the high byte: foreground colour in bits 0-3,
// background in bits 4-6 and, with the attribute controller's default "blink enable", bit 7 makes the
// foreground blink. Pure functions: colours, glyphs and the screen as text (for the accessibility/test
// mirror of the canvas).

/** The 16-colour VGA text palette (the default DAC values behind attribute colours 0-15). */
export const VGA_PALETTE: readonly string[] = [
  '#000000', '#0000aa', '#00aa00', '#00aaaa', '#aa0000', '#aa00aa', '#aa5500', '#aaaaaa',
  '#555555', '#5555ff', '#55ff55', '#55ffff', '#ff5555', '#ff55ff', '#ffff55', '#ffffff',
];

// Code page 437 glyphs for bytes 0x00-0x1F and 0x7F-0xFF (0x20-0x7E are ASCII); 0x00 shows as a blank.
const CP437_LOW = ' ☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼';
const CP437_HIGH =
  '⌂ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/** The Unicode character that shows code page 437 byte `code`. */
export function cp437Char(code: number): string {
  if (code < 0x20) return CP437_LOW[code];
  if (code < 0x7f) return String.fromCharCode(code);
  return CP437_HIGH[code - 0x7f];
}

export interface CellLook {
  char: string;
  foreground: string;
  background: string;
}

/** How a cell looks in the given blink phase: a blinking cell's glyph disappears in the "off" phase. */
export function cellLook(cell: number, blinkOn: boolean): CellLook {
  const attribute = cell >>> 8;
  const blinks = (attribute & 0x80) !== 0;
  const background = VGA_PALETTE[(attribute >>> 4) & 0x7];
  const foreground = blinks && !blinkOn ? background : VGA_PALETTE[attribute & 0xf];
  return { char: cp437Char(cell & 0xff), foreground, background };
}

/** The screen as lines of text, trailing blanks removed. */
export function screenText(cells: Uint16Array, columns: number, rows: number): string[] {
  const lines: string[] = [];
  for (let row = 0; row < rows; row++) {
    let line = '';
    for (let column = 0; column < columns; column++) line += cp437Char(cells[row * columns + column] & 0xff);
    lines.push(line.replace(/[\s\u00a0]+$/u, ''));
  }
  return lines;
}
