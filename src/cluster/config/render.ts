// Pure rendering of redis.conf / sentinel.conf for one node. Every value is checked or quoted so that no
// value can inject a directive; the supervisor only writes the result.
import { InternalError } from '../../errors.js';
import {
  hostOf,
  initialMaster,
  nodeById,
  publicAddress,
  redisNodes,
  SENTINEL_DATA_USER_RULES,
  sentinelNodes,
  type Topology,
} from '../topology.js';

export interface RenderContext {
  /** Absolute directory of this node (its `dir`). */
  dir: string;
  /** Absolute path of the lab's notification script, when installed. */
  notificationScript?: string;
  /**
   * Sentinel ids (40 hex) by node id, written as `sentinel myid` so the lab can name each Sentinel in events from
   * its first second; with `sentinel.preseedState`, also its peers (`known-sentinel`) so discovery need not wait.
   */
  sentinelIds?: Record<string, string>;
  /** Render this Sentinel without its password although the others have one (the misconfiguration to show). */
  withoutSentinelPassword?: boolean;
}

const SAFE_TOKEN = /^[A-Za-z0-9._:\-/]+$/;

/** Quotes a string value the way Redis's config parser (sdssplitargs) reads it back. */
export function quoteValue(value: string): string {
  if (/[\x00-\x1f\x7f]/.test(value)) {
    throw new InternalError(`refusing to write a config value containing control characters: ${JSON.stringify(value)}`);
  }
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A bare token (ip, name, number): anything else is rejected rather than quoted. */
export function token(value: string | number): string {
  const s = String(value);
  if (!SAFE_TOKEN.test(s)) throw new InternalError(`refusing to write config token ${JSON.stringify(s)}`);
  return s;
}

function int(value: number, name: string): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new InternalError(`${name} must be a non-negative integer`);
  return String(value);
}

function common(t: Topology, nodeId: string, ctx: RenderContext): string[] {
  const node = nodeById(t, nodeId);
  if (!node) throw new InternalError(`unknown node ${nodeId}`);
  const host = hostOf(t, nodeId);
  const lines = [
    `# ${node.id} on ${host.id}, rendered by redis-sentinel-lab. Redis and Sentinel rewrite this file.`,
    `port ${int(node.port, 'port')}`,
    `bind ${token(host.ip)}`,
    `dir ${quoteValue(ctx.dir)}`,
    'daemonize no',
    'logfile ""',
    'loglevel notice',
  ];
  // Since Redis 7.0 `bind` no longer sets the source address of replication and Sentinel links.
  if (t.networkMode === 'hosts') lines.push(`bind-source-addr ${token(host.ip)}`);
  return lines;
}

export function renderRedisConf(t: Topology, nodeId: string, ctx: RenderContext): string {
  const node = nodeById(t, nodeId);
  if (node?.kind !== 'redis') throw new InternalError(`${nodeId} is not a Redis node`);
  const host = hostOf(t, nodeId);
  const r = t.replication;
  // `requirepass ""` would silently turn authentication off.
  if (!t.password) throw new InternalError('refusing to render a Redis node without a password');
  const lines = [
    ...common(t, nodeId, ctx),
    `requirepass ${quoteValue(t.password)}`,
    'save ""',
    // An append-only file when asked for: a restarted master reloads its data instead of coming back empty.
    `appendonly ${node.persistence ? 'yes' : 'no'}`,
    // The 7.0 default waits 5 s before every full sync.
    'repl-diskless-sync yes',
    'repl-diskless-sync-delay 0',
    `repl-timeout ${int(r.replTimeoutSec, 'replTimeoutSec')}`,
    `repl-ping-replica-period ${int(r.replPingReplicaPeriodSec, 'replPingReplicaPeriodSec')}`,
    `min-replicas-to-write ${int(r.minReplicasToWrite, 'minReplicasToWrite')}`,
    `min-replicas-max-lag ${int(r.minReplicasMaxLagSec, 'minReplicasMaxLagSec')}`,
    `replica-priority ${int(node.replicaPriority, 'replicaPriority')}`,
  ];
  if (node.masterauth) lines.push(`masterauth ${quoteValue(t.password)}`);
  const dataUser = t.sentinelAuth.dataUser;
  if (dataUser) {
    // The Sentinels' own least-privilege user; `>` sets its password (the lab's one secret, as for every user).
    lines.push(`user ${token(dataUser)} on >${token(t.password)} ${SENTINEL_DATA_USER_RULES}`);
  }
  if (t.networkMode === 'hosts') {
    lines.push(`replica-announce-ip ${token(host.publicIp)}`, `replica-announce-port ${int(node.port, 'port')}`);
  }
  if (node.initialRole === 'replica') {
    const m = publicAddress(t, initialMaster(t).id);
    lines.push(`replicaof ${token(m.host)} ${int(m.port, 'port')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderSentinelConf(t: Topology, nodeId: string, ctx: RenderContext): string {
  const node = nodeById(t, nodeId);
  if (node?.kind !== 'sentinel') throw new InternalError(`${nodeId} is not a Sentinel`);
  const s = t.sentinel;
  const name = token(s.masterName);
  const host = hostOf(t, nodeId);
  const m = publicAddress(t, initialMaster(t).id);
  const lines = [...common(t, nodeId, ctx)];
  const auth = t.sentinelAuth;
  if (auth.password && !ctx.withoutSentinelPassword) {
    // Clients must send it; and this Sentinel sends it to the other Sentinels (without sentinel-pass it would send
    // its requirepass, the same value: redis.io, "Sentinel password-only authentication").
    lines.push(`requirepass ${quoteValue(auth.password)}`, `sentinel sentinel-pass ${quoteValue(auth.password)}`);
  }
  if (t.networkMode === 'hosts') {
    lines.push(`sentinel announce-ip ${token(host.publicIp)}`, `sentinel announce-port ${int(node.port, 'port')}`);
  }
  lines.push(
    `sentinel monitor ${name} ${token(m.host)} ${int(m.port, 'port')} ${int(s.quorum, 'quorum')}`,
    `sentinel auth-pass ${name} ${quoteValue(t.password)}`,
    ...(auth.dataUser ? [`sentinel auth-user ${name} ${token(auth.dataUser)}`] : []),
    `sentinel down-after-milliseconds ${name} ${int(s.downAfterMs, 'downAfterMs')}`,
    `sentinel failover-timeout ${name} ${int(s.failoverTimeoutMs, 'failoverTimeoutMs')}`,
    `sentinel parallel-syncs ${name} ${int(s.parallelSyncs, 'parallelSyncs')}`,
    'sentinel deny-scripts-reconfig yes',
  );
  if (s.notificationScript && ctx.notificationScript) {
    lines.push(`sentinel notification-script ${name} ${quoteValue(ctx.notificationScript)}`);
  }
  // Sentinel generates and saves its own myid on first start; choosing it here names every Sentinel from the start.
  const ids = ctx.sentinelIds;
  const myid = ids?.[nodeId];
  if (myid) lines.push(`sentinel myid ${hex40(myid)}`);
  // Pre-seeded state (as Sentinel itself would persist it) makes discovery take ~1 s instead of waiting for hellos.
  // Without it a Sentinel discovers the replicas from the master's INFO and its peers from hello messages.
  if (ids && s.preseedState) {
    for (const r of redisNodes(t)) {
      if (r.initialRole === 'master') continue;
      const a = publicAddress(t, r.id);
      lines.push(`sentinel known-replica ${name} ${token(a.host)} ${int(a.port, 'port')}`);
    }
    for (const peer of sentinelNodes(t)) {
      const peerId = ids[peer.id];
      if (peer.id === nodeId || !peerId) continue;
      const a = publicAddress(t, peer.id);
      lines.push(`sentinel known-sentinel ${name} ${token(a.host)} ${int(a.port, 'port')} ${hex40(peerId)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A Sentinel config (as Sentinel last rewrote it) with its own password set or removed: `requirepass` and
 * `sentinel sentinel-pass` replaced, and the `user default …` line Redis 7 writes on every rewrite dropped, since
 * it carries the password's hash and would otherwise keep requiring it. Everything else (myid, known replicas and
 * Sentinels, epochs) stays as Sentinel wrote it.
 */
export function withSentinelPassword(conf: string, password: string | undefined): string {
  const kept = conf.split('\n').filter((l) => !/^\s*(requirepass|sentinel\s+sentinel-pass|user\s+default)\b/i.test(l));
  while (kept.length && kept[kept.length - 1] === '') kept.pop();
  if (password) kept.push(`requirepass ${quoteValue(password)}`, `sentinel sentinel-pass ${quoteValue(password)}`);
  return `${kept.join('\n')}\n`;
}

function hex40(id: string): string {
  if (!/^[0-9a-f]{40}$/.test(id)) throw new InternalError(`bad sentinel id ${id}`);
  return id;
}

/** The lab's own notification script: records each warning event with a timestamp. No user text reaches it. */
export function renderNotificationScript(eventsFile: string): string {
  return [
    '#!/bin/sh',
    '# Sentinel calls this with <event-type> <event-description> for every warning-level event.',
    `printf '%s %s %s\\n' "$(date +%s)" "$1" "$2" >> ${shellQuote(eventsFile)}`,
    'exit 0',
    '',
  ].join('\n');
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
