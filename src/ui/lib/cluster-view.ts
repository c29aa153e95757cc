// What the panes derive from the lab state beyond state/selectors.ts: each Sentinel's opinion in display form,
// whether a Sentinel dissents from the mastership selector's reference, a node's role when it cannot answer, the
// master the replication pane follows (also during a split), the fault summary, and the write guard as the master
// applies it. Every "who is the master" answer comes from selectMastership.
import type { ReplicaLag, SentinelObservation } from '../../cluster/observe/types.js';
import { sentinelNodes } from '../../cluster/topology.js';
import { listing, selectGoodReplicas, selectMastership } from '../../state/selectors.js';
import type { LabState } from '../../state/store.js';

export interface SentinelOpinion {
  id: string;
  reachable: boolean;
  masterId?: string;
  /** The master address it names when it is not one of ours. */
  masterAddr?: string;
  flags: string[];
  /**
   * The node the flags are about when it is not `masterId`: during a failover SENTINEL MASTER still describes the
   * old master (s_down,o_down,failover_in_progress) while GET-MASTER-ADDR-BY-NAME already gives the promoted replica.
   */
  flagsOf?: string;
  epoch?: number;
  tilt: boolean;
  tiltSinceSec?: number;
  failoverState?: string;
}

export function sentinelOpinion(id: string, o: SentinelObservation | undefined): SentinelOpinion {
  if (!o) return { id, reachable: false, flags: [], tilt: false };
  const flags = (o.master?.flags ?? []).filter((f) => f !== 'master');
  const masterId = o.masterId ?? o.master?.nodeId;
  const about = o.master?.nodeId;
  return {
    id,
    reachable: o.reachable,
    masterId,
    masterAddr: o.masterAddr ? `${o.masterAddr.ip}:${o.masterAddr.port}` : undefined,
    flags,
    ...(flags.length && about !== undefined && about !== masterId ? { flagsOf: about } : {}),
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
  const masterId = replicationFocus(s).masterId;
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

/** The master whose replicas the replication pane lists, and what to say about it while two nodes claim master. */
export interface ReplicationFocus {
  /** The master the selector names; during a split nobody settles, the one most answering Sentinels name, else the first claim. */
  masterId?: string;
  /** Other reachable nodes that claim master (their replicas are not this master's). */
  others: string[];
  /** While two or more nodes claim master: "split: redis-1 and redis-3 claim master". */
  split?: string;
  /** With `split`: which one the pane shows and why, "showing redis-3 (named by 2 of 3 Sentinels)". */
  showing?: string;
  /** `showing` in fewer columns: "showing redis-3 (2/3 Sentinels)". */
  showingShort?: string;
}

/** Which master the replication pane follows (pure; from selectMastership). */
export function replicationFocus(s: LabState): ReplicationFocus {
  const m = selectMastership(s);
  if (m.claims.length <= 1) return { ...(m.master === undefined ? {} : { masterId: m.master }), others: [] };
  const total = sentinelNodes(s.topology).length;
  const votes = (id: string) => m.answering.filter((x) => m.named[x] === id).length;
  let shown: string;
  let why: string;
  let short: string;
  if (m.master !== undefined) {
    shown = m.master;
    why = `named by ${votes(shown)} of ${total} Sentinels`;
    short = `${votes(shown)}/${total} Sentinels`;
  } else if (m.reference !== undefined && m.claims.includes(m.reference)) {
    shown = m.reference;
    why = `named by ${votes(shown)} of ${total} Sentinels, not a majority`;
    short = `${votes(shown)}/${total} Sentinels, no majority`;
  } else {
    shown = m.claims[0] ?? '';
    why = 'no Sentinel majority names one';
    short = 'no Sentinel majority';
  }
  return {
    masterId: shown,
    others: m.claims.filter((c) => c !== shown),
    split: `split: ${listing(m.claims)} claim master`,
    showing: `showing ${shown} (${why})`,
    showingShort: `showing ${shown} (${short})`,
  };
}

/** A node the learner broke: killed (or otherwise exited), stopped or frozen. */
export interface NodeFault {
  id: string;
  word: 'killed' | 'exited' | 'stopped' | 'frozen';
}

/**
 * Every fault in force: nodes that are down or frozen (whatever stopped them) and the network faults. The lab is
 * not broken while it starts or stops, so nodes count only while the lab is up.
 */
export function faultSummary(s: Pick<LabState, 'phase' | 'processes' | 'faults' | 'topology'>): {
  nodes: NodeFault[];
  network: number;
  total: number;
  text: string;
} {
  const up = s.phase === 'ready' || s.phase === 'degraded';
  const nodes: NodeFault[] = [];
  if (up) {
    for (const n of s.topology.nodes) {
      const p = s.processes[n.id];
      if (!p) continue;
      if (p.state === 'stopped') nodes.push({ id: n.id, word: 'stopped' });
      else if (p.state === 'frozen') nodes.push({ id: n.id, word: 'frozen' });
      else if (p.state === 'exited')
        nodes.push({ id: n.id, word: p.lastExit?.signal === 'SIGKILL' ? 'killed' : 'exited' });
    }
  }
  const network = s.faults.length;
  const total = nodes.length + network;
  return {
    nodes,
    network,
    total,
    text: faultText(
      nodes,
      s.faults.map((f) => f.description),
    ),
  };
}

/** "no faults", "redis-1 killed", "redis-3, redis-4 stopped · isolate host-3 (drop)", "╳ 5 faults: …" (short). */
function faultText(nodes: readonly NodeFault[], network: readonly string[]): string {
  if (nodes.length === 0 && network.length === 0) return 'no faults';
  const byWord = new Map<string, string[]>();
  for (const n of nodes) byWord.set(n.word, [...(byWord.get(n.word) ?? []), n.id]);
  const parts = [...byWord].map(([word, ids]) => `${ids.join(', ')} ${word}`);
  if (network.length === 1 && network[0] !== undefined) parts.push(network[0]);
  else if (network.length > 1) parts.push(`${network.length} network faults`);
  return parts.join(' · ');
}
