import { describe, expect, it } from 'vitest';
import { EXPLORE_PANEL_EVENTS, exploreRequest } from './explore-request.ts';

describe('exploreRequest', () => {
  const settings = { test: 'fork_wait', mode: 'dpor' as const, preemptionBound: '2', timeLimit: '', iterativeDeepening: true, dataRacePoints: '', kernelConfig: ' ' };

  it('turns the form into a request (empty fields: no limit)', () => {
    expect(exploreRequest(settings)).toEqual({ test: 'fork_wait', mode: 'dpor', preemptionBound: 2, timeLimitSeconds: null, iterativeDeepening: true, dataRacePoints: [],
      events: EXPLORE_PANEL_EVENTS });
    const config = '{"symbols": {"mutexLock": "mtx_lock"}}';
    expect(exploreRequest({ ...settings, preemptionBound: ' ', timeLimit: '30', mode: 'dfs', iterativeDeepening: false, dataRacePoints: ' 0x1034a5, mutex_lock+0x32 ',
      kernelConfig: config }))
      .toEqual({ test: 'fork_wait', mode: 'dfs', preemptionBound: null, timeLimitSeconds: 30, iterativeDeepening: false, dataRacePoints: ['0x1034a5', 'mutex_lock+0x32'],
        config, events: EXPLORE_PANEL_EVENTS });
  });

  it('says what is wrong', () => {
    expect(exploreRequest({ ...settings, test: '' })).toBe('Choose a test to explore.');
    expect(exploreRequest({ ...settings, preemptionBound: '-1' })).toBe('The preemption bound must be a whole number (or empty for none).');
    expect(exploreRequest({ ...settings, timeLimit: '1.5' })).toBe('The time limit must be a whole number (or empty for none).');
  });
});
