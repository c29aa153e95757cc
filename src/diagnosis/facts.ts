// Pure: a raw snapshot (snapshot.ts) interpreted into facts about a deployment — who is a Sentinel, which masters
// they monitor, which data nodes each master has, and what each of them says — with the node ids the lab shows:
// `sentinel-1`… in address order over every Sentinel found, and per master `redis-1`… in address order over every data
// node any Sentinel names for it (or its master lists as a replica). Tolerant of Redis 6.2–7.x and Valkey spellings
// (the parsers of cluster/observe/parse-info.ts).
import {
  fieldsOf,
  parseConfigGet,
  parseInfoSections,
  parseMasterAddr,
  parseReplicationInfo,
  parseRole,
  parseSentinelInfo,
  parseSentinelInstances,
  parseSentinelMaster,
  parseServerInfo,
  type ResolveAddress,
} from '../cluster/observe/parse-info.js';
import type { ReplicationInfo, RoleReply, SentinelInstanceInfo, SentinelMasterInfo } from '../cluster/observe/types.js';
import {
  type Endpoint,
  endpointText,
  type RawClock,
  type RawNode,
  type RawReply,
  type RawSentinel,
  type RawSnapshot,
} from './snapshot.js';

export interface ServerFact {
  /** `redis` or `valkey`. */
  name: string;
  /** The real version (Valkey's own, not its frozen `redis_version`). */
  version?: string;
  runId?: string;
  /** `tcp_port`: the port the process itself listens on. */
  tcpPort?: number;
  uptimeSec?: number;
}

export interface ClockFact {
  /** The node's clock minus this machine's (ms), from TIME. */
  offsetMs: number;
  /** Half the round trip: the offset is known to within this. */
  uncertaintyMs: number;
}

/** What one Sentinel says about one master name. */
export interface SentinelView {
  /** GET-MASTER-ADDR-BY-NAME: the master it names right now. */
  named?: Endpoint;
  /** Its SENTINEL MASTERS entry for the name (settings, flags, counts). */
  master?: SentinelMasterInfo;
  replicas: SentinelInstanceInfo[];
  sentinels: SentinelInstanceInfo[];
  /** SENTINEL CKQUORUM: its own verdict (OK / NOQUORUM …). */
  ckquorum?: { ok: boolean; text: string };
}

export interface SentinelFact {
  id: string;
  endpoint: Endpoint;
  /** Other addresses the same Sentinel (same myid) was found under. */
  aliases: Endpoint[];
  seed: boolean;
  reachable: boolean;
  error?: string;
  server?: ServerFact;
  myId?: string;
  tilt?: boolean;
  tiltSinceSec?: number;
  clock?: ClockFact;
  /** Master names it monitors. */
  monitors: string[];
  views: Record<string, SentinelView>;
  /**
   * Addresses its peers know it by (SENTINEL SENTINELS, same run id) where nothing answers from here: what it
   * announces is not where it listens.
   */
  unansweredAt: Endpoint[];
}

export interface NodeConfig {
  save?: string;
  appendonly?: string;
  minReplicasToWrite?: number;
  minReplicasMaxLagSec?: number;
  /** Whether `masterauth` (Valkey: `primaryauth`) is set; undefined when CONFIG GET was refused. */
  hasMasterauth?: boolean;
  replicaPriority?: number;
  announceIp?: string;
  announcePort?: number;
}

export interface NodeFact {
  endpoint: Endpoint;
  reachable: boolean;
  error?: string;
  /** Answers PING without credentials with NOAUTH. */
  authRequired?: boolean;
  server?: ServerFact;
  role?: RoleReply;
  replication?: ReplicationInfo;
  /** Raw `INFO replication` fields (e.g. `slave_priority`), for evidence. */
  replicationFields?: Record<string, string>;
  aofEnabled?: boolean;
  config: NodeConfig;
  clock?: ClockFact;
}

export interface MasterFact {
  name: string;
  /** Ids of the Sentinels that monitor it, in id order. */
  sentinels: string[];
  /** Its data nodes, `redis-1`… in address order. */
  nodes: Array<{ id: string; endpoint: Endpoint }>;
}

/** A read the server refused (an ACL without that command, or a command renamed away): its check did not run. */
export interface Refusal {
  /** `sentinel-2 (10.0.0.7:26379)` or `10.0.0.6:6379`. */
  where: string;
  /** As sent: `CONFIG GET save`, `SENTINEL REPLICAS mymaster`. */
  command: string;
  error: string;
  /** A Sentinel's or a data node's: their ACLs know different commands. */
  kind: 'sentinel' | 'redis';
}

/**
 * A `--sentinel` address that is not a Sentinel: it answers as a data node (INFO server says so), or it is the address
 * of one of the deployment's data nodes (a master or replica the Sentinels list), whatever it answered the lab.
 */
export interface NotSentinel {
  endpoint: Endpoint;
  /** `redis_mode` (Valkey: `server_mode`): `standalone` or `cluster`; absent when its INFO could not be read. */
  mode?: string;
  /** The data node the Sentinels list at that address. */
  dataNode?: { id: string; master: string };
  /** What it answered the lab's Sentinel connection, when that failed (a password it wants, say). */
  error?: string;
}

export interface Facts {
  takenAt: number;
  tookMs: number;
  seeds: Endpoint[];
  masterName?: string;
  sentinels: SentinelFact[];
  /** Given as Sentinels, answering as data nodes: left out of `sentinels`. */
  notSentinels: NotSentinel[];
  /** Reads refused by permission or by name, in the order they were made. */
  refused: Refusal[];
  /** Every data node, in address order. */
  nodes: NodeFact[];
  /** Every master name, sorted. */
  masters: MasterFact[];
}

/** Address order: IPv4 numerically, then anything else as text; then the port. */
export function compareEndpoints(a: Endpoint, b: Endpoint): number {
  const v4 = (h: string) => (/^\d+\.\d+\.\d+\.\d+$/.test(h) ? h.split('.').map(Number) : undefined);
  const x = v4(a.host);
  const y = v4(b.host);
  if (x && y) {
    for (let i = 0; i < 4; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  } else if (x || y) return x ? -1 : 1;
  else if (a.host !== b.host) return a.host < b.host ? -1 : 1;
  return a.port - b.port;
}

export function sameEndpoint(a: Endpoint | undefined, b: Endpoint | undefined): boolean {
  return a !== undefined && b !== undefined && a.host === b.host && a.port === b.port;
}

const value = (r: RawReply | undefined): unknown => (r?.ok ? r.value : undefined);
const text = (r: RawReply | undefined): string | undefined => {
  const v = value(r);
  return typeof v === 'string' ? v : undefined;
};

function serverFact(info: string | undefined): ServerFact | undefined {
  if (info === undefined) return undefined;
  const s = parseServerInfo(info);
  const f = parseInfoSections(info);
  const out: ServerFact = { name: s.serverName };
  const version = s.valkeyVersion ?? s.redisVersion;
  if (version !== undefined) out.version = version;
  if (s.runId !== undefined) out.runId = s.runId;
  const port = Number(f.tcp_port);
  if (f.tcp_port !== undefined && Number.isInteger(port)) out.tcpPort = port;
  const up = Number(f.uptime_in_seconds);
  if (f.uptime_in_seconds !== undefined && Number.isFinite(up)) out.uptimeSec = up;
  return out;
}

/** The node's clock in ms from TIME (`[seconds, microseconds]`) or INFO server (`server_time_usec`). */
function remoteMs(v: unknown): number | undefined {
  if (Array.isArray(v) && v.length >= 2) {
    const ms = Number(String(v[0])) * 1000 + Number(String(v[1])) / 1000;
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (typeof v === 'string') {
    const usec = Number(parseInfoSections(v).server_time_usec);
    return Number.isFinite(usec) && usec > 0 ? usec / 1000 : undefined;
  }
  return undefined;
}

function clockFact(c: RawClock | undefined): ClockFact | undefined {
  const ms = c ? remoteMs(value(c.reply)) : undefined;
  if (!c || ms === undefined) return undefined;
  const remote = ms;
  return {
    offsetMs: Math.round(remote - (c.beforeMs + c.afterMs) / 2),
    uncertaintyMs: Math.ceil((c.afterMs - c.beforeMs) / 2) + 1,
  };
}

function ckquorumFact(r: RawReply | undefined): { ok: boolean; text: string } | undefined {
  if (!r) return undefined;
  if (r.ok) return { ok: true, text: String(r.value) };
  return { ok: false, text: r.error };
}

function num(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function nodeConfig(raw: RawNode['config']): NodeConfig {
  const all: Record<string, string> = {};
  for (const r of Object.values(raw)) if (r.ok) Object.assign(all, parseConfigGet(r.value));
  const pick = (...names: string[]) => {
    for (const n of names) if (all[n] !== undefined) return all[n];
    return undefined;
  };
  const out: NodeConfig = {};
  const save = pick('save');
  if (save !== undefined) out.save = save;
  const aof = pick('appendonly');
  if (aof !== undefined) out.appendonly = aof;
  const toWrite = num(pick('min-replicas-to-write', 'min-slaves-to-write'));
  if (toWrite !== undefined) out.minReplicasToWrite = toWrite;
  const maxLag = num(pick('min-replicas-max-lag', 'min-slaves-max-lag'));
  if (maxLag !== undefined) out.minReplicasMaxLagSec = maxLag;
  // Valkey answers to both names (`primaryauth` is its own; CONFIG GET * lists both), Redis only to masterauth.
  const auth = pick('masterauth', 'primaryauth');
  if (auth !== undefined) out.hasMasterauth = auth !== '';
  const prio = num(pick('replica-priority', 'slave-priority'));
  if (prio !== undefined) out.replicaPriority = prio;
  const ip = pick('replica-announce-ip', 'slave-announce-ip');
  if (ip) out.announceIp = ip;
  const port = num(pick('replica-announce-port', 'slave-announce-port'));
  if (port) out.announcePort = port;
  return out;
}

function nodeFact(n: RawNode): NodeFact {
  const out: NodeFact = { endpoint: n.endpoint, reachable: n.error === undefined, config: nodeConfig(n.config) };
  if (n.error !== undefined) out.error = n.error;
  if (n.authRequired !== undefined) out.authRequired = n.authRequired;
  const server = serverFact(text(n.infoServer));
  if (server) out.server = server;
  const repl = text(n.infoReplication);
  if (repl !== undefined) {
    out.replication = parseReplicationInfo(repl);
    out.replicationFields = parseInfoSections(repl);
  }
  const role = value(n.role);
  if (role !== undefined) {
    try {
      out.role = parseRole(role);
    } catch {
      // An unexpected ROLE shape leaves the role to INFO.
    }
  }
  const pers = text(n.infoPersistence);
  if (pers !== undefined) {
    const f = parseInfoSections(pers);
    if (f.aof_enabled !== undefined) out.aofEnabled = f.aof_enabled === '1';
  }
  const clock = clockFact(n.clock);
  if (clock) out.clock = clock;
  return out;
}

/** Parses one Sentinel; ids and address resolution are filled in by factsFrom. */
function sentinelFact(s: RawSentinel, id: string, resolveFor: (master: string) => ResolveAddress): SentinelFact {
  const out: SentinelFact = {
    id,
    endpoint: s.endpoint,
    aliases: [],
    seed: s.seed,
    reachable: s.error === undefined,
    monitors: [],
    views: {},
    unansweredAt: [],
  };
  if (s.error !== undefined) out.error = s.error;
  const server = serverFact(text(s.infoServer));
  if (server) out.server = server;
  const info = text(s.infoSentinel);
  if (info !== undefined) {
    const si = parseSentinelInfo(info);
    out.tilt = si.tilt;
    if (si.tiltSinceSec !== undefined) out.tiltSinceSec = si.tiltSinceSec;
  }
  const myId = value(s.myId);
  if (typeof myId === 'string' && myId) out.myId = myId;
  const clock = clockFact(s.clock);
  if (clock) out.clock = clock;
  const masters = new Map<string, unknown>();
  const mv = value(s.masters);
  if (Array.isArray(mv)) for (const m of mv) masters.set(fieldsOf(m).name ?? '', m);
  out.monitors = [...masters.keys()].filter(Boolean).sort();
  for (const name of new Set([...out.monitors, ...Object.keys(s.views)])) {
    const raw = s.views[name] ?? {};
    const resolve = resolveFor(name);
    const view: SentinelView = {
      replicas: parseSentinelInstances(value(raw.replicas), resolve),
      sentinels: parseSentinelInstances(value(raw.sentinels), resolve),
    };
    const addr = parseMasterAddr(value(raw.addr));
    if (addr) view.named = { host: addr.ip, port: addr.port };
    const m = masters.get(name);
    if (m !== undefined) view.master = parseSentinelMaster(m, resolve);
    const ck = ckquorumFact(raw.ckquorum);
    if (ck) view.ckquorum = ck;
    out.views[name] = view;
  }
  return out;
}

/** Endpoints any Sentinel names for `name` (its master, GET-MASTER-ADDR-BY-NAME, its replicas). */
function namedFor(name: string, sentinels: readonly RawSentinel[]): Endpoint[] {
  const out: Endpoint[] = [];
  for (const s of sentinels) {
    const mv = value(s.masters);
    if (Array.isArray(mv)) {
      for (const m of mv) {
        const f = fieldsOf(m);
        const port = Number(f.port);
        if (f.name === name && f.ip && port > 0) out.push({ host: f.ip, port });
      }
    }
    const v = s.views[name];
    if (!v) continue;
    const addr = parseMasterAddr(value(v.addr));
    if (addr) out.push({ host: addr.ip, port: addr.port });
    for (const r of parseSentinelInstances(value(v.replicas)))
      if (r.ip && r.port > 0) out.push({ host: r.ip, port: r.port });
  }
  return out;
}

/** The data node (of any master) at `e`, by the ids `factsFrom` gives them. */
export function dataNodeAt(
  perMaster: ReadonlyMap<string, ReadonlyArray<{ id: string; endpoint: Endpoint }>>,
  e: Endpoint,
): { id: string; master: string } | undefined {
  for (const [master, nodes] of perMaster) {
    const n = nodes.find((x) => sameEndpoint(x.endpoint, e));
    if (n) return { id: n.id, master };
  }
  return undefined;
}

/** Interprets a raw snapshot. Pure. */
export function factsFrom(raw: RawSnapshot): Facts {
  const nodes = raw.nodes.map(nodeFact).sort((a, b) => compareEndpoints(a.endpoint, b.endpoint));
  const nodeAt = (e: Endpoint) => nodes.find((n) => sameEndpoint(n.endpoint, e));

  // Master names: what any Sentinel monitors (or was asked about).
  const names = new Set<string>();
  for (const s of raw.sentinels) {
    for (const n of Object.keys(s.views)) names.add(n);
    const mv = value(s.masters);
    if (Array.isArray(mv)) for (const m of mv) if (fieldsOf(m).name) names.add(fieldsOf(m).name ?? '');
  }
  if (raw.masterName !== undefined) for (const n of [...names]) if (n !== raw.masterName) names.delete(n);

  // Data nodes per master: named by a Sentinel, plus the replicas a node of it that reports role master lists.
  const perMaster = new Map<string, Array<{ id: string; endpoint: Endpoint }>>();
  for (const name of names) {
    const eps: Endpoint[] = [];
    const push = (e: Endpoint) => {
      if (!eps.some((x) => sameEndpoint(x, e))) eps.push(e);
    };
    for (const e of namedFor(name, raw.sentinels)) push(e);
    for (const e of [...eps]) {
      const r = nodeAt(e)?.replication;
      if (r?.role === 'master')
        for (const rep of r.replicas) if (rep.ip && rep.port > 0) push({ host: rep.ip, port: rep.port });
    }
    eps.sort(compareEndpoints);
    perMaster.set(
      name,
      eps.map((endpoint, i) => ({ id: `redis-${i + 1}`, endpoint })),
    );
  }

  // A seed that answers as a data node is not a Sentinel: it is reported, not counted. So is a seed at the address
  // of one of the deployment's data nodes, whatever it answered (a data node with a password refuses the Sentinel
  // connection's login before it can say what it is: that is no Sentinel asking for a password).
  const notSentinels: NotSentinel[] = [];
  const candidates = raw.sentinels.filter((s) => {
    const mode = serverMode(s);
    if (mode === 'sentinel') return true;
    const dataNode = s.seed ? dataNodeAt(perMaster, s.endpoint) : undefined;
    if (mode === undefined && !dataNode) return true;
    notSentinels.push({
      endpoint: s.endpoint,
      ...(mode !== undefined ? { mode } : {}),
      ...(dataNode ? { dataNode } : {}),
      ...(mode === undefined && s.error !== undefined ? { error: s.error } : {}),
    });
    return false;
  });
  // A peer entry (SENTINEL SENTINELS) that does not answer, carrying the run id of a Sentinel that answers elsewhere,
  // is that Sentinel's announced address: one Sentinel, not two.
  const announcedRunId = (e: Endpoint): string | undefined => {
    for (const s of candidates) {
      if (s.error !== undefined) continue;
      for (const v of Object.values(s.views)) {
        const p = parseSentinelInstances(value(v.sentinels)).find((x) => x.ip === e.host && x.port === e.port);
        if (p?.runId) return p.runId;
      }
    }
    return undefined;
  };
  const unanswered = new Map<string, Endpoint[]>();
  const answering = candidates.filter((s) => {
    if (s.error === undefined) return true;
    const runId = announcedRunId(s.endpoint);
    const twin = runId ? candidates.find((o) => o.error === undefined && value(o.myId) === runId) : undefined;
    if (!runId || !twin) return true;
    unanswered.set(runId, [...(unanswered.get(runId) ?? []), s.endpoint]);
    return false;
  });

  // Sentinels: one per myid (the same Sentinel may be reachable under two addresses), in address order.
  const sorted = [...answering].sort((a, b) => {
    if (a.seed !== b.seed && value(a.myId) !== undefined && value(a.myId) === value(b.myId)) return a.seed ? -1 : 1;
    return compareEndpoints(a.endpoint, b.endpoint);
  });
  const kept: RawSentinel[] = [];
  const aliases = new Map<RawSentinel, Endpoint[]>();
  for (const s of sorted) {
    const id = value(s.myId);
    const twin = typeof id === 'string' && id ? kept.find((k) => value(k.myId) === id) : undefined;
    if (twin) aliases.set(twin, [...(aliases.get(twin) ?? []), s.endpoint]);
    else kept.push(s);
  }
  kept.sort((a, b) => compareEndpoints(a.endpoint, b.endpoint));
  const sentinelEndpoints = kept.map((s, i) => ({
    id: `sentinel-${i + 1}`,
    endpoints: [s.endpoint, ...(aliases.get(s) ?? [])],
  }));

  const resolveFor =
    (master: string): ResolveAddress =>
    (ip, port) => {
      const e = { host: ip, port };
      const n = perMaster.get(master)?.find((x) => sameEndpoint(x.endpoint, e));
      if (n) return n.id;
      return sentinelEndpoints.find((s) => s.endpoints.some((x) => sameEndpoint(x, e)))?.id;
    };

  const sentinels = kept.map((s, i) => {
    const f = sentinelFact(s, `sentinel-${i + 1}`, resolveFor);
    f.aliases = aliases.get(s) ?? [];
    f.unansweredAt = f.myId ? (unanswered.get(f.myId) ?? []) : [];
    if (raw.masterName !== undefined) {
      for (const n of Object.keys(f.views)) if (n !== raw.masterName) delete f.views[n];
    }
    return f;
  });

  const masters: MasterFact[] = [...names].sort().map((name) => ({
    name,
    sentinels: sentinels.filter((s) => s.views[name] !== undefined).map((s) => s.id),
    nodes: perMaster.get(name) ?? [],
  }));

  return {
    takenAt: raw.takenAt,
    tookMs: raw.tookMs,
    seeds: raw.seeds,
    ...(raw.masterName !== undefined ? { masterName: raw.masterName } : {}),
    sentinels,
    notSentinels,
    refused: refusals(answering, sentinels, raw.nodes, masters),
    nodes,
    masters,
  };
}

/** `redis_mode` of a Sentinel candidate, when its INFO server was read. */
function serverMode(s: RawSentinel): string | undefined {
  const info = text(s.infoServer);
  return info === undefined ? undefined : parseServerInfo(info).mode;
}

/** Refused by an ACL (NOPERM) or not known by that name (`rename-command`, or a server too old for it). */
const REFUSED = /^(NOPERM|ERR unknown (sub)?command)/i;

function refusals(
  raw: readonly RawSentinel[],
  sentinels: readonly SentinelFact[],
  nodes: readonly RawNode[],
  masters: readonly MasterFact[],
): Refusal[] {
  const out: Refusal[] = [];
  const noteAs = (kind: Refusal['kind']) => (where: string, command: string, r: RawReply | undefined) => {
    if (r && !r.ok && REFUSED.test(r.error)) out.push({ where, command, error: r.error, kind });
  };
  const note = noteAs('sentinel');
  for (const s of raw) {
    const fact = sentinels.find(
      (x) => sameEndpoint(x.endpoint, s.endpoint) || x.aliases.some((a) => sameEndpoint(a, s.endpoint)),
    );
    const where = fact ? sentinelLabel(fact) : endpointText(s.endpoint);
    note(where, 'INFO server', s.infoServer);
    note(where, 'INFO sentinel', s.infoSentinel);
    note(where, 'SENTINEL MYID', s.myId);
    note(where, 'SENTINEL MASTERS', s.masters);
    for (const [name, v] of Object.entries(s.views)) {
      note(where, `SENTINEL GET-MASTER-ADDR-BY-NAME ${name}`, v.addr);
      note(where, `SENTINEL REPLICAS ${name}`, v.replicas);
      note(where, `SENTINEL SENTINELS ${name}`, v.sentinels);
      note(where, `SENTINEL CKQUORUM ${name}`, v.ckquorum);
    }
  }
  const noteNode = noteAs('redis');
  for (const n of nodes) {
    const m = masters.find((x) => x.nodes.some((y) => sameEndpoint(y.endpoint, n.endpoint)));
    const where = nodeLabel(m, n.endpoint);
    noteNode(where, 'INFO server', n.infoServer);
    noteNode(where, 'INFO replication', n.infoReplication);
    noteNode(where, 'INFO persistence', n.infoPersistence);
    noteNode(where, 'ROLE', n.role);
    for (const [param, r] of Object.entries(n.config)) noteNode(where, `CONFIG GET ${param}`, r);
    noteNode(where, 'TIME', n.clock?.reply);
  }
  return out;
}

/**
 * The master the Sentinels name for `name`: what a strict majority of the answering ones name; else the one named
 * node that reports role master; else what strictly more of them name than anything else; else none.
 */
export function namedMaster(f: Facts, name: string): Endpoint | undefined {
  const named = f.sentinels.flatMap((s) => {
    const e = s.views[name]?.named;
    return s.reachable && e ? [e] : [];
  });
  const distinct: Endpoint[] = [];
  for (const e of named) if (!distinct.some((d) => sameEndpoint(d, e))) distinct.push(e);
  const votes = (e: Endpoint) => named.filter((x) => sameEndpoint(x, e)).length;
  const majority = distinct.find((e) => votes(e) > named.length / 2);
  if (majority) return majority;
  const masters = distinct.filter((e) => nodeAtEndpoint(f, e)?.replication?.role === 'master');
  if (masters.length === 1) return masters[0];
  const [top, second] = [...distinct].sort((a, b) => votes(b) - votes(a));
  return top && (!second || votes(top) > votes(second)) ? top : undefined;
}

/** The node fact at an endpoint. */
export function nodeAtEndpoint(f: Facts, e: Endpoint | undefined): NodeFact | undefined {
  return e ? f.nodes.find((n) => sameEndpoint(n.endpoint, e)) : undefined;
}

/** `redis-2 (10.0.0.5:6380)` for a master's node, or the bare address. */
export function nodeLabel(m: MasterFact | undefined, e: Endpoint): string {
  const n = m?.nodes.find((x) => sameEndpoint(x.endpoint, e));
  return n ? `${n.id} (${endpointText(e)})` : endpointText(e);
}

export function sentinelLabel(s: SentinelFact): string {
  return `${s.id} (${endpointText(s.endpoint)})`;
}
