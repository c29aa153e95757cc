// Pure: a compact, comparable summary of the live view, for `watch` (printed only when it changes).
import { redisNodes, sentinelNodes } from '../cluster/topology.js';
import { type SettingsInForce, selectSettings } from '../state/selectors.js';
import type { LabState } from '../state/store.js';

export interface ViewSummary {
  redis: Record<
    string,
    { state: string; exit?: string; role?: string; master?: string; link?: string; lagBytes?: number }
  >;
  sentinels: Record<
    string,
    { state: string; exit?: string; master?: string; flags?: string; tilt?: boolean; epoch?: number }
  >;
  faults: string[];
  /** The settings in force now, as the Sentinels and the master report them. */
  settings: Omit<SettingsInForce, 'source' | 'sentinelsDiffer'>;
}

/**
 * A node's process state, and how it ended when it did: exited or stopped (with the signal or exit code the lab's
 * own child reported), frozen (SIGSTOP, from the lab or from outside); `unreachable` only for a process that runs
 * but does not answer.
 */
function processFacts(s: LabState, id: string, reachable: boolean): { state: string; exit?: string } {
  const p = s.processes[id];
  const state = p?.state ?? 'unknown';
  if (state === 'exited' || state === 'stopped') {
    const e = p?.lastExit;
    const exit = e ? (e.signal ?? (e.code === null ? undefined : `code ${e.code}`)) : undefined;
    return exit ? { state, exit } : { state };
  }
  return { state: state === 'running' && !reachable ? 'unreachable' : state };
}

/**
 * Whether every node has been probed once, answering or not (a probe's first round always reports, within its
 * timeouts: cluster/probes/probe-loop.ts). Before that a view would call each node no probe has reached yet
 * unreachable, so `watch` prints none: its first view is the first complete probe round.
 */
export function everyNodeProbed(s: LabState): boolean {
  const t = s.topology;
  return (
    redisNodes(t).every((n) => s.redis[n.id] !== undefined) &&
    sentinelNodes(t).every((n) => s.sentinels[n.id] !== undefined)
  );
}

export function summarizeView(s: LabState): ViewSummary {
  const t = s.topology;
  const redis: ViewSummary['redis'] = {};
  for (const n of redisNodes(t)) {
    const o = s.redis[n.id];
    const r = o?.replication;
    const facts = processFacts(s, n.id, Boolean(o?.reachable));
    // A probe's answer describes a running process: once it exited (or stopped) its last answer is history.
    redis[n.id] =
      o?.reachable && facts.state === 'running'
        ? {
            ...facts,
            role: r?.role,
            master: r?.role === 'replica' ? (o.masterId ?? `${r.masterHost}:${r.masterPort}`) : undefined,
            link: r?.role === 'replica' ? r.masterLinkStatus : undefined,
          }
        : facts;
  }
  const sentinels: ViewSummary['sentinels'] = {};
  for (const n of sentinelNodes(t)) {
    const o = s.sentinels[n.id];
    const facts = processFacts(s, n.id, Boolean(o?.reachable));
    sentinels[n.id] =
      o?.reachable && facts.state === 'running'
        ? {
            ...facts,
            master: o.masterId ?? (o.masterAddr ? `${o.masterAddr.ip}:${o.masterAddr.port}` : undefined),
            flags: o.master?.flags.join(','),
            tilt: o.info?.tilt,
            epoch: o.master?.configEpoch,
          }
        : facts;
  }
  const { source: _source, sentinelsDiffer: _differ, ...settings } = selectSettings(s);
  return { redis, sentinels, faults: s.faults.map((f) => `${f.id}: ${f.description}`), settings };
}

export function formatSummary(v: ViewSummary): string {
  const r = Object.entries(v.redis)
    .map(
      ([id, x]) =>
        `${id}=${x.role ?? x.state}${x.exit ? `(${x.exit})` : ''}${x.master ? `<-${x.master}${x.link === 'down' ? '(down)' : ''}` : ''}`,
    )
    .join(' ');
  const s = Object.entries(v.sentinels)
    .map(([id, x]) => `${id}->${x.master ?? x.state}${x.exit ? `(${x.exit})` : ''}${x.tilt ? '(TILT)' : ''}`)
    .join(' ');
  const k = v.settings;
  const settings = `quorum ${k.quorum} · down-after ${k.downAfterMs} ms · failover-timeout ${k.failoverTimeoutMs} ms · min-replicas ${k.minReplicasToWrite}`;
  return `${r} | ${s} | ${settings}${v.faults.length ? ` | faults: ${v.faults.join('; ')}` : ''}`;
}
