// Pure: is the cluster ready? Master up, every replica online on it (and saying so itself), every Sentinel sees
// the master, all replicas and the other Sentinels, with no s_down/o_down/disconnected flags. The engine waits for
// no gap; the TUI says, while the cluster starts, which gap it is waiting on (ui/lib/startup.ts).
import { initialMaster, redisNodes, sentinelNodes } from '../cluster/topology.js';
import type { LabState } from './store.js';

const BAD = ['s_down', 'o_down', 'disconnected'];

/** What readiness still waits for; readinessGaps lists them in the order the start goes through them. */
export type ReadinessGapKind =
  | 'process'
  | 'master'
  | 'replica-sync'
  | 'sentinel'
  | 'sentinel-replicas'
  | 'sentinel-peers';

const ORDER: readonly ReadinessGapKind[] = [
  'process',
  'master',
  'replica-sync',
  'sentinel',
  'sentinel-replicas',
  'sentinel-peers',
];

export interface ReadinessGap {
  kind: ReadinessGapKind;
  /** The node the gap is about: the process, the replica, or the Sentinel that does not see enough yet. */
  node: string;
  text: string;
}

export function readinessGaps(s: LabState): ReadinessGap[] {
  const t = s.topology;
  const gaps: ReadinessGap[] = [];
  const gap = (kind: ReadinessGapKind, node: string, text: string) => gaps.push({ kind, node, text });
  const masterId = initialMaster(t).id;
  const replicas = redisNodes(t).filter((n) => n.id !== masterId);
  for (const n of t.nodes) {
    if (s.processes[n.id]?.state !== 'running')
      gap('process', n.id, `${n.id} is ${s.processes[n.id]?.state ?? 'unknown'}`);
  }
  const m = s.redis[masterId];
  if (!m?.reachable || m.replication?.role !== 'master') {
    gap('master', masterId, `${masterId} is not an answering master yet`);
  }
  const online = new Set((m?.replication?.replicas ?? []).filter((r) => r.state === 'online').map((r) => r.nodeId));
  for (const r of replicas) if (!online.has(r.id)) gap('replica-sync', r.id, `${r.id} is not online on ${masterId}`);
  // The replica's own view too: the master lists it online a moment before the replica reports its link up.
  for (const r of replicas) {
    if (s.redis[r.id]?.replication?.masterLinkStatus !== 'up') {
      gap('replica-sync', r.id, `${r.id} does not report its link up yet`);
    }
  }
  const sentinels = sentinelNodes(t);
  for (const sn of sentinels) {
    const o = s.sentinels[sn.id];
    if (!o?.reachable) {
      gap('sentinel', sn.id, `${sn.id} has not answered yet`);
      continue;
    }
    if (o.masterId !== masterId) gap('sentinel', sn.id, `${sn.id} does not name ${masterId} as master`);
    const mi = o.master;
    if (!mi || mi.flags.some((f) => BAD.includes(f)))
      gap('sentinel', sn.id, `${sn.id} does not see ${masterId} healthy`);
    const goodReplicas = o.replicas.filter((r) => !r.flags.some((f) => BAD.includes(f))).length;
    if (goodReplicas < replicas.length) {
      gap('sentinel-replicas', sn.id, `${sn.id} sees ${goodReplicas}/${replicas.length} replicas`);
    }
    const goodPeers = o.sentinels.filter((p) => !p.flags.some((f) => BAD.includes(f))).length;
    if (goodPeers < sentinels.length - 1) {
      gap('sentinel-peers', sn.id, `${sn.id} sees ${goodPeers}/${sentinels.length - 1} other Sentinels`);
    }
  }
  // Stable: by kind, then as found (node order).
  return gaps.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
}

export function isClusterReady(s: LabState): boolean {
  return readinessGaps(s).length === 0;
}

/** For a start that timed out: which conditions never came, the first few in the order the start goes through. */
export function missingForReady(gaps: readonly ReadinessGap[], shown = 3): string | undefined {
  if (gaps.length === 0) return undefined;
  const first = gaps.slice(0, shown).map((g) => g.text);
  const more = gaps.length > first.length ? ` and ${gaps.length - first.length} more` : '';
  return `Still missing: ${first.join('; ')}${more}.`;
}
