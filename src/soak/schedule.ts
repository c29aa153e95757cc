// The soak's nemesis schedule: a seeded, pure generator of one fault per round, with targets named by role ("the
// master", "the 2nd replica") so a schedule means the same thing whoever is master when the round starts.
// `planRound` turns one planned fault into the LabActions that apply and undo it, against the current cluster.

import type { LabAction } from '../actions/catalog.js';
import type { CutMode } from '../cluster/fabric/plan.js';
import { redisNodes, sentinelNodes, type Topology } from '../cluster/topology.js';

export const FAULT_KINDS = [
  'kill',
  'stop',
  'freeze',
  'restart',
  'partition',
  'isolate',
  'cut',
  'latency',
  'failover',
  'sentinel-freeze',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A node named by its role at the time the round starts; `index` counts replicas/Sentinels in topology order. */
export type Target = { role: 'master' } | { role: 'replica'; index: number } | { role: 'sentinel'; index: number };

export interface PlannedFault {
  round: number;
  kind: FaultKind;
  /** How long the fault stays in place before it is undone. */
  holdMs: number;
  /** kill/stop/freeze/restart: a Redis node; sentinel-freeze/failover: a Sentinel; isolate/partition: whose host. */
  target: Target;
  /** cut/latency: the far end (bytes flow from `target`'s host to `peer`'s host). */
  peer?: Target;
  /** partition: how many further hosts join the target's side (0 = the target's host alone). */
  companions?: number;
  /** Picks among candidates (companion hosts, a distinct peer host) deterministically. */
  pick: number;
  mode?: CutMode;
  latencyMs?: number;
  jitterMs?: number;
  bothWays?: boolean;
}

/** mulberry32: small, fast, good enough for a schedule; the same seed always gives the same sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ScheduleOptions {
  /** Replicas and Sentinels in the cluster (the default cluster: 4 and 3). */
  replicas: number;
  sentinels: number;
  /** Range of hold times (a Sentinel freeze always holds at least 3 s: more than the 2 s TILT trigger). */
  minHoldMs?: number;
  maxHoldMs?: number;
  /** Relative weights; kinds not listed get 1. */
  weights?: Partial<Record<FaultKind, number>>;
}

/** The seeded fault sequence: call `next()` once per round. Pure: no clocks, no I/O. */
export function faultSchedule(seed: number, opts: ScheduleOptions): { next(): PlannedFault } {
  const rnd = prng(seed);
  const minHold = opts.minHoldMs ?? 2000;
  const maxHold = opts.maxHoldMs ?? 6000;
  const kinds = FAULT_KINDS.filter((k) => (opts.weights?.[k] ?? 1) > 0);
  const total = kinds.reduce((s, k) => s + (opts.weights?.[k] ?? 1), 0);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const redisTarget = (): Target =>
    opts.replicas > 0 && rnd() >= 0.5 ? { role: 'replica', index: int(0, opts.replicas - 1) } : { role: 'master' };
  const sentinelTarget = (): Target => ({ role: 'sentinel', index: int(0, Math.max(0, opts.sentinels - 1)) });
  let round = 0;
  return {
    next() {
      round++;
      let r = rnd() * total;
      let kind: FaultKind = kinds[kinds.length - 1] ?? 'kill';
      for (const k of kinds) {
        r -= opts.weights?.[k] ?? 1;
        if (r < 0) {
          kind = k;
          break;
        }
      }
      const holdMs = int(Math.round(minHold / 100), Math.round(maxHold / 100)) * 100;
      const pick = int(0, 1_000_000);
      switch (kind) {
        case 'kill':
        case 'stop':
        case 'freeze':
        case 'restart':
          return { round, kind, holdMs, target: redisTarget(), pick };
        case 'sentinel-freeze':
          return { round, kind, holdMs: Math.max(holdMs, 3000), target: sentinelTarget(), pick };
        case 'failover':
          return { round, kind, holdMs, target: sentinelTarget(), pick };
        case 'isolate':
          return { round, kind, holdMs, target: redisTarget(), pick, mode: rnd() < 0.5 ? 'drop' : 'reject' };
        case 'partition':
          return {
            round,
            kind,
            holdMs,
            target: redisTarget(),
            companions: int(0, 1),
            pick,
            mode: rnd() < 0.5 ? 'drop' : 'reject',
          };
        case 'cut':
          return {
            round,
            kind,
            holdMs,
            target: redisTarget(),
            peer: rnd() < 0.5 ? sentinelTarget() : redisTarget(),
            pick,
            mode: rnd() < 0.5 ? 'drop' : 'reject',
          };
        case 'latency':
          return {
            round,
            kind,
            holdMs,
            target: redisTarget(),
            peer: rnd() < 0.5 ? sentinelTarget() : redisTarget(),
            pick,
            latencyMs: int(1, 15) * 100,
            jitterMs: int(0, 4) * 50,
            bothWays: rnd() < 0.5,
          };
      }
    },
  };
}

/** The first `rounds` faults of a schedule. */
export function generateSchedule(seed: number, rounds: number, opts: ScheduleOptions): PlannedFault[] {
  const s = faultSchedule(seed, opts);
  return Array.from({ length: rounds }, () => s.next());
}

export interface RoundPlan {
  description: string;
  /** Carried out in order to inject the fault. */
  apply: LabAction[];
  /** Carried out in order after the hold (the runner also repairs whatever is still broken afterwards). */
  undo: LabAction[];
  /** Node ids the fault targets (for the report). */
  nodes: string[];
}

/** Node id of a target, given who is master now (replicas are the other Redis nodes, in topology order). */
export function resolveTarget(t: Topology, master: string, target: Target): string {
  const redis = redisNodes(t).map((n) => n.id);
  const sentinels = sentinelNodes(t).map((n) => n.id);
  switch (target.role) {
    case 'master':
      return master;
    case 'replica': {
      const replicas = redis.filter((id) => id !== master);
      return replicas[target.index % Math.max(1, replicas.length)] ?? master;
    }
    case 'sentinel':
      return sentinels[target.index % Math.max(1, sentinels.length)] ?? sentinels[0] ?? master;
  }
}

function hostOfNode(t: Topology, id: string): string {
  const n = t.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`unknown node ${id}`);
  return n.host;
}

/** Turns a planned fault into actions against the cluster as it is (`master` = the current master's id). Pure. */
export function planRound(t: Topology, master: string, f: PlannedFault): RoundPlan {
  const node = resolveTarget(t, master, f.target);
  const hosts = t.hosts.map((h) => h.id);
  switch (f.kind) {
    case 'kill':
    case 'stop':
      return {
        description: `${f.kind} ${node}${node === master ? ' (master)' : ''} for ${f.holdMs} ms`,
        apply: [{ kind: f.kind, node }],
        undo: [{ kind: 'restart', node }],
        nodes: [node],
      };
    case 'freeze':
    case 'sentinel-freeze':
      return {
        description: `freeze ${node}${node === master ? ' (master)' : ''} for ${f.holdMs} ms`,
        apply: [{ kind: 'freeze', node }],
        undo: [{ kind: 'thaw', node }],
        nodes: [node],
      };
    case 'restart':
      return {
        description: `restart ${node}${node === master ? ' (master)' : ''}, then wait ${f.holdMs} ms`,
        apply: [{ kind: 'restart', node }],
        undo: [],
        nodes: [node],
      };
    case 'failover':
      return {
        description: `SENTINEL FAILOVER via ${node} (master ${master}), then wait ${f.holdMs} ms`,
        apply: [{ kind: 'failover', sentinel: node }],
        undo: [],
        nodes: [node],
      };
    case 'isolate': {
      const host = hostOfNode(t, node);
      return {
        description: `isolate ${host} (${node}) for ${f.holdMs} ms (${f.mode ?? 'drop'})`,
        apply: [{ kind: 'isolate', host, mode: f.mode ?? 'drop' }],
        undo: [{ kind: 'heal-all' }],
        nodes: [node],
      };
    }
    case 'partition': {
      const host = hostOfNode(t, node);
      const others = hosts.filter((h) => h !== host);
      const side = [host];
      // A companion host joins the target's side, but the other side always keeps at least one host.
      for (let i = 0; i < (f.companions ?? 0) && others.length > 1; i++) {
        const [c] = others.splice((f.pick + i) % others.length, 1);
        if (c) side.push(c);
      }
      return {
        description: `partition {${side.join(', ')}} | {${others.join(', ')}} for ${f.holdMs} ms (${f.mode ?? 'drop'})`,
        apply: [{ kind: 'partition', groups: [side, others], mode: f.mode ?? 'drop' }],
        undo: [{ kind: 'heal-all' }],
        nodes: [node],
      };
    }
    case 'cut':
    case 'latency': {
      const from = hostOfNode(t, node);
      let to = hostOfNode(t, resolveTarget(t, master, f.peer ?? { role: 'sentinel', index: 0 }));
      if (to === from) {
        const others = hosts.filter((h) => h !== from);
        to = others[f.pick % Math.max(1, others.length)] ?? from;
      }
      if (f.kind === 'cut') {
        return {
          description: `cut ${from} -/-> ${to} (${node}'s host, one way) for ${f.holdMs} ms (${f.mode ?? 'drop'})`,
          apply: [{ kind: 'cut', from, to, mode: f.mode ?? 'drop' }],
          undo: [{ kind: 'heal-all' }],
          nodes: [node],
        };
      }
      const latencyMs = f.latencyMs ?? 500;
      const jitterMs = f.jitterMs ?? 0;
      const bothWays = f.bothWays ?? false;
      return {
        description: `latency ${from} ${bothWays ? '<->' : '->'} ${to} ${latencyMs}±${jitterMs} ms for ${f.holdMs} ms`,
        apply: [{ kind: 'latency', from, to, latencyMs, jitterMs, bothWays }],
        undo: [{ kind: 'heal-all' }],
        nodes: [node],
      };
    }
  }
}
