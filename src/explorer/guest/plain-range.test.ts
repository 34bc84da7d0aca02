import { describe, expect, it } from 'vitest';
import { HeapTracker, siteAt } from '../detectors/heap.ts';
import { PlainRange, type NotedStacks } from './plain-range.ts';

// Tracked: [0x1000, 0x9000), the heap region [0x2000, 0x8000) inside it; an ignored word at 0x1100;
// stacks of 0x1000 bytes below their tops; user memory from 0x10000.
function setUp() {
  const heap = new HeapTracker({ start: 0x2000, end: 0x8000 });
  heap.allocated(0x3000, 0x100, 1, siteAt('a'));
  heap.allocated(0x4000, 0x3000, 1, siteAt('b')); // holds TID 5's stack [0x5000, 0x6000)
  const plain = new PlainRange(heap, [{ start: 0x1000, end: 0x9000 }], [{ start: 0x1100, end: 0x1104 }], 0x1000, 0x10000);
  const stacks: NotedStacks = [[5, 0x6000]];
  const range = (address: number) => {
    plain.note(address, stacks);
    let start = address;
    while (plain.has(start - 1, stacks)) start--;
    let end = address;
    while (plain.has(end, stacks)) end++;
    return [start, end];
  };
  return { heap, plain, stacks, range };
}

describe('PlainRange', () => {
  it('is the widest range around an address in one live chunk or outside the heap, tracked, and off the ignored data and every stack', () => {
    const { range } = setUp();
    expect(range(0x3010)).toEqual([0x3000, 0x3100]); // a chunk
    expect(range(0x4100)).toEqual([0x4000, 0x5000]); // a chunk, up to the stack in it
    expect(range(0x6ffc)).toEqual([0x6000, 0x7000]); // above the stack
    expect(range(0x1200)).toEqual([0x1104, 0x2000]); // after the ignored word, below the heap
    expect(range(0x1000)).toEqual([0x1000, 0x1100]);
    expect(range(0x8010)).toEqual([0x8000, 0x9000]); // above the heap, up to the end of the tracked range
  });

  it('holds only while the live chunks stay: after a free the address is checked again, and is a use-after-free', () => {
    const { heap, plain, stacks } = setUp();
    plain.note(0x3010, stacks);
    expect(plain.has(0x3020, stacks)).toBe(true);
    heap.free(0x3000, 2, siteAt('f'));
    expect(plain.has(0x3020, stacks)).toBe(false);
    expect(heap.access(0x3020, false, 2, 'x')?.class).toBe('use-after-free');
    heap.allocated(0x3000, 0x100, 2, siteAt('a'));
    expect(plain.has(0x3020, stacks)).toBe(false); // a change all the same: noted again when seen
    plain.note(0x3010, stacks);
    const saved = heap.save();
    expect(plain.has(0x3020, stacks)).toBe(true);
    heap.restore(saved);
    expect(plain.has(0x3020, stacks)).toBe(false);
  });

  it('holds only for the stacks list it was noted with: a new list (a stack noted or moved) is checked again', () => {
    const { plain, stacks } = setUp();
    plain.note(0x4100, stacks);
    expect(plain.has(0x4100, stacks)).toBe(true);
    const moved: NotedStacks = [[5, 0x6000], [6, 0x4800]]; // a new thread's stack over [0x3800, 0x4800)
    expect(plain.has(0x4100, moved)).toBe(false);
    plain.note(0x4900, moved);
    expect([plain.has(0x4800, moved), plain.has(0x47fc, moved), plain.has(0x4ffc, moved)]).toEqual([true, false, true]);
  });
});
