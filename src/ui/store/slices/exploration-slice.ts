// Store slice: the exploration of the loaded kernel as the worker reports it: its settings in the form,
// its state, the latest progress (which counts the data races), and the bugs found (first occurrence each,
// in order). The tree itself is not kept here yet: the views that draw it
// will hold what they need.
import type { StateCreator } from 'zustand';
import type { ExplorationBug, ExplorationEvent, ExplorationProgress, ExplorationState } from '../../../workers/protocol.ts';
import type { AppState } from '../index.ts';

export interface ExploreSettings {
  test: string;
  mode: 'dpor' | 'dfs';
  /** Empty: unbounded. */
  preemptionBound: string;
  /** Seconds; empty: no limit. */
  timeLimit: string;
  /** Probe small searches first to find bugs fast. */
  iterativeDeepening: boolean;
  /** Data-race preemption points: kernel instructions (0x1034a5, mutex_lock+0x32) separated by spaces or commas. */
  dataRacePoints: string;
  /** The kernel's explorer configuration as JSON (symbols, config, testInput); empty: the sample's, or the defaults. */
  kernelConfig: string;
}

export interface ExplorationView {
  /** The test being explored, or null before the first exploration. */
  test: string | null;
  state: ExplorationState;
  /** Why it stopped or failed, from the worker. */
  message: string | null;
  progress: ExplorationProgress | null;
  bugs: ExplorationBug[];
  /** What the explorer cannot see on this kernel (functions missing by name). */
  limitations: string[];
}

export interface ExplorationSlice {
  exploreSettings: ExploreSettings;
  exploration: ExplorationView;
  setExploreSettings(settings: Partial<ExploreSettings>): void;
  explorationStarted(test: string): void;
  /** The worker took the exploration: what it cannot see on this kernel. */
  explorationLimitations(limitations: string[]): void;
  applyExplorationEvents(events: readonly ExplorationEvent[]): void;
  /** The kernel changed: the exploration is void. */
  clearExploration(): void;
}

export const NO_EXPLORATION: ExplorationView = { test: null, state: 'idle', message: null, progress: null, bugs: [], limitations: [] };

export const createExplorationSlice: StateCreator<AppState, [], [], ExplorationSlice> = (set) => ({
  exploreSettings: { test: '', mode: 'dpor', preemptionBound: '2', timeLimit: '', iterativeDeepening: true, dataRacePoints: '', kernelConfig: '' },
  exploration: NO_EXPLORATION,
  setExploreSettings: (settings) => set((state) => ({ exploreSettings: { ...state.exploreSettings, ...settings } })),
  explorationStarted: (test) => set({ exploration: { ...NO_EXPLORATION, test, state: 'running' } }),
  explorationLimitations: (limitations) => set((state) => ({ exploration: { ...state.exploration, limitations } })),
  applyExplorationEvents: (events) =>
    set((state) => {
      const next = { ...state.exploration };
      for (const e of events) {
        if (e.kind === 'state') {
          next.state = e.state;
          next.message = e.message ?? null;
        } else if (e.kind === 'progress') {
          next.progress = e.progress;
        } else if (e.kind === 'bug') {
          next.bugs = [...next.bugs, e.bug];
        }
      }
      return { exploration: next };
    }),
  clearExploration: () => set({ exploration: NO_EXPLORATION }),
});
