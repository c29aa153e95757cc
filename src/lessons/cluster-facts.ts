// Facts the lesson checks derive from a LabState snapshot, in the words the lesson pane shows. Who the master is and
// what each Sentinel names come from the one mastership selector (state/selectors.ts); this only adapts its answer.
import type { ReplicationInfo } from '../cluster/observe/types.js';
import { selectMastership } from '../state/selectors.js';
import type { LabState } from '../state/store.js';

export { listing } from '../state/selectors.js';

export interface MasterVerdict {
  /** The master, when the claims or a Sentinel majority settle it. */
  id?: string;
  detail: string;
}

/** Sentinel id -> the master it names, for every Sentinel that answered its last probe, in topology order. */
export function sentinelOpinions(s: LabState): Map<string, string | undefined> {
  const m = selectMastership(s);
  return new Map(m.answering.map((id) => [id, m.named[id]]));
}

/** The master as selectMastership settles it, with its one-line detail. */
export function trueMaster(s: LabState): MasterVerdict {
  const m = selectMastership(s);
  return m.master === undefined ? { detail: m.detail } : { id: m.master, detail: m.detail };
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
