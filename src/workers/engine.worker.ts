// The engine Web Worker: hosts the emulator off the UI thread and exposes `EngineApi` (protocol.ts)
// through comlink. This is the one place where the worker meets the emulator and the explorer: it hands
// the engine a boot function, the kernel explorer, the worker's clock, an event-loop yield and the
// transfer of buffers back to the UI.
import { expose, transfer } from 'comlink';
import pkg from '../../package.json' with { type: 'json' };
import { Machine } from '../emulator/index.ts';
import { createEngine } from './engine/engine.ts';
import { startKernelExploration } from './engine/kernel-exploration.ts';

const channel = new MessageChannel();
const queued: (() => void)[] = [];
channel.port1.onmessage = () => queued.shift()?.();

/** Resolves after the event loop has run pending messages (a zero-delay yield with no timer clamping). */
function yieldNow(): Promise<void> {
  return new Promise((resolve) => {
    queued.push(resolve);
    channel.port2.postMessage(null);
  });
}

// A rejected promise nobody awaits (a bug) becomes an error event on the Worker, which the UI reports
// with a restart button, instead of a worker that silently stops answering.
self.addEventListener('unhandledrejection', (event) => {
  throw event.reason;
});

expose(
  createEngine({
    version: pkg.version,
    boot: (image) => Machine.boot(image),
    explore: startKernelExploration,
    now: () => performance.now(),
    pause: (ms) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : yieldNow()),
    fetch: (url) => fetch(url),
    transfer: (update, buffers, send) => send(transfer(update, buffers)),
  }),
);
