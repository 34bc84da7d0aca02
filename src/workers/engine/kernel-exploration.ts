// The worker's exploration backend on a real kernel: a KernelGuest booted from the loaded image (with
// the sample manifest's symbols, conventions and test input) behind an ExplorationSession, and the
// reports `faultline explore` writes. The explorer's events are handed on unchanged: the compiler checks
// here that they fit the protocol's mirror of them.
import {
  ExplorationSession, guestOptionsFromManifest, jsonReport, KernelGuest, layKernelConfig, parseKernelConfig, renderHtmlReport, traceSchedule,
  type ExplorerEvent, type KernelConfig,
} from '../../explorer/index.ts';
import type { ExplorationEvent } from '../protocol.ts';
import type { StartExploration } from './exploration.ts';

/** Instructions a replayed schedule may take per transition in a report's trace. */
const TRACE_BUDGET = 1e9;

/** The request's configuration text, checked (an Error with a sentence for the user when it is wrong). */
function requestConfig(text: string | undefined): KernelConfig {
  if (text === undefined || text.trim() === '') return {};
  try {
    return parseKernelConfig(text);
  } catch (e) {
    throw new Error(`The kernel configuration is wrong: ${(e as Error).message}.`, { cause: e });
  }
}

export const startKernelExploration: StartExploration = (image, request, sink, clock) => {
  const config = layKernelConfig(image.sample ?? undefined, requestConfig(request.config));
  const input = request.input ?? config.testInput?.[request.test];
  const guest = new KernelGuest(image.bytes, { ...guestOptionsFromManifest(config), test: request.test, input, rules: request.rules });
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
    limitations: guest.limitations,
    reports() {
      const report = jsonReport({ test: request.test, kernel: image.name, mode, preemptionBound }, session.progress(), session.bugs(),
        session.races(), (address) => guest.locate(address));
      const traces = report.bugs.map((b) => traceSchedule(guest, b.schedule, TRACE_BUDGET));
      return { json: `${JSON.stringify(report, null, 2)}\n`, html: renderHtmlReport(report, traces, (tid) => guest.threadName(tid)) };
    },
  };
};
