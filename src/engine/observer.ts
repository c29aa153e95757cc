// Runs one probe per node and one PSUBSCRIBE * per Sentinel, and turns what they see into engine events. It reaches
// nodes only through the deployment's admin addresses, so it observes any deployment the same way.
import type { LabEmitter } from '../cluster/events.js';
import { type AttributedMessage, EventMasters } from '../cluster/observe/event-masters.js';
import { parseSentinelEvent } from '../cluster/observe/sentinel-events.js';
import type { LoggedEvent, MissedEvents } from '../cluster/observe/sentinel-log.js';
import { RedisProbe } from '../cluster/probes/redis-probe.js';
import { SentinelProbe } from '../cluster/probes/sentinel-probe.js';
import { type SentinelMessage, SentinelSubscriber } from '../cluster/probes/sentinel-subscriber.js';
import { redisNodes, sentinelNodes, type Topology } from '../cluster/topology.js';
import type { Addresses } from '../deployments/deployment.js';

/** Engine events after which what the probes see has probably changed. */
const NUDGES = ['node-state', 'fault-applied', 'fault-healed', 'action'] as const;

export class Observer {
  private readonly emitter: LabEmitter;
  private readonly redis = new Map<string, RedisProbe>();
  private readonly sentinels = new Map<string, SentinelProbe>();
  private readonly subscribers: SentinelSubscriber[] = [];
  private readonly publish = new Map<string, (m: SentinelMessage) => void>();
  private readonly missed: MissedEvents | undefined;
  /** Which master each Sentinel message belongs to (some name none). */
  private readonly masters: EventMasters<SentinelMessage>;
  private readonly release: (decided: Array<AttributedMessage<SentinelMessage>>) => void;
  private holdTimer: NodeJS.Timeout | undefined;

  constructor(opts: {
    topology: Topology;
    addresses: Addresses;
    emitter: LabEmitter;
    intervalMs: number;
    onSwitchMaster: () => void;
    nextSeq: () => number;
    /** Sentinel myid (40 hex, as events and votes name it) -> node id. */
    resolveRunId?: (runId: string) => string | undefined;
    /** Events the Sentinels logged before they could be subscribed to (where the deployment has their logs). */
    missed?: MissedEvents;
    /** The master names a Sentinel monitors, where they may be more than the topology's (Deployment.sentinelMasters). */
    monitors?: (sentinelId: string) => readonly string[] | undefined;
  }) {
    this.emitter = opts.emitter;
    this.missed = opts.missed;
    const t = opts.topology;
    const resolve = (ip: string, port: number) => opts.addresses.nodeAt(ip, port);
    this.masters = new EventMasters({
      monitors: (id) => opts.monitors?.(id) ?? [t.sentinel.masterName],
      resolveRunId: (runId) => opts.resolveRunId?.(runId),
    });
    const emit = ({ message: m, master }: AttributedMessage<SentinelMessage>): void => {
      // A Sentinel monitoring several masters publishes their events too: keep this topology's master's, and those
      // whose master cannot be told (event-masters.ts), which carry none.
      if (master !== undefined && master !== t.sentinel.masterName) return;
      const e = parseSentinelEvent({ ...m, seq: opts.nextSeq() }, resolve, opts.resolveRunId);
      if (master !== undefined) e.master = master;
      opts.emitter.emit('sentinel-event', e);
      if (e.channel === '+switch-master') opts.onSwitchMaster();
      // Sentinel saw or did something: refresh every view now rather than at the (possibly idle) cadence.
      this.pollAll();
    };
    this.release = (decided) => {
      for (const d of decided) emit(d);
      this.armHold();
    };
    const auth = (id: string) => opts.addresses.auth?.(id);
    for (const n of redisNodes(t)) {
      const a = opts.addresses.admin(n.id);
      this.redis.set(
        n.id,
        new RedisProbe({
          id: n.id,
          host: a.host,
          port: a.port,
          password: auth(n.id)?.password ?? t.password,
          intervalMs: opts.intervalMs,
          resolve,
          onObservation: (o) => opts.emitter.emit('redis-probed', o),
        }),
      );
    }
    for (const n of sentinelNodes(t)) {
      const a = opts.addresses.admin(n.id);
      // Credentials from the addresses are a gateway's (a deployment the lab did not start): it authenticates the
      // connection once and refuses any further AUTH. The lab's own Sentinels get the topology's password.
      const gateway = auth(n.id);
      const password = gateway?.password ?? t.sentinelAuth?.password;
      this.sentinels.set(
        n.id,
        new SentinelProbe({
          id: n.id,
          host: a.host,
          port: a.port,
          masterName: t.sentinel.masterName,
          ...(password !== undefined ? { password } : {}),
          checkPasswordless: gateway === undefined,
          intervalMs: opts.intervalMs,
          resolve,
          onObservation: (o) => opts.emitter.emit('sentinel-probed', o),
        }),
      );
      const publish = (m: SentinelMessage): void => this.release(this.masters.push(m, Date.now()));
      this.publish.set(n.id, publish);
      this.subscribers.push(
        new SentinelSubscriber({
          sentinelId: n.id,
          host: a.host,
          port: a.port,
          ...(password !== undefined ? { password } : {}),
          onMessage: (m) => {
            this.missed?.message(n.id, m.channel, m.payload);
            publish(m);
          },
          onSubscribing: (sentAt) => {
            this.missed?.subscribing(n.id, sentAt);
            this.masters.resubscribed(n.id);
          },
          // What the Sentinel logged before the subscription goes before anything the subscription brings.
          onSubscribed: (at) => this.logged(n.id, this.missed?.due(n.id, at) ?? []),
          // What it logged during the PSUBSCRIBE's round trip and did not publish to the lab.
          onMarker: () => this.logged(n.id, this.missed?.settled(n.id) ?? []),
        }),
      );
    }
  }

  /**
   * Sentinels whose events the lab is not subscribed to yet (PSUBSCRIBE * not active on the current connection, or
   * what the Sentinel published during the PSUBSCRIBE's round trip not all delivered yet: see onMarker).
   */
  unsubscribed(): string[] {
    return this.subscribers.filter((s) => !s.settled).map((s) => s.state.sentinelId);
  }

  /** Events a Sentinel logged but published before it was subscribed to, delivered as if they had arrived then. */
  logged(sentinelId: string, events: readonly LoggedEvent[]): void {
    const publish = this.publish.get(sentinelId);
    if (!publish) return;
    for (const e of events) publish({ sentinelId, channel: e.channel, payload: e.payload, at: e.at });
  }

  /** Releases, when the first of them is due, the messages that wait for what tells their master (event-masters.ts). */
  private armHold(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const due = this.masters.nextExpiry();
    if (due === undefined) return;
    this.holdTimer = setTimeout(
      () => {
        this.holdTimer = undefined;
        this.release(this.masters.expire(Date.now()));
      },
      Math.max(0, due - Date.now()),
    );
    this.holdTimer.unref();
  }

  /** A process changed state, a fault was applied or healed, an action ran: the probes look now. */
  private readonly pollAll = (): void => {
    for (const p of this.redis.values()) void p.pollNow();
    for (const p of this.sentinels.values()) void p.pollNow();
  };

  start(): void {
    for (const k of NUDGES) this.emitter.on(k, this.pollAll);
    for (const p of this.redis.values()) p.start();
    for (const p of this.sentinels.values()) p.start();
    for (const s of this.subscribers) s.start();
  }

  pollNow(id: string): void {
    this.redis.get(id)?.pollNow();
    this.sentinels.get(id)?.pollNow();
  }

  stop(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    for (const k of NUDGES) this.emitter.off(k, this.pollAll);
    for (const p of this.redis.values()) p.stop();
    for (const p of this.sentinels.values()) p.stop();
    for (const s of this.subscribers) s.stop();
  }
}
