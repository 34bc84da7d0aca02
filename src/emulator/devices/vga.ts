// VGA in 80x25 colour text mode: the screen is the text buffer at physical 0xB8000 (character byte,
// attribute byte per cell) read straight from RAM, displayed from the CRTC start address; the CRTC
// (index 0x3D4, data 0x3D5) holds the cursor location (0x0E/0x0F), cursor shape (0x0A start line and
// disable bit 5, 0x0B end line) and start address (0x0C/0x0D). The other VGA registers (misc output,
// sequencer, graphics, attribute controller, DAC) are stored and read back but do not change the
// display: only text mode is modelled. Input status 1 (0x3DA) alternates its retrace bits on every
// read, so wait-for-retrace loops finish deterministically, and resets the attribute flip-flop.
// Register layout per IBM VGA Technical Reference.
// Snapshots: the register arrays are copy-on-write. A saved state holds the arrays themselves, and the
// first write to an array after a save or load copies it, so saving and restoring cost no array copies.

import type { IoBus } from '../bus/io-bus.ts';
import type { StatefulDevice } from './device.ts';

export const TEXT_BASE = 0xb8000;
export const COLUMNS = 80;
export const ROWS = 25;
/** Size of the text window the start address wraps within (0xB8000-0xBFFFF). */
const TEXT_WINDOW = 0x8000;

export interface Cursor {
  row: number;
  col: number;
  visible: boolean;
  /** Cursor shape: first and last scan line of the 16-line character cell. */
  startLine: number;
  endLine: number;
}

export interface Screen {
  /** 25 rows of 80 characters (code page 437 mapped to Unicode), trailing blanks kept. */
  rows: string[];
  /** 80*25 cells, `char | attribute << 8`. */
  cells: Uint16Array;
  cursor: Cursor;
}

export interface VgaState {
  crtcIndex: number;
  crtc: readonly number[];
  miscOutput: number;
  seqIndex: number;
  seq: readonly number[];
  gfxIndex: number;
  gfx: readonly number[];
  attrIndex: number;
  attrFlipFlop: boolean;
  attr: readonly number[];
  dacReadIndex: number;
  dacWriteIndex: number;
  dac: readonly number[];
  retrace: boolean;
}

/** The VGA's register arrays (each shared with saved states until the VGA next writes it), with a bit each. */
type RegisterArray = 'crtc' | 'seq' | 'gfx' | 'attr' | 'dac';
const ARRAY_BIT: Record<RegisterArray, number> = { crtc: 1, seq: 2, gfx: 4, attr: 8, dac: 16 };

/** Code page 437, the VGA's character set, as Unicode (index = character byte). */
const CP437 =
  '\u0020☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼' +
  ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~⌂' +
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/** CP437 as UTF-16 code units (every character is in the Basic Multilingual Plane). */
const CP437_CODES = Uint16Array.from(CP437, (ch) => ch.charCodeAt(0));

const NEWLINE = 0x0a;

/** Bytes the text buffer holds after the BIOS clears the screen (space, light grey on black). */
export const BLANK_CELL = 0x0720;

export class Vga implements StatefulDevice<VgaState> {
  crtcIndex = 0;
  crtc: readonly number[] = new Array(25).fill(0);
  miscOutput = 0x67;
  seqIndex = 0;
  seq: readonly number[] = new Array(5).fill(0);
  gfxIndex = 0;
  gfx: readonly number[] = new Array(9).fill(0);
  attrIndex = 0;
  attrFlipFlop = false;
  attr: readonly number[] = new Array(21).fill(0);
  dacReadIndex = 0;
  dacWriteIndex = 0;
  dac: readonly number[] = new Array(768).fill(0);
  retrace = false;
  /** ARRAY_BITs of the register arrays this VGA may write in place (the others may be shared with saved states). */
  private owned = 0x1f;
  private lastCells: Uint16Array | null = null;
  private lastCursor = '';
  /** Character codes of `text()`: ROWS rows of COLUMNS, with a newline between rows (reused by every call). */
  private readonly textCodes: number[] = Array.from({ length: ROWS * (COLUMNS + 1) - 1 }, () => NEWLINE);

  /** @param memory the machine's RAM (read only here; the guest writes the text buffer). */
  constructor(private readonly memory: { readonly bytes: Uint8Array }) {
    this.setRegister('crtc', 0x0a, 0x0d); // cursor start line (BIOS mode 3 shape: lines 13-14, visible)
    this.setRegister('crtc', 0x0b, 0x0e);
  }

  attach(io: IoBus): void {
    io.register(0x3d4, 1, { read8: () => this.crtcIndex, write8: (_p, v) => { this.crtcIndex = v; } });
    io.register(0x3d5, 1, { read8: () => this.crtc[this.crtcIndex] ?? 0xff, write8: (_p, v) => this.setRegister('crtc', this.crtcIndex, v) });
    // A 16-bit write to 0x3D4 sets index and data at once (common in cursor code).
    io.register(0x3d4, 1, { write16: (_p, v) => { this.crtcIndex = v & 0xff; this.setRegister('crtc', this.crtcIndex, v >> 8); } });
    io.register(0x3c2, 1, { write8: (_p, v) => { this.miscOutput = v; } });
    io.register(0x3cc, 1, { read8: () => this.miscOutput });
    io.register(0x3c4, 1, { read8: () => this.seqIndex, write8: (_p, v) => { this.seqIndex = v; } });
    io.register(0x3c5, 1, { read8: () => this.seq[this.seqIndex] ?? 0xff, write8: (_p, v) => this.setRegister('seq', this.seqIndex, v) });
    io.register(0x3ce, 1, { read8: () => this.gfxIndex, write8: (_p, v) => { this.gfxIndex = v; } });
    io.register(0x3cf, 1, { read8: () => this.gfx[this.gfxIndex] ?? 0xff, write8: (_p, v) => this.setRegister('gfx', this.gfxIndex, v) });
    io.register(0x3c0, 1, { read8: () => this.attrIndex, write8: (_p, v) => this.writeAttr(v) });
    io.register(0x3c1, 1, { read8: () => this.attr[this.attrIndex & 0x1f] ?? 0xff });
    io.register(0x3c6, 1, { read8: () => 0xff });
    io.register(0x3c7, 1, { write8: (_p, v) => { this.dacReadIndex = v * 3; } });
    io.register(0x3c8, 1, { read8: () => Math.floor(this.dacWriteIndex / 3), write8: (_p, v) => { this.dacWriteIndex = v * 3; } });
    io.register(0x3c9, 1, {
      read8: () => { const v = this.dac[this.dacReadIndex]; this.dacReadIndex = (this.dacReadIndex + 1) % 768; return v; },
      write8: (_p, v) => { this.setRegister('dac', this.dacWriteIndex, v & 0x3f); this.dacWriteIndex = (this.dacWriteIndex + 1) % 768; },
    });
    io.register(0x3da, 1, { read8: () => this.readInputStatus() });
  }

  private writeAttr(v: number): void {
    if (!this.attrFlipFlop) this.attrIndex = v;
    else this.setRegister('attr', this.attrIndex & 0x1f, v);
    this.attrFlipFlop = !this.attrFlipFlop;
  }

  /** Writes register `index` of an array (ignored past its end), copying the array first if a saved state may share it. */
  private setRegister(name: RegisterArray, index: number, value: number): void {
    if (index >= this[name].length) return;
    if ((this.owned & ARRAY_BIT[name]) === 0) {
      this[name] = this[name].slice();
      this.owned |= ARRAY_BIT[name];
    }
    (this[name] as number[])[index] = value;
  }

  private readInputStatus(): number {
    this.attrFlipFlop = false;
    this.retrace = !this.retrace;
    return this.retrace ? 0x09 : 0x00;
  }

  /** CRTC start address (in cells) and cursor location (in cells). */
  get startAddress(): number {
    return (this.crtc[0x0c] << 8) | this.crtc[0x0d];
  }

  get cursorLocation(): number {
    return (this.crtc[0x0e] << 8) | this.crtc[0x0f];
  }

  /** The 80x25 cells currently displayed. */
  cells(): Uint16Array {
    const bytes = this.memory.bytes;
    const cells = new Uint16Array(COLUMNS * ROWS);
    const start = this.startAddress * 2;
    for (let i = 0; i < cells.length; i++) {
      const addr = cellAddress(start, i);
      cells[i] = bytes[addr] | (bytes[addr + 1] << 8);
    }
    return cells;
  }

  cursor(): Cursor {
    const rel = this.cursorLocation - this.startAddress;
    const startLine = this.crtc[0x0a] & 0x1f;
    const endLine = this.crtc[0x0b] & 0x1f;
    const onScreen = rel >= 0 && rel < COLUMNS * ROWS;
    return {
      row: onScreen ? Math.floor(rel / COLUMNS) : -1,
      col: onScreen ? rel % COLUMNS : -1,
      visible: onScreen && (this.crtc[0x0a] & 0x20) === 0 && startLine <= endLine,
      startLine,
      endLine,
    };
  }

  /**
   * The displayed rows as one string, a '\n' after every row but the last (no cell shows as '\n'): what
   * `screen().rows.join('\n')` gives, without building the cells and cursor for the caller.
   */
  text(): string {
    const bytes = this.memory.bytes;
    const start = this.startAddress * 2;
    const codes = this.textCodes; // the newlines stay where the constructor put them
    for (let r = 0, i = 0; r < ROWS; r++) {
      const at = r * (COLUMNS + 1);
      for (let c = 0; c < COLUMNS; c++, i++) codes[at + c] = CP437_CODES[bytes[cellAddress(start, i)]];
    }
    return String.fromCharCode.apply(null, codes);
  }

  screen(): Screen {
    return { rows: this.text().split('\n'), cells: this.cells(), cursor: this.cursor() };
  }

  /** True if the displayed cells or the cursor changed since the previous call (the first call: true). */
  screenChanged(): boolean {
    const cells = this.cells();
    const cursor = JSON.stringify(this.cursor());
    const prev = this.lastCells;
    let changed = prev === null || cursor !== this.lastCursor;
    if (!changed && prev) {
      for (let i = 0; i < cells.length; i++) {
        if (cells[i] !== prev[i]) {
          changed = true;
          break;
        }
      }
    }
    this.lastCells = cells;
    this.lastCursor = cursor;
    return changed;
  }

  /** The registers; the arrays are shared with the VGA until it next writes them. */
  saveState(): VgaState {
    this.owned = 0;
    return {
      crtcIndex: this.crtcIndex, crtc: this.crtc, miscOutput: this.miscOutput, seqIndex: this.seqIndex,
      seq: this.seq, gfxIndex: this.gfxIndex, gfx: this.gfx, attrIndex: this.attrIndex,
      attrFlipFlop: this.attrFlipFlop, attr: this.attr, dacReadIndex: this.dacReadIndex,
      dacWriteIndex: this.dacWriteIndex, dac: this.dac, retrace: this.retrace,
    };
  }

  /** Restores the registers, sharing the state's arrays until the VGA next writes them. */
  loadState(s: VgaState): void {
    this.crtcIndex = s.crtcIndex;
    this.crtc = s.crtc;
    this.miscOutput = s.miscOutput;
    this.seqIndex = s.seqIndex;
    this.seq = s.seq;
    this.gfxIndex = s.gfxIndex;
    this.gfx = s.gfx;
    this.attrIndex = s.attrIndex;
    this.attrFlipFlop = s.attrFlipFlop;
    this.attr = s.attr;
    this.dacReadIndex = s.dacReadIndex;
    this.dacWriteIndex = s.dacWriteIndex;
    this.dac = s.dac;
    this.retrace = s.retrace;
    this.owned = 0;
  }
}

/** Address of the character byte of displayed cell `i` (its attribute byte follows), `start` the start address in bytes. */
function cellAddress(start: number, i: number): number {
  return TEXT_BASE + ((start + 2 * i) % TEXT_WINDOW);
}

/** A screen row as printed by the CLI: NUL and blanks at the end trimmed. */
export function trimRow(row: string): string {
  return row.replace(/[ \u00a0]+$/, '');
}
