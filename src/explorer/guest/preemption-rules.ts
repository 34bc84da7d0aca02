// within_function / without_function rules for preemption points (landslide.md §4.1, pp.c
// check_withins): with no `within` rule every point is allowed; the first `within` switches to
// allow-list mode; then each rule whose function is on the call stack decides, later rules winning.

export interface FunctionRule {
  kind: 'within' | 'without';
  name: string;
}

/** Whether a preemption point whose call stack holds the functions `stack` (any order) is taken. */
export function allowedByRules(rules: readonly FunctionRule[], stack: readonly (string | null)[]): boolean {
  let allowed = !rules.some((r) => r.kind === 'within');
  for (const r of rules) if (stack.includes(r.name)) allowed = r.kind === 'within';
  return allowed;
}
