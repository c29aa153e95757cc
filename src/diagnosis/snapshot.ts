// The raw material of a diagnosis: every reply the lab got from a deployment it did not start, as the remote
// deployment's collector (deployments/remote/collect.ts) recorded it, before any interpretation. Plain data (JSON
// round-trips), so recorded snapshots of other servers (Redis 6.2, Valkey 8) serve as unit-test fixtures. Secrets
// never get here: the collector reduces `masterauth`/`primaryauth` to whether they are set.

export interface Endpoint {
  host: string;
  port: number;
}

/** One command's reply, or its error text. */
export type RawReply = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * A reply that tells the node's clock — TIME (data nodes), or INFO server with its `server_time_usec` (Sentinels,
 * which have no TIME) — with this machine's clock read just before the request and just after the reply.
 */
export interface RawClock {
  beforeMs: number;
  afterMs: number;
  reply: RawReply;
}

/** What one Sentinel answered about one master name. */
export interface RawSentinelView {
  addr?: RawReply;
  replicas?: RawReply;
  sentinels?: RawReply;
  ckquorum?: RawReply;
}

export interface RawSentinel {
  endpoint: Endpoint;
  /** Given on the command line (`--sentinel`), as opposed to found in another Sentinel's SENTINEL SENTINELS. */
  seed: boolean;
  /** Could not connect or authenticate (then nothing else is set). */
  error?: string;
  infoServer?: RawReply;
  infoSentinel?: RawReply;
  myId?: RawReply;
  /** SENTINEL MASTERS (or Valkey's PRIMARIES). */
  masters?: RawReply;
  clock?: RawClock;
  views: Record<string, RawSentinelView>;
}

export interface RawNode {
  endpoint: Endpoint;
  error?: string;
  /** PING without credentials was answered NOAUTH: the node requires a password. */
  authRequired?: boolean;
  infoServer?: RawReply;
  infoReplication?: RawReply;
  infoPersistence?: RawReply;
  role?: RawReply;
  /** CONFIG GET per parameter (one parameter per call: Redis 6.2 takes only one). */
  config: Record<string, RawReply>;
  clock?: RawClock;
}

export interface RawSnapshot {
  takenAt: number;
  tookMs: number;
  seeds: Endpoint[];
  /** `--master-name`: only this master was asked about. */
  masterName?: string;
  sentinels: RawSentinel[];
  nodes: RawNode[];
}

/** `host:port`, with brackets around an IPv6 host. */
export function endpointText(e: Endpoint): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}

/** The CONFIG GET parameters the collector reads from every data node. */
export const CONFIG_PARAMETERS = [
  'save',
  'appendonly',
  'min-replicas-to-write',
  'min-replicas-max-lag',
  'masterauth',
  'replica-priority',
  'replica-announce-ip',
  'replica-announce-port',
] as const;

/** Parameters whose value is a secret: the collector keeps only whether they are set. */
export const SECRET_CONFIG = new Set(['masterauth', 'primaryauth']);

/** What a secret's value is replaced with when it is set. */
export const SECRET_SET = '(set)';
