// Renders an Ink tree into fake streams with a real terminal size (columns AND rows), resize, key presses by
// name, and polling waits that always time out (stack-notes §2.4).
import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink';
import type { ReactNode } from 'react';

export class FakeStdout extends EventEmitter {
  frames: string[] = [];
  isTTY = true;
  columns: number;
  rows: number;
  constructor(columns: number, rows: number) {
    super();
    this.columns = columns;
    this.rows = rows;
  }
  write = (s: string, ...rest: unknown[]): boolean => {
    this.frames.push(s);
    // Ink waits for the write callback of its last frame before `waitUntilExit` settles.
    const done = rest.find((x): x is () => void => typeof x === 'function');
    if (done) queueMicrotask(done);
    return true;
  };
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class FakeStdin extends EventEmitter {
  isTTY = true as const;
  private buffered: string | null = null;
  write = (d: string): void => {
    this.buffered = d;
    this.emit('readable');
    this.emit('data', d);
  };
  read = (): string | null => {
    const d = this.buffered;
    this.buffered = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

/** Terminal byte sequences for key names used in tests. */
export const KEYS: Record<string, string> = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  tab: '\t',
  'shift+tab': '\x1b[Z',
  enter: '\r',
  escape: '\x1b',
  'ctrl+c': '\x03',
  'ctrl+r': '\x12',
  backspace: '\x7f',
  pageup: '\x1b[5~',
  pagedown: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
  space: ' ',
};

const tick = () => new Promise<void>((r) => setImmediate(() => setTimeout(r, 0)));

export interface Tui {
  stdout: FakeStdout;
  stdin: FakeStdin;
  /** Last frame without escape codes. */
  lastFrame(): string;
  /** Last frame as written (with colour codes). */
  rawFrame(): string;
  /** Presses one key by name ('x', 'up', 'ctrl+c', …) and lets React flush. */
  press(key: string): Promise<void>;
  /** Types text into a prompt, one character per key. */
  type(text: string): Promise<void>;
  waitForFrame(text: string | RegExp, timeoutMs?: number): Promise<string>;
  waitFor(ok: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  resize(columns: number, rows: number): void;
  unmount(): void;
}

export function renderTui(tree: ReactNode, { columns = 100, rows = 30 } = {}): Tui {
  const stdout = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const inst = render(tree, {
    stdout: stdout as never,
    stderr: new FakeStdout(columns, rows) as never,
    stdin: stdin as never,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const rawFrame = () => stdout.frames.at(-1) ?? '';
  const lastFrame = () => stripVTControlCharacters(rawFrame());
  const waitFor = async (ok: (f: string) => boolean, timeoutMs = 1500) => {
    const end = Date.now() + timeoutMs;
    while (!ok(lastFrame())) {
      if (Date.now() > end) throw new Error(`waitFor timed out after ${timeoutMs} ms; last frame:\n${lastFrame()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return lastFrame();
  };
  let unmounted = false;
  return {
    stdout,
    stdin,
    lastFrame,
    rawFrame,
    async press(key) {
      stdin.write(KEYS[key] ?? key);
      // A lone ESC is held ~20 ms by Ink in case it starts a sequence.
      if (key === 'escape') await new Promise((r) => setTimeout(r, 40));
      await tick();
      await tick();
    },
    async type(text) {
      for (const ch of text) {
        stdin.write(ch);
        await tick();
      }
      await tick();
    },
    waitForFrame: (text, timeoutMs) =>
      waitFor((f) => (typeof text === 'string' ? f.includes(text) : text.test(f)), timeoutMs),
    waitFor,
    resize: (c, r) => stdout.resize(c, r),
    unmount() {
      if (unmounted) return;
      unmounted = true;
      inst.unmount();
      inst.cleanup();
    },
  };
}
