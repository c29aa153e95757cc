// Derived cluster facts the panes draw (who is master, what each Sentinel believes, replica lag).
// Private fallback: state/selectors.ts was not available when the UI was written; these are pure and cheap.
import type { ReplicaLag, SentinelObservation } from '../../cluster/observe/types.js';
import { redisNodes, sentinelNodes } from '../../cluster/topology.js';
import type { LabState } from '../../state/store.js';

type Obs = Pick<LabState, 'redis' | 'topology'>;

/** Redis nodes that answer and report role:master (more than one means split brain). */
export function mastersSeen(s: Obs): string[] {
  return redisNodes(s.topology)
    .map((n) => n.id)
    .filter((id) => {
      const o = s.redis[id];
      return o?.reachable === true && o.replication?.role === 'master';
    });
}

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

/** The master most reachable Sentinels name, if any names one. */
export function sentinelMajority(s: Pick<LabState, 'sentinels' | 'topology'>): string | undefined {
  const votes = new Map<string, number>();
  for (const n of sentinelNodes(s.topology)) {
    const o = s.sentinels[n.id];
    const m = o?.reachable ? (o.masterId ?? o.master?.nodeId) : undefined;
    if (m) votes.set(m, (votes.get(m) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestVotes = 0;
  for (const [m, v] of votes) {
    if (v > bestVotes) {
      best = m;
      bestVotes = v;
    }
  }
  return best;
}

/** One line per Sentinel that disagrees with the majority, e.g. "sentinel-3 still names redis-1". */
export function disagreements(s: Pick<LabState, 'sentinels' | 'topology'>): string[] {
  const majority = sentinelMajority(s);
  if (!majority) return [];
  const out: string[] = [];
  for (const n of sentinelNodes(s.topology)) {
    const o = s.sentinels[n.id];
    const m = o?.reachable ? (o.masterId ?? o.master?.nodeId) : undefined;
    if (m && m !== majority) out.push(`${n.id} still names ${m} (others: ${majority})`);
  }
  return out;
}

/** Lag of every replica that names a master (facts §5.3): bytes behind and seconds since the last ACK. */
export function replicaLags(s: Pick<LabState, 'redis' | 'topology'>): ReplicaLag[] {
  const out: ReplicaLag[] = [];
  for (const n of redisNodes(s.topology)) {
    const o = s.redis[n.id];
    const r = o?.replication;
    if (!o || r?.role === 'master' || !o.masterId) continue;
    const master = s.redis[o.masterId];
    const mr = master?.replication;
    const entry = mr?.replicas.find((e) => e.nodeId === n.id);
    const maxLag = master?.minReplicasMaxLagSec ?? s.topology.replication.minReplicasMaxLagSec;
    const masterOffset = mr?.masterReplOffset ?? 0;
    const lagBytes = entry
      ? Math.max(0, masterOffset - entry.ackOffset)
      : Math.max(0, masterOffset - (r?.replicaOffset ?? masterOffset));
    out.push({
      replicaId: n.id,
      masterId: o.masterId,
      lagBytes,
      ackAgeSec: entry?.ackAgeSec,
      linkUp: o.reachable && r?.masterLinkStatus === 'up',
      isGood: entry !== undefined && entry.state === 'online' && entry.ackAgeSec <= maxLag,
      linkDownSec: r?.masterLinkDownSinceSec,
      syncing: r?.masterSyncInProgress === true || entry?.state === 'wait_bgsave' || entry?.state === 'send_bulk',
    });
  }
  return out;
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

/** The min-replicas guard as the current master applies it (facts §4.1). */
export function writeGuard(s: Pick<LabState, 'redis' | 'topology'>, lags: readonly ReplicaLag[]): WriteGuard {
  const masters = mastersSeen(s);
  const masterId = masters[0];
  const m = masterId ? s.redis[masterId] : undefined;
  const toWrite = m?.minReplicasToWrite ?? s.topology.replication.minReplicasToWrite;
  const maxLagSec = m?.minReplicasMaxLagSec ?? s.topology.replication.minReplicasMaxLagSec;
  const mine = lags.filter((l) => l.masterId === masterId);
  const good = m?.replication?.goodReplicas ?? mine.filter((l) => l.isGood).length;
  return {
    masterId,
    toWrite,
    maxLagSec,
    good,
    replicas: m?.replication?.connectedReplicas ?? mine.length,
    refusing: toWrite > 0 && maxLagSec > 0 && good < toWrite,
  };
}
