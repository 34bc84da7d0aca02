// Tests of the KeyboardEvent.code to scan code set 1 mapping.
import { describe, expect, it } from 'vitest';
import { scanCodesFor } from './scan-codes.ts';

describe('scan code set 1', () => {
  it('gives make and break codes for printable keys', () => {
    expect(scanCodesFor('KeyA', true)).toEqual([0x1e]);
    expect(scanCodesFor('KeyA', false)).toEqual([0x9e]);
    expect(scanCodesFor('Digit0', true)).toEqual([0x0b]);
    expect(scanCodesFor('Space', true)).toEqual([0x39]);
    expect(scanCodesFor('Slash', true)).toEqual([0x35]);
  });

  it('covers Enter, Backspace, Shift and the function keys', () => {
    expect(scanCodesFor('Enter', true)).toEqual([0x1c]);
    expect(scanCodesFor('Backspace', false)).toEqual([0x8e]);
    expect(scanCodesFor('ShiftLeft', true)).toEqual([0x2a]);
    expect(scanCodesFor('F10', true)).toEqual([0x44]);
    expect(scanCodesFor('F11', true)).toEqual([0x57]);
  });

  it('prefixes the extended keys with 0xE0', () => {
    expect(scanCodesFor('ArrowUp', true)).toEqual([0xe0, 0x48]);
    expect(scanCodesFor('ArrowLeft', false)).toEqual([0xe0, 0xcb]);
    expect(scanCodesFor('NumpadEnter', true)).toEqual([0xe0, 0x1c]);
    expect(scanCodesFor('Delete', true)).toEqual([0xe0, 0x53]);
  });

  it('has nothing for keys a PC keyboard lacks', () => {
    expect(scanCodesFor('MediaPlayPause', true)).toBeNull();
    expect(scanCodesFor('', true)).toBeNull();
  });
});
