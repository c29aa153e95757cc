// The polling machinery RedisProbe and SentinelProbe share: one fail-fast ioredis client, rounds every intervalMs
// that never hang, one retry across a reconnect (Sentinel's CLIENT KILL), and emission only on change.
import { Redis, type RedisOptions } from 'ioredis';

export interface ProbeLoopOptions<T> {
  clientOptions: RedisOptions;
  intervalMs: number;
  /** One round's queries on a ready client; throws when the node did not answer. */
  query(client: Redis, at: number): Promise<T>;
  /** The observation for a node that did not answer. */
  unreachable(error: string, at: number): T;
  /** Comparison key: an emission happens only when it changes (leave `at` and volatile fields out). */
  key(obs: T): string;
  onObservation(obs: T): void;
}

/** Errors meaning "the connection went away" (as opposed to a timeout or a reply error). */
const CONNECTION_GONE = /Stream isn't writeable|max retries per request|Connection is closed|ECONNRESET|EPIPE/i;
/** How long a round waits for a reconnect in progress (a CLIENT KILL reconnects after retryDelayMs + a handshake). */
const SETTLE_WAIT_MS = 600;

/** Groups error texts so a flapping outage ("Command timed out" / "Socket timeout") emits once. */
function errorClass(message: string): string {
  if (/ECONNREFUSED/.test(message)) return 'refused';
  if (/timed out|timeout/i.test(message)) return 'timeout';
  if (CONNECTION_GONE.test(message)) return 'gone';
  return message;
}

/** A function, not an inline test: TypeScript would keep the narrowing across awaits. */
function isReady(client: Redis): boolean {
  return client.status === 'ready';
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class ProbeLoop<T> {
  private readonly o: ProbeLoopOptions<T>;
  private client: Redis | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<T> | undefined;
  private again = false;
  private stopped = true;
  private lastKey: string | undefined;
  private lastError: string | undefined;
  private lastEmittedError: string | undefined;
  private waiters: Array<(obs: T | undefined) => void> = [];

  constructor(o: ProbeLoopOptions<T>) {
    this.o = o;
  }

  get running(): boolean {
    return !this.stopped;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const client = new Redis(this.o.clientOptions);
    // Every client needs a listener, or ioredis prints "Unhandled error event"; the text is kept for the UI.
    client.on('error', (err: Error) => {
      this.lastError = err.message;
    });
    this.client = client;
    client.connect().catch(() => {});
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.client?.disconnect();
    const pending = this.inFlight;
    for (const w of this.waiters.splice(0)) w(undefined);
    if (pending) await pending.catch(() => {});
  }

  /** Runs a round now (or right after the current one); resolves with its observation, undefined once stopped. */
  pollNow(): Promise<T | undefined> {
    if (this.stopped) return Promise.resolve(undefined);
    const p = new Promise<T | undefined>((resolve) => this.waiters.push(resolve));
    if (this.inFlight) this.again = true;
    else this.schedule(0);
    return p;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, delayMs);
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.inFlight) return;
    const started = Date.now();
    const waiters = this.waiters.splice(0);
    const round = this.round(started);
    this.inFlight = round;
    const obs = await round;
    this.inFlight = undefined;
    if (this.stopped) return;
    try {
      const key = this.o.key(obs);
      if (key !== this.lastKey) {
        this.lastKey = key;
        this.o.onObservation(obs);
      }
      for (const w of waiters) w(obs);
    } finally {
      // A throwing consumer must not stop the probe.
      const again = this.again;
      this.again = false;
      this.schedule(again ? 0 : Math.max(0, this.o.intervalMs - (Date.now() - started)));
    }
  }

  private async round(at: number): Promise<T> {
    const client = this.client;
    if (!client) return this.fail('not started', at);
    if (client.status !== 'ready') {
      await this.settle(client);
      if (!isReady(client)) return this.fail(this.lastError ?? `not connected (${client.status})`, at);
    }
    try {
      return this.succeed(await this.o.query(client, at));
    } catch (err) {
      const message = errorText(err);
      // Killed by the server (Sentinel's CLIENT KILL TYPE normal): retry once on the fresh connection.
      if (CONNECTION_GONE.test(message) && !this.stopped) {
        await this.settle(client);
        if (isReady(client)) {
          try {
            return this.succeed(await this.o.query(client, at));
          } catch (err2) {
            return this.fail(errorText(err2), at);
          }
        }
      }
      return this.fail(message, at);
    }
  }

  private succeed(obs: T): T {
    this.lastEmittedError = undefined;
    return obs;
  }

  private fail(message: string, at: number): T {
    // Prefer the connection's own error ("connect ECONNREFUSED …") over ioredis's queue errors.
    const raw = CONNECTION_GONE.test(message) && this.lastError ? this.lastError : message;
    const prev = this.lastEmittedError;
    const text = prev !== undefined && errorClass(prev) === errorClass(raw) ? prev : raw;
    this.lastEmittedError = text;
    return this.o.unreachable(text, at);
  }

  /** Waits until the client is ready, reports an error, or SETTLE_WAIT_MS pass. */
  private settle(client: Redis): Promise<void> {
    if (client.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        client.off('ready', done);
        client.off('error', done);
        client.off('end', done);
        resolve();
      };
      const timer = setTimeout(done, SETTLE_WAIT_MS);
      client.once('ready', done);
      client.once('error', done);
      client.once('end', done);
    });
  }
}
