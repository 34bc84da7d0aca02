// Online estimates of the size of the exploration and of the time it needs (landslide.md §4.5,
// Landslide's estimate.c after Kilby et al., "Estimating search tree size", AAAI 2006):
// - branches: the weighted backtrack estimator. A finished branch stands for a proportion
//   prod over its ancestors v of 1/|marked(v)| of the tree, where a child is marked when it has been
//   explored or the search has tagged it for exploration; the estimate is branches / sum(proportions).
// - cost: the recursive estimator over edge costs (guest instructions per transition), which sums the
//   costs of shared prefixes once: T(v) = S(v) + U(v) * S(v) / E(v), where S(v) sums (edge + T(child))
//   over the E(v) explored children and U(v) counts marked children not yet explored. When the levels
//   say which children preempt the current thread, the two kinds are estimated apart (each unexplored
//   child costs what explored ones of its kind did): the first child explored is the default, which
//   keeps the preemption budget and has no sleep set, so its subtree is usually far bigger than a
//   preempting sibling's, and averaging it in kept the estimate near 1/(marked children) for long.
// The cost estimate is capped by the branch estimate (see `cost`). Estimates are in branches and instructions; `eta` turns the cost estimate into seconds with an
// elapsed time the caller measures (the explorer reads no clock).

/** One state on the path of a just-finished branch, from the root down to the leaf's parent. */
export interface EstimateLevel {
  /** Children explored or tagged (at least 1: the one on the path). */
  readonly marked: number;
  /** Children explored or being explored (includes the one on the path). */
  readonly explored: number;
  /** Sum of (edge + T(child)) over finished children subtrees (not the one on the path). */
  readonly finishedCost: number;
  /** Cost of the edge from this state to the next on the path. */
  readonly edgeCost: number;
  /**
   * The same for the children that preempt the current thread (a subset of the above), and whether the
   * child on the path is one of them. When given, unexplored children are estimated from the explored
   * children of their own kind (see the file header).
   */
  readonly preempting?: {
    readonly marked: number;
    readonly explored: number;
    readonly finishedCost: number;
    readonly onPath: boolean;
  };
}

export interface EstimateSnapshot {
  branches: number;
  estimatedBranches: number;
  /** Fraction of the estimated tree explored, 0..1. */
  fraction: number;
  exploredCost: number;
  estimatedCost: number;
}

export class Estimator {
  private branches = 0;
  private proportion = 0;
  private exploredCost = 0;
  private estimatedCost = 0;

  /** Adds the cost of newly executed transitions (not re-executed prefixes). */
  addCost(cost: number): void {
    this.exploredCost += cost;
  }

  /** Updates both estimates with a finished branch described by its path. */
  addBranch(levels: readonly EstimateLevel[]): void {
    this.branches++;
    let p = 1;
    for (const l of levels) p /= Math.max(1, l.marked);
    this.proportion += p;
    let t = 0;
    for (let k = levels.length - 1; k >= 0; k--) {
      const l = levels[k];
      const s = l.finishedCost + l.edgeCost + t;
      const explored = Math.max(1, l.explored);
      const average = s / explored;
      const p = l.preempting;
      if (!p) {
        t = s + Math.max(0, l.marked - explored) * average;
        continue;
      }
      // Preempting and continuing children apart: each kind's unexplored children cost what its explored
      // ones did (the overall average while none of that kind is explored).
      const sP = p.finishedCost + (p.onPath ? l.edgeCost + t : 0);
      const eN = explored - p.explored;
      const uP = Math.max(0, p.marked - p.explored);
      const uN = Math.max(0, l.marked - p.marked - eN);
      const preempting = p.explored > 0 ? sP / p.explored : average;
      t = s + uP * preempting + uN * (eN > 0 ? (s - sP) / eN : average);
    }
    // Past Number.MAX_VALUE the sums turn Infinity, and Infinity - Infinity NaN: either way, unbounded.
    this.estimatedCost = Number.isNaN(t) ? Infinity : Math.max(t, this.exploredCost);
  }

  /**
   * The current estimates. The fraction done is the cost fraction (explored / estimated cost), which
   * agrees with the ETA. The branch estimate is the weighted backtrack estimate while its proportions
   * sum below 1; once they overshoot (early branches saw fewer tagged siblings than exist now, as the
   * DPOR tags more), the branches are scaled by the cost fraction instead.
   */
  snapshot(): EstimateSnapshot {
    const cost = this.cost();
    const fraction = cost > 0 ? Math.min(1, this.exploredCost / cost) : 0;
    let estimatedBranches = 0;
    if (this.proportion > 0 && this.proportion < 1) estimatedBranches = this.branches / this.proportion;
    else if (fraction > 0) estimatedBranches = this.branches / fraction;
    return {
      branches: this.branches,
      estimatedBranches: Math.max(this.branches, estimatedBranches),
      fraction,
      exploredCost: this.exploredCost,
      estimatedCost: cost,
    };
  }

  /**
   * The cost estimate: the recursive estimator's, but at most the explored cost scaled by the weighted
   * backtrack estimate of the tree's size (while its proportions sum below 1). The recursive estimator
   * multiplies one path's guesses level by level: on a path hundreds of levels deep whose levels each
   * have an untried sibling priced like the tried child, it grows as 2^depth, while the branch estimate
   * averages over every branch so far.
   */
  private cost(): number {
    if (!(this.proportion > 0 && this.proportion < 1) || this.exploredCost <= 0) return this.estimatedCost;
    return Math.min(this.estimatedCost, Math.max(this.exploredCost, this.exploredCost / this.proportion));
  }

  /** Seconds left, given the seconds spent so far (the explored cost took that long). */
  eta(elapsedSeconds: number): number {
    if (this.exploredCost <= 0) return 0;
    return Math.max(0, (elapsedSeconds * (this.cost() - this.exploredCost)) / this.exploredCost);
  }
}
