// Number formatting shared by the panels: fixed-width hexadecimal as debuggers print it, and counts.

/** `0x` and eight hex digits (an address or a 32-bit register). */
export function hex32(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}

/** Hex digits without prefix, zero-padded to `width`. */
export function hexDigits(value: number, width: number): string {
  return (value >>> 0).toString(16).padStart(width, '0');
}

/** Parses a hexadecimal address as typed by a user (`0x1000`, `1000h`, `1000`), or null. */
export function parseHexAddress(text: string): number | null {
  const match = /^\s*(?:0x)?([0-9a-f]{1,8})h?\s*$/i.exec(text);
  return match ? parseInt(match[1], 16) : null;
}

/** A large count with thin grouping (`12 345 678`). */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US').replace(/,/g, '\u2009');
}
