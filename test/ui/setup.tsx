// Renders the whole App over a fixture state with a recording fake controller (test/ui helper).
import type { ActionOutcome, LabAction } from '../../src/actions/catalog.js';
import type { MissingCapabilities } from '../../src/deployments/deployment.js';
import type { LabState } from '../../src/state/store.js';
import { App } from '../../src/ui/run-tui.js';
import type { ColorMode } from '../../src/ui/theme/tokens.js';
import { renderTui } from '../helpers/render-tui.js';
import { fakeController } from './fake-controller.js';

export interface AppOptions {
  columns?: number;
  rows?: number;
  colorMode?: ColorMode;
  lesson?: boolean;
  outcome?: (a: LabAction) => ActionOutcome | Promise<ActionOutcome>;
  quit?: () => Promise<void>;
  unavailable?: MissingCapabilities;
}

export function renderApp(state: LabState, opts: AppOptions = {}) {
  const fake = fakeController(state, {
    lesson: opts.lesson ?? state.lesson !== undefined,
    outcome: opts.outcome,
    quit: opts.quit,
    unavailable: opts.unavailable,
  });
  const tui = renderTui(<App controller={fake.controller} colorMode={opts.colorMode ?? 'none'} />, {
    columns: opts.columns ?? 120,
    rows: opts.rows ?? 35,
  });
  return { ...fake, tui };
}
