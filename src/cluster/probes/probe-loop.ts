// The polling machinery RedisProbe and SentinelProbe share: one fail-fast ioredis client, rounds that never hang,
// one retry across a reconnect (Sentinel's CLIENT KILL), and emission only on change. The cadence adapts: fast
// right after a change (start-up, a failover) and doubling back to `intervalMs`, which holds while something is
// going on, then `idleIntervalMs` once nothing has changed for a few rounds. pollNow (a Sentinel event, a process
// exit, an action) and the loss of a working connection run a round at once.
import { Redis, type RedisOptions } from 'ioredis';

export interface ProbeLoopOptions<T> {
  clientOptions: RedisOptions;
  /** Cadence while something is going on. */
  intervalMs: number;
  /** Cadence once nothing changed for QUIET_ROUNDS rounds (default: 4 × intervalMs). */
  idleIntervalMs?: number;
  /** Cadence right after a change (default: min(FAST_INTERVAL_MS, intervalMs)). */
  fastIntervalMs?: number;
  /**
   * One round's queries on a ready client; throws when the node did not answer. `fresh` is true for the first
   * round on a new connection: what only a restart can change (run ids) need only be asked then.
   */
  query(client: Redis, at: number, fresh: boolean): Promise<T>;
  /**
   * The observation for a node that did not answer. `at` is when it stopped answering: the first failed round since
   * the last answer, the same for every round of one outage whatever the error says meanwhile.
   */
  unreachable(error: string, at: number): T;
  /** Comparison key: an emission happens only when it changes (leave `at` and volatile fields out). */
  key(obs: T): string;
  /** What counts as a change of state for the cadence (default: key); leave out counters that move while idle. */
  settleKey?(obs: T): string;
  /** Activity that is no change of state (a write load moving offsets) keeps the normal cadence. */
  busy?(prev: T, next: T): boolean;
  onObservation(obs: T): void;
}

/** Unchanged rounds before the cadence drops to idleIntervalMs. */
export const QUIET_ROUNDS = 4;
/** Cadence right after a change: a start-up or a failover is seen within about this long. */
export const FAST_INTERVAL_MS = 50;
/** At most this many fast rounds in a row (a flapping observation must not poll at 20 Hz for long). */
const MAX_FAST_ROUNDS = 20;

/** Errors meaning "the connection went away" (as opposed to a timeout or a reply error). */
const CONNECTION_GONE = /Stream isn't writeable|max retries per request|Connection is closed|ECONNRESET|EPIPE/i;
/** How long a round waits for a reconnect in progress (a CLIENT KILL reconnects after retryDelayMs + a handshake). */
const SETTLE_WAIT_MS = 600;

/** Groups error texts so a flapping outage ("Command timed out" / "Socket timeout") emits once. */
function errorClass(message: string): string {
  if (/ECONNREFUSED/.test(message)) return 'refused';
  if (/timed out|timeout/i.test(message)) return 'timeout';
  // "not connected (reconnecting)", "not connected (connecting)": one state of the client between attempts.
  if (CONNECTION_GONE.test(message) || /^not connected \(/.test(message)) return 'gone';
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
  private lastSettle: string | undefined;
  private lastObs: T | undefined;
  private quietRounds = 0;
  private fastRounds = 0;
  /** Unchanged rounds since the last change (the back-off exponent). */
  private sinceChange = 0;
  /** Incremented on every (re)connect; `freshDone` is the generation whose first round succeeded. */
  private connection = 0;
  private freshDone = -1;
  private lastError: string | undefined;
  private lastEmittedError: string | undefined;
  /** When the current outage began (the first round that failed since the last answer); undefined while it answers. */
  private failingSince: number | undefined;
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
    let up = false;
    client.on('ready', () => {
      up = true;
      this.connection++;
    });
    // The node closed a working connection (it died, restarted, or killed our client): look now, not at the
    // idle cadence. Failed reconnects while it stays down close again but change nothing.
    client.on('close', () => {
      if (!up) return;
      up = false;
      if (!this.stopped) void this.pollNow();
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
    // Something happened: look closely for a while even if this round sees no change yet.
    this.quietRounds = 0;
    this.sinceChange = 0;
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
    let delay = this.o.intervalMs;
    try {
      const key = this.o.key(obs);
      delay = this.cadence(obs, key);
      if (key !== this.lastKey) {
        this.lastKey = key;
        this.o.onObservation(obs);
      }
      for (const w of waiters) w(obs);
    } finally {
      // A throwing consumer must not stop the probe.
      const again = this.again;
      this.again = false;
      this.schedule(again ? 0 : Math.max(0, delay - (Date.now() - started)));
    }
  }

  /** The delay before the next round, from what this round saw. */
  private cadence(obs: T, key: string): number {
    const o = this.o;
    const settle = o.settleKey ? o.settleKey(obs) : key;
    const prev = this.lastObs;
    this.lastObs = obs;
    const fast = o.fastIntervalMs ?? Math.min(FAST_INTERVAL_MS, o.intervalMs);
    if (settle !== this.lastSettle) {
      this.lastSettle = settle;
      this.quietRounds = 0;
      this.sinceChange = 0;
      this.fastRounds++;
      return this.fastRounds <= MAX_FAST_ROUNDS ? fast : o.intervalMs;
    }
    this.fastRounds = 0;
    // A change is often the first of several (a replica syncing, a failover): back off from the fast cadence
    // by doubling rather than jumping to intervalMs, so the next step is seen soon too.
    this.sinceChange++;
    const backoff = fast * 2 ** this.sinceChange;
    if (backoff < o.intervalMs) return backoff;
    if (prev !== undefined && o.busy?.(prev, obs)) {
      this.quietRounds = 0;
      return o.intervalMs;
    }
    this.quietRounds++;
    return this.quietRounds >= QUIET_ROUNDS ? (o.idleIntervalMs ?? 4 * o.intervalMs) : o.intervalMs;
  }

  private async round(at: number): Promise<T> {
    const client = this.client;
    if (!client) return this.fail('not started', at);
    if (client.status !== 'ready') {
      await this.settle(client);
      if (!isReady(client)) return this.fail(this.lastError ?? `not connected (${client.status})`, at);
    }
    try {
      return this.succeed(await this.query(client, at));
    } catch (err) {
      const message = errorText(err);
      // Killed by the server (Sentinel's CLIENT KILL TYPE normal): retry once on the fresh connection.
      if (CONNECTION_GONE.test(message) && !this.stopped) {
        await this.settle(client);
        if (isReady(client)) {
          try {
            return this.succeed(await this.query(client, at));
          } catch (err2) {
            return this.fail(errorText(err2), at);
          }
        }
      }
      return this.fail(message, at);
    }
  }

  private async query(client: Redis, at: number): Promise<T> {
    const generation = this.connection;
    const obs = await this.o.query(client, at, this.freshDone !== generation);
    this.freshDone = generation;
    return obs;
  }

  private succeed(obs: T): T {
    this.lastEmittedError = undefined;
    this.failingSince = undefined;
    return obs;
  }

  private fail(message: string, at: number): T {
    // Prefer the connection's own error ("connect ECONNREFUSED …") over ioredis's queue errors.
    const raw = CONNECTION_GONE.test(message) && this.lastError ? this.lastError : message;
    const prev = this.lastEmittedError;
    const text = prev !== undefined && errorClass(prev) === errorClass(raw) ? prev : raw;
    this.lastEmittedError = text;
    // A new error text during the same outage emits a new observation, but not a new start of the silence.
    this.failingSince ??= at;
    return this.o.unreachable(text, this.failingSince);
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
