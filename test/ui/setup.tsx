// Renders the whole App over a fixture state with a recording fake controller (test/ui helper).
import type { ActionOutcome, LabAction } from '../../src/actions/catalog.js';
import type { MissingCapabilities } from '../../src/deployments/deployment.js';
import type { LabState } from '../../src/state/store.js';
import { App } from '../../src/ui/run-tui.js';
import { createUiStore } from '../../src/ui/state/ui-store.js';
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
  /** Preset the lesson view (L): true alone at full width, false beside (or instead of) the cluster. */
  lessonFull?: boolean;
  unavailable?: MissingCapabilities;
}

export function renderApp(state: LabState, opts: AppOptions = {}) {
  const fake = fakeController(state, {
    lesson: opts.lesson ?? state.lesson !== undefined,
    outcome: opts.outcome,
    quit: opts.quit,
    unavailable: opts.unavailable,
  });
  const uiStore = createUiStore({
    selectedNode: state.topology.nodes.find((n) => n.kind === 'redis')?.id ?? 'redis-1',
    ...(opts.lessonFull === undefined ? {} : { lessonFull: opts.lessonFull }),
  });
  const tui = renderTui(<App controller={fake.controller} colorMode={opts.colorMode ?? 'none'} uiStore={uiStore} />, {
    columns: opts.columns ?? 120,
    rows: opts.rows ?? 35,
  });
  return { ...fake, tui, uiStore };
}
