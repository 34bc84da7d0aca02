// Small random toy programs for differential tests of the search (DPOR against exhaustive DFS): two or
// more threads of a few statements over two or three shared words and one mutex, from a seeded generator.

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

/** Shape of the generated programs; the defaults give the small programs of the DPOR/DFS comparison. */
export interface RandomProgramShape {
  /** At most this many worker threads (at least 2). */
  maxThreads: number;
  /** At most this many statement groups per thread (2 with three threads unless extended). */
  maxStatements: number;
  /** Also plain stores without a preemption point, bare preemption points and a third shared word. */
  extended: boolean;
}

const SMALL: RandomProgramShape = { maxThreads: 3, maxStatements: 3, extended: false };

export function randomToyProgram(seed: number, shape: RandomProgramShape = SMALL): ToyProgram {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const vars = shape.extended ? ['x', 'y', 'z'] : ['x', 'y'];
  const threads: Record<string, string> = {};
  const count = 2 + Math.floor(r() * (shape.maxThreads - 1));
  for (let t = 0; t < count; t++) {
    const stmts: string[] = [];
    const n = 1 + Math.floor(r() * (!shape.extended && count === 3 ? 2 : shape.maxStatements));
    for (let i = 0; i < n; i++) {
      const v = pick(vars);
      switch (Math.floor(r() * (shape.extended ? 7 : 5))) {
        case 0: stmts.push(`load ${v} r; pp; store ${v} r+1`); break;
        case 1: stmts.push(`lock m; load ${v} r; store ${v} r+${1 + t}; unlock m`); break;
        case 2: stmts.push(`store ${v} ${t + 1}; pp`); break;
        case 3: stmts.push(`load ${v} r; assert r != ${Math.floor(r() * 3)}; pp`); break;
        case 4: stmts.push(shape.extended ? `store ${v} ${t + 2}` : `load ${pick(vars)} s; yield`); break;
        case 5: stmts.push('pp'); break;
        default: stmts.push(`load ${pick(vars)} s; yield`); break;
      }
    }
    threads[`t${t}`] = stmts.join('; ');
  }
  const names = Object.keys(threads);
  threads.main = `${names.map((n, i) => `spawn ${n} h${i}`).join('; ')}; ${names.map((_, i) => `join h${i}`).join('; ')}`;
  return { shared: Object.fromEntries(vars.map((v) => [v, 0])), mutexes: ['m'], threads };
}
