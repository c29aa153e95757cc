// What a key action gets to work with, and the one helper that sends work to the lab without blocking:
// it shows "killing redis-1…" at once, then the outcome in the status line. A failed action is already its own
// row in the actions pane (the lab records it), so only failures nothing recorded (a rejection) become notices.
import { actionBusy, type LabAction } from '../../actions/catalog.js';
import { errorMessage } from '../../errors.js';
import type { LabController } from '../../state/controller.js';
import type { LabState } from '../../state/store.js';
import { type Layout, type PaneId, paneInnerSize } from '../layout.js';
import { topologyPlan } from '../lib/topology-plan.js';
import { type UiState, type UiStore, uiOps } from '../state/ui-store.js';

export interface ActionContext {
  controller: LabController;
  /** Lab state when the key was pressed. */
  lab: LabState;
  /** UI state when the key was pressed. */
  ui: UiState;
  uiStore: UiStore;
  layout: Layout;
  /** Unmounts Ink (after quit); an error makes runTui reject with it. */
  exit: (error?: Error) => void;
  /** The key name that triggered the action (for actions bound to several keys that mean different things: 1–4). */
  key?: string;
}

/** Only what `when` predicates may look at (also used to filter the footer and help). */
export type WhenContext = Pick<ActionContext, 'controller' | 'lab' | 'ui' | 'layout'>;

/**
 * Performs a LabAction in the background with immediate feedback; never awaited by render. When the controller asks
 * for a confirmation first (a deployment the lab did not start), a yes/no modal names the deployment.
 */
export function performAction(ctx: ActionContext, action: LabAction, busy = actionBusy(action)): void {
  const go = () => track(ctx.uiStore, busy, () => ctx.controller.perform(action), { recorded: true });
  const question = ctx.controller.confirm?.(action);
  if (question) uiOps.openModal(ctx.uiStore, { kind: 'confirm', text: question, onConfirm: go });
  else go();
}

type Outcome = { ok: boolean; text: string } | undefined;

/**
 * Runs any async lab call with a pending status line, then its outcome there. `recorded`: an {ok:false} outcome is
 * already a row of its own (the lab's action record), so it is not logged again as a notice.
 */
export function track(
  uiStore: UiStore,
  busy: string,
  call: () => Promise<Outcome> | Promise<void>,
  opts: { recorded?: boolean } = {},
): void {
  const id = uiOps.begin(uiStore, busy);
  let promise: Promise<Outcome>;
  try {
    promise = Promise.resolve(call() as Promise<Outcome>);
  } catch (err) {
    promise = Promise.reject(err);
  }
  promise.then(
    (outcome) => {
      const done = busy.replace(/\u2026$/, '');
      if (outcome && !outcome.ok) {
        uiOps.end(uiStore, id, { text: `${done} failed: ${outcome.text}`, ok: false });
        if (!opts.recorded) uiOps.notice(uiStore, 'error', `${done} failed: ${outcome.text}`);
      } else {
        uiOps.end(uiStore, id, { text: outcome ? `${done}: ${outcome.text}` : `${done}: done`, ok: true });
      }
    },
    (err: unknown) => {
      // Nothing recorded a rejection (a bug, or a call outside the catalog): the notice is its one row.
      const done = busy.replace(/\u2026$/, '');
      uiOps.end(uiStore, id, { text: `${done} failed: ${errorMessage(err)}`, ok: false });
      uiOps.notice(uiStore, 'error', `${done} failed: ${errorMessage(err)}`);
    },
  );
}

/** Runs a synchronous lab call (lesson controls); a throw becomes a notice. */
export function attempt(uiStore: UiStore, what: string, call: () => void): void {
  try {
    call();
  } catch (err) {
    uiOps.notice(uiStore, 'error', `${what} failed: ${errorMessage(err)}`);
  }
}

/**
 * Node ids in the order the topology pane shows their rows at this layout (lib/topology-plan.ts): by host when the
 * host headings fit (redis-1, sentinel-1, redis-2, …), else data nodes then Sentinels. ↑/↓ walk it, so the next
 * node is always the row below (an order of its own skipped sentinel-1, the row under redis-1).
 */
export function nodeOrder(lab: LabState, layout?: Layout): string[] {
  const size = layout ? paneInnerSize(layout, 'topology') : undefined;
  return topologyPlan(lab, size).order;
}

export function visiblePanes(layout: Layout): PaneId[] {
  return layout.kind === 'panes' ? layout.focusOrder : [];
}
