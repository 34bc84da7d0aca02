// The engine Web Worker: hosts the emulator and explorer off the UI thread and exposes `EngineApi`
// through comlink.
import { expose } from 'comlink';
import pkg from '../../package.json' with { type: 'json' };
import type { EngineApi, EngineInfo } from './protocol.ts';

const api: EngineApi = {
  info(): EngineInfo {
    return { name: 'faultline-engine', version: pkg.version };
  },
};

expose(api);
