// Store slice: the engine worker's health (starting, ready, or crashed with a message the UI shows with a
// restart button).
import type { StateCreator } from 'zustand';
import type { EngineInfo } from '../../../workers/protocol.ts';
import type { AppState } from '../index.ts';

export type EnginePhase =
  | { phase: 'starting' }
  | { phase: 'ready'; info: EngineInfo }
  | { phase: 'crashed'; error: string };

export interface EngineSlice {
  engine: EnginePhase;
  engineStarting(): void;
  engineReady(info: EngineInfo): void;
  engineCrashed(error: string): void;
}

export const createEngineSlice: StateCreator<AppState, [], [], EngineSlice> = (set) => ({
  engine: { phase: 'starting' },
  engineStarting: () => set({ engine: { phase: 'starting' } }),
  engineReady: (info) => set({ engine: { phase: 'ready', info } }),
  engineCrashed: (error) => set({ engine: { phase: 'crashed', error } }),
});
