// Online estimates of the size of the exploration and of the time it needs (landslide.md §4.5,
// Landslide's estimate.c after Kilby et al., "Estimating search tree size", AAAI 2006):
// - branches: the weighted backtrack estimator. A finished branch stands for a proportion
//   prod over its ancestors v of 1/|marked(v)| of the tree, where a child is marked when it has been
//   explored or the search has tagged it for exploration; the estimate is branches / sum(proportions).
// - cost: the recursive estimator over edge costs (guest instructions per transition), which sums the
//   costs of shared prefixes once: T(v) = S(v) + U(v) * S(v) / E(v), where S(v) sums (edge + T(child))
//   over the E(v) explored children and U(v) counts marked children not yet explored.
// Estimates are in branches and instructions; `eta` turns the cost estimate into seconds with an
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
      const unexplored = Math.max(0, l.marked - explored);
      t = s + (unexplored * s) / explored;
    }
    this.estimatedCost = Math.max(t, this.exploredCost);
  }

  /**
   * The current estimates. The fraction done is the cost fraction (explored / estimated cost), which
   * agrees with the ETA. The branch estimate is the weighted backtrack estimate while its proportions
   * sum below 1; once they overshoot (early branches saw fewer tagged siblings than exist now, as the
   * DPOR tags more), the branches are scaled by the cost fraction instead.
   */
  snapshot(): EstimateSnapshot {
    const fraction = this.estimatedCost > 0 ? Math.min(1, this.exploredCost / this.estimatedCost) : 0;
    let estimatedBranches = 0;
    if (this.proportion > 0 && this.proportion < 1) estimatedBranches = this.branches / this.proportion;
    else if (fraction > 0) estimatedBranches = this.branches / fraction;
    return {
      branches: this.branches,
      estimatedBranches: Math.max(this.branches, estimatedBranches),
      fraction,
      exploredCost: this.exploredCost,
      estimatedCost: this.estimatedCost,
    };
  }

  /** Seconds left, given the seconds spent so far (the explored cost took that long). */
  eta(elapsedSeconds: number): number {
    if (this.exploredCost <= 0) return 0;
    return Math.max(0, (elapsedSeconds * (this.estimatedCost - this.exploredCost)) / this.exploredCost);
  }
}
