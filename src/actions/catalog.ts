// The action catalog: every action kind the keyboard, a lesson, the soak or the command line can ask of the lab,
// one definition each (see action.ts and docs/adding-an-action.md). The lesson schema, the action type, the engine's
// perform, lesson cross-checks and descriptions, the UI's status words and the keymap's dimming all derive from here.
import { z } from 'zod';
import type { Topology } from '../cluster/topology.js';
import type { Capability, Unavailable } from '../deployments/deployment.js';
import type { ActionDef, EquivalentFacts, Report, TopologyRefs } from './action.js';
import { CLIENT_ACTIONS } from './client.js';
import { clientTarget } from './client-target.js';
import { CLUSTER_ACTIONS } from './cluster.js';
import { CONFIG_ACTIONS } from './config.js';
import { heartbeat } from './heartbeat.js';
import { MISCONFIGURE_ACTIONS } from './misconfigure.js';
import { NETWORK_ACTIONS } from './network.js';
import { NODE_ACTIONS } from './node.js';
import { replicaPriority } from './replica-priority.js';
import { SENTINEL_ACTIONS } from './sentinel.js';
import { sentinelReset } from './sentinel-reset.js';
import { serverFailover } from './server-failover.js';
import { waitAction } from './wait.js';

/** Every definition, in the order lessons document them. A new family adds one line here. */
const DEFINITIONS = [
  ...NODE_ACTIONS,
  ...NETWORK_ACTIONS,
  ...CLIENT_ACTIONS,
  waitAction,
  ...SENTINEL_ACTIONS,
  sentinelReset,
  serverFailover,
  ...CONFIG_ACTIONS,
  replicaPriority,
  ...CLUSTER_ACTIONS,
  ...MISCONFIGURE_ACTIONS,
  heartbeat,
  clientTarget,
] as const;

type SchemasOf<T extends readonly unknown[]> = {
  -readonly [I in keyof T]: T[I] extends { readonly schema: infer S } ? S : never;
};

/** An action as a lesson file, the keyboard or the soak writes it: exactly one of the catalog's schemas. */
export const ActionSchema = z.discriminatedUnion(
  'kind',
  // `map` forgets that it keeps the tuple's order and length; the mapped type says what it really returns.
  DEFINITIONS.map((d) => d.schema) as unknown as SchemasOf<typeof DEFINITIONS>,
);

/** Everything a person (keyboard), a lesson solution or the soak nemesis can do to the lab, as data. */
export type LabAction = z.output<typeof ActionSchema>;
export type ActionKind = LabAction['kind'];
export type ActionOf<K extends ActionKind> = Extract<LabAction, { kind: K }>;

export type { ActionOutcome } from './action.js';

/** A definition seen through the whole union: the `kind` discriminant guarantees each sees only its own actions. */
type AnyDef = ActionDef<LabAction, LabAction>;

const BY_KIND = new Map<string, AnyDef>(DEFINITIONS.map((d) => [d.kind, d as unknown as AnyDef]));
if (BY_KIND.size !== DEFINITIONS.length) throw new Error('two action definitions share a kind');

export const ACTION_KINDS: readonly ActionKind[] = DEFINITIONS.map((d) => d.kind);

/** The definition of one kind. */
export function actionDef(kind: ActionKind): AnyDef {
  const def = BY_KIND.get(kind);
  if (!def) throw new Error(`no action definition for "${kind}"`);
  return def;
}

/** The action with every default applied (idempotent). */
export function normalizeAction<A extends LabAction>(a: A): A {
  return actionDef(a.kind).normalize(a) as A;
}

/** One line for lesson steps, solutions and previews: "kill redis-1", "latency host-1 ⇄ host-2 200 ms". */
export function actionLine(a: LabAction): string {
  return actionDef(a.kind).line(normalizeAction(a));
}

/** Status while it runs: "killing redis-1 (SIGKILL)…". */
export function actionBusy(a: LabAction): string {
  return actionDef(a.kind).busy(normalizeAction(a));
}

/** The action record's title and the real command it stands for. */
export function describeAction(
  a: LabAction,
  t: Topology,
  facts: EquivalentFacts = { pid: () => undefined, configPath: () => undefined },
): { title: string; equivalent: string } {
  const def = actionDef(a.kind);
  const n = def.normalize(a);
  return { title: def.title(n, t), equivalent: def.equivalent(n, t, facts) };
}

/** The deployment capability an action kind needs (undefined: any deployment can do it). */
export function requiredCapability(kind: ActionKind): Capability | undefined {
  return actionDef(kind).requires;
}

/** Whether an action record's kind can make Sentinel fail over (the cause of a failover timeline). */
export function isDisruptive(kind: string): boolean {
  return BY_KIND.get(kind)?.disruptive ?? false;
}

const NODE_KINDS: ReadonlySet<string> = new Set(NODE_ACTIONS.map((d) => d.kind));

/** Whether an action record's kind acts on one node's process (kill, stop, freeze, thaw, restart). */
export function isNodeAction(kind: string): boolean {
  return NODE_KINDS.has(kind);
}

/** Why this cluster cannot do the action at all (its topology decides; nothing is attempted), or undefined. */
export function actionRefusal(a: LabAction, t: Topology): Unavailable | undefined {
  const def = actionDef(a.kind);
  return def.refuse?.(def.normalize(a), t);
}

/** Cross-checks an action against a lesson's topology. */
export function checkAction(a: LabAction, refs: TopologyRefs, report: Report): void {
  const def = actionDef(a.kind);
  def.check?.(def.normalize(a), refs, report);
}
