// Polls one Sentinel's opinion: GET-MASTER-ADDR-BY-NAME, MASTER, REPLICAS, SENTINELS and INFO sentinel (MYID and
// INFO server once per connection). Emits a SentinelObservation when it changed (ms-ago counters aside); never
// hangs on a frozen Sentinel.
import type { Redis } from 'ioredis';
import {
  parseMasterAddr,
  parseSentinelInfo,
  parseSentinelInstances,
  parseSentinelMaster,
  parseServerInfo,
  type ResolveAddress,
} from '../observe/parse-info.js';
import type { SentinelInstanceInfo, SentinelObservation } from '../observe/types.js';
import { ProbeLoop } from './probe-loop.js';
import { type ProbeTimeouts, probeClientOptions } from './probe-options.js';
import { isNoPasswordReply } from './sentinel-auth.js';

export interface SentinelProbeOptions {
  id: string;
  host: string;
  port: number;
  masterName: string;
  /**
   * Only if the Sentinels themselves require a password. Sent when connecting (HELLO 3 AUTH, which a Sentinel
   * without a password accepts too), and with AUTH at the start of every round, whose answer tells a Sentinel
   * restarted without its password from the others.
   */
  password?: string;
  /**
   * Whether the per-connection AUTH that tells a passwordless Sentinel apart is sent (default true). False behind a
   * gateway that authenticates the connection itself and lets no second AUTH through (a deployment the lab did not
   * start).
   */
  checkPasswordless?: boolean;
  intervalMs: number;
  /** Cadence once nothing changes (default 4 × intervalMs). */
  idleIntervalMs?: number;
  resolve: ResolveAddress;
  onObservation(obs: SentinelObservation): void;
  timeouts?: Partial<ProbeTimeouts>;
}

/** "ms ago" counters that change every round; they alone don't make an observation new. */
const VOLATILE_FIELDS = new Set([
  'last-ping-sent',
  'last-ok-ping-reply',
  'last-ping-reply',
  'info-refresh',
  'role-reported-time',
  'last-hello-message',
  's-down-time',
  'o-down-time',
  'master-link-down-time',
  'link-pending-commands',
  'link-refcount',
]);

/** A replica's offset as the Sentinel last read it (its INFO every 10 s): news, but no change of state. */
const OFFSET_FIELDS = new Set(['slave-repl-offset']);

function stable(i: SentinelInstanceInfo, drop?: ReadonlySet<string>): SentinelInstanceInfo {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(i.fields)) if (!VOLATILE_FIELDS.has(k) && !drop?.has(k)) fields[k] = v;
  return { ...i, fields };
}

function keyOf(o: SentinelObservation, drop?: ReadonlySet<string>): string {
  const { at: _at, ...rest } = o;
  return JSON.stringify({
    ...rest,
    master: rest.master && stable(rest.master, drop),
    replicas: rest.replicas.map((i) => stable(i, drop)),
    sentinels: rest.sentinels.map((i) => stable(i, drop)),
  });
}

/** Comparison key of an observation: everything but `at` and the volatile counters. */
export function sentinelObservationKey(o: SentinelObservation): string {
  return keyOf(o);
}

/** What the cadence calls a change of state: the key without the replicas' offsets. */
export function sentinelSettleKey(o: SentinelObservation): string {
  return keyOf(o, OFFSET_FIELDS);
}

export interface SentinelReplies {
  masterAddr?: unknown;
  master?: unknown;
  replicas?: unknown;
  sentinels?: unknown;
  info?: string;
  myId?: unknown;
  /** The error AUTH got, when the lab sent one (a Sentinel without a password says so). */
  authError?: string;
}

/** Builds an observation from one round's raw replies (exported for tests). */
export function sentinelObservation(
  id: string,
  at: number,
  r: SentinelReplies,
  resolve: ResolveAddress,
): SentinelObservation {
  const obs: SentinelObservation = {
    id,
    at,
    reachable: true,
    replicas: parseSentinelInstances(r.replicas, resolve),
    sentinels: parseSentinelInstances(r.sentinels, resolve),
  };
  const addr = parseMasterAddr(r.masterAddr);
  if (addr) {
    obs.masterAddr = addr;
    const masterId = resolve(addr.ip, addr.port);
    if (masterId !== undefined) obs.masterId = masterId;
  }
  if (r.master !== undefined && r.master !== null) obs.master = parseSentinelMaster(r.master, resolve);
  if (r.info !== undefined) {
    obs.info = parseSentinelInfo(r.info);
    const runId = parseServerInfo(r.info).runId;
    if (runId !== undefined) obs.runId = runId;
  }
  if (typeof r.myId === 'string' && r.myId) obs.myId = r.myId;
  if (r.authError !== undefined && isNoPasswordReply(r.authError)) obs.passwordless = true;
  return obs;
}

export class SentinelProbe {
  private readonly loop: ProbeLoop<SentinelObservation>;

  constructor(o: SentinelProbeOptions) {
    // Run id and myid change only when the process restarts, which also drops this connection.
    let ids: { runId?: string; myId?: string; passwordless?: boolean } = {};
    this.loop = new ProbeLoop<SentinelObservation>({
      clientOptions: probeClientOptions(o),
      intervalMs: o.intervalMs,
      idleIntervalMs: o.idleIntervalMs,
      query: async (client, at, fresh) => {
        const check = o.checkPasswordless === false ? undefined : o.password;
        const obs = await querySentinel(client, o.id, o.masterName, at, o.resolve, fresh, check);
        if (fresh) ids = { runId: obs.runId, myId: obs.myId, passwordless: obs.passwordless };
        else {
          if (ids.runId !== undefined) obs.runId = ids.runId;
          if (ids.myId !== undefined) obs.myId = ids.myId;
          if (ids.passwordless !== undefined) obs.passwordless = ids.passwordless;
        }
        return obs;
      },
      unreachable: (error, at) => ({ id: o.id, at, reachable: false, error, replicas: [], sentinels: [] }),
      key: sentinelObservationKey,
      settleKey: sentinelSettleKey,
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
  pollNow(): Promise<SentinelObservation | undefined> {
    return this.loop.pollNow();
  }
}

function isReplyError(err: unknown): boolean {
  return err instanceof Error && err.name === 'ReplyError';
}

async function querySentinel(
  client: Redis,
  id: string,
  masterName: string,
  at: number,
  resolve: ResolveAddress,
  withIds: boolean,
  password?: string,
): Promise<SentinelObservation> {
  const pipeline = client.pipeline();
  // Once per connection, AUTH tells a Sentinel restarted without the Sentinels' password (it answers with an
  // error, and serves the connection anyway) from the others; its reply is not part of the observation.
  const auth = withIds && password !== undefined;
  if (auth) pipeline.call('AUTH', password);
  pipeline
    .call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName)
    .call('SENTINEL', 'MASTER', masterName)
    .call('SENTINEL', 'REPLICAS', masterName)
    .call('SENTINEL', 'SENTINELS', masterName);
  if (withIds) pipeline.info('server', 'sentinel').call('SENTINEL', 'MYID');
  else pipeline.info('sentinel');
  const all = (await pipeline.exec()) ?? [];
  const results = auth ? all.slice(1) : all;
  const authError = auth ? all[0]?.[0] : undefined;
  // A reply error (`ERR No such master with that name`) is an answer; anything else means no answer.
  for (const [err] of results) if (err && !isReplyError(err)) throw err;
  if (results.length === 0) throw new Error('no reply');
  const ok = (i: number): unknown => {
    const r = results[i];
    return r && !r[0] ? r[1] : undefined;
  };
  // Redis 6.2 takes one INFO section per call (several arrived in 7.0): ask for the sentinel section alone.
  const refused = results[4]?.[0];
  const info =
    refused && /syntax error/i.test(refused.message) ? await client.info('sentinel').catch(() => undefined) : ok(4);
  return sentinelObservation(
    id,
    at,
    {
      masterAddr: ok(0),
      master: ok(1),
      replicas: ok(2),
      sentinels: ok(3),
      info: typeof info === 'string' ? info : undefined,
      myId: withIds ? ok(5) : undefined,
      ...(authError ? { authError: authError.message } : {}),
    },
    resolve,
  );
}
