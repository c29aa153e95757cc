// Pure key routing over the registry: modal > focused pane > global, first action whose key matches and
// whose `when` passes. A key whose catalog actions need a capability the deployment lacks is unavailable: it
// explains why instead of running. Kept free of React so the rules are unit-tested directly.
import type { Key } from 'ink';
import { type ActionKind, requiredCapability } from '../../actions/catalog.js';
import type { Unavailable } from '../../deployments/deployment.js';
import { errorMessage } from '../../errors.js';
import { uiOps } from '../state/ui-store.js';
import { type ActionId, type ActionSpec, actionEntries, actionTitle, type Scope } from './actions.js';
import type { ActionContext, WhenContext } from './context.js';
import { keyNames } from './keys.js';

export interface ChainEntry {
  id: ActionId;
  spec: ActionSpec;
}

/** Scopes that listen right now, highest priority first. */
export function scopeChain(ctx: WhenContext): Scope[] {
  if (ctx.layout.kind === 'too-small') return ['global'];
  if (ctx.ui.modal) return [`modal:${ctx.ui.modal.kind}`, 'global'];
  return [ctx.ui.focus, 'global'];
}

/** Actions reachable in the current chain (ignores `when`), in priority order. */
export function chainActions(ctx: WhenContext): ChainEntry[] {
  const tooSmall = ctx.layout.kind === 'too-small';
  const inModal = ctx.ui.modal !== undefined && !tooSmall;
  const out: ChainEntry[] = [];
  for (const scope of scopeChain(ctx)) {
    for (const [id, spec] of actionEntries) {
      if (spec.scope !== scope) continue;
      if (scope === 'global' && inModal && !spec.always) continue;
      if (tooSmall && !spec.onSmallScreen) continue;
      out.push({ id, spec });
    }
  }
  return out;
}

/** Why the key cannot be used on this deployment: a capability one of its catalog actions requires is missing. */
export function unavailableReason(
  spec: Pick<ActionSpec, 'performs'>,
  ctx: { controller: Pick<WhenContext['controller'], 'unavailable'> },
): Unavailable | undefined {
  for (const kind of spec.performs ?? []) {
    const capability = requiredCapability(kind);
    const why = capability === undefined ? undefined : ctx.controller.unavailable[capability];
    if (why) return why;
  }
  return undefined;
}

/** Catalog actions that only read: they may run while a lesson catches up. */
const READ_ONLY: ReadonlySet<ActionKind> = new Set(['read', 'ckquorum']);

/**
 * Why a key that changes the cluster waits now: the lesson is catching up, replaying earlier steps on the cluster
 * (lessons/session.ts), and a kill, a fault or a workload started or stopped meanwhile would spoil the state it
 * builds. Undefined when it may run.
 */
export function catchUpWait(spec: Pick<ActionSpec, 'performs'>, ctx: Pick<WhenContext, 'lab'>): string | undefined {
  if (ctx.lab.lesson?.catchingUp === undefined) return undefined;
  if (!(spec.performs ?? []).some((kind) => !READ_ONLY.has(kind))) return undefined;
  return 'wait until the lesson has caught up (it is replaying the earlier steps on the cluster)';
}

/** Usable now: the deployment can do what it performs, no catch-up is under way, and its `when` holds. */
export function isEnabled(spec: ActionSpec, ctx: WhenContext): boolean {
  return (
    unavailableReason(spec, ctx) === undefined &&
    catchUpWait(spec, ctx) === undefined &&
    (spec.when ? spec.when(ctx) : true)
  );
}

export type Resolution =
  | { kind: 'run'; entry: ChainEntry }
  | { kind: 'unavailable'; entry: ChainEntry; why: Unavailable }
  | { kind: 'disabled'; entry: ChainEntry }
  | { kind: 'none' };

export function resolveKey(name: string, ctx: WhenContext): Resolution {
  let unavailable: { entry: ChainEntry; why: Unavailable } | undefined;
  let disabled: ChainEntry | undefined;
  for (const entry of chainActions(ctx)) {
    if (!entry.spec.keys.includes(name)) continue;
    const why = unavailableReason(entry.spec, ctx);
    if (why) unavailable ??= { entry, why };
    else if (isEnabled(entry.spec, ctx)) return { kind: 'run', entry };
    else disabled ??= entry;
  }
  if (unavailable) return { kind: 'unavailable', ...unavailable };
  return disabled ? { kind: 'disabled', entry: disabled } : { kind: 'none' };
}

/** Handles one Ink input callback. `ctxFor` is called per key so batched keys see each other's effects. */
export function dispatchInput(input: string, key: Key, ctxFor: () => ActionContext): void {
  const names = keyNames(input, key);
  for (const name of names) {
    const ctx = ctxFor();
    const r = resolveKey(name, ctx);
    if (r.kind === 'run') {
      try {
        r.entry.spec.run({ ...ctx, key: name });
      } catch (err) {
        // A bug in one action must not take the screen (and the user's way out) down with it.
        uiOps.notice(ctx.uiStore, 'error', `${r.entry.spec.title} failed: ${errorMessage(err)}`);
      }
      continue;
    }
    const m = ctx.ui.modal;
    if (m?.kind === 'prompt' && ctx.layout.kind === 'panes') {
      // Text prompts take every key no action claimed. A batch ("222\r": typed fast, pasted, or sent by a test
      // driver) goes one key at a time, so the Enter at its end still submits what came before it.
      const text = names.length > 1 ? typeKey(m.text, name) : editText(m.text, input, key);
      if (text !== m.text) uiOps.patchModal(ctx.uiStore, 'prompt', { text, error: undefined });
      continue;
    }
    if (r.kind === 'unavailable') {
      uiOps.notice(
        ctx.uiStore,
        'info',
        `${actionTitle(r.entry.spec, ctx.lab.topology.sentinel.masterName)}: ${r.why.reason}${r.why.hint ? ` (${firstLine(r.why.hint)})` : ''}`,
      );
    }
    if (r.kind === 'disabled') {
      const why = catchUpWait(r.entry.spec, ctx) ?? r.entry.spec.whyNot?.(ctx) ?? 'not available now';
      uiOps.notice(ctx.uiStore, 'info', `${actionTitle(r.entry.spec, ctx.lab.topology.sentinel.masterName)}: ${why}`);
    }
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

/** One key of a batch typed into a prompt: a character, a space, or Backspace. */
export function typeKey(text: string, name: string): string {
  if (name === 'backspace') return text.slice(0, -1);
  if (name === 'space') return `${text} `.slice(0, 200);
  if ([...name].length === 1 && name >= ' ' && name !== '\x7f') return (text + name).slice(0, 200);
  return text;
}

/** Line editing for prompts: printable text appends, Backspace/Delete remove, Ctrl+U clears. */
export function editText(text: string, input: string, key: Key): string {
  if (key.backspace || key.delete) return text.slice(0, -1);
  if (key.ctrl && input === 'u') return '';
  if (key.ctrl || key.meta || key.return || key.escape || key.tab) return text;
  const printable = [...input].filter((ch) => ch >= ' ' && ch !== '\x7f').join('');
  return (text + printable).slice(0, 200);
}
