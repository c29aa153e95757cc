// Pure, cheap selectors over LabState for the UI and lesson checks. Object/array results are memoised on input
// identity and stabilised (an equal result keeps the previous reference) so zustand's useStore can't loop.
import { computeLags } from '../cluster/observe/lag.js';
import type { ReplicaLag } from '../cluster/observe/types.js';
import { nodeIdByAddress, redisNodes, sentinelNodes } from '../cluster/topology.js';
import type { LabState } from './store.js';

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Memoises `fn` on the identity of the slices `deps` picks, and returns the previous result when equal. */
function memo<R>(deps: (s: LabState) => readonly unknown[], fn: (s: LabState) => R): (s: LabState) => R {
  let lastDeps: readonly unknown[] | undefined;
  let last: R;
  return (s) => {
    const d = deps(s);
    if (lastDeps && d.length === lastDeps.length && d.every((x, i) => x === lastDeps?.[i])) return last;
    const next = fn(s);
    lastDeps = d;
    if (!sameJson(next, last)) last = next;
    return last;
  };
}

const PROCESS_DOWN = new Set(['stopped', 'exited', 'frozen', 'stopping']);

/** "a, b and c"; more than `max` items end in "(+N more)". */
export function listing(items: readonly string[], max = 4): string {
  const shown = items.slice(0, max);
  const extra = items.length - shown.length;
  const body = shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  return extra > 0 ? `${body} (+${extra} more)` : body;
}

/** Each Sentinel's answer to GET-MASTER-ADDR-BY-NAME as a node id (`ip:port` if not a lab node); undefined if unknown. */
export const selectSentinelMasters: (s: LabState) => Record<string, string | undefined> = memo(
  (s) => [s.topology, s.sentinels],
  (s) => {
    const out: Record<string, string | undefined> = {};
    for (const n of sentinelNodes(s.topology)) {
      const o = s.sentinels[n.id];
      const a = o?.reachable ? o.masterAddr : undefined;
      out[n.id] = a && (o?.masterId ?? nodeIdByAddress(s.topology, a.ip, a.port) ?? `${a.ip}:${a.port}`);
    }
    return out;
  },
);

/** Who is the master, from observations only: what the nodes claim and what the Sentinels name. */
export interface Mastership {
  /**
   * The master: the only reachable node that reports role master; when several do (a split brain, or an old
   * master not converted yet), the one a majority of ALL Sentinels names. Undefined when neither settles it.
   */
  master?: string;
  /** How `master` was settled. */
  basis: 'sole-claim' | 'sentinel-majority' | 'unsettled';
  /** Reachable data nodes reporting role master, in topology order (two or more: split brain). */
  claims: string[];
  /** Sentinels that answered their last probe, in topology order. */
  answering: string[];
  /** What each answering Sentinel names (a node id, or `ip:port`; undefined: it names no master). */
  named: Record<string, string | undefined>;
  /** At least one Sentinel answers, and every one that does names the same master. */
  agree: boolean;
  /**
   * What the Sentinels should name: the master when it is settled, else what strictly more answering Sentinels
   * name than any other answer (undefined on a tie: then no Sentinel is singled out).
   */
  reference?: string;
  /** Answering Sentinels that name something other than the reference. */
  dissenters: string[];
  /** When the answering Sentinels disagree: "sentinel-3 still names redis-1; sentinel-1, sentinel-2 name redis-2". */
  disagreement?: string;
  /** One line: "redis-2 is the master", "redis-1 and redis-3 all claim master and no Sentinel majority settles it". */
  detail: string;
}

/** `sentinel-3 names …` / `sentinel-1, sentinel-2 name …` */
const nameVerb = (ids: readonly string[]) => (ids.length === 1 ? 'names' : 'name');

function mastership(s: LabState): Mastership {
  const claims = redisNodes(s.topology)
    .map((n) => n.id)
    .filter((id) => {
      const o = s.redis[id];
      return o?.reachable === true && o.replication?.role === 'master';
    });
  const all = sentinelNodes(s.topology).map((n) => n.id);
  const answering = all.filter((id) => s.sentinels[id]?.reachable === true);
  const everyAnswer = selectSentinelMasters(s);
  const named: Record<string, string | undefined> = {};
  for (const id of answering) named[id] = everyAnswer[id];
  const votes = (m: string) => answering.filter((id) => named[id] === m).length;

  let master: string | undefined;
  let basis: Mastership['basis'] = 'unsettled';
  let detail: string;
  if (claims.length === 1 && claims[0] !== undefined) {
    master = claims[0];
    basis = 'sole-claim';
    detail = `${master} is the master`;
  } else if (claims.length === 0) {
    detail = 'no reachable node reports role master';
  } else {
    // A majority of every Sentinel there is, answering or not: the majority Sentinels need to authorise a failover
    // (https://redis.io/docs/latest/operate/oss_and_stack/management/sentinel/).
    master = claims.find((c) => votes(c) > all.length / 2);
    if (master !== undefined) {
      const others = claims.filter((c) => c !== master);
      basis = 'sentinel-majority';
      detail = `${master} is the master (named by ${votes(master)} of ${all.length} Sentinels; ${listing(others)} also ${others.length === 1 ? 'claims' : 'claim'} master)`;
    } else {
      detail = `${listing(claims)} all claim master and no Sentinel majority settles it`;
    }
  }

  // Answering Sentinels grouped by what they name, in topology order of each group's first member.
  const groups = new Map<string | undefined, string[]>();
  for (const id of answering) groups.set(named[id], [...(groups.get(named[id]) ?? []), id]);
  const first = answering[0];
  const agree = first !== undefined && groups.size === 1 && named[first] !== undefined;

  let reference = master;
  if (reference === undefined) {
    const ranked = [...groups].filter(([m]) => m !== undefined).sort((a, b) => b[1].length - a[1].length);
    const [top, second] = ranked;
    if (top && (!second || top[1].length > second[1].length)) reference = top[0];
  }
  const dissenters = reference === undefined ? [] : answering.filter((id) => named[id] !== reference);

  let disagreement: string | undefined;
  if (groups.size > 1) {
    // "still" only when the master is settled: then the others are known to be behind.
    const still = master !== undefined && reference === master ? 'still ' : '';
    const parts: string[] = [];
    for (const [m, ids] of groups) {
      if (reference !== undefined && m === reference) continue;
      parts.push(
        m === undefined
          ? `${ids.join(', ')} ${nameVerb(ids)} no master`
          : `${ids.join(', ')} ${still}${nameVerb(ids)} ${m}`,
      );
    }
    const refIds = reference === undefined ? undefined : groups.get(reference);
    if (reference !== undefined && refIds) parts.push(`${refIds.join(', ')} ${nameVerb(refIds)} ${reference}`);
    disagreement = parts.join('; ');
  }

  return {
    ...(master === undefined ? {} : { master }),
    basis,
    claims,
    answering,
    named,
    agree,
    ...(reference === undefined ? {} : { reference }),
    dissenters,
    ...(disagreement === undefined ? {} : { disagreement }),
    detail,
  };
}

/**
 * The one answer to "who is the master, do two nodes claim it, do the Sentinels agree" for every pane, lesson check,
 * the soak and the engine. Pure, memoised on the slices it reads.
 */
export const selectMastership: (s: LabState) => Mastership = memo(
  (s) => [s.topology, s.redis, s.sentinels],
  mastership,
);

/** Reachable data nodes that report role master, in topology order. */
export function selectMasters(s: LabState): string[] {
  return selectMastership(s).claims;
}

/** Every answering Sentinel names the same master (false when none answers). */
export function selectSentinelsAgree(s: LabState): boolean {
  return selectMastership(s).agree;
}

/** E.g. `sentinel-3 still names redis-1; sentinel-1, sentinel-2 name redis-2`; undefined when they agree. */
export function selectDisagreement(s: LabState): string | undefined {
  return selectMastership(s).disagreement;
}

/** Replication lag of every replica (see observe/lag.ts). */
export const selectLags: (s: LabState) => ReplicaLag[] = memo(
  (s) => [s.topology, s.redis],
  (s) => computeLags(s.topology, s.redis),
);

/** Good replicas of a master: `min_slaves_good_slaves` when the guard is on, else counted from its replica list. */
export function selectGoodReplicas(s: LabState, masterId: string): number | undefined {
  const o = s.redis[masterId];
  const r = o?.reachable ? o.replication : undefined;
  if (r?.role !== 'master') return undefined;
  if (r.goodReplicas !== undefined) return r.goodReplicas;
  const maxLag = o?.minReplicasMaxLagSec ?? 10;
  return r.replicas.filter((e) => e.state === 'online' && e.ackAgeSec <= maxLag).length;
}

/** A Redis node the lab expects to be up (running, or still starting). */
function expectedUp(s: LabState, id: string): boolean {
  const p = s.processes[id];
  return p ? !PROCESS_DOWN.has(p.state) : s.redis[id]?.reachable === true;
}

function converged(s: LabState): { ok: boolean; detail: string } {
  const m = selectMastership(s);
  if (m.claims.length === 0) return { ok: false, detail: 'no reachable master' };
  if (m.claims.length > 1) return { ok: false, detail: `${m.claims.length} masters: ${m.claims.join(', ')}` };
  const master = m.claims[0] ?? '';
  if (m.answering.length === 0) return { ok: false, detail: 'no Sentinel reachable' };
  const wrong = m.answering.filter((id) => m.named[id] !== master);
  if (wrong.length > 0) {
    return {
      ok: false,
      detail: m.disagreement ?? `${wrong.join(', ')} ${nameVerb(wrong)} ${m.named[wrong[0] ?? ''] ?? 'no master'}`,
    };
  }
  let replicas = 0;
  for (const n of redisNodes(s.topology)) {
    if (n.id === master || !expectedUp(s, n.id)) continue;
    const o = s.redis[n.id];
    if (!o?.reachable) return { ok: false, detail: `${n.id} is not reachable` };
    const r = o.replication;
    if (r?.role !== 'replica') return { ok: false, detail: `${n.id} is a master too` };
    const upstream =
      o.masterId ??
      (r.masterHost && r.masterPort ? nodeIdByAddress(s.topology, r.masterHost, r.masterPort) : undefined);
    if (upstream !== master) return { ok: false, detail: `${n.id} replicates from ${upstream ?? '?'}, not ${master}` };
    if (r.masterLinkStatus !== 'up') return { ok: false, detail: `${n.id}'s link to ${master} is down` };
    replicas++;
  }
  const n = m.answering.length;
  const agree = n === 1 ? '1 Sentinel agrees' : `${n} Sentinels agree`;
  return { ok: true, detail: `${master} is master; ${agree}; ${replicas} replica${replicas === 1 ? '' : 's'} linked` };
}

/** One master, every reachable Sentinel names it, every other running Redis replicates from it with the link up. */
export const selectConverged: (s: LabState) => { ok: boolean; detail: string } = memo(
  (s) => [s.topology, s.redis, s.sentinels, s.processes],
  converged,
);

/** The Sentinel and replication settings in force, as the nodes report them now (not as the lab wrote them). */
export interface SettingsInForce {
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  parallelSyncs: number;
  /** On the master (CONFIG GET), else the topology's. */
  minReplicasToWrite: number;
  minReplicasMaxLagSec: number;
  /** Where the Sentinel values come from: the answering Sentinels, or the topology when none answered yet. */
  source: 'sentinels' | 'topology';
  /** Sentinels report different values (SENTINEL SET on some only): each value is the most common one. */
  sentinelsDiffer: boolean;
}

/** The most common value (ties: the first seen, in topology order). */
function mostCommon(values: readonly number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: number | undefined;
  let bestCount = 0;
  for (const [v, c] of counts) {
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

/**
 * Settings re-read every probe round: SENTINEL MASTER on every answering Sentinel (quorum, down-after-milliseconds,
 * failover-timeout, parallel-syncs) and CONFIG GET on the master (min-replicas-to-write, min-replicas-max-lag), so a
 * SENTINEL SET or CONFIG SET made from outside the lab shows within one round. Falls back to the topology.
 */
export const selectSettings: (s: LabState) => SettingsInForce = memo(
  (s) => [s.topology, s.sentinels, s.redis],
  (s) => {
    const t = s.topology;
    const infos = sentinelNodes(t)
      .map((n) => s.sentinels[n.id])
      .flatMap((o) => (o?.reachable && o.master ? [o.master] : []));
    const pick = (f: (m: (typeof infos)[number]) => number, fallback: number) => {
      const values = infos.map(f).filter((v) => Number.isFinite(v) && v > 0);
      return { value: mostCommon(values) ?? fallback, differ: new Set(values).size > 1 };
    };
    const quorum = pick((m) => m.quorum, t.sentinel.quorum);
    const downAfter = pick((m) => m.downAfterMs, t.sentinel.downAfterMs);
    const timeout = pick((m) => m.failoverTimeoutMs, t.sentinel.failoverTimeoutMs);
    const syncs = pick((m) => m.parallelSyncs, t.sentinel.parallelSyncs);
    const masterId = selectMastership(s).master;
    const m = masterId ? s.redis[masterId] : undefined;
    return {
      quorum: quorum.value,
      downAfterMs: downAfter.value,
      failoverTimeoutMs: timeout.value,
      parallelSyncs: syncs.value,
      minReplicasToWrite: m?.minReplicasToWrite ?? t.replication.minReplicasToWrite,
      minReplicasMaxLagSec: m?.minReplicasMaxLagSec ?? t.replication.minReplicasMaxLagSec,
      source: infos.length ? 'sentinels' : 'topology',
      sentinelsDiffer: quorum.differ || downAfter.differ || timeout.differ || syncs.differ,
    };
  },
);
