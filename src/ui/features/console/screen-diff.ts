// Which screen cells need drawing again: the canvas keeps what it drew (cells, blink phase, cursor cell)
// and a new frame redraws only the cells whose word changed, the old and new cursor cells, and blinking
// cells when the blink phase flipped. Pure, so the renderer's bookkeeping is tested without a canvas.

export interface DrawnScreen {
  cells: Uint16Array;
  textBlinkOn: boolean;
  /** The cell with the cursor drawn in it, or -1. */
  cursorIndex: number;
}

const BLINK_BIT = 0x8000;

/** Indices of the cells to redraw to show `next` over `drawn` (all of them when nothing is drawn). */
export function cellsToRedraw(drawn: DrawnScreen | null, next: DrawnScreen): number[] {
  const out: number[] = [];
  for (let i = 0; i < next.cells.length; i++) {
    const cell = next.cells[i];
    if (
      !drawn ||
      drawn.cells.length !== next.cells.length ||
      drawn.cells[i] !== cell ||
      i === drawn.cursorIndex ||
      i === next.cursorIndex ||
      ((cell & BLINK_BIT) !== 0 && drawn.textBlinkOn !== next.textBlinkOn)
    ) {
      out.push(i);
    }
  }
  return out;
}
