// Tests of the hex-dump rows of the memory view.
import { describe, expect, it } from 'vitest';
import { hexDumpRows } from './hex-dump.ts';

describe('hex dump', () => {
  it('formats rows of 16 with ASCII', () => {
    const bytes = new Uint8Array(20);
    bytes.set([0x48, 0x69, 0x00, 0x7f], 0);
    const rows = hexDumpRows(0xb8000, bytes, new Uint8Array(20).fill(1));
    expect(rows).toHaveLength(2);
    expect(rows[0].address).toBe('0x000b8000');
    expect(rows[0].hex.slice(0, 4)).toEqual(['48', '69', '00', '7f']);
    expect(rows[0].ascii.slice(0, 4)).toBe('Hi..');
    expect(rows[1].address).toBe('0x000b8010');
    expect(rows[1].hex).toHaveLength(4);
  });

  it('marks unreadable bytes', () => {
    const rows = hexDumpRows(0, Uint8Array.of(0x41, 0x42), Uint8Array.of(1, 0));
    expect(rows[0].hex).toEqual(['41', '??']);
    expect(rows[0].ascii).toBe('A ');
  });
});
