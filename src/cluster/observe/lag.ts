// Pure replication-lag computation from probe observations (facts §5.3): bytes behind the master, ACK age,
// whether the replica counts towards min-replicas-to-write, and how long its link has been down.
import { nodeIdByAddress, type Topology } from '../topology.js';
import type { MasterReplicaEntry, RedisObservation, ReplicaLag } from './types.js';

/** Redis's default `min-replicas-max-lag`. */
const DEFAULT_MAX_LAG_SEC = 10;

function entryId(topology: Topology, e: MasterReplicaEntry): string | undefined {
  return e.nodeId ?? nodeIdByAddress(topology, e.ip, e.port);
}

function masterOf(topology: Topology, o: RedisObservation): string | undefined {
  const r = o.replication;
  if (!o.reachable || r?.role !== 'replica') return undefined;
  if (o.masterId !== undefined) return o.masterId;
  return r.masterHost !== undefined && r.masterPort !== undefined
    ? nodeIdByAddress(topology, r.masterHost, r.masterPort)
    : undefined;
}

/**
 * One entry per replica whose lag is computable: the replica names its master (or a reachable master lists it) and
 * that master's offset is known. Ordered like the topology's nodes.
 */
export function computeLags(topology: Topology, redis: Record<string, RedisObservation>): ReplicaLag[] {
  // Replica -> master: the replica's own view wins; a frozen or unreachable replica is known from its master's list.
  const pairs = new Map<string, string>();
  const listedBy = new Map<string, MasterReplicaEntry>();
  for (const o of Object.values(redis)) {
    const m = masterOf(topology, o);
    if (m !== undefined) pairs.set(o.id, m);
  }
  for (const o of Object.values(redis)) {
    if (!o.reachable || o.replication?.role !== 'master') continue;
    for (const e of o.replication.replicas) {
      const id = entryId(topology, e);
      if (id === undefined) continue;
      if (!pairs.has(id) && !redis[id]?.reachable) pairs.set(id, o.id);
      if (pairs.get(id) === o.id) listedBy.set(id, e);
    }
  }
  const lags: ReplicaLag[] = [];
  for (const node of topology.nodes) {
    const masterId = pairs.get(node.id);
    if (masterId === undefined) continue;
    const master = redis[masterId];
    if (!master?.reachable || !master.replication) continue;
    const self = redis[node.id];
    const own = self?.reachable ? self.replication : undefined;
    const entry = listedBy.get(node.id);
    const masterOffset = master.replication.masterReplOffset;
    const ackedOffset = entry?.ackOffset ?? own?.replicaOffset;
    if (ackedOffset === undefined) continue;
    const online = entry?.state === 'online';
    const linkUp = own ? own.masterLinkStatus === 'up' : online;
    const maxLagSec = master.minReplicasMaxLagSec ?? DEFAULT_MAX_LAG_SEC;
    const lag: ReplicaLag = {
      replicaId: node.id,
      masterId,
      lagBytes: Math.max(0, masterOffset - ackedOffset),
      linkUp,
      isGood: online && entry !== undefined && entry.ackAgeSec <= maxLagSec,
      syncing: own?.masterSyncInProgress === true || entry?.state === 'wait_bgsave' || entry?.state === 'send_bulk',
    };
    if (entry !== undefined) lag.ackAgeSec = entry.ackAgeSec;
    const downSec = own?.masterLinkDownSinceSec;
    if (!linkUp && downSec !== undefined && downSec >= 0) lag.linkDownSec = downSec;
    lags.push(lag);
  }
  return lags;
}
