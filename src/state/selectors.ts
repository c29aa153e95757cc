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

/** Ids of reachable Redis nodes whose role is master, in topology order. */
export const selectMasters: (s: LabState) => string[] = memo(
  (s) => [s.topology, s.redis],
  (s) =>
    redisNodes(s.topology)
      .map((n) => n.id)
      .filter((id) => {
        const o = s.redis[id];
        return o?.reachable === true && o.replication?.role === 'master';
      }),
);

/** The master, when exactly one reachable node is master. */
export function selectTrueMaster(s: LabState): string | undefined {
  const masters = selectMasters(s);
  return masters.length === 1 ? masters[0] : undefined;
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

function reachableSentinels(s: LabState): string[] {
  return sentinelNodes(s.topology)
    .map((n) => n.id)
    .filter((id) => s.sentinels[id]?.reachable === true);
}

/** Every reachable Sentinel names the same master (false when none is reachable). */
export function selectSentinelsAgree(s: LabState): boolean {
  const named = selectSentinelMasters(s);
  const ids = reachableSentinels(s);
  const first = ids[0] === undefined ? undefined : named[ids[0]];
  return first !== undefined && ids.every((id) => named[id] === first);
}

/** `sentinel-3 names …` / `sentinel-1, sentinel-2 name …` */
const nameVerb = (ids: string[]) => (ids.length === 1 ? 'names' : 'name');

/** E.g. `sentinel-3 still names redis-1; sentinel-1, sentinel-2 name redis-2`; undefined when they agree. */
export function selectDisagreement(s: LabState): string | undefined {
  const named = selectSentinelMasters(s);
  const groups = new Map<string | undefined, string[]>();
  for (const id of reachableSentinels(s)) {
    const m = named[id];
    groups.set(m, [...(groups.get(m) ?? []), id]);
  }
  if (groups.size < 2) return undefined;
  // The reference group names the real master when there is one, else it is the largest group.
  const trueMaster = selectTrueMaster(s);
  let ref: string | undefined = trueMaster !== undefined && groups.has(trueMaster) ? trueMaster : undefined;
  if (ref === undefined) {
    let size = 0;
    for (const [m, ids] of groups) {
      if (m !== undefined && ids.length > size) {
        ref = m;
        size = ids.length;
      }
    }
  }
  const parts: string[] = [];
  for (const [m, ids] of groups) {
    if (m === ref) continue;
    parts.push(
      m === undefined
        ? `${ids.join(', ')} ${nameVerb(ids)} no master`
        : `${ids.join(', ')} still ${nameVerb(ids)} ${m}`,
    );
  }
  const refIds = groups.get(ref);
  if (ref !== undefined && refIds) parts.push(`${refIds.join(', ')} ${nameVerb(refIds)} ${ref}`);
  return parts.join('; ');
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
  const masters = selectMasters(s);
  if (masters.length === 0) return { ok: false, detail: 'no reachable master' };
  if (masters.length > 1) return { ok: false, detail: `${masters.length} masters: ${masters.join(', ')}` };
  const master = masters[0] ?? '';
  const sentinels = reachableSentinels(s);
  if (sentinels.length === 0) return { ok: false, detail: 'no Sentinel reachable' };
  const named = selectSentinelMasters(s);
  const wrong = sentinels.filter((id) => named[id] !== master);
  if (wrong.length > 0) {
    return {
      ok: false,
      detail: selectDisagreement(s) ?? `${wrong.join(', ')} ${nameVerb(wrong)} ${named[wrong[0] ?? ''] ?? 'no master'}`,
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
  const agree = sentinels.length === 1 ? '1 Sentinel agrees' : `${sentinels.length} Sentinels agree`;
  return { ok: true, detail: `${master} is master; ${agree}; ${replicas} replica${replicas === 1 ? '' : 's'} linked` };
}

/** One master, every reachable Sentinel names it, every other running Redis replicates from it with the link up. */
export const selectConverged: (s: LabState) => { ok: boolean; detail: string } = memo(
  (s) => [s.topology, s.redis, s.sentinels, s.processes],
  converged,
);
