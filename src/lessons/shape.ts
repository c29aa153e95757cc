// Maps a lesson's `topology:` block onto the engine's TopologyShape (settings not given keep the engine's defaults).
import type { ClientSpec, ReplicationSettings, SentinelSettings, TopologyShape } from '../cluster/topology.js';
import type { LessonTopology } from './schema.js';

export function lessonShape(t: LessonTopology): TopologyShape {
  const sentinel: Partial<SentinelSettings> = {};
  if (t.quorum !== undefined) sentinel.quorum = t.quorum;
  if (t.downAfterMs !== undefined) sentinel.downAfterMs = t.downAfterMs;
  if (t.failoverTimeoutMs !== undefined) sentinel.failoverTimeoutMs = t.failoverTimeoutMs;
  if (t.parallelSyncs !== undefined) sentinel.parallelSyncs = t.parallelSyncs;
  if (t.notificationScript !== undefined) sentinel.notificationScript = t.notificationScript;
  if (t.preseedSentinelState !== undefined) sentinel.preseedState = t.preseedSentinelState;
  if (t.masterName !== undefined) sentinel.masterName = t.masterName;

  const replication: Partial<ReplicationSettings> = {};
  if (t.minReplicasToWrite !== undefined) replication.minReplicasToWrite = t.minReplicasToWrite;
  if (t.minReplicasMaxLagSec !== undefined) replication.minReplicasMaxLagSec = t.minReplicasMaxLagSec;
  if (t.replTimeoutSec !== undefined) replication.replTimeoutSec = t.replTimeoutSec;
  if (t.replPingReplicaPeriodSec !== undefined) replication.replPingReplicaPeriodSec = t.replPingReplicaPeriodSec;

  const shape: TopologyShape = { redis: t.redis, sentinels: t.sentinels };
  if (t.placement) shape.placement = { ...t.placement };
  if (t.master) shape.master = t.master;
  if (Object.keys(sentinel).length) shape.sentinel = sentinel;
  if (Object.keys(replication).length) shape.replication = replication;
  if (t.withoutMasterauth?.length) shape.withoutMasterauth = [...t.withoutMasterauth];
  if (t.replicaPriority) shape.replicaPriority = { ...t.replicaPriority };
  if (t.persistence?.length) shape.persistence = [...t.persistence];
  if (t.sentinelPassword || t.sentinelAuthUser) {
    shape.sentinelAuth = {
      ...(t.sentinelPassword ? { password: t.sentinelPassword } : {}),
      ...(t.sentinelAuthUser ? { dataUser: t.sentinelAuthUser } : {}),
    };
  }
  if (t.password) shape.password = t.password;
  if (t.clients) {
    const clients: Partial<Record<'A' | 'B', ClientSpec>> = {};
    for (const name of ['A', 'B'] as const) {
      const c = t.clients[name];
      if (!c) continue;
      clients[name] = {
        host: c.host,
        target: c.target === 'sentinel' ? { kind: 'sentinel' } : { kind: 'node', node: c.target },
      };
    }
    shape.clients = clients;
  }
  return shape;
}
