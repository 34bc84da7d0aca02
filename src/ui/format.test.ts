// Tests of the hex and count formatting helpers.
import { describe, expect, it } from 'vitest';
import { formatCount, hex32, hexDigits, parseHexAddress } from './format.ts';

describe('format', () => {
  it('prints 32-bit hex', () => {
    expect(hex32(0x1234)).toBe('0x00001234');
    expect(hex32(-1)).toBe('0xffffffff');
    expect(hexDigits(0xa, 2)).toBe('0a');
  });

  it('parses user addresses', () => {
    expect(parseHexAddress('0xB8000')).toBe(0xb8000);
    expect(parseHexAddress(' 100000 ')).toBe(0x100000);
    expect(parseHexAddress('1000h')).toBe(0x1000);
    expect(parseHexAddress('kernel_main')).toBeNull();
    expect(parseHexAddress('0x123456789')).toBeNull();
  });

  it('groups counts', () => {
    expect(formatCount(12345678)).toBe('12\u2009345\u2009678');
  });
});
