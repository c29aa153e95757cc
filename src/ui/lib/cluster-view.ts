// What the panes derive from the lab state beyond state/selectors.ts: each Sentinel's opinion in display form,
// whether a Sentinel dissents from the mastership selector's reference, a node's role when it cannot answer, and the
// write guard as the master applies it.
import type { ReplicaLag, SentinelObservation } from '../../cluster/observe/types.js';
import { selectGoodReplicas, selectMastership } from '../../state/selectors.js';
import type { LabState } from '../../state/store.js';

export interface SentinelOpinion {
  id: string;
  reachable: boolean;
  masterId?: string;
  /** The master address it names when it is not one of ours. */
  masterAddr?: string;
  flags: string[];
  epoch?: number;
  tilt: boolean;
  tiltSinceSec?: number;
  failoverState?: string;
}

export function sentinelOpinion(id: string, o: SentinelObservation | undefined): SentinelOpinion {
  if (!o) return { id, reachable: false, flags: [], tilt: false };
  const flags = (o.master?.flags ?? []).filter((f) => f !== 'master');
  return {
    id,
    reachable: o.reachable,
    masterId: o.masterId ?? o.master?.nodeId,
    masterAddr: o.masterAddr ? `${o.masterAddr.ip}:${o.masterAddr.port}` : undefined,
    flags,
    epoch: o.currentEpoch ?? o.master?.configEpoch,
    tilt: o.info?.tilt === true,
    tiltSinceSec: o.info?.tiltSinceSec,
    failoverState: o.master?.failoverState,
  };
}

/** True when this Sentinel answers and names a master other than the one Sentinels should name. */
export function sentinelDisagrees(s: LabState, id: string): boolean {
  return selectMastership(s).dissenters.includes(id);
}

/** Role as the node reports it, else as a master lists it ('replica'), else unknown. */
export function knownRole(s: LabState, id: string): 'master' | 'replica' | undefined {
  const own = s.redis[id]?.replication?.role;
  if (own) return own;
  const listed = selectMastership(s).claims.some((m) => s.redis[m]?.replication?.replicas.some((e) => e.nodeId === id));
  return listed ? 'replica' : undefined;
}

export interface WriteGuard {
  masterId?: string;
  toWrite: number;
  maxLagSec: number;
  good: number;
  replicas: number;
  /** True when the guard is on and too few replicas are good: writes get NOREPLICAS. */
  refusing: boolean;
}

/**
 * The min-replicas guard as the master applies it: a master refuses writes with NOREPLICAS while fewer than
 * min-replicas-to-write replicas acknowledged within min-replicas-max-lag seconds (redis.io/docs/latest/operate/oss_and_stack/management/replication/).
 */
export function writeGuard(s: LabState, lags: readonly ReplicaLag[]): WriteGuard {
  const masterId = selectMastership(s).master;
  const m = masterId ? s.redis[masterId] : undefined;
  const toWrite = m?.minReplicasToWrite ?? s.topology.replication.minReplicasToWrite;
  const maxLagSec = m?.minReplicasMaxLagSec ?? s.topology.replication.minReplicasMaxLagSec;
  const mine = lags.filter((l) => l.masterId === masterId);
  const good = (masterId ? selectGoodReplicas(s, masterId) : undefined) ?? mine.filter((l) => l.isGood).length;
  return {
    masterId,
    toWrite,
    maxLagSec,
    good,
    replicas: m?.replication?.connectedReplicas ?? mine.length,
    refusing: toWrite > 0 && maxLagSec > 0 && good < toWrite,
  };
}
