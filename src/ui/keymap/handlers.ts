// What registry actions do beyond one call: moving selection and focus, paging, picker edits, prompt submission
// and quitting. Kept apart so actions.ts stays a readable table of keys.
import type { ProcessState } from '../../cluster/events.js';
import { errorMessage } from '../../errors.js';
import { type PaneId, paneInnerHeight } from '../layout.js';
import { type Modal, uiOps } from '../state/ui-store.js';
import { type ActionContext, nodeOrder, performAction, visiblePanes, type WhenContext } from './context.js';

export const LIVE: readonly ProcessState[] = ['running', 'frozen', 'starting', 'stopping'];
export const selectedState = (c: WhenContext) => c.lab.processes[c.ui.selectedNode]?.state;
export const notQuitting = (c: WhenContext) => c.ui.quitting === undefined;
export const hasLesson = (c: WhenContext) =>
  notQuitting(c) && c.controller.lesson !== undefined && c.lab.lesson !== undefined;
export const hosts = (c: WhenContext) => c.lab.topology.hosts.map((h) => h.id);
/** Rows of the actions pane: every action record, lab notice and UI problem (routine UI info stays in the status line). */
export const actionRows = (c: WhenContext) =>
  c.lab.actions.length + c.lab.notices.length + c.ui.notices.filter((n) => n.level !== 'info').length;

export function moveNode(ctx: ActionContext, dir: 1 | -1): void {
  const order = nodeOrder(ctx.lab, ctx.layout);
  const i = order.indexOf(ctx.ui.selectedNode);
  const next = order[(i + dir + order.length) % order.length];
  if (next) ctx.uiStore.setState({ selectedNode: next });
}

export function moveFocus(ctx: ActionContext, dir: 1 | -1): void {
  const order = visiblePanes(ctx.layout);
  const i = order.indexOf(ctx.ui.focus);
  const next = order[(i + dir + order.length) % order.length];
  if (next) uiOps.focus(ctx.uiStore, next);
}

export function page(ctx: ActionContext, pane: PaneId, dir: 1 | -1, max: number): void {
  const rows = Math.max(1, paneInnerHeight(ctx.layout, pane) - 2);
  uiOps.scroll(ctx.uiStore, pane, dir * rows, max);
}

export function cursorMove(
  ctx: ActionContext,
  kind: 'partition' | 'heal' | 'latency',
  dir: 1 | -1,
  count: number,
): void {
  const m = ctx.ui.modal;
  if (m?.kind !== kind) return;
  const cur = m.kind === 'latency' ? m.field : m.cursor;
  const next = (cur + dir + count) % count;
  if (kind === 'latency') uiOps.patchModal(ctx.uiStore, 'latency', { field: next });
  else uiOps.patchModal(ctx.uiStore, kind, { cursor: next });
}

export function setSide(ctx: ActionContext, side: 'A' | 'B' | 'cycle'): void {
  const m = ctx.ui.modal;
  if (m?.kind !== 'partition') return;
  const host = hosts(ctx)[m.cursor];
  if (!host) return;
  const cur = m.sides[host];
  const next =
    side === 'cycle' ? (cur === undefined ? 'A' : cur === 'A' ? 'B' : undefined) : cur === side ? undefined : side;
  const sides = { ...m.sides };
  if (next) sides[host] = next;
  else delete sides[host];
  uiOps.patchModal(ctx.uiStore, 'partition', { sides, error: undefined });
}

export function openPrompt(ctx: ActionContext, modal: Extract<Modal, { kind: 'prompt' }>): void {
  uiOps.openModal(ctx.uiStore, modal);
}

export function submitPrompt(ctx: ActionContext): void {
  const m = ctx.ui.modal;
  if (m?.kind !== 'prompt') return;
  const text = m.text.trim();
  const client = ctx.ui.client;
  if (m.purpose === 'filter') {
    ctx.uiStore.setState({ eventFilter: text, modal: undefined });
    uiOps.scrollTo(ctx.uiStore, 'events', 0);
    uiOps.focus(ctx.uiStore, 'events');
  } else if (m.purpose === 'write-key' || m.purpose === 'read-key') {
    const verb = m.purpose === 'write-key' ? 'SET' : 'GET';
    if (!text) {
      uiOps.patchModal(ctx.uiStore, 'prompt', { label: `client ${client} ${verb} — key (required)` });
    } else if (m.purpose === 'write-key') {
      openPrompt(ctx, {
        kind: 'prompt',
        purpose: 'write-value',
        label: `client ${client} SET ${text} — value`,
        text: '',
        key: text,
      });
    } else {
      uiOps.closeModal(ctx.uiStore);
      performAction(ctx, { kind: 'read', client, key: text });
    }
  } else {
    uiOps.closeModal(ctx.uiStore);
    performAction(ctx, { kind: 'write', client, key: m.key ?? '', value: m.text });
  }
}

export function quit(ctx: ActionContext): void {
  if (ctx.ui.quitting) {
    // A second Ctrl+C while stopping leaves the UI now; the caller still finishes cleanup.
    ctx.exit();
    return;
  }
  const live = Object.values(ctx.lab.processes).filter((p) => LIVE.includes(p.state)).length;
  ctx.uiStore.setState({ quitting: { processes: live }, modal: undefined });
  let quitting: Promise<void>;
  try {
    quitting = Promise.resolve(ctx.controller.quit());
  } catch (err) {
    quitting = Promise.reject(err);
  }
  quitting.then(
    () => ctx.exit(),
    (err: unknown) => {
      uiOps.notice(ctx.uiStore, 'error', `quit failed: ${errorMessage(err)}`);
      ctx.exit(err instanceof Error ? err : new Error(errorMessage(err)));
    },
  );
}
