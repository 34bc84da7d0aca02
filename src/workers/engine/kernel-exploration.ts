// The worker's exploration backend on a real kernel: a KernelGuest booted from the loaded image (with
// the sample manifest's symbols, conventions and test input) behind an ExplorationSession, and the
// reports `faultline explore` writes. The explorer's events are handed on unchanged: the compiler checks
// here that they fit the protocol's mirror of them.
import {
  ExplorationSession, guestOptionsFromManifest, jsonReport, KernelGuest, renderHtmlReport, traceSchedule, type ExplorerEvent,
} from '../../explorer/index.ts';
import type { ExplorationEvent } from '../protocol.ts';
import type { StartExploration } from './exploration.ts';

/** Instructions a replayed schedule may take per transition in a report's trace. */
const TRACE_BUDGET = 1e9;

export const startKernelExploration: StartExploration = (image, request, sink, clock) => {
  const input = request.input ?? image.sample?.testInput[request.test];
  const guest = new KernelGuest(image.bytes, { ...guestOptionsFromManifest(image.sample ?? {}), test: request.test, input, rules: request.rules });
  const dataRacePoints = (request.dataRacePoints ?? []).map((text) => {
    const address = guest.codeAddress(text);
    if (address === null) throw new Error(`The data-race point '${text}' is not a kernel instruction: write 0xADDRESS or FUNCTION+0xOFFSET.`);
    return address;
  });
  const mode = request.mode ?? 'dpor';
  const preemptionBound = request.preemptionBound ?? null;
  const forward = (batch: ExplorerEvent[]) => {
    const events: readonly ExplorationEvent[] = batch;
    sink(events);
  };
  const session = new ExplorationSession(guest, {
    mode, preemptionBound, maxBranches: request.maxBranches ?? null, timeLimitSeconds: request.timeLimitSeconds ?? null,
    iterativeDeepening: request.iterativeDeepening ?? false, dataRacePoints,
  }, forward, clock);
  return {
    runSlice: (seconds) => session.runSlice(seconds),
    command: (command) => session.command(command),
    get state() {
      return session.state;
    },
    reports() {
      const report = jsonReport({ test: request.test, kernel: image.name, mode, preemptionBound }, session.progress(), session.bugs(),
        session.races(), (address) => guest.locate(address));
      const traces = report.bugs.map((b) => traceSchedule(guest, b.schedule, TRACE_BUDGET));
      return { json: `${JSON.stringify(report, null, 2)}\n`, html: renderHtmlReport(report, traces, (tid) => guest.threadName(tid)) };
    },
  };
};
