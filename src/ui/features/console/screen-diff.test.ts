// Tests of choosing which screen cells to redraw.
import { describe, expect, it } from 'vitest';
import { cellsToRedraw } from './screen-diff.ts';

const screen = (cells: number[], cursorIndex = -1, textBlinkOn = true) => ({ cells: Uint16Array.from(cells), cursorIndex, textBlinkOn });

describe('screen redraw', () => {
  it('draws everything the first time', () => {
    expect(cellsToRedraw(null, screen([0x0741, 0x0742]))).toEqual([0, 1]);
  });

  it('redraws nothing when nothing changed', () => {
    expect(cellsToRedraw(screen([0x0741, 0x0742]), screen([0x0741, 0x0742]))).toEqual([]);
  });

  it('redraws changed cells and both cursor cells', () => {
    expect(cellsToRedraw(screen([0x0741, 0x0742, 0x0743, 0x0744], 0), screen([0x0741, 0x0742, 0x0758, 0x0744], 3))).toEqual([0, 2, 3]);
  });

  it('redraws blinking cells when the blink phase flips', () => {
    const cells = [0x0741, 0x8742, 0x0743];
    expect(cellsToRedraw(screen(cells, -1, true), screen(cells, -1, false))).toEqual([1]);
    expect(cellsToRedraw(screen(cells, -1, true), screen(cells, -1, true))).toEqual([]);
  });

  it('redraws everything when the screen size changes', () => {
    expect(cellsToRedraw(screen([1]), screen([1, 2]))).toEqual([0, 1]);
  });
});
