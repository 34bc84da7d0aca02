// The one place that lists what is known to fail because of an open CPU bug, each entry with its bug
// reference (an entry in /work/team/requests/cpu-verify.md). Remove an entry as soon as the bug is fixed.
// - Differential forms listed here still run in the quick test, which prints their mismatches but does
//   not fail on them (and says when they match again); the fuzz script reports them as KNOWN.
// - Robustness features listed here are switched off in the robustness fuzz while the bug is open,
//   because the bug is a host hang (no test could run past it); the tests print which are off.
export const KNOWN_FAILING_FORMS: Readonly<Record<string, string>> = {
  'bound.Gw.M': 'cpu-verify bug 1: 16-bit BOUND wraps the upper-bound address at 64 KiB under 32-bit addressing',
};

export type RobustnessFeature = 'pendingIrq' | 'repPrefixes';

export const KNOWN_ROBUSTNESS_ISSUES: Readonly<Partial<Record<RobustnessFeature, string>>> = {
  pendingIrq: 'cpu-verify bug 2: run() never returns while an asserted IRQ is delivered back to back through a trap gate',
  repPrefixes: 'cpu-verify bug 3: a REP string instruction with a huge ECX runs to completion inside one step (host hang)',
};
