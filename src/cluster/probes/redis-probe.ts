// Polls one Redis data node: INFO replication (and the run id from INFO server once per connection), CONFIG GET of
// the min-replicas guard, masterauth, appendonly, replica-priority and replica-announce-port, DBSIZE. Emits a
// RedisObservation whenever anything but `at` changed; never hangs on a frozen node.
import type { Redis } from 'ioredis';
import { parseConfigGet, parseReplicationInfo, parseServerInfo, type ResolveAddress } from '../observe/parse-info.js';
import type { RedisObservation } from '../observe/types.js';
import { ProbeLoop } from './probe-loop.js';
import { type ProbeTimeouts, probeClientOptions } from './probe-options.js';

export interface RedisProbeOptions {
  id: string;
  host: string;
  port: number;
  password?: string;
  intervalMs: number;
  /** Cadence once nothing changes (default 4 × intervalMs). */
  idleIntervalMs?: number;
  resolve: ResolveAddress;
  onObservation(obs: RedisObservation): void;
  timeouts?: Partial<ProbeTimeouts>;
}

/** Builds an observation from one round's raw replies (exported for tests). */
export function redisObservation(
  id: string,
  at: number,
  replies: { info: string; config?: unknown; dbsize?: unknown },
  resolve: ResolveAddress,
): RedisObservation {
  const replication = parseReplicationInfo(replies.info, resolve);
  const obs: RedisObservation = { id, at, reachable: true, replication };
  const runId = parseServerInfo(replies.info).runId;
  if (runId !== undefined) obs.runId = runId;
  if (replication.role === 'replica' && replication.masterHost !== undefined && replication.masterPort !== undefined) {
    const masterId = resolve(replication.masterHost, replication.masterPort);
    if (masterId !== undefined) obs.masterId = masterId;
  }
  if (replies.config !== undefined) {
    const c = parseConfigGet(replies.config);
    const toWrite = Number(c['min-replicas-to-write'] ?? c['min-slaves-to-write']);
    const maxLag = Number(c['min-replicas-max-lag'] ?? c['min-slaves-max-lag']);
    if (Number.isFinite(toWrite)) obs.minReplicasToWrite = toWrite;
    if (Number.isFinite(maxLag)) obs.minReplicasMaxLagSec = maxLag;
    // Valkey answers with its canonical name `primaryauth`.
    const auth = c.masterauth ?? c.primaryauth;
    if (auth !== undefined) obs.hasMasterauth = auth !== '';
    if (c.appendonly !== undefined) obs.persistence = c.appendonly === 'yes';
    const priority = Number(c['replica-priority'] ?? c['slave-priority']);
    if (Number.isFinite(priority)) obs.replicaPriority = priority;
    const announce = Number(c['replica-announce-port'] ?? c['slave-announce-port']);
    if (Number.isFinite(announce)) obs.announcePort = announce;
  }
  if (typeof replies.dbsize === 'number') obs.keys = replies.dbsize;
  return obs;
}

/**
 * The observation minus what moves on an idle cluster (offsets, ack ages, seconds since I/O, key count): what the
 * cadence calls a change of state.
 */
export function redisSettleKey(o: RedisObservation): string {
  const r = o.replication;
  return JSON.stringify([
    o.reachable,
    o.error,
    o.runId,
    o.masterId,
    o.minReplicasToWrite,
    o.minReplicasMaxLagSec,
    o.hasMasterauth,
    r && [
      r.role,
      r.connectedReplicas,
      r.goodReplicas,
      r.replicas.map((x) => [x.nodeId ?? `${x.ip}:${x.port}`, x.state]),
      r.masterHost,
      r.masterPort,
      r.masterLinkStatus,
      r.masterSyncInProgress,
      r.replId,
    ],
  ]);
}

/**
 * Replication traffic above what an idle cluster makes (Sentinel hellos and replica pings: a few hundred bytes a
 * second) means writes are flowing; their lag is worth watching at the normal cadence.
 */
export const BUSY_BYTES_PER_SEC = 2048;

export function redisBusy(prev: RedisObservation, next: RedisObservation): boolean {
  const a = prev.replication?.masterReplOffset;
  const b = next.replication?.masterReplOffset;
  if (a === undefined || b === undefined || next.at <= prev.at) return false;
  return ((b - a) * 1000) / (next.at - prev.at) > BUSY_BYTES_PER_SEC;
}

export class RedisProbe {
  private readonly loop: ProbeLoop<RedisObservation>;

  constructor(o: RedisProbeOptions) {
    // The run id changes only when the process restarts, which also drops this connection.
    let runId: string | undefined;
    this.loop = new ProbeLoop<RedisObservation>({
      clientOptions: probeClientOptions(o),
      intervalMs: o.intervalMs,
      idleIntervalMs: o.idleIntervalMs,
      query: async (client, at, fresh) => {
        const obs = await queryRedis(client, o.id, at, o.resolve, fresh);
        if (fresh) runId = obs.runId;
        else if (runId !== undefined) obs.runId = runId;
        return obs;
      },
      unreachable: (error, at) => ({ id: o.id, at, reachable: false, error }),
      key: ({ at: _at, ...rest }) => JSON.stringify(rest),
      settleKey: redisSettleKey,
      busy: redisBusy,
      onObservation: o.onObservation,
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** A round now (or right after the current one); resolves with its observation, undefined once stopped. */
  pollNow(): Promise<RedisObservation | undefined> {
    return this.loop.pollNow();
  }
}

/** What Redis 6.2 answers to INFO with two sections or CONFIG GET with several parameters (both arrived in 7.0). */
const SEVERAL_ARGS_REFUSED = /syntax error|wrong number of arguments|unknown subcommand/i;

/** The same round on Redis 6.2: one INFO section and one CONFIG GET parameter per call, joined. */
async function oneByOne(
  client: Redis,
  withServer: boolean,
): Promise<[[Error | null, unknown], [Error | null, unknown]]> {
  const params = ['min-replicas-to-write', 'min-replicas-max-lag', 'masterauth'];
  const sections = withServer ? ['server', 'replication'] : ['replication'];
  const r = (await client.pipeline(sections.map((x) => ['info', x])).exec()) ?? [];
  const c = (await client.pipeline(params.map((p) => ['config', 'get', p])).exec()) ?? [];
  const infoErr = r.find((x) => x[0])?.[0] ?? (r.length < sections.length ? new Error('no INFO reply') : null);
  const config = c.every((x) => !x[0]) ? c.flatMap((x) => (Array.isArray(x[1]) ? x[1] : [])) : undefined;
  return [
    infoErr ? [infoErr, undefined] : [null, r.map((x) => String(x[1])).join('\r\n')],
    config ? [null, config] : [new Error('CONFIG GET refused'), undefined],
  ];
}

async function queryRedis(
  client: Redis,
  id: string,
  at: number,
  resolve: ResolveAddress,
  withServer: boolean,
): Promise<RedisObservation> {
  const pipeline = client.pipeline();
  if (withServer) pipeline.info('server', 'replication');
  else pipeline.info('replication');
  const results = await pipeline
    .config(
      'GET',
      'min-replicas-to-write',
      'min-replicas-max-lag',
      'masterauth',
      'appendonly',
      'replica-priority',
      'replica-announce-port',
    )
    .dbsize()
    .exec();
  let [info, config, dbsize] = results ?? [];
  // Redis 6.2 refuses the 7.0 forms (several INFO sections, several CONFIG GET parameters): ask one by one.
  const refused = (r: typeof info) => r?.[0] !== undefined && r[0] !== null && SEVERAL_ARGS_REFUSED.test(r[0].message);
  if (refused(info) || refused(config)) [info, config] = await oneByOne(client, withServer);
  if (!info || info[0]) throw info?.[0] ?? new Error('no INFO reply');
  // CONFIG may be renamed and DBSIZE refuses during LOADING: the rest of the observation still stands.
  return redisObservation(
    id,
    at,
    {
      info: String(info[1]),
      config: config && !config[0] ? config[1] : undefined,
      dbsize: dbsize && !dbsize[0] ? dbsize[1] : undefined,
    },
    resolve,
  );
}
