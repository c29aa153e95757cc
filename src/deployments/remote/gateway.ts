// The read-only gateway in front of a deployment the lab did not start. The lab's probes and Sentinel subscriptions
// (engine/observer.ts) connect to a local port per node instead of the node itself; the gateway
//   - lets in only this lab process: a connection must authenticate with a random per-session token first;
//   - authenticates to the real node with the person's credentials, which therefore never leave this module (they
//     are not in the topology, the store, the screen or an export);
//   - checks every command against the allow-list (allow-list.ts) before it is forwarded, and on anything else drops
//     the connection without forwarding it or anything after it (a refused command is a bug of the lab's, reported
//     through `onRefused`).
// Replies travel back untouched. Only 127.0.0.1 is listened on.
import { timingSafeEqual } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { checkCommand, type RemoteNodeKind } from './allow-list.js';
import type { Credentials } from './credentials.js';
import { encodeRequest, type Request, RequestParser, RespProtocolError } from './resp-request.js';

export interface GatewayTarget {
  id: string;
  kind: RemoteNodeKind;
  host: string;
  port: number;
  credentials: Credentials;
}

export interface GatewayOptions {
  /** What a local client must AUTH with (the probes get it through the deployment's addresses). */
  token: string;
  connectTimeoutMs?: number;
  /** A command the allow-list refused: the connection was dropped and nothing of it reached the node. */
  onRefused?(id: string, reason: string): void;
  /** The node refused our credentials, or could not be reached. */
  onProblem?(id: string, text: string): void;
}

const NOAUTH = '-NOAUTH Authentication required.\r\n';
const WRONGPASS = '-WRONGPASS invalid username-password pair or user is disabled.\r\n';
/** What Redis answers to AUTH when the node needs no password: the connection is fine as it is. */
const NO_PASSWORD_NEEDED = /without any password configured|no password is set/i;

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

class Session {
  private readonly parser = new RequestParser();
  private authed = false;
  private upstreamReady = false;
  private readonly pending: Buffer[] = [];
  private authLine = '';
  private closed = false;
  /**
   * The node refused the real credentials: its error line (`-WRONGPASS …`, which never holds the password). The
   * local client's requests are answered with it, as the node itself would answer them, so the probes see a refusal
   * ("refused", ui/lib/observed.ts) rather than a node that does not answer; then the session ends.
   */
  private refusal: string | undefined;
  private refusalTimer: NodeJS.Timeout | undefined;

  private readonly client: Socket;
  private readonly upstream: Socket;
  private readonly target: GatewayTarget;
  private readonly opts: GatewayOptions;
  private readonly done: (s: Session) => void;

  constructor(
    client: Socket,
    upstream: Socket,
    target: GatewayTarget,
    opts: GatewayOptions,
    done: (s: Session) => void,
  ) {
    this.client = client;
    this.upstream = upstream;
    this.target = target;
    this.opts = opts;
    this.done = done;
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.on('data', (chunk: Buffer) => this.fromClient(chunk));
    client.on('error', () => this.close());
    client.on('close', () => this.close());
    upstream.on('error', (err) => {
      if (!this.upstreamReady) this.opts.onProblem?.(target.id, `${target.host}:${target.port}: ${err.message}`);
      this.close();
    });
    upstream.on('close', () => {
      if (this.refusal === undefined) this.close();
    });
    upstream.setTimeout(opts.connectTimeoutMs ?? 2000, () => {
      if (!this.upstreamReady) {
        this.opts.onProblem?.(target.id, `${target.host}:${target.port} did not answer in time`);
        this.close();
      }
    });
    upstream.once('connect', () => this.upstreamConnected());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.refusalTimer);
    this.client.destroy();
    this.upstream.destroy();
    this.done(this);
  }

  private upstreamConnected(): void {
    const c = this.target.credentials;
    if (c.password === undefined) {
      this.ready();
      return;
    }
    const argv = c.username ? ['AUTH', c.username, c.password] : ['AUTH', c.password];
    this.upstream.on('data', this.onAuthReply);
    this.upstream.write(encodeRequest(argv));
  }

  private readonly onAuthReply = (chunk: Buffer): void => {
    this.authLine += chunk.toString('latin1');
    const end = this.authLine.indexOf('\r\n');
    if (end < 0) {
      if (this.authLine.length > 4096) this.close();
      return;
    }
    const line = this.authLine.slice(0, end);
    const rest = Buffer.from(this.authLine.slice(end + 2), 'latin1');
    this.upstream.off('data', this.onAuthReply);
    if (line.startsWith('+') || (line.startsWith('-') && NO_PASSWORD_NEEDED.test(line))) {
      this.ready(rest);
      return;
    }
    this.opts.onProblem?.(this.target.id, `AUTH refused: ${line.slice(1, 200)}`);
    this.refuse(line.startsWith('-') ? line.slice(0, 200) : "-ERR the node refused the lab's credentials");
  };

  private refuse(line: string): void {
    this.refusal = line;
    this.upstream.destroy();
    const waiting = this.pending.splice(0).length;
    if (waiting) this.answerRefused(waiting);
    // Nothing asked yet: the next request gets the answer; a client that asks nothing is let go.
    else this.refusalTimer = setTimeout(() => this.close(), this.opts.connectTimeoutMs ?? 2000);
  }

  /** Answers `n` requests with the node's refusal, then ends the connection once that is written. */
  private answerRefused(n: number): void {
    if (this.client.writableEnded) return;
    for (let i = 0; i < n; i++) this.client.write(`${this.refusal}\r\n`);
    this.client.end();
  }

  private ready(leftover?: Buffer): void {
    this.upstreamReady = true;
    this.upstream.setTimeout(0);
    if (leftover?.length) this.toClient(leftover);
    this.upstream.on('data', (chunk: Buffer) => this.toClient(chunk));
    for (const b of this.pending.splice(0)) this.upstream.write(b);
  }

  private toClient(chunk: Buffer): void {
    if (!this.client.write(chunk)) {
      this.upstream.pause();
      this.client.once('drain', () => this.upstream.resume());
    }
  }

  private forward(bytes: Buffer): void {
    if (this.refusal !== undefined) {
      this.answerRefused(1);
      return;
    }
    if (!this.upstreamReady) {
      this.pending.push(bytes);
      return;
    }
    if (!this.upstream.write(bytes)) {
      this.client.pause();
      this.upstream.once('drain', () => this.client.resume());
    }
  }

  private fromClient(chunk: Buffer): void {
    let requests: Request[];
    try {
      requests = this.parser.push(chunk);
    } catch (err) {
      const why = err instanceof RespProtocolError ? err.message : String(err);
      this.opts.onRefused?.(this.target.id, `malformed request: ${why}`);
      this.close();
      return;
    }
    for (const r of requests) {
      if (this.closed) return;
      if (!this.authed) {
        this.authenticate(r);
        continue;
      }
      const verdict = checkCommand(this.target.kind, r.argv);
      if (!verdict.ok) {
        // Nothing of this request or anything after it reaches the node.
        this.opts.onRefused?.(this.target.id, verdict.reason);
        this.close();
        return;
      }
      this.forward(r.raw);
    }
  }

  /** Before the token: AUTH or HELLO … AUTH is answered here; nothing is forwarded until it matches. */
  private authenticate(r: Request): void {
    const [cmd, ...args] = r.argv;
    const name = cmd?.toUpperCase();
    if (name === 'AUTH') {
      const given = args[args.length - 1] ?? '';
      if (args.length >= 1 && args.length <= 2 && sameToken(given, this.opts.token)) {
        this.authed = true;
        this.client.write('+OK\r\n');
      } else this.client.write(WRONGPASS);
      return;
    }
    if (name === 'HELLO') {
      const i = args.findIndex((a) => a.toUpperCase() === 'AUTH');
      if (i < 0) {
        this.client.write(NOAUTH);
        return;
      }
      const given = args[i + 2] ?? '';
      if (!sameToken(given, this.opts.token)) {
        this.client.write(WRONGPASS);
        return;
      }
      this.authed = true;
      // The node gets HELLO without our token (the gateway authenticated to it with the real credentials).
      const stripped = ['HELLO', ...args.slice(0, i), ...args.slice(i + 3)];
      const verdict = checkCommand(this.target.kind, stripped);
      if (!verdict.ok) {
        this.opts.onRefused?.(this.target.id, verdict.reason);
        this.close();
        return;
      }
      this.forward(encodeRequest(stripped));
      return;
    }
    this.client.write(NOAUTH);
  }
}

/** One local listener per node of a deployment the lab did not start. */
export class Gateway {
  private readonly servers = new Map<string, { server: Server; port: number }>();
  private readonly sessions = new Set<Session>();
  private closed = false;
  private readonly opts: GatewayOptions;

  private constructor(opts: GatewayOptions) {
    this.opts = opts;
  }

  static async open(targets: readonly GatewayTarget[], opts: GatewayOptions): Promise<Gateway> {
    const g = new Gateway(opts);
    try {
      for (const t of targets) await g.listen(t);
    } catch (err) {
      g.closeSync();
      throw err;
    }
    return g;
  }

  private listen(t: GatewayTarget): Promise<void> {
    const server = createServer({ pauseOnConnect: false }, (client) => {
      if (this.closed) {
        client.destroy();
        return;
      }
      const upstream = connect({ host: t.host, port: t.port });
      this.sessions.add(new Session(client, upstream, t, this.opts, (s) => this.sessions.delete(s)));
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        const a = server.address();
        if (!a || typeof a === 'string') {
          reject(new Error('gateway listener has no port'));
          return;
        }
        this.servers.set(t.id, { server, port: a.port });
        resolve();
      });
    });
  }

  /** Where a probe for node `id` connects. */
  address(id: string): { host: string; port: number } {
    const s = this.servers.get(id);
    if (!s) throw new Error(`no gateway for ${id}`);
    return { host: '127.0.0.1', port: s.port };
  }

  /** Open client connections (for tests and the shutdown check). */
  get connections(): number {
    return this.sessions.size;
  }

  async close(): Promise<void> {
    const closing = [...this.servers.values()].map(
      ({ server }) => new Promise<void>((resolve) => server.close(() => resolve())),
    );
    this.closeSync();
    await Promise.all(closing);
  }

  /** Stops listening and drops every connection now (process exit handlers). */
  closeSync(): void {
    this.closed = true;
    for (const { server } of this.servers.values()) if (server.listening) server.close();
    for (const s of [...this.sessions]) s.close();
  }
}
