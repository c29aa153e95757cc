// Facts the lesson checks derive from a LabState snapshot on top of state/selectors.ts: who the one true master is
// (also during a split brain) and what each Sentinel says. Pure; every answer carries the words the lesson pane shows.
import type { ReplicationInfo } from '../cluster/observe/types.js';
import { sentinelNodes } from '../cluster/topology.js';
import { selectMasters, selectSentinelMasters, selectTrueMaster } from '../state/selectors.js';
import type { LabState } from '../state/store.js';

export interface MasterVerdict {
  /** The single true master, when there is one. */
  id?: string;
  detail: string;
}

/** Sentinel id -> the master it names, for every Sentinel that answered its last probe. */
export function sentinelOpinions(s: LabState): Map<string, string | undefined> {
  const named = selectSentinelMasters(s);
  const out = new Map<string, string | undefined>();
  for (const n of sentinelNodes(s.topology)) if (s.sentinels[n.id]?.reachable) out.set(n.id, named[n.id]);
  return out;
}

/**
 * The one true master: the only reachable node reporting role master (selectTrueMaster); when several do (split
 * brain, or an old master not converted yet), the one a majority of all Sentinels names.
 */
export function trueMaster(s: LabState): MasterVerdict {
  const claims = selectMasters(s);
  const only = selectTrueMaster(s);
  if (only) return { id: only, detail: `${only} is the master` };
  if (claims.length === 0) return { detail: 'no reachable node reports role master' };
  const total = sentinelNodes(s.topology).length;
  const votes = new Map<string, number>();
  for (const m of sentinelOpinions(s).values()) if (m) votes.set(m, (votes.get(m) ?? 0) + 1);
  const winner = claims.find((c) => (votes.get(c) ?? 0) > total / 2);
  if (winner) {
    const others = claims.filter((c) => c !== winner);
    return {
      id: winner,
      detail: `${winner} is the master (named by ${votes.get(winner)} of ${total} Sentinels; ${listing(others)} also ${others.length === 1 ? 'claims' : 'claim'} master)`,
    };
  }
  return { detail: `${listing(claims)} all claim master and no Sentinel majority settles it` };
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
