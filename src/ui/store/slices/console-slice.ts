// Store slice: the kernel log (lprintf and user prints, tagged by source), capped so a chatty guest
// cannot grow the page without bound. The screen itself is not in the store (see engine/screen-feed.ts).
import type { StateCreator } from 'zustand';
import type { LogLine } from '../../../workers/protocol.ts';
import type { AppState } from '../index.ts';

/** The most log lines kept; older lines are dropped (and counted). */
export const LOG_CAPACITY = 5000;

export interface ConsoleSlice {
  log: LogLine[];
  droppedLogLines: number;
  appendLog(lines: LogLine[]): void;
  clearLog(): void;
}

export const createConsoleSlice: StateCreator<AppState, [], [], ConsoleSlice> = (set) => ({
  log: [],
  droppedLogLines: 0,
  appendLog: (lines) =>
    set((state) => {
      const log = state.log.concat(lines);
      const excess = Math.max(0, log.length - LOG_CAPACITY);
      return { log: excess ? log.slice(excess) : log, droppedLogLines: state.droppedLogLines + excess };
    }),
  clearLog: () => set({ log: [], droppedLogLines: 0 }),
});
