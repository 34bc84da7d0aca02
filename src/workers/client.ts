// The UI's handle on the engine worker: starts the worker, wraps it with comlink, and re-exports the
// comlink helpers the UI needs (callbacks as proxies, buffers as transferables) so that the UI imports
// nothing else from the worker layer.
import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { EngineApi } from './protocol.ts';

export type Engine = Remote<EngineApi>;

export interface EngineHandle {
  engine: Engine;
  terminate(): void;
}

/** Starts a new engine worker. `onError` hears of a worker that failed to load or died. */
export function startEngine(onError: (message: string) => void): EngineHandle {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'faultline-engine' });
  worker.addEventListener('error', (event) => onError(event.message || 'the engine worker failed to start'));
  worker.addEventListener('messageerror', () => onError('the engine worker sent a message that could not be read'));
  return { engine: wrap<EngineApi>(worker), terminate: () => worker.terminate() };
}

export { proxy, transfer };
