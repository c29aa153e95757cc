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

/**
 * Why a node has no usable observation: "redis-1 does not answer (connect ECONNREFUSED 127.0.2.1:6379)" or "not
 * probed yet". The lab's probes connect to a node's private address, behind the gateway the screen and the lesson's
 * redis-cli lines name; the error says the address the learner sees (asShown).
 */
export function silence(s: LabState, id: string): string {
  const r = s.redis[id] ?? s.sentinels[id];
  if (!r) return `${id} has not been probed yet`;
  const state = s.processes[id]?.state;
  const why = r.error !== undefined ? asShown(s, r.error) : state && state !== 'running' ? state : undefined;
  return `${id} does not answer${why ? ` (${why})` : ''}`;
}

/**
 * `text` of the lab's own making (a probe's connection error) with every host's private address (127.0.1.i, where
 * its processes listen) written as its public one (127.0.2.i, the gateway in front of them, which the screen shows):
 * src/cluster/topology.ts hostAddresses. Not for what Redis or Sentinel said, which is quoted as they said it.
 */
export function asShown(s: Pick<LabState, 'topology'>, text: string): string {
  let out = text;
  for (const h of s.topology.hosts) {
    if (h.ip === h.publicIp) continue;
    const ip = h.ip.replace(/\./g, '\\.');
    out = out.replace(new RegExp(`(?<![\\d.])${ip}(?!\\d)`, 'g'), h.publicIp);
  }
  return out;
}
