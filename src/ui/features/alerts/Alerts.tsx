// Banners for what the user must know: the engine worker failed (with a restart button), or a load or
// command failed (dismissable). Never a blank page, never a console-only error.
import { engineController } from '../../engine/engine-controller.ts';
import { useStore } from '../../store/index.ts';

export function Alerts() {
  const engine = useStore((state) => state.engine);
  const alert = useStore((state) => state.alert);
  const dismiss = useStore((state) => state.dismissAlert);
  return (
    <>
      {engine.phase === 'crashed' && (
        <div className="alert alert-error" role="alert" data-testid="engine-error">
          <strong>The engine stopped working:</strong> {engine.error}
          <button onClick={() => void engineController.restart()}>Restart engine</button>
        </div>
      )}
      {alert && (
        <div className="alert alert-warning" role="alert" data-testid="load-error">
          <span>{alert}</span>
          <button onClick={dismiss} aria-label="Dismiss">✕</button>
        </div>
      )}
    </>
  );
}
