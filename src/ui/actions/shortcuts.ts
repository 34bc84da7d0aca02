// Matching key events against action shortcuts, and showing shortcuts as text ("Shift+F5").
import type { Shortcut } from './types.ts';

/** The parts of a KeyboardEvent a shortcut looks at. */
export interface KeyChord {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export function matchesShortcut(event: KeyChord, shortcut: Shortcut): boolean {
  const ctrl = event.ctrlKey || event.metaKey;
  return (
    event.key.toLowerCase() === shortcut.key.toLowerCase() &&
    event.shiftKey === (shortcut.shift ?? false) &&
    ctrl === (shortcut.ctrl ?? false) &&
    !event.altKey
  );
}

export function formatShortcut(shortcut: Shortcut): string {
  return [shortcut.ctrl && 'Ctrl', shortcut.shift && 'Shift', shortcut.key.length === 1 ? shortcut.key.toUpperCase() : shortcut.key]
    .filter(Boolean)
    .join('+');
}
