// PSUBSCRIBE * on one Sentinel, delivering raw events in arrival order. Re-subscribes on every (re)connect, and
// PINGs to notice a frozen Sentinel without dropping its subscription (so `+tilt` on resume still arrives).
import { Redis } from 'ioredis';
import { errorText } from './probe-loop.js';
import { type ProbeTimeouts, subscriberOptions } from './probe-options.js';

export interface SentinelMessage {
  sentinelId: string;
  channel: string;
  payload: string;
  at: number;
}

export interface SubscriberStatus {
  sentinelId: string;
  /** PSUBSCRIBE * is active on the current connection. */
  subscribed: boolean;
  /** The last PING was answered in time. */
  responsive: boolean;
  error?: string;
  at: number;
}

export interface SentinelSubscriberOptions {
  sentinelId: string;
  host: string;
  port: number;
  password?: string;
  onMessage(m: SentinelMessage): void;
  onStatus?(s: SubscriberStatus): void;
  /** A PSUBSCRIBE is sent now (`sentAt`): from then on the Sentinel may deliver events to this subscriber. */
  onSubscribing?(sentAt: number): void;
  /**
   * A PSUBSCRIBE succeeded (after each connect), handled at `confirmedAt`; always before the first message it
   * brings.
   */
  onSubscribed?(confirmedAt: number): void;
  /**
   * A PING sent after the confirmation's millisecond was answered: every message the Sentinel published up to
   * `confirmedAt` has been delivered through onMessage (it answers in order). Once per connection.
   */
  onMarker?(): void;
  /** PING period (default 1000 ms). */
  pingIntervalMs?: number;
  /** Force a reconnect when PINGs stay unanswered this long (default 30 s: longer than a TILT-inducing freeze). */
  reconnectAfterMs?: number;
  timeouts?: Partial<ProbeTimeouts>;
}

/** Hello gossip between Sentinels; not an event (and not normally published on a Sentinel itself). */
const HELLO_CHANNEL = '__sentinel__:hello';

export class SentinelSubscriber {
  private readonly o: SentinelSubscriberOptions;
  private client: Redis | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private unansweredSince: number | undefined;
  /** The client whose PSUBSCRIBE awaits its reply (a second one on that connection could only be answered after it). */
  private psubscribing: Redis | undefined;
  private status: SubscriberStatus;
  /** Successful PSUBSCRIBEs so far (1 after the first connect; +1 after each reconnect). */
  subscriptions = 0;
  /** The current connection's confirmation time, until a PING sent after it is answered (see onMarker). */
  private markerAfter: number | undefined;

  constructor(o: SentinelSubscriberOptions) {
    this.o = o;
    this.status = { sentinelId: o.sentinelId, subscribed: false, responsive: false, at: Date.now() };
  }

  get subscribed(): boolean {
    return this.status.subscribed;
  }

  /** Subscribed, and the marker after the confirmation was answered: what came before it has been delivered. */
  get settled(): boolean {
    return this.status.subscribed && this.markerAfter === undefined;
  }

  /** The latest status (also delivered through onStatus when it changes). */
  get state(): SubscriberStatus {
    return this.status;
  }

  start(): void {
    if (this.client) return;
    const opts: Parameters<typeof subscriberOptions>[0] = {
      host: this.o.host,
      port: this.o.port,
      connectionName: `rsl-events-${this.o.sentinelId}`,
    };
    if (this.o.password !== undefined) opts.password = this.o.password;
    if (this.o.timeouts !== undefined) opts.timeouts = this.o.timeouts;
    const client = new Redis(subscriberOptions(opts));
    this.client = client;
    client.on('error', (err: Error) => this.update({ error: err.message }));
    client.on('ready', () => this.subscribe(client));
    client.on('close', () => this.update({ subscribed: false, responsive: false }));
    client.on('pmessage', (_pattern: string, channel: string, payload: string) => {
      // A message proves the subscription: say so first. ioredis emits a message read in the same chunk as the
      // PSUBSCRIBE's confirmation before the command's promise settles, and a PSUBSCRIBE that timed out here may
      // still have subscribed on the Sentinel.
      this.confirmed(client);
      if (channel === HELLO_CHANNEL) return;
      this.o.onMessage({ sentinelId: this.o.sentinelId, channel, payload, at: Date.now() });
    });
    client.connect().catch(() => {});
    const every = this.o.pingIntervalMs ?? 1000;
    this.pingTimer = setInterval(() => this.ping(client), every);
  }

  async stop(): Promise<void> {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
    const client = this.client;
    this.client = undefined;
    client?.disconnect();
  }

  private subscribe(client: Redis): void {
    if (this.client !== client || this.psubscribing === client) return;
    this.psubscribing = client;
    this.o.onSubscribing?.(Date.now());
    client.psubscribe('*').then(
      () => {
        if (this.psubscribing === client) this.psubscribing = undefined;
        this.confirmed(client);
      },
      (err: unknown) => {
        if (this.psubscribing === client) this.psubscribing = undefined;
        // Only while nothing has proved the subscription (a message may have, see confirmed).
        if (!this.status.subscribed) this.update({ error: errorText(err) });
      },
    );
  }

  /** Once per connection: at the first PSUBSCRIBE reply or the first message, whichever is handled first. */
  private confirmed(client: Redis): void {
    if (this.client !== client || this.status.subscribed) return;
    const at = Date.now();
    this.subscriptions++;
    this.unansweredSince = undefined;
    this.markerAfter = at;
    this.update({ subscribed: true, responsive: true, error: undefined });
    this.o.onSubscribed?.(at);
    this.sendMarker(client);
  }

  /** The marker: a PING from a later millisecond than the confirmation (the periodic PING also serves, if it fails). */
  private sendMarker(client: Redis): void {
    if (this.client !== client || this.markerAfter === undefined) return;
    if (Date.now() <= this.markerAfter) {
      setTimeout(() => this.sendMarker(client), 1);
      return;
    }
    const sentAt = Date.now();
    client.ping().then(
      () => this.answered(client, sentAt),
      () => {},
    );
  }

  /** A PING sent at `sentAt` on `client` was answered. */
  private answered(client: Redis, sentAt: number): void {
    const after = this.markerAfter;
    if (this.client !== client || !this.status.subscribed || after === undefined || sentAt <= after) return;
    this.markerAfter = undefined;
    this.o.onMarker?.();
  }

  private ping(client: Redis): void {
    if (this.client !== client || client.status !== 'ready') return;
    // A PSUBSCRIBE that failed (timeout while the Sentinel was busy) is retried here, once it has settled.
    if (!this.status.subscribed) {
      this.subscribe(client);
      return;
    }
    const sentAt = Date.now();
    client.ping().then(
      () => {
        this.answered(client, sentAt);
        this.unansweredSince = undefined;
        if (!this.status.responsive) this.update({ responsive: true, error: undefined });
      },
      (err: unknown) => {
        const now = Date.now();
        this.unansweredSince ??= now;
        this.update({ responsive: false, error: errorText(err) });
        if (now - this.unansweredSince >= (this.o.reconnectAfterMs ?? 30_000)) {
          this.unansweredSince = undefined;
          client.disconnect(true);
        }
      },
    );
  }

  private update(patch: Partial<Omit<SubscriberStatus, 'sentinelId' | 'at'>>): void {
    if (!this.client) return;
    const next: SubscriberStatus = { ...this.status, ...patch, at: Date.now() };
    if (patch.error === undefined && 'error' in patch) delete next.error;
    const changed =
      next.subscribed !== this.status.subscribed ||
      next.responsive !== this.status.responsive ||
      next.error !== this.status.error;
    this.status = next;
    if (changed) this.o.onStatus?.(next);
  }
}
