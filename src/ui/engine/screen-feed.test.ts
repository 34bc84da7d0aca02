// Tests of the screen feed (latest frame and subscriptions).
import { describe, expect, it } from 'vitest';
import { ScreenFeed } from './screen-feed.ts';

describe('screen feed', () => {
  it('keeps the latest frame and notifies subscribers until they leave', () => {
    const feed = new ScreenFeed();
    const seen: (number | null)[] = [];
    const leave = feed.subscribe((frame) => seen.push(frame ? frame.cells[0] : null));
    const frame = { columns: 1, rows: 1, cells: Uint16Array.of(0x0741), cursor: { row: 0, column: 0, visible: true } };
    feed.publish(frame);
    expect(feed.latest()).toBe(frame);
    leave();
    feed.publish(null);
    expect(seen).toEqual([0x0741]);
    expect(feed.latest()).toBeNull();
  });
});
