import { describe, expect, it } from 'vitest';
import { isPebblesSyscall } from './pebbles-syscalls.ts';

describe('isPebblesSyscall', () => {
  it('knows fork to readfile and swexn, and nothing around them or in the students\' range', () => {
    expect([0x41, 0x48, 0x4d, 0x60, 0x62, 0x74].every(isPebblesSyscall)).toBe(true);
    expect([0x20, 0x40, 0x63, 0x73, 0x75, 0x80, 0x8f].some(isPebblesSyscall)).toBe(false);
  });
});
