// Facts the lesson checks derive from a LabState snapshot: who the one true master is, what each Sentinel says,
// whether the cluster has settled. Pure; every answer carries the words the lesson pane shows.
import type { ReplicationInfo } from '../cluster/observe/types.js';
import { redisNodes, sentinelNodes } from '../cluster/topology.js';
import type { LabState } from '../state/store.js';

export interface MasterVerdict {
  /** The single true master, when there is one. */
  id?: string;
  detail: string;
}

/** Redis nodes that answer probes and report role master. */
export function claimedMasters(s: LabState): string[] {
  return redisNodes(s.topology)
    .map((n) => n.id)
    .filter((id) => replicationOf(s, id)?.role === 'master');
}

/** Sentinel id -> the master it names, for every Sentinel that answered. */
export function sentinelOpinions(s: LabState): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const n of sentinelNodes(s.topology)) {
    const o = s.sentinels[n.id];
    if (o?.reachable) out.set(n.id, o.masterId);
  }
  return out;
}

/**
 * The one true master: the only reachable node reporting role master; when several do (split brain, or an old
 * master not yet converted), the one a majority of all Sentinels names.
 */
export function trueMaster(s: LabState): MasterVerdict {
  const claims = claimedMasters(s);
  if (claims.length === 1) return { id: claims[0], detail: `${claims[0]} is the master` };
  if (claims.length === 0) return { detail: 'no reachable node reports role master' };
  const total = sentinelNodes(s.topology).length;
  const votes = new Map<string, number>();
  for (const m of sentinelOpinions(s).values()) if (m) votes.set(m, (votes.get(m) ?? 0) + 1);
  const winner = claims.find((c) => (votes.get(c) ?? 0) > total / 2);
  if (winner) {
    const others = claims.filter((c) => c !== winner).join(', ');
    return {
      id: winner,
      detail: `${winner} is the master (named by ${votes.get(winner)} of ${total} Sentinels; ${others} also claims master)`,
    };
  }
  return { detail: `${claims.join(' and ')} all claim master and no Sentinel majority settles it` };
}

export interface Convergence {
  ok: boolean;
  /** The reasons it has not converged (empty when ok). */
  gaps: string[];
  master?: string;
}

/**
 * Settled: one true master, no other node claiming master, every running Sentinel answering and naming it, every
 * running Redis node a replica of it with its link up. Stopped, exited and frozen nodes are left out.
 */
export function convergence(s: LabState): Convergence {
  const gaps: string[] = [];
  const m = trueMaster(s);
  if (!m.id) return { ok: false, gaps: [m.detail] };
  const master = m.id;
  const running = (id: string) => s.processes[id]?.state === 'running';
  for (const n of redisNodes(s.topology)) {
    if (n.id === master || !running(n.id)) continue;
    const r = s.redis[n.id];
    const info = r?.reachable ? r.replication : undefined;
    if (!info) gaps.push(`${n.id} does not answer`);
    else if (info.role === 'master') gaps.push(`${n.id} still claims master`);
    else if (r?.masterId !== master)
      gaps.push(`${n.id} replicates from ${r?.masterId ?? 'an unknown node'}, not ${master}`);
    else if (info.masterLinkStatus !== 'up') gaps.push(`${n.id}'s link to ${master} is down`);
  }
  for (const n of sentinelNodes(s.topology)) {
    if (!running(n.id)) continue;
    const o = s.sentinels[n.id];
    if (!o?.reachable) gaps.push(`${n.id} does not answer`);
    else if (o.masterId !== master) gaps.push(`${n.id} names ${o.masterId ?? 'no master'}, not ${master}`);
  }
  return { ok: gaps.length === 0, gaps, master };
}

/** The node's replication info if it answered its last probe. */
export function replicationOf(s: LabState, id: string): ReplicationInfo | undefined {
  const r = s.redis[id];
  return r?.reachable ? r.replication : undefined;
}

/** Why a node has no usable observation: "redis-1 does not answer (ECONNREFUSED)" or "not probed yet". */
export function silence(s: LabState, id: string): string {
  const r = s.redis[id] ?? s.sentinels[id];
  if (!r) return `${id} has not been probed yet`;
  const state = s.processes[id]?.state;
  const why = r.error ?? (state && state !== 'running' ? state : undefined);
  return `${id} does not answer${why ? ` (${why})` : ''}`;
}

/** "a, b and c" */
export function listing(items: readonly string[], max = 4): string {
  const shown = items.slice(0, max);
  const extra = items.length - shown.length;
  const body = shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  return extra > 0 ? `${body} (+${extra} more)` : body;
}
