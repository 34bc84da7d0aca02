// The status bar: the engine's health, the run state and why the guest stopped, instructions executed,
// MIPS (with a sparkline of the last minute) and the loaded image's hash.
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
    <footer className="statusbar" data-testid="statusbar">
      <span data-testid="engine-status">
        {engine.phase === 'ready' ? `engine ${engine.info.version} ready` : engine.phase === 'starting' ? 'starting engine…' : 'engine failed'}
      </span>
      <span className={`run-state state-${status.state}`} data-testid="run-state">{STATE_LABEL[status.state]}</span>
      {status.stop && <span className="stop-message" data-testid="stop-message">{status.stop.message}</span>}
      <span className="spacer" />
      <span title="Instructions executed (virtual time)">{formatCount(status.instructions)} instr</span>
      <span title="Million instructions per second, measured by the worker">{status.mips.toFixed(1)} MIPS</span>
      <svg className="sparkline" width={80} height={16} aria-hidden="true">
        <path d={sparklinePath(history, 80, 16)} />
      </svg>
      {image && <span className="mono" title={`sha256 ${image.sha256}`}>{image.name} · {image.sha256.slice(0, 12)}</span>}
    </footer>
  );
}
