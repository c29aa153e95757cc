// Pure: a compact, comparable summary of the live view, for `watch` (printed only when it changes).
import { redisNodes, sentinelNodes } from '../cluster/topology.js';
import type { LabState } from '../state/store.js';

export interface ViewSummary {
  redis: Record<string, { state: string; role?: string; master?: string; link?: string; lagBytes?: number }>;
  sentinels: Record<string, { state: string; master?: string; flags?: string; tilt?: boolean; epoch?: number }>;
  faults: string[];
}

export function summarizeView(s: LabState): ViewSummary {
  const t = s.topology;
  const redis: ViewSummary['redis'] = {};
  for (const n of redisNodes(t)) {
    const o = s.redis[n.id];
    const r = o?.replication;
    const state = s.processes[n.id]?.state ?? 'unknown';
    redis[n.id] = o?.reachable
      ? {
          state,
          role: r?.role,
          master: r?.role === 'replica' ? (o.masterId ?? `${r.masterHost}:${r.masterPort}`) : undefined,
          link: r?.role === 'replica' ? r.masterLinkStatus : undefined,
        }
      : { state: state === 'running' ? 'unreachable' : state };
  }
  const sentinels: ViewSummary['sentinels'] = {};
  for (const n of sentinelNodes(t)) {
    const o = s.sentinels[n.id];
    const state = s.processes[n.id]?.state ?? 'unknown';
    sentinels[n.id] = o?.reachable
      ? {
          state,
          master: o.masterId ?? (o.masterAddr ? `${o.masterAddr.ip}:${o.masterAddr.port}` : undefined),
          flags: o.master?.flags.join(','),
          tilt: o.info?.tilt,
          epoch: o.master?.configEpoch,
        }
      : { state: state === 'running' ? 'unreachable' : state };
  }
  return { redis, sentinels, faults: s.faults.map((f) => `${f.id}: ${f.description}`) };
}

export function formatSummary(v: ViewSummary): string {
  const r = Object.entries(v.redis)
    .map(
      ([id, x]) => `${id}=${x.role ?? x.state}${x.master ? `<-${x.master}${x.link === 'down' ? '(down)' : ''}` : ''}`,
    )
    .join(' ');
  const s = Object.entries(v.sentinels)
    .map(([id, x]) => `${id}->${x.master ?? x.state}${x.tilt ? '(TILT)' : ''}`)
    .join(' ');
  return `${r} | ${s}${v.faults.length ? ` | faults: ${v.faults.join('; ')}` : ''}`;
}
