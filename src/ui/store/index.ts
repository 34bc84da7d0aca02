// The IDE's single zustand store, assembled from typed slices (zustand's slices pattern). Components
// select narrowly; the engine controller (not components) is the main writer.
import { create } from 'zustand';
import { createConsoleSlice, type ConsoleSlice } from './slices/console-slice.ts';
import { createEngineSlice, type EngineSlice } from './slices/engine-slice.ts';
import { createExplorationSlice, type ExplorationSlice } from './slices/exploration-slice.ts';
import { createInspectSlice, type InspectSlice } from './slices/inspect-slice.ts';
import { createLayoutSlice, type LayoutSlice } from './slices/layout-slice.ts';
import { createSessionSlice, type SessionSlice } from './slices/session-slice.ts';

export type AppState = EngineSlice & SessionSlice & ConsoleSlice & InspectSlice & LayoutSlice & ExplorationSlice;

/** Creates a store; the app uses the one below, tests make their own. */
export function createAppStore() {
  return create<AppState>()((...args) => ({
    ...createEngineSlice(...args),
    ...createSessionSlice(...args),
    ...createConsoleSlice(...args),
    ...createInspectSlice(...args),
    ...createLayoutSlice(...args),
    ...createExplorationSlice(...args),
  }));
}

export const useStore = createAppStore();
