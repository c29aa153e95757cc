// Everything a person (keyboard), a lesson solution or the soak nemesis can do to the lab, as data.
// The engine's `perform(action)` is the one place these are carried out.
import type { CutMode } from './fabric/plan.js';

export type ClientName = 'A' | 'B';

export type LabAction =
  | { kind: 'kill'; node: string }
  | { kind: 'stop'; node: string }
  | { kind: 'freeze'; node: string }
  | { kind: 'thaw'; node: string }
  | { kind: 'restart'; node: string }
  | { kind: 'partition'; groups: string[][]; mode?: CutMode }
  | { kind: 'isolate'; host: string; mode?: CutMode }
  | { kind: 'cut'; from: string; to: string; mode?: CutMode }
  | { kind: 'latency'; from: string; to: string; latencyMs: number; jitterMs?: number; bothWays?: boolean }
  | { kind: 'bandwidth'; from: string; to: string; bytesPerSec: number; bothWays?: boolean }
  | { kind: 'heal'; fault: string }
  | { kind: 'heal-all' }
  | { kind: 'write'; client: ClientName; key: string; value: string }
  | { kind: 'read'; client: ClientName; key: string }
  | { kind: 'workload-start'; client: ClientName; ratePerSec?: number }
  | { kind: 'workload-stop' }
  | { kind: 'failover'; sentinel?: string }
  | { kind: 'min-replicas'; toWrite: number; maxLagSec?: number; node?: string }
  | { kind: 'masterauth'; node: string; enabled: boolean }
  | { kind: 'sentinel-set'; option: 'down-after-milliseconds' | 'failover-timeout' | 'quorum'; value: number }
  | { kind: 'reset' };

export type ActionKind = LabAction['kind'];

/** Result of performing one action: ok with a short text, or an error the UI shows as a notice. */
export type ActionOutcome = { ok: true; text: string } | { ok: false; text: string };

/** Actions that can make Sentinel fail over: the "cause" of a failover timeline. */
export const DISRUPTIVE_KINDS: ReadonlySet<ActionKind> = new Set<ActionKind>([
  'kill',
  'stop',
  'freeze',
  'partition',
  'isolate',
  'cut',
]);

/** Whether an action record stands for a disruptive action (records made before `kind` existed fall back to the title). */
export function isDisruptive(rec: { kind?: ActionKind; title: string }): boolean {
  return rec.kind ? DISRUPTIVE_KINDS.has(rec.kind) : /^(kill|stop|freeze|partition|isolate|cut)\b/i.test(rec.title);
}
