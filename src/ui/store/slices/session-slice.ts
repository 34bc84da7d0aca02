// Store slice: what is loaded and how it runs: the sample list, the booted image, alerts for the user, the run
// status pushed by the worker, and a short MIPS history for the status bar's sparkline.
import type { StateCreator } from 'zustand';
import type { EngineStatus, ImageSummary, SampleKernel } from '../../../workers/protocol.ts';
import type { AppState } from '../index.ts';

/** How many MIPS samples the sparkline keeps. */
export const MIPS_HISTORY = 60;

export const IDLE_STATUS: EngineStatus = { state: 'empty', instructions: 0, mips: 0, runMs: 0, stop: null };

export interface SessionSlice {
  samples: SampleKernel[];
  samplesError: string | null;
  /** What is being loaded right now (a sample or file name), or null. */
  loading: string | null;
  image: ImageSummary | null;
  /** A message for the user (a load that failed, an unknown run-to target...), shown until dismissed. */
  alert: string | null;
  status: EngineStatus;
  mipsHistory: number[];
  runToTarget: string;
  setRunToTarget(target: string): void;
  setSamples(samples: SampleKernel[]): void;
  setSamplesError(error: string): void;
  loadStarted(name: string): void;
  loadSucceeded(image: ImageSummary): void;
  loadFailed(error: string): void;
  showAlert(message: string): void;
  dismissAlert(): void;
  applyStatus(status: EngineStatus): void;
}

export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set) => ({
  samples: [],
  samplesError: null,
  loading: null,
  image: null,
  alert: null,
  status: IDLE_STATUS,
  mipsHistory: [],
  runToTarget: '',
  setRunToTarget: (runToTarget) => set({ runToTarget }),
  setSamples: (samples) => set({ samples, samplesError: null }),
  setSamplesError: (samplesError) => set({ samplesError }),
  loadStarted: (loading) => set({ loading, alert: null }),
  // Leaves the alert alone: a slower, earlier load may succeed after a later one failed.
  loadSucceeded: (image) => set({ image, loading: null, mipsHistory: [] }),
  loadFailed: (alert) => set({ alert, loading: null }),
  showAlert: (alert) => set({ alert }),
  dismissAlert: () => set({ alert: null }),
  applyStatus: (status) =>
    set((state) => ({
      status,
      mipsHistory: status.state === 'running' ? [...state.mipsHistory, status.mips].slice(-MIPS_HISTORY) : state.mipsHistory,
    })),
});
