// The "NO PROGRESS (infinite loop?)" heuristics of landslide.md §5 (Landslide's check_infinite_loop):
// (a) a branch whose preemption-point depth exceeds 20 times the average depth of finished branches
//     (the factor is relaxed by 1.1^(10-k) while only k < 10 branches have finished; the first branch
//     stops at depth 4000);
// (b) a transition that runs more than 4000 times the average instructions per transition (2000 inside
//     user synchronisation primitives), with the average floored at 1000 instructions.
// The numbers are Landslide's defaults; tests may pass smaller ones.

import { bug, type Bug } from './bug.ts';
import type { ThreadId } from '../model/transition.ts';

export interface LoopLimits {
  instructionFactor: number;
  syncInstructionFactor: number;
  averageFloor: number;
  depthFactor: number;
  warmupBranches: number;
  warmupGrowth: number;
  firstBranchDepth: number;
}

export const LANDSLIDE_LOOP_LIMITS: LoopLimits = {
  instructionFactor: 4000,
  syncInstructionFactor: 2000,
  averageFloor: 1000,
  depthFactor: 20,
  warmupBranches: 10,
  warmupGrowth: 1.1,
  firstBranchDepth: 4000,
};

export class ProgressMonitor {
  private transitions = 0;
  private instructions = 0;
  private branches = 0;
  private depthSum = 0;

  constructor(readonly limits: LoopLimits = LANDSLIDE_LOOP_LIMITS) {}

  recordTransition(instructions: number): void {
    this.transitions++;
    this.instructions += instructions;
  }

  recordBranch(depth: number): void {
    this.branches++;
    this.depthSum += depth;
  }

  /** Instructions a transition may run before it is declared stuck. */
  instructionBudget(inSyncPrimitive = false): number {
    const avg = this.transitions === 0 ? 0 : this.instructions / this.transitions;
    const factor = inSyncPrimitive ? this.limits.syncInstructionFactor : this.limits.instructionFactor;
    return Math.ceil(factor * Math.max(avg, this.limits.averageFloor));
  }

  /** Preemption points a branch may reach before it is declared stuck. */
  depthLimit(): number {
    if (this.branches === 0) return this.limits.firstBranchDepth;
    const avg = this.depthSum / this.branches;
    const warm = this.branches < this.limits.warmupBranches ? this.limits.warmupGrowth ** (this.limits.warmupBranches - this.branches) : 1;
    return Math.ceil(this.limits.depthFactor * warm * Math.max(1, avg));
  }
}

export function stuckTransitionBug(tid: ThreadId, instructions: number, location: string): Bug {
  return bug('infinite-loop', `NO PROGRESS (infinite loop?): TID ${tid} ran ${instructions} instructions without reaching a preemption point`, tid, location);
}

export function tooDeepBug(tid: ThreadId, depth: number, location: string): Bug {
  return bug('infinite-loop', `NO PROGRESS (infinite loop?): the branch reached ${depth} preemption points, far above the average`, tid, location);
}
