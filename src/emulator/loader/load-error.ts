// The one error type of the loaders: a kernel image that cannot be booted. Its message is a complete,
// user-facing sentence (shown as-is in the IDE and the CLI), naming what was wrong and where.

export class LoadError extends Error {
  override readonly name = 'LoadError';
}

/** The first bytes of a file as hex and printable ASCII, for "this is not a ..." messages. */
export function describeFirstBytes(bytes: Uint8Array, count = 8): string {
  if (bytes.length === 0) return 'the file is empty';
  const head = bytes.subarray(0, count);
  const hex = Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const ascii = Array.from(head, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  return `the file starts with ${hex} ("${ascii}")`;
}

/** `0x0010_0000`-style hex used in every loader message. */
export function hex(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}
