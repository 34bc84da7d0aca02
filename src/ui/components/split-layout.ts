// Pure layout math for resizable split panes: panel sizes are fractions of the container that sum to 1;
// dragging the gutter after panel `index` moves size between that panel and the next, never shrinking
// either below `min`.

/** Returns new sizes after moving the boundary between panels `index` and `index + 1` by `delta`. */
export function resizeSplit(sizes: readonly number[], index: number, delta: number, min: number): number[] {
  if (index < 0 || index >= sizes.length - 1) throw new RangeError(`no gutter after panel ${index}`);
  const pair = sizes[index] + sizes[index + 1];
  const lower = Math.min(min, pair / 2);
  const first = Math.max(lower, Math.min(pair - lower, sizes[index] + delta));
  const next = sizes.slice();
  next[index] = first;
  next[index + 1] = pair - first;
  return next;
}

/** Normalises weights (e.g. [2, 1, 1]) to fractions that sum to 1. */
export function normaliseSizes(weights: readonly number[]): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (!(total > 0)) throw new RangeError('split sizes must have a positive total');
  return weights.map((w) => w / total);
}
