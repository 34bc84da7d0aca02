// The IDE shell: top bar with kernel picker and run controls, and the panels of the workbench.
import { useEffect, useState } from 'react';
import { startEngine } from '../workers/client.ts';
import type { EngineInfo } from '../workers/protocol.ts';

export function App() {
  const [info, setInfo] = useState<EngineInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const { engine, terminate } = startEngine(setError);
    engine.info().then(setInfo, (e: unknown) => setError(String(e)));
    return terminate;
  }, []);

  return (
    <div className="app">
      <header className="topbar">
        <strong>Faultline</strong>
        <span data-testid="engine-status">
          {error ? `engine error: ${error}` : info ? `engine ${info.version} ready` : 'starting engine…'}
        </span>
      </header>
    </div>
  );
}
