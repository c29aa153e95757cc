// Pure: is the cluster ready? Master up, every replica online on it (and saying so itself), every Sentinel sees
// the master, all replicas and the other Sentinels, with no s_down/o_down/disconnected flags.
import { initialMaster, redisNodes, sentinelNodes } from '../cluster/topology.js';
import type { LabState } from '../state/store.js';

const BAD = ['s_down', 'o_down', 'disconnected'];

export function readinessGaps(s: LabState): string[] {
  const t = s.topology;
  const gaps: string[] = [];
  const masterId = initialMaster(t).id;
  const replicas = redisNodes(t).filter((n) => n.id !== masterId);
  for (const n of t.nodes) {
    if (s.processes[n.id]?.state !== 'running') gaps.push(`${n.id} is ${s.processes[n.id]?.state ?? 'unknown'}`);
  }
  const m = s.redis[masterId];
  if (!m?.reachable || m.replication?.role !== 'master') gaps.push(`${masterId} is not an answering master yet`);
  const online = new Set((m?.replication?.replicas ?? []).filter((r) => r.state === 'online').map((r) => r.nodeId));
  for (const r of replicas) if (!online.has(r.id)) gaps.push(`${r.id} is not online on ${masterId}`);
  // The replica's own view too: the master lists it online a moment before the replica reports its link up.
  for (const r of replicas) {
    if (s.redis[r.id]?.replication?.masterLinkStatus !== 'up') gaps.push(`${r.id} does not report its link up yet`);
  }
  const sentinels = sentinelNodes(t);
  for (const sn of sentinels) {
    const o = s.sentinels[sn.id];
    if (!o?.reachable) {
      gaps.push(`${sn.id} has not answered yet`);
      continue;
    }
    if (o.masterId !== masterId) gaps.push(`${sn.id} does not name ${masterId} as master`);
    const mi = o.master;
    if (!mi || mi.flags.some((f) => BAD.includes(f))) gaps.push(`${sn.id} does not see ${masterId} healthy`);
    const goodReplicas = o.replicas.filter((r) => !r.flags.some((f) => BAD.includes(f))).length;
    if (goodReplicas < replicas.length) gaps.push(`${sn.id} sees ${goodReplicas}/${replicas.length} replicas`);
    const goodPeers = o.sentinels.filter((p) => !p.flags.some((f) => BAD.includes(f))).length;
    if (goodPeers < sentinels.length - 1)
      gaps.push(`${sn.id} sees ${goodPeers}/${sentinels.length - 1} other Sentinels`);
  }
  return gaps;
}

export function isClusterReady(s: LabState): boolean {
  return readinessGaps(s).length === 0;
}
