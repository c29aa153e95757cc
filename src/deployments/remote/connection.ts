// The remote deployment's own command path: short-lived connections for discovery, `inspect` and the confirmed
// SENTINEL FAILOVER. Every command passes the allow-list (allow-list.ts) before anything is sent; a refused command is
// a bug of the lab's and throws without touching the node. Authentication is done here (AUTH on a RESP2
// connection), so the credentials never reach a caller and no library prints a warning about them.
import { Redis } from 'ioredis';
import { checkCommand, type RemoteNodeKind } from './allow-list.js';
import type { Credentials } from './credentials.js';

export interface Endpoint {
  host: string;
  port: number;
}

export type Reply = { ok: true; value: unknown } | { ok: false; error: string };

/** Why a connection could not be used. */
export type ConnectProblem = 'unreachable' | 'auth-failed';

export class ConnectError extends Error {
  override name = 'ConnectError';
  readonly problem: ConnectProblem;
  constructor(problem: ConnectProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

/** A refused command: the lab tried to send something outside the allow-list. Nothing was sent. */
export class RefusedCommandError extends Error {
  override name = 'RefusedCommandError';
}

export interface ConnectOptions {
  timeoutMs?: number;
  /** CLIENT SETNAME, so the operator can tell the lab's connections apart in CLIENT LIST. */
  name?: string;
}

const NO_PASSWORD_NEEDED = /without any password configured|no password is set/i;

function errorText(err: unknown): string {
  return plainError(err instanceof Error ? err.message : String(err));
}

/**
 * The client library's internal wording, said as what happened. A server's own error replies (`NOAUTH …`,
 * `WRONGPASS …`) and system errors (`connect ECONNREFUSED …`) pass unchanged.
 */
export function plainError(text: string): string {
  const resp = /Unknown RESP type (\d+) "(.)"/.exec(text);
  if (resp) {
    const http = resp[2] === 'H' ? ' (it looks like an HTTP server, or a proxy in between)' : '';
    return `not a Redis server: its reply does not start like RESP (first byte ${JSON.stringify(resp[2])})${http}`;
  }
  if (/Stream isn't writeable|Connection is closed/i.test(text)) return 'the server closed the connection';
  return text;
}

export class RemoteConnection {
  private readonly client: Redis;
  readonly endpoint: Endpoint;
  readonly kind: RemoteNodeKind;

  private constructor(client: Redis, endpoint: Endpoint, kind: RemoteNodeKind) {
    this.client = client;
    this.endpoint = endpoint;
    this.kind = kind;
  }

  /** Connects and authenticates; ConnectError when the node does not answer or refuses the credentials. */
  static async open(
    endpoint: Endpoint,
    kind: RemoteNodeKind,
    credentials: Credentials,
    opts: ConnectOptions = {},
  ): Promise<RemoteConnection> {
    const timeoutMs = opts.timeoutMs ?? 1500;
    let lastError: string | undefined;
    const client = new Redis({
      host: endpoint.host,
      port: endpoint.port,
      // RESP2 and no password here: AUTH is sent below, by this module, and judged here.
      protocol: 2,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableReadyCheck: false,
      disableClientInfo: true,
      autoResubscribe: false,
      connectTimeout: timeoutMs,
      commandTimeout: timeoutMs,
    });
    client.on('error', (err: Error) => {
      lastError = plainError(err.message);
    });
    try {
      await client.connect();
    } catch (err) {
      client.disconnect();
      throw new ConnectError('unreachable', lastError ?? errorText(err));
    }
    if (credentials.password !== undefined) {
      const args = credentials.username ? [credentials.username, credentials.password] : [credentials.password];
      try {
        await client.call('AUTH', ...args);
      } catch (err) {
        const text = errorText(err);
        if (!NO_PASSWORD_NEEDED.test(text)) {
          client.disconnect();
          // Redis's own words (WRONGPASS …) never contain the password.
          throw new ConnectError('auth-failed', text);
        }
      }
    }
    // Named after AUTH (ioredis would name it before, where a node with a password refuses).
    if (opts.name) await client.call('CLIENT', 'SETNAME', opts.name).catch(() => undefined);
    return new RemoteConnection(client, endpoint, kind);
  }

  /** Sends every command in one round trip, after checking all of them; each reply or its error text. */
  async batch(argvs: readonly (readonly string[])[], opts: { confirmedFailover?: string } = {}): Promise<Reply[]> {
    for (const argv of argvs) {
      const v = checkCommand(this.kind, argv, opts);
      if (!v.ok) throw new RefusedCommandError(v.reason);
    }
    if (argvs.length === 0) return [];
    const p = this.client.pipeline();
    for (const [cmd, ...args] of argvs) if (cmd !== undefined) p.call(cmd, ...args);
    let results: [Error | null, unknown][] | null;
    try {
      results = await p.exec();
    } catch (err) {
      const text = errorText(err);
      return argvs.map(() => ({ ok: false, error: text }));
    }
    return argvs.map((_, i) => {
      const r = results?.[i];
      if (!r) return { ok: false, error: 'no reply' };
      return r[0] ? { ok: false, error: plainError(r[0].message) } : { ok: true, value: r[1] };
    });
  }

  /** One command; throws its error reply. */
  async call(argv: readonly string[], opts: { confirmedFailover?: string } = {}): Promise<unknown> {
    const [r] = await this.batch([argv], opts);
    if (!r) throw new Error('no reply');
    if (!r.ok) throw new Error(r.error);
    return r.value;
  }

  close(): void {
    this.client.disconnect();
  }
}

/** Opens, runs one command, closes. */
export async function oneCommand(
  endpoint: Endpoint,
  kind: RemoteNodeKind,
  credentials: Credentials,
  argv: readonly string[],
  opts: ConnectOptions & { confirmedFailover?: string } = {},
): Promise<unknown> {
  // Checked before even connecting: a refused command never opens a connection.
  const v = checkCommand(kind, argv, opts);
  if (!v.ok) throw new RefusedCommandError(v.reason);
  const conn = await RemoteConnection.open(endpoint, kind, credentials, opts);
  try {
    return await conn.call(argv, opts);
  } finally {
    conn.close();
  }
}
