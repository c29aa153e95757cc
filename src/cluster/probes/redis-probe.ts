// Polls one Redis data node: INFO (run id + replication), CONFIG GET of the min-replicas guard and masterauth,
// DBSIZE. Emits a RedisObservation whenever anything but `at` changed; never hangs on a frozen node.
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
  }
  if (typeof replies.dbsize === 'number') obs.keys = replies.dbsize;
  return obs;
}

export class RedisProbe {
  private readonly loop: ProbeLoop<RedisObservation>;

  constructor(o: RedisProbeOptions) {
    this.loop = new ProbeLoop<RedisObservation>({
      clientOptions: probeClientOptions(o),
      intervalMs: o.intervalMs,
      query: (client, at) => queryRedis(client, o.id, at, o.resolve),
      unreachable: (error, at) => ({ id: o.id, at, reachable: false, error }),
      key: ({ at: _at, ...rest }) => JSON.stringify(rest),
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
async function oneByOne(client: Redis): Promise<[[Error | null, unknown], [Error | null, unknown]]> {
  const params = ['min-replicas-to-write', 'min-replicas-max-lag', 'masterauth'];
  const r = (await client.pipeline().info('server').info('replication').exec()) ?? [];
  const c = (await client.pipeline(params.map((p) => ['config', 'get', p])).exec()) ?? [];
  const infoErr = r.find((x) => x[0])?.[0] ?? (r.length < 2 ? new Error('no INFO reply') : null);
  const config = c.every((x) => !x[0]) ? c.flatMap((x) => (Array.isArray(x[1]) ? x[1] : [])) : undefined;
  return [
    infoErr ? [infoErr, undefined] : [null, r.map((x) => String(x[1])).join('\r\n')],
    config ? [null, config] : [new Error('CONFIG GET refused'), undefined],
  ];
}

async function queryRedis(client: Redis, id: string, at: number, resolve: ResolveAddress): Promise<RedisObservation> {
  const results = await client
    .pipeline()
    .info('server', 'replication')
    .config('GET', 'min-replicas-to-write', 'min-replicas-max-lag', 'masterauth')
    .dbsize()
    .exec();
  let [info, config, dbsize] = results ?? [];
  if (info?.[0] && SEVERAL_ARGS_REFUSED.test(info[0].message)) [info, config] = await oneByOne(client);
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
