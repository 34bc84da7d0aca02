// The status bar: the engine's health, the run state and why the guest stopped, instructions executed,
// MIPS (with a sparkline of recent samples) and the loaded image's hash. Data attributes expose the
// exact counts to tests and the browser benchmark.
import { formatCount } from '../../format.ts';
import { useStore } from '../../store/index.ts';
import { sparklinePath } from '../../viz/sparkline.ts';

const STATE_LABEL = { empty: 'no kernel', running: 'running', waiting: 'waiting for input', paused: 'paused', stopped: 'stopped' } as const;

export function StatusBar() {
  const status = useStore((state) => state.status);
  const history = useStore((state) => state.mipsHistory);
  const image = useStore((state) => state.image);
  const engine = useStore((state) => state.engine);
  return (
    <footer className="statusbar" data-testid="statusbar" data-state={status.state} data-instructions={status.instructions} data-run-ms={status.runMs}>
      <span data-testid="engine-status">
        {engine.phase === 'ready' ? `engine ${engine.info.version} ready` : engine.phase === 'starting' ? 'starting engine…' : 'engine failed'}
      </span>
      <span className={`run-state state-${status.state}`} data-testid="run-state">{STATE_LABEL[status.state]}</span>
      {status.stop && <span className="stop-message" data-testid="stop-message">{status.stop.message}</span>}
      <span className="spacer" />
      <span title="Instructions executed (virtual time)">{formatCount(status.instructions)} instr</span>
      <span title="Million instructions per second while running, by the worker's clock (idle time is skipped, not counted)">
        {status.state === 'running' ? `${status.mips.toFixed(1)} MIPS` : '– MIPS'}
      </span>
      <svg className="sparkline" width={80} height={16} aria-hidden="true">
        <path d={sparklinePath(history, 80, 16)} />
      </svg>
      {image && <span className="mono" title={`sha256 ${image.sha256}`}>{image.name} · {image.sha256.slice(0, 12)}</span>}
    </footer>
  );
}
