// An application client of the lab (A or B): Sentinel-aware or pinned to one node, one attempt per operation,
// and every operation recorded as invoke + ok/fail/info so the ledger can tell acknowledged from refused from unknown.
import { Redis, type RedisOptions } from 'ioredis';
import { type IdAllocator, nextHistorySeq, nextOpId } from '../../ledger/ids.js';
import type { HistoryOp } from '../events.js';
import type { ClientName } from '../topology.js';
import { boundConnectionOptions } from './bound-connector.js';

export type ClientTarget =
  | { kind: 'node'; host: string; port: number; nodeId: string }
  | {
      kind: 'sentinel';
      sentinels: ReadonlyArray<{ host: string; port: number }>;
      masterName: string;
      /** Only when the Sentinels themselves require a password. */
      sentinelPassword?: string;
    };

export interface ClientActorOptions {
  name: ClientName;
  /** Source address to connect from (the client's host IP); omitted = the OS default. */
  sourceIp?: string;
  password: string;
  target: ClientTarget;
  /** Maps an address a Sentinel names back to a node id (e.g. `nodeIdByAddress(topology, …)`). */
  resolveNode: (ip: string, port: number) => string | undefined;
  onOp?: (op: HistoryOp) => void;
  now?: () => number;
  /** `HistoryOp.process`; default `client-A` / `client-B` (the workload passes `workload`). */
  process?: string;
  nextSeq?: IdAllocator;
  nextOpId?: IdAllocator;
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export type ClientOpKind = 'ok' | 'fail' | 'unknown';

export interface ClientOpResult {
  ok: boolean;
  /** Reply (`OK`, `(integer) 1`, `"v"`, `(nil)`) or error text (`NOREPLICAS Not enough good replicas to write.`). */
  text: string;
  /** Node that answered, or that the request was meant for. */
  node?: string;
  kind: ClientOpKind;
  /** `writeWait` only: WAIT's reply, the number of replicas that acknowledged the write. */
  waitReplicas?: number;
}

/** The request never left this process, so it certainly had no effect: a `fail`, never an `unknown`. */
class NotSent extends Error {}

interface Conn {
  redis: Redis;
  host: string;
  port: number;
  nodeId: string;
  password: string | undefined;
  connecting?: Promise<void>;
  /** Last 'error' event: ioredis rejects connect() with a bare "Connection is closed." and reports why here. */
  lastError?: Error;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 1000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 1000;

export class ClientActor {
  readonly name: ClientName;
  readonly process: string;
  readonly #o: ClientActorOptions;
  readonly #now: () => number;
  readonly #seq: IdAllocator;
  readonly #opId: IdAllocator;
  readonly #listeners = new Set<(op: HistoryOp) => void>();
  readonly #commandTimeout: number;
  readonly #connectTimeout: number;
  #conn: Conn | undefined;
  /**
   * Sentinel mode: bumped whenever the master may have changed (+switch-master, a failed request); #askedAt is its
   * value when the last successful resolve began. They differ (stale: ask again before the next request) also when
   * the master changed while a resolve was in flight, whose answer may be from before the change.
   */
  #changes = 0;
  #askedAt = -1;
  #resolving: Promise<Conn> | undefined;
  readonly #sentinelConns = new Map<number, Conn>();
  #closed = false;

  constructor(options: ClientActorOptions) {
    this.#o = options;
    this.name = options.name;
    this.process = options.process ?? `client-${options.name}`;
    this.#now = options.now ?? Date.now;
    this.#seq = options.nextSeq ?? nextHistorySeq;
    this.#opId = options.nextOpId ?? nextOpId;
    this.#commandTimeout = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.#connectTimeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    if (options.onOp) this.#listeners.add(options.onOp);
  }

  /** Adds a history listener; returns its remover. Ops are only built while someone listens. */
  listen(fn: (op: HistoryOp) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Node the client currently talks to (undefined before the first request or while re-resolving). */
  get currentNode(): string | undefined {
    return this.#o.target.kind === 'node' ? this.#o.target.nodeId : this.#stale ? undefined : this.#conn?.nodeId;
  }

  get #stale(): boolean {
    return this.#askedAt !== this.#changes;
  }

  /** Called by the engine on `+switch-master`: ask the Sentinels again (now, and before the next request). */
  masterChanged(): void {
    if (this.#o.target.kind !== 'sentinel' || this.#closed) return;
    this.#changes++;
    this.#resolve().catch(() => {});
  }

  write(key: string, value: string): Promise<ClientOpResult> {
    return this.#run(
      'write',
      `${key}=${value}`,
      (r) => r.set(key, value),
      (reply) => String(reply),
    );
  }

  /**
   * SET, then WAIT on the same connection (WAIT counts the replicas that acknowledged this connection's writes). The
   * actor's command timeout must exceed `timeoutMs`, or the wait is cut short and reported as a timeout.
   */
  async writeWait(key: string, value: string, replicas: number, timeoutMs: number): Promise<ClientOpResult> {
    let acked: number | undefined;
    const r = await this.#run(
      'write',
      `${key}=${value}`,
      async (redis) => {
        await redis.set(key, value);
        acked = Number(await redis.wait(replicas, timeoutMs));
        return acked;
      },
      (reply) => `OK; WAIT ${replicas} ${timeoutMs} → (integer) ${String(reply)}`,
    );
    return acked === undefined ? r : { ...r, waitReplicas: acked };
  }

  read(key: string): Promise<ClientOpResult> {
    return this.#run(
      'read',
      key,
      (r) => r.get(key),
      (reply) => (reply === null ? '(nil)' : `"${String(reply)}"`),
      (reply) => `${key}=${reply === null ? '(nil)' : String(reply)}`,
    );
  }

  add(setKey: string, element: string): Promise<ClientOpResult> {
    return this.#run(
      'add',
      element,
      (r) => r.sadd(setKey, element),
      (reply) => `(integer) ${String(reply)}`,
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    const conns = [...this.#sentinelConns.values(), ...(this.#conn ? [this.#conn] : [])];
    this.#sentinelConns.clear();
    this.#conn = undefined;
    await Promise.all(conns.map(dispose));
  }

  async #run(
    f: 'add' | 'write' | 'read',
    value: string,
    exec: (redis: Redis) => Promise<unknown>,
    text: (reply: unknown) => string,
    okValue?: (reply: unknown) => string,
  ): Promise<ClientOpResult> {
    // Building ops costs allocations; skip it entirely when nobody records (the plain benchmark loop).
    const recording = this.#listeners.size > 0;
    const opId = recording ? this.#opId() : 0;
    if (recording) this.#emit('invoke', f, value, this.currentNode, opId, undefined);
    const done = (kind: ClientOpKind, resultText: string, node: string | undefined, v = value): ClientOpResult => {
      if (recording) {
        const type = kind === 'ok' ? 'ok' : kind === 'fail' ? 'fail' : 'info';
        this.#emit(type, f, v, node, opId, kind === 'ok' ? undefined : resultText);
      }
      return node === undefined
        ? { ok: kind === 'ok', text: resultText, kind }
        : { ok: kind === 'ok', text: resultText, node, kind };
    };

    let conn: Conn;
    try {
      conn = await this.#ready();
    } catch (err) {
      return done('fail', describe(err), this.#addressedNode());
    }
    try {
      const reply = await exec(conn.redis);
      return done('ok', text(reply), conn.nodeId, okValue ? okValue(reply) : value);
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      if (e.name === 'ReplyError') {
        // The server answered with an error: the write certainly did not happen.
        if (/^READONLY\b/.test(e.message)) this.#markStale();
        return done('fail', e.message, conn.nodeId);
      }
      this.#markStale();
      if (/isn't writeable/.test(e.message)) {
        return done('fail', `NOTCONNECTED connection to ${conn.nodeId} dropped before sending`, conn.nodeId);
      }
      if (/timed out/i.test(e.message)) {
        return done('unknown', `TIMEOUT no reply from ${conn.nodeId} within ${this.#commandTimeout} ms`, conn.nodeId);
      }
      const why = conn.lastError ? `: ${conn.lastError.message}` : '';
      return done('unknown', `CLOSED connection to ${conn.nodeId} lost with the request in flight${why}`, conn.nodeId);
    }
  }

  // Hot path at ~100k ops/s: build the op in one literal, no spreads or deletes (they cost shape changes and GC).
  #emit(
    type: HistoryOp['type'],
    f: HistoryOp['f'],
    value: string,
    node: string | undefined,
    opId: number,
    error: string | undefined,
  ): void {
    const op: HistoryOp =
      node === undefined
        ? { seq: this.#seq(), at: this.#now(), process: this.process, type, f, value, opId }
        : { seq: this.#seq(), at: this.#now(), process: this.process, type, f, value, node, opId };
    if (error !== undefined) op.error = error;
    for (const fn of this.#listeners) fn(op);
  }

  #addressedNode(): string | undefined {
    return this.#o.target.kind === 'node' ? this.#o.target.nodeId : this.#conn?.nodeId;
  }

  #markStale(): void {
    if (this.#o.target.kind === 'sentinel') this.#changes++;
  }

  /** A ready connection to the node to talk to, or a NotSent error saying why not. */
  async #ready(): Promise<Conn> {
    if (this.#closed) throw new NotSent('CLOSED client closed');
    const t = this.#o.target;
    let conn: Conn;
    if (t.kind === 'sentinel') {
      conn = this.#stale || !this.#conn ? await this.#resolve() : this.#conn;
    } else {
      this.#conn ??= this.#open(t.host, t.port, t.nodeId, this.#o.password);
      conn = this.#conn;
    }
    if (conn.redis.status === 'ready') return conn;
    await this.#connect(conn);
    return conn;
  }

  #open(host: string, port: number, nodeId: string, password: string | undefined): Conn {
    const conn = { host, port, nodeId, password } as Conn;
    conn.redis = this.#client(conn);
    return conn;
  }

  #client(conn: Conn): Redis {
    const redis = new Redis({
      host: conn.host,
      port: conn.port,
      ...(conn.password ? { password: conn.password } : {}),
      ...boundConnectionOptions(this.#o.sourceIp),
      ...FAIL_FAST,
      connectTimeout: this.#connectTimeout,
      commandTimeout: this.#commandTimeout,
      connectionName: `rsl-${this.process}`,
    } as RedisOptions);
    redis.on('error', (err: Error) => {
      conn.lastError = err;
    });
    return redis;
  }

  /** Connects `conn` once (shared by concurrent callers); a failure leaves it closed so the next call starts over. */
  #connect(conn: Conn): Promise<void> {
    conn.connecting ??= (async () => {
      const status = conn.redis.status;
      if (status !== 'wait' && status !== 'end') {
        // Closing or reconnecting leftovers: start from a fresh client rather than fight its state machine.
        conn.redis.disconnect();
        conn.redis = this.#client(conn);
      }
      conn.lastError = undefined;
      let timer: NodeJS.Timeout | undefined;
      // connectTimeout only covers TCP; a frozen node accepts TCP and never answers HELLO.
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new NotSent(`ETIMEDOUT no answer connecting to ${conn.nodeId} within ${this.#connectTimeout} ms`)),
          this.#connectTimeout,
        );
      });
      try {
        await Promise.race([conn.redis.connect(), timeout]);
      } catch (err) {
        conn.redis.disconnect();
        // The master's address may be old; a Sentinel that cannot be reached says nothing about it.
        if (conn === this.#conn) this.#markStale();
        if (err instanceof NotSent) throw err;
        throw new NotSent(connectFailure(conn, err));
      } finally {
        clearTimeout(timer);
      }
    })().finally(() => {
      conn.connecting = undefined;
    });
    return conn.connecting;
  }

  /** Asks the Sentinels in order for the master; keeps the current connection when the answer is unchanged. */
  #resolve(): Promise<Conn> {
    this.#resolving ??= (async () => {
      const t = this.#o.target;
      if (t.kind !== 'sentinel') throw new Error('not a sentinel client');
      const asked = this.#changes;
      const problems: string[] = [];
      for (const [i, s] of t.sentinels.entries()) {
        let addr: { ip: string; port: number } | undefined;
        try {
          addr = await this.#askSentinel(i, s.host, s.port, t);
        } catch (err) {
          problems.push(`${s.host}:${s.port} ${describe(err)}`);
          continue;
        }
        if (!addr) {
          problems.push(`${s.host}:${s.port} does not know ${t.masterName}`);
          continue;
        }
        if (this.#closed) throw new NotSent('CLOSED client closed');
        this.#askedAt = asked;
        const cur = this.#conn;
        if (cur && cur.host === addr.ip && cur.port === addr.port) return cur;
        const nodeId = this.#o.resolveNode(addr.ip, addr.port) ?? `${addr.ip}:${addr.port}`;
        this.#conn = this.#open(addr.ip, addr.port, nodeId, this.#o.password);
        // Requests already sent to the old master still get their replies before QUIT.
        if (cur) void retire(cur);
        return this.#conn;
      }
      throw new NotSent(`NOSENTINEL no Sentinel named the master of ${t.masterName} (${problems.join('; ')})`);
    })().finally(() => {
      this.#resolving = undefined;
    });
    return this.#resolving;
  }

  async #askSentinel(
    index: number,
    host: string,
    port: number,
    t: { masterName: string; sentinelPassword?: string },
  ): Promise<{ ip: string; port: number } | undefined> {
    let conn = this.#sentinelConns.get(index);
    if (!conn) {
      conn = this.#open(host, port, `sentinel@${host}:${port}`, t.sentinelPassword);
      this.#sentinelConns.set(index, conn);
    }
    if (conn.redis.status !== 'ready') await this.#connect(conn);
    const reply = await conn.redis.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', t.masterName);
    if (!Array.isArray(reply) || reply.length < 2) return undefined;
    return { ip: String(reply[0]), port: Number(reply[1]) };
  }
}

/** One attempt per request: no offline queue, no resends, no automatic reconnects (the actor reconnects itself). */
const FAIL_FAST = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  retryStrategy: null,
  reconnectOnError: null,
  enableReadyCheck: false,
  // Don't let a dead peer hold the process for ioredis' default 2 s after disconnect().
  disconnectTimeout: 200,
} satisfies RedisOptions;

function connectFailure(conn: Conn, err: unknown): string {
  const cause = conn.lastError ?? (err instanceof Error ? err : undefined);
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const msg = cause?.message ?? String(err);
  // Server replies during the handshake (NOAUTH, WRONGPASS) already start with their code.
  if (/^[A-Z]+\b/.test(msg) && !code) return msg;
  return `${code ?? 'ECONNFAILED'} cannot connect to ${conn.nodeId}: ${msg}`;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function dispose(conn: Conn): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    if (conn.redis.status === 'end' || conn.redis.status === 'wait') resolve();
    else conn.redis.once('end', () => resolve());
  });
  conn.redis.disconnect();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, 300)))]);
  clearTimeout(timer);
}

async function retire(conn: Conn): Promise<void> {
  try {
    await conn.redis.quit();
  } catch {
    // Not ready or no reply in time: nothing more to wait for.
  }
  conn.redis.disconnect();
}
