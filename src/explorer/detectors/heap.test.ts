import { describe, expect, it } from 'vitest';
import { HeapTracker } from './heap.ts';

describe('HeapTracker', () => {
  const region = { start: 0x1000, end: 0x9000 };

  it('accepts accesses inside live chunks and reports use after free with both sites', () => {
    const h = new HeapTracker(region);
    h.allocated(0x2000, 16, 1, 'a.c:1');
    expect(h.access(0x200c, true, 1, 'x')).toBeNull();
    expect(h.access(0x500, true, 1, 'x')).toBeNull(); // outside the heap region
    expect(h.free(0x2000, 2, 'b.c:2')).toBeNull();
    expect(h.access(0x2004, false, 3, 'c.c:3')).toMatchObject({ class: 'use-after-free', message: 'USE AFTER FREE - read from 0x2004 (chunk 0x2000..0x2010)',
      tid: 3, location: 'c.c:3', details: ['allocated at a.c:1', 'freed at b.c:2'] });
    expect(h.access(0x3000, true, 3, 'd')?.class).toBe('invalid-heap-access');
  });

  it('reports double frees, frees of never-allocated and interior addresses, and re-entry', () => {
    const h = new HeapTracker(region);
    h.allocated(0x2000, 16, 1, 'a');
    expect(h.free(0x2004, 1, 'f')?.message).toMatch(/contained within another malloced block/);
    expect(h.free(0x2000, 1, 'f')).toBeNull();
    expect(h.free(0x2000, 1, 'g')).toMatchObject({ class: 'double-free', message: 'DOUBLE FREE of 0x2000' });
    expect(h.free(0x7000, 1, 'g')?.message).toMatch(/never malloced/);
    expect(h.enter('malloc', 1, 'm')).toBeNull();
    expect(h.enter('free', 2, 'n')?.message).toMatch(/reentered free/);
  });

  it('forgets freed chunks that are allocated again, and restores saved states', () => {
    const h = new HeapTracker(region);
    h.allocated(0x2000, 16, 1, 'a');
    h.free(0x2000, 1, 'f');
    const saved = h.save();
    h.allocated(0x2000, 8, 1, 'b');
    expect(h.access(0x2004, true, 1, 'x')).toBeNull();
    h.restore(saved);
    expect(h.access(0x2004, true, 1, 'x')?.class).toBe('use-after-free');
  });
});
