// Resizable split: lays its children out in a row or a column with draggable gutters between them (also
// keyboard-movable: focus a gutter, then arrow keys). Sizes live in the store's layout slice by split id.
import { Children, useEffect, useRef, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { useStore } from '../store/index.ts';
import { normaliseSizes } from './split-layout.ts';

const KEY_STEP = 0.02;

export function SplitPane(props: { id: string; direction: 'row' | 'column'; weights: number[]; children: ReactNode }) {
  const { id, direction, weights } = props;
  const panes = Children.toArray(props.children);
  const sizes = useStore((state) => state.splits[id]);
  const initSplit = useStore((state) => state.initSplit);
  const moveGutter = useStore((state) => state.moveGutter);
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    initSplit(id, normaliseSizes(weights));
  }, [id, initSplit, weights]);

  const extent = () => {
    const rect = container.current?.getBoundingClientRect();
    return rect ? (direction === 'row' ? rect.width : rect.height) : 1;
  };

  const startDrag = (index: number) => (event: PointerEvent<HTMLDivElement>) => {
    const gutter = event.currentTarget;
    gutter.setPointerCapture(event.pointerId);
    let last = direction === 'row' ? event.clientX : event.clientY;
    const move = (e: globalThis.PointerEvent) => {
      const position = direction === 'row' ? e.clientX : e.clientY;
      moveGutter(id, index, (position - last) / extent());
      last = position;
    };
    const stop = () => {
      gutter.removeEventListener('pointermove', move);
      gutter.removeEventListener('pointerup', stop);
    };
    gutter.addEventListener('pointermove', move);
    gutter.addEventListener('pointerup', stop);
  };

  const nudge = (index: number) => (event: KeyboardEvent<HTMLDivElement>) => {
    const back = direction === 'row' ? 'ArrowLeft' : 'ArrowUp';
    const forward = direction === 'row' ? 'ArrowRight' : 'ArrowDown';
    if (event.key !== back && event.key !== forward) return;
    event.preventDefault();
    moveGutter(id, index, event.key === forward ? KEY_STEP : -KEY_STEP);
  };

  const current = sizes ?? normaliseSizes(weights);
  return (
    <div ref={container} className={`split split-${direction}`}>
      {panes.map((pane, index) => (
        <div key={index} className="split-item" style={{ flexBasis: `${current[index] * 100}%` }}>
          {pane}
          {index < panes.length - 1 && (
            <div
              className="gutter"
              role="separator"
              aria-orientation={direction === 'row' ? 'vertical' : 'horizontal'}
              aria-valuenow={Math.round(current[index] * 100)}
              tabIndex={0}
              onPointerDown={startDrag(index)}
              onKeyDown={nudge(index)}
            />
          )}
        </div>
      ))}
    </div>
  );
}
