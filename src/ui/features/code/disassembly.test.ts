// Tests of the disassembly text layout.
import { describe, expect, it } from 'vitest';
import { formatDisassembly } from './disassembly.ts';

describe('disassembly text', () => {
  it('aligns address, symbol, bytes and instruction', () => {
    const text = formatDisassembly([
      { address: 0x100000, bytes: '55', text: 'push %ebp', symbol: 'main' },
      { address: 0x100001, bytes: '89 e5', text: 'mov %esp,%ebp', symbol: 'main+1' },
      { address: 0x100003, bytes: 'f4', text: 'hlt', symbol: null },
    ]).split('\n');
    expect(text[0]).toBe('0x00100000 <main>    55     push %ebp');
    expect(text[1]).toBe('0x00100001 <main+1>  89 e5  mov %esp,%ebp');
    expect(text[2]).toBe('0x00100003           f4     hlt');
  });
});
