// Store slice: what the debugger panels show while the guest is stopped (registers, disassembly, source
// location, stack) and the memory view's window. Cleared when the guest runs again, so no panel shows
// stale state as if it were current.
import type { StateCreator } from 'zustand';
import type { Inspection, MemoryDump, MemoryRequest } from '../../../workers/protocol.ts';
import type { AppState } from '../index.ts';

export interface MemoryView {
  request: MemoryRequest;
  dump: MemoryDump | null;
  error: string | null;
}

export interface InspectSlice {
  inspection: Inspection | null;
  memory: MemoryView;
  setInspection(inspection: Inspection | null): void;
  setMemoryRequest(request: MemoryRequest): void;
  setMemoryResult(result: { dump: MemoryDump } | { error: string }): void;
}

export const createInspectSlice: StateCreator<AppState, [], [], InspectSlice> = (set) => ({
  inspection: null,
  memory: { request: { space: 'linear', address: 0x100000, length: 256 }, dump: null, error: null },
  setInspection: (inspection) => set({ inspection }),
  setMemoryRequest: (request) => set((state) => ({ memory: { ...state.memory, request } })),
  setMemoryResult: (result) =>
    set((state) => ({
      memory: 'dump' in result
        ? { ...state.memory, dump: result.dump, error: null }
        : { ...state.memory, dump: null, error: result.error },
    })),
});
