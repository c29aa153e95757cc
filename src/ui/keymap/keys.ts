// Key names used by the registry ('x', 'R', 'up', 'shift+tab', 'ctrl+c', 'pageup', …): turning Ink's
// (input, key) into names, validating registry keys, and formatting them for the footer and help.
import type { Key } from 'ink';

const NAMED = new Set([
  'up',
  'down',
  'left',
  'right',
  'pageup',
  'pagedown',
  'home',
  'end',
  'enter',
  'escape',
  'tab',
  'shift+tab',
  'backspace',
  'delete',
  'space',
]);

/** A registry key is a named key, a single printable character, or ctrl+<letter>. */
export function isValidKey(k: string): boolean {
  if (NAMED.has(k)) return true;
  if (/^ctrl\+[a-z]$/.test(k)) return true;
  return k.length === 1 && k >= '!' && k <= '~';
}

const BATCHED: Record<string, string> = { ' ': 'space', '\t': 'tab', '\r': 'enter', '\x7f': 'backspace' };

/**
 * Names of the key events in one Ink input callback. Printable input that arrived batched ('jk') is split
 * into one name per character so fast typing does not lose keys.
 */
export function keyNames(input: string, key: Key): string[] {
  if (key.upArrow) return ['up'];
  if (key.downArrow) return ['down'];
  if (key.leftArrow) return ['left'];
  if (key.rightArrow) return ['right'];
  if (key.pageUp) return ['pageup'];
  if (key.pageDown) return ['pagedown'];
  if (key.home) return ['home'];
  if (key.end) return ['end'];
  if (key.return) return ['enter'];
  if (key.escape) return ['escape'];
  if (key.tab) return [key.shift ? 'shift+tab' : 'tab'];
  if (key.backspace) return ['backspace'];
  if (key.delete) return ['delete'];
  if (key.ctrl && input.length === 1) return [`ctrl+${input.toLowerCase()}`];
  if (key.meta) return [];
  // Keys typed faster than Ink reads arrive as one chunk ("jk", "\t\t"): name each character.
  return [...input].map((ch) => BATCHED[ch] ?? ch);
}

const DISPLAY: Record<string, string> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  home: 'Home',
  end: 'End',
  enter: 'Enter',
  escape: 'Esc',
  tab: 'Tab',
  'shift+tab': 'S-Tab',
  backspace: 'Bksp',
  delete: 'Del',
  space: 'Space',
};

export function formatKey(k: string): string {
  const named = DISPLAY[k];
  if (named) return named;
  if (k.startsWith('ctrl+')) return `Ctrl+${k.slice(5).toUpperCase()}`;
  return k;
}

export function formatKeys(keys: readonly string[]): string {
  return keys.map(formatKey).join('/');
}
