// The one place that lists what is known to fail because of an open CPU bug, each entry's value
// describing its bug. Remove an entry as soon as the bug is fixed.
// - Differential forms listed here still run in the quick test, which prints their mismatches but does
//   not fail on them (and says when they match again); the fuzz script reports them as KNOWN.
// - Robustness features listed here are switched off in the robustness fuzz while the bug is open,
//   because the bug is a host hang (no test could run past it); the tests print which are off.
export const KNOWN_FAILING_FORMS: Readonly<Record<string, string>> = {};

export type RobustnessFeature = 'pendingIrq' | 'repPrefixes';

export const KNOWN_ROBUSTNESS_ISSUES: Readonly<Partial<Record<RobustnessFeature, string>>> = {};
