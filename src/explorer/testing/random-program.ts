// Small random toy programs for differential tests of the search (DPOR against exhaustive DFS): two or
// three threads of a few statements over two shared words and one mutex, from a seeded generator.

import type { ToyProgram } from './toy-guest.ts';

/** mulberry32: a small seeded generator (tests only need reproducibility). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomToyProgram(seed: number): ToyProgram {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const vars = ['x', 'y'];
  const threads: Record<string, string> = {};
  const count = 2 + Math.floor(r() * 2);
  for (let t = 0; t < count; t++) {
    const stmts: string[] = [];
    const n = 1 + Math.floor(r() * (count === 3 ? 2 : 3));
    for (let i = 0; i < n; i++) {
      const v = pick(vars);
      switch (Math.floor(r() * 5)) {
        case 0: stmts.push(`load ${v} r; pp; store ${v} r+1`); break;
        case 1: stmts.push(`lock m; load ${v} r; store ${v} r+${1 + t}; unlock m`); break;
        case 2: stmts.push(`store ${v} ${t + 1}; pp`); break;
        case 3: stmts.push(`load ${v} r; assert r != ${Math.floor(r() * 3)}; pp`); break;
        default: stmts.push(`load ${pick(vars)} s; yield`); break;
      }
    }
    threads[`t${t}`] = stmts.join('; ');
  }
  const names = Object.keys(threads);
  threads.main = `${names.map((n, i) => `spawn ${n} h${i}`).join('; ')}; ${names.map((_, i) => `join h${i}`).join('; ')}`;
  return { shared: { x: 0, y: 0 }, mutexes: ['m'], threads };
}

