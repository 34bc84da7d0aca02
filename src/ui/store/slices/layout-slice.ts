// Store slice: the workbench layout: the sizes of each split (fractions, by split id) and which
// overlays are open.
import type { StateCreator } from 'zustand';
import { resizeSplit } from '../../components/split-layout.ts';
import type { AppState } from '../index.ts';

/** Panels never shrink below this fraction of their split. */
export const MIN_PANEL_FRACTION = 0.08;

export interface LayoutSlice {
  splits: Record<string, number[]>;
  helpOpen: boolean;
  initSplit(id: string, sizes: number[]): void;
  moveGutter(id: string, index: number, delta: number): void;
  setHelpOpen(open: boolean): void;
}

export const createLayoutSlice: StateCreator<AppState, [], [], LayoutSlice> = (set) => ({
  splits: {},
  helpOpen: false,
  initSplit: (id, sizes) => set((state) => (state.splits[id] ? {} : { splits: { ...state.splits, [id]: sizes } })),
  moveGutter: (id, index, delta) =>
    set((state) => {
      const sizes = state.splits[id];
      if (!sizes) return {};
      return { splits: { ...state.splits, [id]: resizeSplit(sizes, index, delta, MIN_PANEL_FRACTION) } };
    }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
});
