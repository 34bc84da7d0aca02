// Tests of batching worker updates to one message per frame.
import { describe, expect, it } from 'vitest';
import type { EngineUpdate } from '../protocol.ts';
import { FRAME_MS, UpdateBatcher } from './update-batcher.ts';

function setup() {
  let now = 0;
  const sent: { update: EngineUpdate; transfer: Transferable[] }[] = [];
  let screenReads = 0;
  const batcher = new UpdateBatcher(
    (update, transfer) => sent.push({ update, transfer }),
    () => now,
    () => {
      screenReads++;
      return { columns: 1, rows: 1, cells: Uint16Array.of(0x0741), cursor: { row: 0, column: 0, visible: true } };
    },
  );
  return { batcher, sent, advance: (ms: number) => (now += ms), screenReads: () => screenReads };
}

const status = { state: 'running' as const, instructions: 1, mips: 1, runMs: 0, stop: null };

describe('update batcher', () => {
  it('sends at most one message per frame, combining what is pending', () => {
    const { batcher, sent, advance } = setup();
    batcher.addLog([{ source: 'kernel', text: 'a' }]);
    batcher.flush();
    batcher.addLog([{ source: 'user', text: 'b' }]);
    batcher.setStatus(status);
    batcher.flush();
    expect(sent).toHaveLength(1);
    advance(FRAME_MS);
    batcher.flush();
    expect(sent).toHaveLength(2);
    expect(sent[1].update).toEqual({ log: [{ source: 'user', text: 'b' }], status });
  });

  it('sends exploration events in order, all that arrived within a frame together', () => {
    const { batcher, sent, advance } = setup();
    const state = (s: 'running' | 'finished') => ({ kind: 'state' as const, state: s });
    batcher.addExploration([state('running')]);
    batcher.addExploration([{ kind: 'bug', bug: { class: 'deadlock', message: 'm', tid: 4, thread: 'TID 4', location: null, details: [], schedule: '4', branch: 1, node: 2, occurrences: 1 } }]);
    batcher.flush();
    advance(FRAME_MS);
    batcher.addExploration([state('finished')]);
    batcher.flush();
    expect(sent.map((s) => s.update.exploration?.map((e) => e.kind))).toEqual([['state', 'bug'], ['state']]);
  });

  it('reads and transfers the screen only when it changed', () => {
    const { batcher, sent, advance, screenReads } = setup();
    batcher.screenChanged();
    batcher.flush();
    advance(FRAME_MS);
    batcher.setStatus(status);
    batcher.flush();
    expect(screenReads()).toBe(1);
    expect(sent[0].update.screen?.cells[0]).toBe(0x0741);
    expect(sent[0].transfer).toEqual([sent[0].update.screen?.cells.buffer]);
    expect(sent[1].update.screen).toBeUndefined();
  });

  it('flushes urgent updates at once and sends nothing when nothing is pending', () => {
    const { batcher, sent } = setup();
    batcher.setStatus(status);
    batcher.flush();
    batcher.setStatus({ ...status, state: 'paused' });
    batcher.flush(true);
    batcher.flush(true);
    expect(sent.map((s) => s.update.status?.state)).toEqual(['running', 'paused']);
  });
});
