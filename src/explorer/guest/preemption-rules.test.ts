import { describe, expect, it } from 'vitest';
import { allowedByRules } from './preemption-rules.ts';

describe('within/without rules', () => {
  it('allows everything without rules, and switches to an allow-list at the first within', () => {
    expect(allowedByRules([], ['f'])).toBe(true);
    expect(allowedByRules([{ kind: 'within', name: 'fork' }], ['mutex_lock', 'exec'])).toBe(false);
    expect(allowedByRules([{ kind: 'within', name: 'fork' }], ['mutex_lock', 'fork'])).toBe(true);
    expect(allowedByRules([{ kind: 'without', name: 'malloc' }], ['mutex_lock', 'malloc'])).toBe(false);
  });

  it('lets later rules win', () => {
    const rules = [{ kind: 'within', name: 'fork' }, { kind: 'without', name: 'malloc' }] as const;
    expect(allowedByRules(rules, ['mutex_lock', 'malloc', 'fork'])).toBe(false);
    expect(allowedByRules([...rules, { kind: 'within', name: 'mutex_lock' }], ['mutex_lock', 'malloc', 'fork'])).toBe(true);
  });
});
