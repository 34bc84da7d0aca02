// The typed protocol between the UI and the engine worker: plain data types only (structured-clonable),
// so that the UI depends on no engine code. The worker implements `EngineApi`; the UI calls it through
// comlink (see client.ts).

/** What the worker says about itself: the health check the UI makes at start-up. */
export interface EngineInfo {
  name: 'faultline-engine';
  version: string;
}

/** The API the engine worker exposes. Every call is asynchronous across the worker boundary. */
export interface EngineApi {
  info(): EngineInfo;
}
