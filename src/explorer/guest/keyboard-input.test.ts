// Typed input as an explorer choice (the keyboard pseudo-thread): on the sample kernels, the planted
// keyboard race is found as its assertion and replays; the correct kernel explores to completion clean.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Explorer } from '../search/explorer.ts';
import { replaySchedule } from '../search/replay.ts';
import { decodeSchedule, KEYBOARD_TID } from '../search/schedule.ts';
import { KernelGuest } from './kernel-guest.ts';

const image = (name: string) => readFileSync(new URL(`../../../public/kernels/${name}.elf`, import.meta.url));
const readline = (name: string) => new KernelGuest(image(name), { test: 'readline_test', input: 'hello\n' });

describe('typed input as a choice', () => {
  it('finds the keyboard race (a key delivered inside kbd_getchar) as its assertion, and the schedule replays', () => {
    const guest = readline('bug-keyboard-race');
    const result = new Explorer(guest, { preemptionBound: 2 }).runToCompletion();
    const found = result.bugs.find((b) => b.class === 'assert');
    expect(found?.message).toContain('kb.count == (int)(kb.head - kb.tail)');
    expect(found?.location).toMatch(/kern\/keyboard\.c/);
    expect(found?.schedule).toMatch(/k\*2/); // two bytes arrive inside the reader's window
    const replayed = replaySchedule(guest, decodeSchedule(found!.schedule), 1e9);
    expect(replayed.bug).toMatchObject({ class: 'assert', message: found!.message });
  }, 60_000);

  it('holds the keys back: the default branch delivers each only where nothing else can run', () => {
    const guest = readline('pebbles');
    let p = guest.start();
    expect(p.runnable.at(-1)).toBe(KEYBOARD_TID);
    const reasons: string[] = [];
    while (p.status === 'running') {
      const tid = p.runnable.includes(p.current) ? p.current : p.runnable[0];
      if (tid === KEYBOARD_TID) reasons.push(p.reason);
      p = guest.step(tid, 1e9).point;
    }
    expect(p.status).toBe('done');
    // "hello\n" is 12 bytes (a make and a break code per key); the test ends before Enter's release.
    expect(reasons).toEqual(Array(11).fill('input'));
  }, 30_000);

  it('delivers keys identically from restored checkpoints and straight runs', () => {
    const guest = readline('bug-keyboard-race');
    const dense = new Explorer(guest, { maxBranches: 12, checkpointInterval: 1 }).runToCompletion();
    const sparse = new Explorer(guest, { maxBranches: 12, checkpointInterval: 7 }).runToCompletion();
    expect(sparse.treeHash).toBe(dense.treeHash);
    expect(dense.bugs.map((b) => b.class)).toContain('assert');
    expect(sparse.bugs.map((b) => b.schedule)).toEqual(dense.bugs.map((b) => b.schedule));
  }, 60_000);

  it('explores readline_test on the correct kernel to completion without a bug', () => {
    const result = new Explorer(readline('pebbles'), { preemptionBound: 2 }).runToCompletion();
    expect(result.complete).toBe(true);
    expect(result.bugs).toEqual([]);
    expect(result.branches).toBeGreaterThan(10); // key arrival really is explored
  }, 60_000);
});
