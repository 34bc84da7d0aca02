// The kernel log: lprintf (kernel) and user-program prints in order, tagged by source, followed by why
// the guest last stopped (MAGIC_BREAK, triple fault...). Keeps scrolled to the end unless the user
// scrolled up to read.
import { useLayoutEffect, useRef } from 'react';
import { useStore } from '../../store/index.ts';

/** Only the newest lines are in the DOM; the store keeps more. */
const SHOWN_LINES = 200;

export function KernelLog() {
  const log = useStore((state) => state.log);
  const dropped = useStore((state) => state.droppedLogLines);
  const stop = useStore((state) => state.status.stop);
  const box = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  useLayoutEffect(() => {
    if (pinned.current && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [log, stop]);

  const hidden = dropped + Math.max(0, log.length - SHOWN_LINES);
  return (
    <div
      ref={box}
      className="kernel-log"
      data-testid="kernel-log"
      role="log"
      aria-label="Kernel log"
      onScroll={(event) => {
        const el = event.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 8;
      }}
    >
      {log.length === 0 && !stop && <p className="muted">lprintf output from the kernel and prints from user programs appear here.</p>}
      {hidden > 0 && <p className="muted">{hidden} earlier lines not shown</p>}
      {log.slice(-SHOWN_LINES).map((line, index) => (
        <div key={hidden + index} className={`log-line log-${line.source}`}>
          <span className="log-tag">{line.source}</span>
          <span className="log-text">{line.text}</span>
        </div>
      ))}
      {stop && (
        <div className={`log-line log-stop stop-${stop.reason}`} data-testid="stop-line">
          <span className="log-tag">stop</span>
          <span className="log-text">{stop.message}</span>
        </div>
      )}
    </div>
  );
}
