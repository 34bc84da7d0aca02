// The guest's VGA text screen on a canvas: 80x25 cells of 9x16 pixels in the 16-colour palette, blinking
// attributes and the hardware cursor (an underline in the cell's colour). While the canvas has keyboard
// focus every key goes to the guest as set-1 scan codes (make on press, break on release), IDE shortcuts
// included. Only cells that changed are redrawn. A visually hidden mirror holds the screen as text for
// screen readers and tests.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ScreenFrame } from '../../../workers/protocol.ts';
import { engineController } from '../../engine/engine-controller.ts';
import { screenFeed } from '../../engine/screen-feed.ts';
import { scanCodesFor } from './scan-codes.ts';
import { cellsToRedraw, type DrawnScreen } from './screen-diff.ts';
import { cellLook, screenText } from './vga-text.ts';

const CELL_WIDTH = 9;
const CELL_HEIGHT = 16;
const COLUMNS = 80;
const ROWS = 25;
/** Glyph size and baseline inside a 16-pixel cell, so that descenders and underscores stay in the cell. */
const GLYPH_PX = 14;
const BASELINE = 12;
/** The VGA blinks the cursor every 16 frames and blinking text every 32 (at 70 Hz). */
const CURSOR_BLINK_MS = 229;

/** Draws `frame` over what the canvas shows (`drawn`, or null for a full redraw); returns what it shows now. */
function draw(context: CanvasRenderingContext2D, frame: ScreenFrame, tick: number, drawn: DrawnScreen | null): DrawnScreen {
  const { cursor, columns } = frame;
  const cursorOn = cursor.visible && (tick & 1) === 0 && cursor.row < frame.rows && cursor.column < columns;
  const next: DrawnScreen = { cells: frame.cells, textBlinkOn: (tick & 2) === 0, cursorIndex: cursorOn ? cursor.row * columns + cursor.column : -1 };
  context.font = `${GLYPH_PX}px "DejaVu Sans Mono", Consolas, "Liberation Mono", monospace`;
  context.textBaseline = 'alphabetic';
  context.textAlign = 'center';
  for (const i of cellsToRedraw(drawn, next)) {
    const look = cellLook(frame.cells[i], next.textBlinkOn);
    const x = (i % columns) * CELL_WIDTH;
    const y = Math.floor(i / columns) * CELL_HEIGHT;
    context.fillStyle = look.background;
    context.fillRect(x, y, CELL_WIDTH, CELL_HEIGHT);
    if (look.char !== ' ' && look.foreground !== look.background) {
      context.fillStyle = look.foreground;
      context.fillText(look.char, x + CELL_WIDTH / 2, y + BASELINE);
    }
    if (i === next.cursorIndex) {
      context.fillStyle = cellLook(frame.cells[i], true).foreground;
      context.fillRect(x, y + CELL_HEIGHT - 3, CELL_WIDTH, 2);
    }
  }
  return next;
}

export function VgaScreen() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const mirror = useRef<HTMLPreElement>(null);
  const held = useRef(new Set<string>());
  const [hasFrame, setHasFrame] = useState(screenFeed.latest() !== null);
  const [focused, setFocused] = useState(false);

  useEffect(() => {
    let tick = 0;
    let pending = 0;
    let drawn: DrawnScreen | null = null;
    let shownText: Uint16Array | null = null;
    const render = () => {
      pending = 0;
      const frame = screenFeed.latest();
      setHasFrame(frame !== null);
      const context = canvas.current?.getContext('2d');
      if (!frame || !canvas.current || !context) {
        drawn = null;
        return;
      }
      if (canvas.current.width !== frame.columns * CELL_WIDTH || canvas.current.height !== frame.rows * CELL_HEIGHT) {
        canvas.current.width = frame.columns * CELL_WIDTH;
        canvas.current.height = frame.rows * CELL_HEIGHT;
        drawn = null;
      }
      drawn = draw(context, frame, tick, drawn);
      if (mirror.current && shownText !== frame.cells) {
        mirror.current.textContent = screenText(frame.cells, frame.columns, frame.rows).join('\n');
        shownText = frame.cells;
      }
    };
    const schedule = () => {
      if (!pending) pending = requestAnimationFrame(render);
    };
    const unsubscribe = screenFeed.subscribe(schedule);
    const blink = setInterval(() => {
      tick++;
      if (screenFeed.latest()) schedule();
    }, CURSOR_BLINK_MS);
    schedule();
    return () => {
      unsubscribe();
      clearInterval(blink);
      if (pending) cancelAnimationFrame(pending);
    };
  }, []);

  const key = (pressed: boolean) => (event: KeyboardEvent<HTMLCanvasElement>) => {
    const bytes = scanCodesFor(event.code, pressed);
    if (!bytes) return;
    event.preventDefault();
    event.stopPropagation();
    if (pressed) held.current.add(event.code);
    else held.current.delete(event.code);
    engineController.sendScanCodes(bytes);
  };

  const releaseAll = () => {
    setFocused(false);
    const bytes = [...held.current].flatMap((code) => scanCodesFor(code, false) ?? []);
    held.current.clear();
    if (bytes.length) engineController.sendScanCodes(bytes);
  };

  return (
    <div className={`vga ${focused ? 'vga-focused' : ''}`}>
      <canvas
        ref={canvas}
        className="vga-canvas"
        data-testid="vga-canvas"
        width={COLUMNS * CELL_WIDTH}
        height={ROWS * CELL_HEIGHT}
        tabIndex={0}
        aria-label="Guest VGA screen: click or focus to type into the guest"
        onKeyDown={key(true)}
        onKeyUp={key(false)}
        onFocus={() => setFocused(true)}
        onBlur={releaseAll}
      />
      {!hasFrame && <div className="vga-overlay">No screen yet: load a kernel to boot it.</div>}
      <div className="vga-hint">{focused ? 'Keys go to the guest (click outside to release)' : 'Click the screen to type into the guest'}</div>
      <pre ref={mirror} className="visually-hidden" data-testid="screen-text" aria-label="Guest screen text" />
    </div>
  );
}
