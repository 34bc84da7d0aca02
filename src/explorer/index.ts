// The explorer's public API, for the worker and the CLI (nothing else of src/explorer is imported
// from outside it). Described in docs/explorer.md.

export { BUG_CLASSES, type Bug, type BugClass } from './detectors/bug.ts';
export type { RaceFinding, RaceAccess, RaceMode } from './detectors/data-race.ts';
export type { BugReport, EventSink, ExplorerCommand, ExplorerEvent, Progress, SessionState } from './events.ts';
export type { Access, AccessList, ThreadId, TransitionSummary } from './model/transition.ts';
export { AnnotationError } from './model/thread-model.ts';
export { DEFAULT_EXPLORE_OPTIONS, ExploreError, Explorer, type ExploreOptions, type ExploreResult } from './search/explorer.ts';
export type { Guest, Point, Step } from './search/guest.ts';
export { replaySchedule, ReplayError, type ReplayResult } from './search/replay.ts';
export { decodeSchedule, encodeSchedule, KEYBOARD_TID, ScheduleFormatError, type Schedule, type ScheduleWithPoints } from './search/schedule.ts';
export type { NodeStatus, TreeNode } from './search/tree.ts';
export { ExplorationSession, type Cursor, type SessionOptions } from './session.ts';
export { ToyGuest, type ToyProgram } from './testing/toy-guest.ts';
export { KernelGuest, KernelGuestError, type KernelGuestOptions, type KernelSymbols } from './guest/kernel-guest.ts';
export type { FunctionRule } from './guest/preemption-rules.ts';
export {
  guestOptionsFromManifest, kernelConfigProblems, layKernelConfig, parseKernelConfig, type KernelConfig, type KernelManifestEntry,
} from './guest/kernel-config.ts';
export { jsonReport, traceSchedule, type JsonReport, type TraceRow } from './report.ts';
export { renderHtmlReport } from './report-html.ts';
