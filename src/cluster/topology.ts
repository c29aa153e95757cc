// Topology model: hosts, nodes, ports and settings of one lab cluster. Pure data and pure helpers only.

export type RedisRole = 'master' | 'replica';
export type NodeKind = 'redis' | 'sentinel';

/** How hosts are given addresses: one loopback IP per host (Linux) or everything on 127.0.0.1 (no partitions). */
export type NetworkMode = 'hosts' | 'single-ip';

export interface HostSpec {
  /** `host-1`, `host-2`, … */
  id: string;
  /** Where this host's processes listen (privately) and connect from (`bind-source-addr`). */
  ip: string;
  /** Where the fabric listens for this host's nodes; equals `ip` in single-ip mode. */
  publicIp: string;
}

export interface RedisNodeSpec {
  kind: 'redis';
  /** `redis-1` … */
  id: string;
  host: string;
  /** Public port (what users, replicas and Sentinels use); the private port equals it on another IP. */
  port: number;
  /** Role at first start; Sentinel decides later. */
  initialRole: RedisRole;
  /** Whether `masterauth` is written into its config (the note's pitfall when false). */
  masterauth: boolean;
  /** `replica-priority`: lower wins a failover, 0 never is promoted (Redis default 100). */
  replicaPriority: number;
  /** Append-only file on (`appendonly yes`), so a restart reloads the data; the lab's default is no persistence. */
  persistence: boolean;
}

export interface SentinelNodeSpec {
  kind: 'sentinel';
  /** `sentinel-1` … */
  id: string;
  host: string;
  port: number;
}

export type NodeSpec = RedisNodeSpec | SentinelNodeSpec;

export interface SentinelSettings {
  masterName: string;
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  parallelSyncs: number;
  /** Install the lab's own notification script (records warning events). */
  notificationScript: boolean;
  /**
   * Write the replicas and the other Sentinels into every sentinel.conf (`known-replica`, `known-sentinel`), as
   * Sentinel itself persists them, so a fresh lab is ready without waiting for discovery. False: each Sentinel
   * starts knowing only its master and discovers the rest for real (replicas from the master's INFO, Sentinels
   * from hello messages).
   */
  preseedState: boolean;
}

export interface ReplicationSettings {
  /** `min-replicas-to-write` (alias `min-slaves-to-write`); 0 disables the guard. */
  minReplicasToWrite: number;
  /** `min-replicas-max-lag` in seconds (alias `min-slaves-max-lag`). */
  minReplicasMaxLagSec: number;
  /** `repl-timeout` in seconds. */
  replTimeoutSec: number;
  /** `repl-ping-replica-period` in seconds; must stay below replTimeoutSec. */
  replPingReplicaPeriodSec: number;
}

/**
 * Sentinel's own authentication, and how the Sentinels authenticate to the data nodes
 * (redis.io: "Configuring Sentinel instances with authentication" and "Redis Access Control List authentication").
 */
export interface SentinelAuth {
  /**
   * `requirepass` on every Sentinel, and `sentinel sentinel-pass`: the password a Sentinel sends to the other
   * Sentinels. Clients must send it too. Absent: the Sentinels take no password (the lab's default).
   */
  password?: string;
  /**
   * A least-privilege ACL user on every data node for the Sentinels to log in as (`sentinel auth-user`, with the
   * lab password as `sentinel auth-pass`); absent: the Sentinels log in as `default`.
   */
  dataUser?: string;
}

/**
 * The documented least-privilege ACL rules for a Sentinel's user on the data nodes (redis.io, "Redis Access Control
 * List authentication"): no keys, every Pub/Sub channel, and only the commands Sentinel sends.
 */
export const SENTINEL_DATA_USER_RULES =
  'allchannels +multi +slaveof +ping +exec +subscribe +config|rewrite +role +publish +info +client|setname +client|kill +script|kill';

/**
 * How far above its port a node behind a NAT host is published (6381 -> 6581, 6481 -> 6681), like `docker run -p
 * 6581:6381`. Far enough from the Redis (base..base+9) and Sentinel (base+100..base+108) ports to never collide.
 */
export const NAT_PORT_OFFSET = 200;

/** The port a node is published at while its host is behind the lab's NAT. */
export function natPort(port: number): number {
  return port + NAT_PORT_OFFSET;
}

/** The lab's two application clients (the note's client A and client B). */
export type ClientName = 'A' | 'B';

/** An application client bound to a host: Sentinel-aware, or pinned to one node (the note's client B). */
export interface ClientSpec {
  host: string;
  target: { kind: 'sentinel' } | { kind: 'node'; node: string };
}

export interface Topology {
  password: string;
  networkMode: NetworkMode;
  hosts: HostSpec[];
  nodes: NodeSpec[];
  sentinel: SentinelSettings;
  replication: ReplicationSettings;
  clients: Record<'A' | 'B', ClientSpec>;
  sentinelAuth: SentinelAuth;
  /** The command-line client copy-paste lines name (`valkey-cli` where only Valkey's is installed); redis-cli if absent. */
  cli?: CliProgram;
  /** The server program the processes run, as copy-paste lines name it; redis-server if absent. */
  server?: ServerProgram;
}

/** The command-line clients a copy-paste line may name. */
export type CliProgram = 'redis-cli' | 'valkey-cli';
/** The server programs a copy-paste line may name. */
export type ServerProgram = 'redis-server' | 'valkey-server';

/** The note's block: master 6379, replicas 6380–6383, sentinels 6479–6481. */
export const NOTE_BASE_PORT = 6379;
/** Sentinel ports start this far above the base port (6379 -> 6479). */
export const SENTINEL_PORT_OFFSET = 100;
export const DEFAULT_PASSWORD = 'redis';
export const DEFAULT_MASTER_NAME = 'mymaster';

export const DEFAULT_SENTINEL_SETTINGS: SentinelSettings = {
  masterName: DEFAULT_MASTER_NAME,
  quorum: 2,
  // The note's 300 ms makes failovers cascade on Redis 7.0 (lesson 18 shows why). 1000 ms is usually clean, not
  // always: after +switch-master a Sentinel may reach the new master up to ~1 s later (it reconnects once a second,
  // counted from its last attempt at the dead master), so now and then the new master gets a spurious +sdown.
  // Lesson 05, whose goal names the promoted replica, runs at 1500 ms for that reason.
  downAfterMs: 1000,
  failoverTimeoutMs: 10_000,
  parallelSyncs: 1,
  notificationScript: true,
  preseedState: true,
};

/**
 * An upper bound on the time from a master that stops answering to `+switch-master` on every Sentinel, when
 * `splitVotes` elections end without a winner first. Candidates that ask for votes at the same moment each vote for
 * themselves, and nobody has the majority; a Sentinel then tries the same master again only two times
 * failover-timeout after its attempt began (redis.io, Sentinel: the `failover-timeout` option). It happens with
 * three voters too: in 25 kills of the master at down-after 1000 and failover-timeout 10000 (2026-12-01), the
 * switch reached the lab's store after 2.3-4.3 s 23 times, and after 23.1 and 23.3 s twice.
 */
export function failoverBoundMs(
  s: Pick<SentinelSettings, 'downAfterMs' | 'failoverTimeoutMs'>,
  splitVotes: number,
): number {
  // SDOWN: down-after plus up to one PING period (1 s); ODOWN: the next round of is-master-down-by-addr (each second).
  const detectMs = s.downAfterMs + 2000;
  // Each attempt starts up to 1 s late, at random, so that the Sentinels do not all ask at once.
  const desyncMs = 1000;
  // The election, SLAVEOF NO ONE, the promotion seen in INFO (each second during a failover), +switch-master on all.
  const finishMs = 5000;
  return detectMs + desyncMs + splitVotes * (2 * s.failoverTimeoutMs + desyncMs) + finishMs;
}

export const DEFAULT_REPLICATION_SETTINGS: ReplicationSettings = {
  minReplicasToWrite: 0,
  minReplicasMaxLagSec: 10,
  replTimeoutSec: 5,
  replPingReplicaPeriodSec: 1,
};

export interface TopologyShape {
  /** Number of Redis data nodes (first is the master). */
  redis: number;
  sentinels: number;
  /**
   * Host of each node by id; nodes not listed get a host by their index
   * (`redis-i` and `sentinel-i` share `host-i`, as in the note's three-host diagram).
   */
  placement?: Record<string, string>;
  /** Id of the initial master (default `redis-1`). */
  master?: string;
  sentinel?: Partial<SentinelSettings>;
  replication?: Partial<ReplicationSettings>;
  /** Nodes whose config lacks `masterauth`. */
  withoutMasterauth?: string[];
  /** `replica-priority` by node id; nodes not listed keep 100 (the Redis default). */
  replicaPriority?: Record<string, number>;
  /** Data nodes that run with an append-only file (`appendonly yes`); the others have no persistence. */
  persistence?: string[];
  /** Sentinel's own password and the Sentinels' ACL user on the data nodes (default: neither). */
  sentinelAuth?: SentinelAuth;
  password?: string;
  /** Default: client A on another host following Sentinel, client B on the master's host pinned to the master. */
  clients?: Partial<Record<'A' | 'B', ClientSpec>>;
}

export const DEFAULT_SHAPE: TopologyShape = { redis: 5, sentinels: 3 };

export function redisId(i: number): string {
  return `redis-${i}`;
}
export function sentinelId(i: number): string {
  return `sentinel-${i}`;
}
export function hostId(i: number): string {
  return `host-${i}`;
}

function hostIndex(id: string): number {
  const m = /^host-(\d+)$/.exec(id);
  if (!m?.[1]) throw new Error(`bad host id ${id}`);
  return Number(m[1]);
}

/** Address of host i: private 127.0.1.i (its processes), public 127.0.2.i (the fabric in front of them). */
export function hostAddresses(i: number, mode: NetworkMode): { ip: string; publicIp: string } {
  if (mode === 'single-ip') return { ip: '127.0.0.1', publicIp: '127.0.0.1' };
  return { ip: `127.0.1.${i}`, publicIp: `127.0.2.${i}` };
}

/** Builds a topology for the given shape, ports starting at basePort. */
export function buildTopology(shape: TopologyShape, basePort: number, mode: NetworkMode): Topology {
  const master = shape.master ?? redisId(1);
  const placement = shape.placement ?? {};
  const without = new Set(shape.withoutMasterauth ?? []);
  const persistent = new Set(shape.persistence ?? []);
  const nodes: NodeSpec[] = [];
  for (let i = 1; i <= shape.redis; i++) {
    const id = redisId(i);
    nodes.push({
      kind: 'redis',
      id,
      host: placement[id] ?? hostId(i),
      port: basePort + i - 1,
      initialRole: id === master ? 'master' : 'replica',
      masterauth: !without.has(id),
      replicaPriority: shape.replicaPriority?.[id] ?? 100,
      persistence: persistent.has(id),
    });
  }
  for (let i = 1; i <= shape.sentinels; i++) {
    const id = sentinelId(i);
    nodes.push({
      kind: 'sentinel',
      id,
      host: placement[id] ?? hostId(i),
      port: basePort + SENTINEL_PORT_OFFSET + i - 1,
    });
  }
  const masterHost = nodes.find((n) => n.id === master)?.host ?? hostId(1);
  // The note's diagram: client A on the majority side (first other host), client B beside the master, pinned to it.
  const otherHost = nodes.map((n) => n.host).find((h) => h !== masterHost) ?? masterHost;
  const clients: Record<'A' | 'B', ClientSpec> = {
    A: shape.clients?.A ?? { host: otherHost, target: { kind: 'sentinel' } },
    B: shape.clients?.B ?? { host: masterHost, target: { kind: 'node', node: master } },
  };
  const hostIds = [...new Set([...nodes.map((n) => n.host), clients.A.host, clients.B.host])].sort(
    (a, b) => hostIndex(a) - hostIndex(b),
  );
  const hosts = hostIds.map((id) => ({ id, ...hostAddresses(hostIndex(id), mode) }));
  return {
    password: shape.password ?? DEFAULT_PASSWORD,
    networkMode: mode,
    hosts,
    nodes,
    sentinel: { ...DEFAULT_SENTINEL_SETTINGS, ...shape.sentinel },
    replication: { ...DEFAULT_REPLICATION_SETTINGS, ...shape.replication },
    clients,
    sentinelAuth: { ...shape.sentinelAuth },
  };
}

/** Every port the topology needs (public ports; private ports are the same numbers on host IPs). */
export function topologyPorts(shape: TopologyShape, basePort: number): number[] {
  const ports: number[] = [];
  for (let i = 0; i < shape.redis; i++) ports.push(basePort + i);
  for (let i = 0; i < shape.sentinels; i++) ports.push(basePort + SENTINEL_PORT_OFFSET + i);
  return ports;
}

/** Candidate base ports: the note's block first, then blocks far from it and from the ephemeral range. */
export function candidateBasePorts(preferred: number = NOTE_BASE_PORT): number[] {
  const out = [preferred];
  for (let b = 16379; b <= 30379; b += 1000) if (b !== preferred) out.push(b);
  return out;
}

/** Pure port planning: first base whose every port is free according to `isFree`. */
export function chooseBasePort(
  shape: TopologyShape,
  candidates: readonly number[],
  isFree: (port: number) => boolean,
): number | undefined {
  return candidates.find((b) => topologyPorts(shape, b).every((p) => p > 0 && p < 65536 && isFree(p)));
}

export function redisNodes(t: Topology): RedisNodeSpec[] {
  return t.nodes.filter((n): n is RedisNodeSpec => n.kind === 'redis');
}
export function sentinelNodes(t: Topology): SentinelNodeSpec[] {
  return t.nodes.filter((n): n is SentinelNodeSpec => n.kind === 'sentinel');
}
export function nodeById(t: Topology, id: string): NodeSpec | undefined {
  return t.nodes.find((n) => n.id === id);
}
export function hostOf(t: Topology, nodeId: string): HostSpec {
  const node = nodeById(t, nodeId);
  const host = node && t.hosts.find((h) => h.id === node.host);
  if (!host) throw new Error(`unknown node ${nodeId}`);
  return host;
}
export function initialMaster(t: Topology): RedisNodeSpec {
  const m = redisNodes(t).find((n) => n.initialRole === 'master');
  if (!m) throw new Error('topology has no master');
  return m;
}

/** Public address of a node (what redis-cli, replicas and Sentinels use). */
export function publicAddress(t: Topology, nodeId: string): { host: string; port: number } {
  const node = nodeById(t, nodeId);
  if (!node) throw new Error(`unknown node ${nodeId}`);
  return { host: hostOf(t, nodeId).publicIp, port: node.port };
}
/** Private address of a node (where the process really listens; probes use it). */
export function privateAddress(t: Topology, nodeId: string): { host: string; port: number } {
  const node = nodeById(t, nodeId);
  if (!node) throw new Error(`unknown node ${nodeId}`);
  return { host: hostOf(t, nodeId).ip, port: node.port };
}

/**
 * Maps an address as Redis or Sentinel reports it (public or private, at its own port or at the port it is
 * published at behind the lab's NAT) back to a node id.
 */
export function nodeIdByAddress(t: Topology, ip: string, port: number): string | undefined {
  for (const n of t.nodes) {
    if (n.port !== port && natPort(n.port) !== port) continue;
    const h = t.hosts.find((x) => x.id === n.host);
    if (h && (h.ip === ip || h.publicIp === ip)) return n.id;
  }
  return undefined;
}

/** The topology a run's manifest describes: what commands and views attached to a running lab work with. */
export function manifestTopology(m: {
  shape?: TopologyShape;
  basePort: number;
  networkMode?: NetworkMode;
  cli?: unknown;
  server?: unknown;
}): Topology {
  const t: Topology = buildTopology(m.shape ?? DEFAULT_SHAPE, m.basePort, m.networkMode ?? 'hosts');
  // The manifest is read from disk: only known program names are taken.
  if (m.cli === 'valkey-cli' || m.cli === 'redis-cli') t.cli = m.cli;
  if (m.server === 'valkey-server' || m.server === 'redis-server') t.server = m.server;
  return t;
}

/** The command-line client to name in a copy-paste line: `redis-cli`, or `valkey-cli` where only that is installed. */
export function cliProgram(t: Pick<Topology, 'cli'>): CliProgram {
  return t.cli ?? 'redis-cli';
}

/** The server program to name in a copy-paste line: `redis-server`, or `valkey-server` when the lab runs Valkey. */
export function serverProgram(t: Pick<Topology, 'server'>): ServerProgram {
  return t.server ?? 'redis-server';
}

/** The copy-paste redis-cli line for a node, as the source note writes them (a Sentinel's only with its password). */
export function redisCliLine(t: Topology, nodeId: string): string {
  const node = nodeById(t, nodeId);
  const { host, port } = publicAddress(t, nodeId);
  const cli = cliProgram(t);
  if (node?.kind !== 'sentinel') {
    // No password in the topology (a deployment the lab did not start): redis-cli takes it from REDISCLI_AUTH.
    return t.password ? `${cli} -h ${host} -p ${port} -a ${t.password}` : `${cli} -h ${host} -p ${port}`;
  }
  const pw = t.sentinelAuth?.password;
  return pw ? `${cli} -h ${host} -p ${port} -a ${pw}` : `${cli} -h ${host} -p ${port}`;
}
