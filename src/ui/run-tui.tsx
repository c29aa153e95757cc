// Entry point of the TUI: <App> wires the lab controller, a UI store and the theme; runTui renders it
// full-screen and always gives the terminal back (alternate screen left, raw mode off), however it ends.
import { render } from 'ink';
import { useMemo, useState } from 'react';
import type { LabController } from '../state/controller.js';
import { ControllerContext, ThemeContext, UiStoreContext } from './contexts.js';
import { holdKeys } from './hold-keys.js';
import { Screen } from './Screen.js';
import { createUiStore, type UiStore } from './state/ui-store.js';
import { type ColorMode, colorModeFromEnv, createTheme } from './theme/tokens.js';

export interface AppProps {
  controller: LabController;
  /** Default: from the environment (NO_COLOR set → 'none'). Tests pass it explicitly. */
  colorMode?: ColorMode;
  /** Tests may inject a UI store to inspect or preset UI state. */
  uiStore?: UiStore;
}

export function App({ controller, colorMode, uiStore }: AppProps) {
  const [store] = useState(
    () =>
      uiStore ??
      createUiStore({
        selectedNode: controller.store.getState().topology.nodes.find((n) => n.kind === 'redis')?.id ?? 'redis-1',
      }),
  );
  const theme = useMemo(() => createTheme(colorMode ?? colorModeFromEnv()), [colorMode]);
  return (
    <ControllerContext.Provider value={controller}>
      <UiStoreContext.Provider value={store}>
        <ThemeContext.Provider value={theme}>
          <Screen />
        </ThemeContext.Provider>
      </UiStoreContext.Provider>
    </ControllerContext.Provider>
  );
}

export interface RunTuiOptions {
  /** Streams (tests); default the process's TTY. */
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
  colorMode?: ColorMode;
  /** Aborting ends the TUI (the caller got SIGTERM/SIGHUP and cleans up itself). */
  signal?: AbortSignal;
}

/** Renders the lab full-screen and resolves when the user quit (after controller.quit()). */
export async function runTui(controller: LabController, options: RunTuiOptions = {}): Promise<void> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  // A closed terminal (EIO on write) must end the TUI with an error the caller can clean up after, not crash.
  let failed: (err: Error) => void = () => {};
  const streamError = new Promise<never>((_, reject) => {
    failed = reject;
  });
  stdout.on('error', (err: Error) => failed(err));
  // No echo from before the alternate screen is entered: Ink turns raw mode on only once its first frame has been
  // committed, and a key typed in between was echoed onto that frame, where it stayed (hold-keys.ts).
  holdKeys(stdin);
  // A key typed before the process could turn echo off (while Node loads) was echoed on the shell's screen and left
  // the cursor past column 0. The alternate screen keeps the cursor where it was and Ink draws its frames from
  // there, so the whole header row sat one column right, for good. Back to column 0 first.
  if (stdout.isTTY) stdout.write('\r');
  const instance = render(<App controller={controller} colorMode={options.colorMode} />, {
    alternateScreen: true,
    // The caller checked for a real terminal; a CI=… variable (Ink's is-in-ci) must not turn the lab into a blank screen.
    interactive: true,
    exitOnCtrlC: false,
    incrementalRendering: true,
    maxFps: 15,
    patchConsole: false,
    stdout,
    stdin,
    stderr: options.stderr ?? process.stderr,
  });
  const exited = instance.waitUntilExit();
  // If the stream error wins the race, a later settlement of `exited` must not surface as unhandled.
  exited.catch(() => {});
  const aborted = new Promise<void>((resolve) => {
    if (options.signal?.aborted) resolve();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  try {
    await Promise.race([exited, streamError, aborted]);
  } finally {
    // Unmounting twice is harmless; it restores the main screen, the cursor and cooked mode on every path.
    instance.unmount();
    instance.cleanup();
    if (stdin.isTTY && typeof stdin.setRawMode === 'function') stdin.setRawMode(false);
  }
}
