// Pure parsers for INFO, ROLE, CONFIG GET and SENTINEL replies as ioredis 6 returns them (RESP2-shaped arrays or
// RESP3 maps). Tolerant of Valkey's spellings (`server_mode`, `primary_*`, `role:primary`) per facts §9.
import type {
  MasterReplicaEntry,
  ReplicationInfo,
  RoleReply,
  SentinelInfo,
  SentinelInstanceInfo,
  SentinelMasterInfo,
} from './types.js';

/** Maps an address as reported to a lab node id. */
export type ResolveAddress = (ip: string, port: number) => string | undefined;

/** All `key:value` lines of an INFO reply (every section), `#` headers skipped. */
export function parseInfoSections(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i <= 0) continue;
    out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** A comma list of `k=v` pairs, as in `slave0:ip=…,port=…` or `master0:name=…,status=…`. */
export function parseInfoEntry(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

function num(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** First value present among Redis's name and Valkey's renamings. */
function pick(f: Record<string, string>, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = f[n];
    if (v !== undefined) return v;
  }
  return undefined;
}

/** `master`/`primary` -> master; `slave`/`replica` -> replica. */
export function normalizeRole(role: string | undefined): 'master' | 'replica' | 'sentinel' | undefined {
  switch (role?.toLowerCase()) {
    case 'master':
    case 'primary':
      return 'master';
    case 'slave':
    case 'replica':
      return 'replica';
    case 'sentinel':
      return 'sentinel';
    default:
      return undefined;
  }
}

/** `INFO replication` (or a whole INFO) of a master or a replica. */
export function parseReplicationInfo(text: string, resolve?: ResolveAddress): ReplicationInfo {
  const f = parseInfoSections(text);
  const role = normalizeRole(f.role) === 'replica' ? 'replica' : 'master';
  const replicas: MasterReplicaEntry[] = [];
  for (const [key, value] of Object.entries(f)) {
    if (!/^(slave|replica)\d+$/.test(key)) continue;
    const e = parseInfoEntry(value);
    const ip = e.ip ?? '';
    const port = num(e.port) ?? 0;
    const entry: MasterReplicaEntry = {
      ip,
      port,
      state: e.state ?? '',
      ackOffset: num(e.offset) ?? 0,
      ackAgeSec: num(e.lag) ?? 0,
    };
    const nodeId = resolve?.(ip, port);
    if (nodeId !== undefined) entry.nodeId = nodeId;
    replicas.push(entry);
  }
  const info: ReplicationInfo = {
    role,
    masterReplOffset: num(pick(f, 'master_repl_offset', 'primary_repl_offset')) ?? 0,
    connectedReplicas: num(pick(f, 'connected_slaves', 'connected_replicas')) ?? replicas.length,
    replicas,
  };
  const good = num(pick(f, 'min_slaves_good_slaves', 'min_replicas_good_replicas'));
  if (good !== undefined) info.goodReplicas = good;
  const replId = pick(f, 'master_replid', 'primary_replid', 'replid');
  if (replId !== undefined) info.replId = replId;
  if (role === 'replica') {
    const host = pick(f, 'master_host', 'primary_host');
    if (host !== undefined) info.masterHost = host;
    const port = num(pick(f, 'master_port', 'primary_port'));
    if (port !== undefined) info.masterPort = port;
    const link = pick(f, 'master_link_status', 'primary_link_status');
    if (link === 'up' || link === 'down') info.masterLinkStatus = link;
    const io = num(pick(f, 'master_last_io_seconds_ago', 'primary_last_io_seconds_ago'));
    if (io !== undefined) info.masterLastIoSecAgo = io;
    const sync = pick(f, 'master_sync_in_progress', 'primary_sync_in_progress');
    if (sync !== undefined) info.masterSyncInProgress = sync === '1';
    const offset = num(pick(f, 'slave_repl_offset', 'replica_repl_offset'));
    if (offset !== undefined) info.replicaOffset = offset;
    const down = num(pick(f, 'master_link_down_since_seconds', 'primary_link_down_since_seconds'));
    if (down !== undefined) info.masterLinkDownSinceSec = down;
  }
  return info;
}

export interface ServerInfo {
  runId?: string;
  /** `redis_version` (Valkey reports a frozen compatibility value here). */
  redisVersion?: string;
  valkeyVersion?: string;
  /** `standalone` | `sentinel` | `cluster` (`redis_mode`, Valkey `server_mode`). */
  mode?: string;
  /** `redis` unless INFO says `server_name:valkey`. */
  serverName: string;
}

/** The `INFO server` fields the lab uses. */
export function parseServerInfo(text: string): ServerInfo {
  const f = parseInfoSections(text);
  const out: ServerInfo = { serverName: f.server_name ?? 'redis' };
  if (f.run_id !== undefined) out.runId = f.run_id;
  if (f.redis_version !== undefined) out.redisVersion = f.redis_version;
  if (f.valkey_version !== undefined) out.valkeyVersion = f.valkey_version;
  const mode = pick(f, 'redis_mode', 'server_mode');
  if (mode !== undefined) out.mode = mode;
  return out;
}

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString();
  if (v === null || v === undefined) return '';
  return String(v);
}

function toNum(v: unknown, fallback = 0): number {
  const n = typeof v === 'number' ? v : Number(str(v));
  return Number.isFinite(n) ? n : fallback;
}

/** `ROLE`: `[master, offset, [[ip, port, ack], …]]`, `[slave, host, port, state, offset]`, `[sentinel, [names]]`. */
export function parseRole(reply: unknown): RoleReply {
  if (!Array.isArray(reply) || reply.length === 0) throw new Error(`unexpected ROLE reply: ${JSON.stringify(reply)}`);
  const role = normalizeRole(str(reply[0]));
  if (role === 'master') {
    const list = Array.isArray(reply[2]) ? reply[2] : [];
    return {
      role,
      offset: toNum(reply[1]),
      replicas: list.filter(Array.isArray).map((r: unknown[]) => ({
        ip: str(r[0]),
        port: toNum(r[1]),
        offset: toNum(r[2]),
      })),
    };
  }
  if (role === 'replica') {
    return {
      role,
      masterHost: str(reply[1]),
      masterPort: toNum(reply[2]),
      state: str(reply[3]),
      offset: toNum(reply[4], -1),
    };
  }
  if (role === 'sentinel') {
    return { role, masters: Array.isArray(reply[1]) ? reply[1].map(str) : [] };
  }
  throw new Error(`unknown ROLE ${str(reply[0])}`);
}

/** A field/value reply as a record: flat `[k, v, …]` arrays (RESP2 / legacy mapping), Maps or plain objects. */
export function fieldsOf(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) out[str(reply[i])] = str(reply[i + 1]);
  } else if (reply instanceof Map) {
    for (const [k, v] of reply) out[str(k)] = str(v);
  } else if (reply && typeof reply === 'object') {
    for (const [k, v] of Object.entries(reply)) out[k] = str(v);
  }
  return out;
}

/** One entry of SENTINEL MASTER / REPLICAS / SENTINELS. */
export function parseSentinelInstance(reply: unknown, resolve?: ResolveAddress): SentinelInstanceInfo {
  const fields = fieldsOf(reply);
  const ip = fields.ip ?? '';
  const port = toNum(fields.port);
  const info: SentinelInstanceInfo = {
    name: fields.name ?? '',
    ip,
    port,
    flags: fields.flags ? fields.flags.split(',').filter(Boolean) : [],
    fields,
  };
  if (fields.runid) info.runId = fields.runid;
  const nodeId = resolve?.(ip, port);
  if (nodeId !== undefined) info.nodeId = nodeId;
  return info;
}

/** A list reply (SENTINEL REPLICAS / SENTINELS); entries may be arrays, Maps or objects. */
export function parseSentinelInstances(reply: unknown, resolve?: ResolveAddress): SentinelInstanceInfo[] {
  return Array.isArray(reply) ? reply.map((r) => parseSentinelInstance(r, resolve)) : [];
}

/** SENTINEL MASTER <name>. */
export function parseSentinelMaster(reply: unknown, resolve?: ResolveAddress): SentinelMasterInfo {
  const base = parseSentinelInstance(reply, resolve);
  const f = base.fields;
  const info: SentinelMasterInfo = {
    ...base,
    configEpoch: toNum(f['config-epoch']),
    quorum: toNum(f.quorum),
    numReplicas: toNum(f['num-slaves'] ?? f['num-replicas']),
    numOtherSentinels: toNum(f['num-other-sentinels']),
    downAfterMs: toNum(f['down-after-milliseconds']),
    failoverTimeoutMs: toNum(f['failover-timeout']),
    parallelSyncs: toNum(f['parallel-syncs']),
  };
  if (f['failover-state'] !== undefined) info.failoverState = f['failover-state'];
  return info;
}

/** SENTINEL GET-MASTER-ADDR-BY-NAME: `[ip, "port"]`, or nil for an unknown name. */
export function parseMasterAddr(reply: unknown): { ip: string; port: number } | undefined {
  if (!Array.isArray(reply) || reply.length < 2) return undefined;
  const port = toNum(reply[1], Number.NaN);
  return Number.isFinite(port) ? { ip: str(reply[0]), port } : undefined;
}

/** CONFIG GET: flat pairs or a map. */
export function parseConfigGet(reply: unknown): Record<string, string> {
  return fieldsOf(reply);
}

/** `INFO sentinel` (or a whole Sentinel INFO). */
export function parseSentinelInfo(text: string): SentinelInfo {
  const f = parseInfoSections(text);
  const info: SentinelInfo = {
    tilt: f.sentinel_tilt === '1',
    runningScripts: num(f.sentinel_running_scripts) ?? 0,
  };
  const since = num(f.sentinel_tilt_since_seconds);
  if (since !== undefined && since >= 0) info.tiltSinceSec = since;
  const master0 = pick(f, 'master0', 'primary0');
  if (master0 !== undefined) {
    const m = parseInfoEntry(master0);
    if (m.status !== undefined) info.masterStatus = m.status;
    const seen = num(m.sentinels);
    if (seen !== undefined) info.sentinelsSeen = seen;
  }
  return info;
}
