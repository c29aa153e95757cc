// What registry actions do beyond one call: moving selection and focus, paging, picker edits, prompt submission
// and quitting. Kept apart so actions.ts stays a readable table of keys.
import { ActionSchema, type LabAction } from '../../actions/catalog.js';
import { DEFAULT_WORKLOAD_RATE } from '../../actions/client.js';
import type { ProcessState } from '../../cluster/events.js';
import type { ClientName } from '../../cluster/topology.js';
import { errorMessage } from '../../errors.js';
import { selectMastership } from '../../state/selectors.js';
import { type PaneId, paneInnerHeight, paneInnerSize } from '../layout.js';
import { type Modal, uiOps } from '../state/ui-store.js';
import { type ActionContext, nodeOrder, performAction, visiblePanes, type WhenContext } from './context.js';

export const LIVE: readonly ProcessState[] = ['running', 'frozen', 'starting', 'stopping'];
export const selectedState = (c: WhenContext) => c.lab.processes[c.ui.selectedNode]?.state;

/**
 * The Sentinel `f` and `K` ask: the selected Sentinel if it answers the lab's probes, else the first that answers (a
 * killed or cut-off sentinel-1 must not make them fail while others answer), else none named (the action's default).
 */
export function askedSentinel(c: WhenContext): { sentinel?: string } {
  const { answering } = selectMastership(c.lab);
  const pick = answering.includes(c.ui.selectedNode) ? c.ui.selectedNode : answering[0];
  return pick === undefined ? {} : { sentinel: pick };
}

export const notQuitting = (c: WhenContext) => c.ui.quitting === undefined;
export const hasLesson = (c: WhenContext) =>
  notQuitting(c) && c.controller.lesson !== undefined && c.lab.lesson !== undefined;
export const hosts = (c: WhenContext) => c.lab.topology.hosts.map((h) => h.id);
/** Rows of the actions pane: every action record, lab notice and UI problem (routine UI info stays in the status line). */
export const actionRows = (c: WhenContext) =>
  c.lab.actions.length + c.lab.notices.length + c.ui.notices.filter((n) => n.level !== 'info').length;

type NodeKeyKind = 'kill' | 'stop' | 'freeze' | 'thaw' | 'restart';
const NODE_VERB: Record<NodeKeyKind, string> = {
  kill: 'Kill',
  stop: 'Stop',
  freeze: 'Freeze',
  thaw: 'Thaw',
  restart: 'Restart',
};

/**
 * No pane shows which node is selected: the lesson alone (below 120x30: README "Below 120x30 the lesson and the
 * cluster take turns"). Beside the topology pane its ▶ row names the node.
 */
function selectionHidden(c: WhenContext): boolean {
  return paneInnerSize(c.layout, 'topology') === undefined;
}

/** The question x/s/z/R ask before acting on a selected node no pane shows, else undefined (they act at once). */
export function hiddenNodeQuestion(c: WhenContext, kind: NodeKeyKind): string | undefined {
  if (!selectionHidden(c)) return undefined;
  return `${NODE_VERB[kind]} ${c.ui.selectedNode} (the selected node; L shows the cluster)?`;
}

/** The footer's word for x/s/z/R: with the selected node's name when the view hides the selection. */
export function nodeFooter(c: WhenContext, word: string): string {
  return selectionHidden(c) ? `${word} ${c.ui.selectedNode}` : word;
}

/** x/s/z/R: the action on the selected node, after a [y/N] naming it when the cluster is out of sight. */
export function nodeKey(c: ActionContext, kind: NodeKeyKind): void {
  const action = { kind, node: c.ui.selectedNode } as const;
  const question = hiddenNodeQuestion(c, kind);
  if (question)
    uiOps.openModal(c.uiStore, { kind: 'confirm', text: question, onConfirm: () => performAction(c, action) });
  else performAction(c, action);
}

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
  kind: 'partition' | 'heal' | 'latency' | 'misconfigure',
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

/** Defaults the prompts offer: Enter on an empty prompt takes them. */
export const PROMPT_DEFAULTS = { workloadRate: DEFAULT_WORKLOAD_RATE, waitArgs: '1 1000' } as const;

export function workloadPromptLabel(client: ClientName): string {
  return `workload as client ${client} (Tab: client ${client === 'A' ? 'B' : 'A'}) — writes per second [${PROMPT_DEFAULTS.workloadRate}]`;
}

/** Opens the workload prompt (rate, client) as the current client. */
export function openWorkloadPrompt(ctx: ActionContext): void {
  openPrompt(ctx, {
    kind: 'prompt',
    purpose: 'workload-rate',
    label: workloadPromptLabel(ctx.ui.client),
    text: '',
    client: ctx.ui.client,
  });
}

/** Tab in the workload prompt: the other client. */
export function toggleWorkloadClient(ctx: ActionContext): void {
  const m = ctx.ui.modal;
  if (m?.kind !== 'prompt' || m.purpose !== 'workload-rate') return;
  const client: ClientName = m.client === 'B' ? 'A' : 'B';
  uiOps.patchModal(ctx.uiStore, 'prompt', { client, label: workloadPromptLabel(client), error: undefined });
}

/** A built action checked against the catalog's schema: the action, or the schema's words for what is wrong. */
function validated(raw: unknown): { action: LabAction } | { error: string } {
  const r = ActionSchema.safeParse(raw);
  return r.success ? { action: r.data } : { error: r.error.issues.map((i) => i.message).join('; ') };
}

export function submitPrompt(ctx: ActionContext): void {
  const m = ctx.ui.modal;
  if (m?.kind !== 'prompt') return;
  const next = promptOutcome(m, ctx.ui.client);
  if ('error' in next) {
    uiOps.patchModal(ctx.uiStore, 'prompt', { error: next.error });
  } else if ('prompt' in next) {
    openPrompt(ctx, next.prompt);
  } else if ('filter' in next) {
    ctx.uiStore.setState({ eventFilter: next.filter, modal: undefined });
    uiOps.scrollTo(ctx.uiStore, 'events', 0);
    uiOps.focus(ctx.uiStore, 'events');
  } else {
    const v = validated(next.raw);
    if ('error' in v) {
      uiOps.patchModal(ctx.uiStore, 'prompt', { error: v.error });
      return;
    }
    uiOps.closeModal(ctx.uiStore);
    performAction(ctx, v.action);
  }
}

type Prompt = Extract<Modal, { kind: 'prompt' }>;

/** What Enter in a prompt leads to (pure): a refusal, the next prompt, an event filter, or an action to check and run. */
export function promptOutcome(
  m: Prompt,
  current: ClientName,
): { error: string } | { prompt: Prompt } | { filter: string } | { raw: unknown } {
  const text = m.text.trim();
  const client = m.client ?? current;
  switch (m.purpose) {
    case 'filter':
      return { filter: text };
    case 'write-key':
    case 'read-key':
    case 'wait-key':
      if (!text) return { error: 'a key is required' };
      if (m.purpose === 'read-key') return { raw: { kind: 'read', client, key: text } };
      return {
        prompt: {
          kind: 'prompt',
          purpose: m.purpose === 'wait-key' ? 'wait-value' : 'write-value',
          label: `client ${client} SET ${text} — value`,
          text: '',
          key: text,
          client,
        },
      };
    case 'write-value':
      return { raw: { kind: 'write', client, key: m.key ?? '', value: m.text } };
    case 'wait-value':
      return {
        prompt: {
          kind: 'prompt',
          purpose: 'wait-args',
          label: `client ${client} SET ${m.key ?? ''} ${m.text}, then WAIT numreplicas timeout-ms [${PROMPT_DEFAULTS.waitArgs}]`,
          text: '',
          key: m.key,
          value: m.text,
          client,
        },
      };
    case 'wait-args': {
      const words = (text || PROMPT_DEFAULTS.waitArgs).split(/\s+/);
      const [replicas, timeoutMs] = words.map(Number);
      if (words.length !== 2 || !Number.isInteger(replicas) || !Number.isInteger(timeoutMs)) {
        return { error: 'two whole numbers: replicas, then the timeout in ms (e.g. 2 1000)' };
      }
      return { raw: { kind: 'wait', client, key: m.key ?? '', value: m.value ?? '', replicas, timeoutMs } };
    }
    case 'workload-rate': {
      const ratePerSec = text ? Number(text) : PROMPT_DEFAULTS.workloadRate;
      if (!Number.isFinite(ratePerSec)) return { error: 'a number of writes per second, e.g. 4' };
      return { raw: { kind: 'workload-start', client, ratePerSec } };
    }
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
