import { describe, expect, it } from 'vitest';
import { HeapTracker, siteAt } from './heap.ts';

describe('HeapTracker', () => {
  const region = { start: 0x1000, end: 0x9000 };

  it('accepts accesses inside live chunks and reports use after free with both call stacks', () => {
    const h = new HeapTracker(region);
    h.allocated(0x2000, 16, 1, siteAt('malloc (a.c:1)', 'make (a.c:9)'));
    expect(h.access(0x200c, true, 1, 'x')).toBeNull();
    expect(h.access(0x500, true, 1, 'x')).toBeNull(); // outside the heap region
    expect([h.liveChunk(0x200f)?.start, h.liveChunk(0x2010)]).toEqual([0x2000, null]);
    expect(h.free(0x2000, 2, siteAt('free (b.c:2)', 'drop (b.c:7)'))).toBeNull();
    expect(h.liveChunk(0x2000)).toBeNull();
    expect(h.access(0x2004, false, 3, 'c.c:3')).toMatchObject({ class: 'use-after-free', message: 'USE AFTER FREE - read from 0x2004 (chunk 0x2000..0x2010)',
      tid: 3, location: 'c.c:3',
      details: ['allocated by TID 1 at:', '  malloc (a.c:1)', '  make (a.c:9)', 'freed by TID 2 at:', '  free (b.c:2)', '  drop (b.c:7)'] });
    expect(h.access(0x3000, true, 3, 'd')?.class).toBe('invalid-heap-access');
  });

  it('describes a site only when a bug needs it', () => {
    const h = new HeapTracker(region);
    let described = 0;
    const site = () => {
      described++;
      return ['malloc (a.c:1)'];
    };
    h.allocated(0x2000, 16, 1, site);
    h.free(0x2000, 1, site);
    expect(described).toBe(0);
    expect(h.free(0x2000, 1, siteAt('free (c.c:4)'))?.details).toEqual(
      ['freed by TID 1 at:', '  free (c.c:4)', 'allocated by TID 1 at:', '  malloc (a.c:1)', 'first freed by TID 1 at:', '  malloc (a.c:1)']);
    expect(described).toBe(2);
  });

  it('reports double frees, frees of never-allocated and interior addresses, and re-entry', () => {
    const h = new HeapTracker(region);
    h.allocated(0x2000, 16, 1, siteAt('a'));
    expect(h.free(0x2004, 1, siteAt('f (f.c:1)'))).toMatchObject({ location: 'f (f.c:1)', message: expect.stringMatching(/contained within another malloced block/) });
    expect(h.free(0x2000, 1, siteAt('f'))).toBeNull();
    expect(h.free(0x2000, 1, siteAt('g'))).toMatchObject({ class: 'double-free', message: 'DOUBLE FREE of 0x2000', location: 'g' });
    expect(h.free(0x7000, 1, siteAt('g'))?.message).toMatch(/never malloced/);
    expect(h.enter('malloc', 1, siteAt('m'))).toBeNull();
    expect(h.enter('free', 2, siteAt('n', 'caller'))).toMatchObject({ message: expect.stringMatching(/reentered free/), location: 'n',
      details: ['free called by TID 2 at:', '  n', '  caller'] });
  });

  it('forgets freed chunks that are allocated again, and restores saved states', () => {
    const h = new HeapTracker(region);
    h.allocated(0x2000, 16, 1, siteAt('a'));
    h.free(0x2000, 1, siteAt('f'));
    const saved = h.save();
    h.allocated(0x2000, 8, 1, siteAt('b'));
    expect(h.access(0x2004, true, 1, 'x')).toBeNull();
    h.restore(saved);
    expect(h.access(0x2004, true, 1, 'x')?.class).toBe('use-after-free');
  });
});
