// IBM PC keyboard scan code set 1 (the XT set, which the 8042 delivers by default through its set-2 to
// set-1 translation): make codes per key, break = make | 0x80, and E0-prefixed extended keys.
// Source: IBM PC/AT Technical Reference, keyboard scan codes; the same table is in every PC hardware
// manual. Maps text characters to key presses (with Shift where a US layout needs it).

/** A key: its set-1 make code and whether it carries the E0 prefix. */
export interface KeyCode {
  code: number;
  extended: boolean;
}

const MAIN_ROWS: [string, string, number][] = [
  // [unshifted, shifted, first make code] for runs of consecutive codes on the US layout
  ['1234567890-=', '!@#$%^&*()_+', 0x02],
  ['qwertyuiop[]', 'QWERTYUIOP{}', 0x10],
  ["asdfghjkl;'`", 'ASDFGHJKL:"~', 0x1e],
  ['\\zxcvbnm,./', '|ZXCVBNM<>?', 0x2b],
];

/** Named keys (names follow the DOM `KeyboardEvent.key` values the UI sees). */
const NAMED: Record<string, KeyCode> = {
  Escape: { code: 0x01, extended: false },
  Backspace: { code: 0x0e, extended: false },
  Tab: { code: 0x0f, extended: false },
  Enter: { code: 0x1c, extended: false },
  Control: { code: 0x1d, extended: false },
  Shift: { code: 0x2a, extended: false },
  ShiftRight: { code: 0x36, extended: false },
  Alt: { code: 0x38, extended: false },
  ' ': { code: 0x39, extended: false },
  CapsLock: { code: 0x3a, extended: false },
  NumLock: { code: 0x45, extended: false },
  ScrollLock: { code: 0x46, extended: false },
  F11: { code: 0x57, extended: false },
  F12: { code: 0x58, extended: false },
  ControlRight: { code: 0x1d, extended: true },
  AltRight: { code: 0x38, extended: true },
  Home: { code: 0x47, extended: true },
  ArrowUp: { code: 0x48, extended: true },
  PageUp: { code: 0x49, extended: true },
  ArrowLeft: { code: 0x4b, extended: true },
  ArrowRight: { code: 0x4d, extended: true },
  End: { code: 0x4f, extended: true },
  ArrowDown: { code: 0x50, extended: true },
  PageDown: { code: 0x51, extended: true },
  Insert: { code: 0x52, extended: true },
  Delete: { code: 0x53, extended: true },
};
for (let i = 0; i < 10; i++) NAMED[`F${i + 1}`] = { code: 0x3b + i, extended: false };

const CHARS = new Map<string, { key: KeyCode; shift: boolean }>();
for (const [plain, shifted, first] of MAIN_ROWS) {
  for (let i = 0; i < plain.length; i++) {
    const key = { code: first + i, extended: false };
    CHARS.set(plain[i], { key, shift: false });
    CHARS.set(shifted[i], { key, shift: true });
  }
}
CHARS.set(' ', { key: NAMED[' '], shift: false });
CHARS.set('\n', { key: NAMED.Enter, shift: false });
CHARS.set('\t', { key: NAMED.Tab, shift: false });
CHARS.set('\b', { key: NAMED.Backspace, shift: false });

/** The names `keyCode` accepts (for error messages and the UI). */
export const KEY_NAMES: readonly string[] = Object.keys(NAMED);

/** Looks up a named key or a single typeable character; null if unknown. */
export function keyCode(name: string): KeyCode | null {
  if (name in NAMED) return NAMED[name];
  const c = CHARS.get(name);
  return c && !c.shift ? c.key : null;
}

/** Scan code bytes for pressing (or releasing) a key. */
export function scanBytes(key: KeyCode, release: boolean): number[] {
  const code = release ? key.code | 0x80 : key.code;
  return key.extended ? [0xe0, code] : [code];
}

/**
 * The scan code bytes that type `text` on a US keyboard (press and release per character, with Shift
 * around shifted characters). Throws a RangeError naming the first character that has no key.
 */
export function textToScanCodes(text: string): number[] {
  const out: number[] = [];
  const shift = NAMED.Shift;
  for (const ch of text) {
    const c = CHARS.get(ch);
    if (!c) {
      throw new RangeError(`cannot type ${JSON.stringify(ch)}: only printable ASCII, newline, tab and backspace have keys`);
    }
    if (c.shift) out.push(...scanBytes(shift, false));
    out.push(...scanBytes(c.key, false), ...scanBytes(c.key, true));
    if (c.shift) out.push(...scanBytes(shift, true));
  }
  return out;
}
