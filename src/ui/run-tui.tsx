// Entry point of the TUI: <App> wires the lab controller, a UI store and the theme; runTui renders it
// full-screen and always gives the terminal back (alternate screen left, raw mode off), however it ends.
import { render } from 'ink';
import { useMemo, useState } from 'react';
import type { LabController } from '../state/controller.js';
import { ControllerContext, ThemeContext, UiStoreContext } from './contexts.js';
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
}

/** Renders the lab full-screen and resolves when the user quit (after controller.quit()). */
export async function runTui(controller: LabController, options: RunTuiOptions = {}): Promise<void> {
  const stdin = options.stdin ?? process.stdin;
  const instance = render(<App controller={controller} colorMode={options.colorMode} />, {
    alternateScreen: true,
    exitOnCtrlC: false,
    incrementalRendering: true,
    maxFps: 15,
    patchConsole: false,
    stdout: options.stdout ?? process.stdout,
    stdin,
    stderr: options.stderr ?? process.stderr,
  });
  try {
    await instance.waitUntilExit();
  } finally {
    // Unmounting twice is harmless; it restores the main screen, the cursor and cooked mode on every path.
    instance.unmount();
    instance.cleanup();
    if (stdin.isTTY && typeof stdin.setRawMode === 'function') stdin.setRawMode(false);
  }
}
