// Raw mode (no echo) from the moment the full-screen lab is asked for, long before Ink reads a key: loading the
// modules, creating the lab and the first frame take a second or two, and a key typed meanwhile would be echoed by
// the terminal wherever its cursor is, on the screen Ink then draws only the changed parts of, so the stray
// character stayed in the header row. In raw mode the key waits, unechoed, for the TUI to read it. No imports: the
// entry (cli.ts) calls this before it loads anything else.

/** Minimal view of a terminal input stream (process.stdin). */
export interface RawModeInput {
  isTTY?: boolean;
  setRawMode?: (on: boolean) => unknown;
}

/**
 * Puts `stdin` in raw mode now when it is a terminal; returns the undo (once; later calls do nothing). Ink turns raw
 * mode on again itself when it reads keys, and off when it unmounts; runTui turns it off on every path.
 */
export function holdKeys(stdin: RawModeInput): () => void {
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') return () => {};
  stdin.setRawMode(true);
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    stdin.setRawMode?.(false);
  };
}
