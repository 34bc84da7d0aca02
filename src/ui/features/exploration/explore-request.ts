// The Explorer panel's form as an exploration request for the worker, with a sentence for the user when
// a field is wrong.
import type { ExploreSettings } from '../../store/slices/exploration-slice.ts';
import type { ExplorationEventKind, ExploreRequest } from '../../../workers/protocol.ts';

/** The exploration events the Explorer panel shows (the worker posts no others). */
export const EXPLORE_PANEL_EVENTS: ExplorationEventKind[] = ['state', 'progress', 'bug'];

/** The request the form describes, or a message saying what is wrong with it. */
export function exploreRequest(settings: ExploreSettings): ExploreRequest | string {
  if (!settings.test) return 'Choose a test to explore.';
  const count = (text: string, what: string): number | null | string => {
    if (text.trim() === '') return null;
    const n = Number(text);
    return Number.isInteger(n) && n >= 0 ? n : `The ${what} must be a whole number (or empty for none).`;
  };
  const preemptionBound = count(settings.preemptionBound, 'preemption bound');
  if (typeof preemptionBound === 'string') return preemptionBound;
  const timeLimitSeconds = count(settings.timeLimit, 'time limit');
  if (typeof timeLimitSeconds === 'string') return timeLimitSeconds;
  // The worker checks that each names a kernel instruction (it knows the symbols).
  const dataRacePoints = settings.dataRacePoints.split(/[\s,]+/).filter((p) => p !== '');
  // The worker checks the configuration (it knows the manifest's, and says what is wrong).
  const config = settings.kernelConfig.trim() === '' ? {} : { config: settings.kernelConfig };
  return {
    test: settings.test, mode: settings.mode, preemptionBound, timeLimitSeconds, iterativeDeepening: settings.iterativeDeepening, dataRacePoints,
    ...config, events: EXPLORE_PANEL_EVENTS,
  };
}
