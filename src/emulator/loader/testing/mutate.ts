// Test support: seeded byte-level mutations of a file (bit flips, random bytes, zeroed and truncated
// spans, with a bias towards the headers where parsers are most exposed), for robustness tests.

/** xorshift32: a small deterministic generator (tests must be reproducible). */
export function seededRandom(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

export function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const out = bytes.slice();
  const pick = (limit: number) => Math.floor(random() * limit);
  const hot = () => (random() < 0.6 ? pick(Math.min(out.length, 256)) : pick(out.length));
  const edits = 1 + pick(8);
  for (let i = 0; i < edits; i++) {
    const kind = pick(4);
    const at = hot();
    if (kind === 0) out[at] ^= 1 << pick(8);
    else if (kind === 1) out[at] = pick(256);
    else if (kind === 2) out.fill(random() < 0.5 ? 0 : 0xff, at, at + 1 + pick(16));
    else new DataView(out.buffer).setUint32(Math.min(at, out.length - 4), Math.floor(random() * 0x100000000), true);
  }
  return random() < 0.15 ? out.subarray(0, pick(out.length)) : out;
}
