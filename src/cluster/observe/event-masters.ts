// Which master a Sentinel event belongs to. A Sentinel that monitors several masters publishes all of their events on
// one connection, and a few of them name no master: `+new-epoch <epoch>`, `+vote-for-leader <leader-runid> <epoch>`,
// `±tilt`, `-script-*`. The first two come only with a failover attempt, each in a fixed order on the connection of
// the Sentinel that publishes them (test/fixtures/sentinel-events-failover.json, captured from Redis 7.0.15): the
// Sentinel that starts an attempt publishes `+new-epoch E` right before `+try-failover master <name> …`, which makes
// E that attempt's epoch; a Sentinel that votes publishes `+new-epoch E` (when the vote raises its epoch) right before
// `+vote-for-leader <leader> E`; one that learns a higher epoch from another's hello publishes `+new-epoch E` alone. So
// a vote is the failover of the master its leader's attempt of that epoch was of, and an epoch is its own Sentinel's
// attempt, else the vote that follows it, else (a hello) the attempt of that epoch. Until that is seen, such a message
// waits (briefly: what tells comes next on the same connection, or a moment earlier or later on another), and the
// Sentinel's later messages wait behind it so each Sentinel's order is kept. What cannot be told stays without a
// master rather than take a wrong one. A Sentinel that monitors one master: every event of it is that master's.
import { eventMasterName } from './sentinel-events.js';

/** How long a message waits for what tells its master. */
export const HOLD_MS = 250;
/** Failover attempts remembered (each a new epoch: a few per outage). */
const ATTEMPTS_KEPT = 100;

export interface AttributedMessage<M> {
  message: M;
  /** The master it belongs to; undefined when that cannot be told. */
  master: string | undefined;
}

interface Entry<M> {
  message: M;
  master: string | undefined;
  /** Still waiting for the attempt it belongs to. */
  waiting: boolean;
  since: number;
  /** Arrival order over every Sentinel. */
  n: number;
}

interface PerSentinel<M> {
  /** The master names it monitors, as far as known: what the deployment said, and every name its events carry. */
  masters: Set<string>;
  /** The epoch of its `+new-epoch` when that was its last message: a `+try-failover` now is the attempt of it. */
  newEpoch: number | undefined;
  queue: Array<Entry<M>>;
}

export class EventMasters<M extends { sentinelId: string; channel: string; payload: string }> {
  private readonly monitors: (sentinelId: string) => readonly string[];
  private readonly resolveRunId: (runId: string) => string | undefined;
  private readonly holdMs: number;
  private readonly sentinels = new Map<string, PerSentinel<M>>();
  /** Failover attempts: epoch -> the Sentinel that started one in it -> the master. */
  private readonly attempts = new Map<number, Map<string, string>>();
  private arrivals = 0;

  constructor(opts: {
    /** The master names a Sentinel monitors (SENTINEL MASTERS at discovery; the lab's own: its one master). */
    monitors: (sentinelId: string) => readonly string[];
    /** Sentinel run id (myid, as a vote names its leader) -> Sentinel id. */
    resolveRunId?: (runId: string) => string | undefined;
    holdMs?: number;
  }) {
    this.monitors = opts.monitors;
    this.resolveRunId = opts.resolveRunId ?? (() => undefined);
    this.holdMs = opts.holdMs ?? HOLD_MS;
  }

  /**
   * Takes one message (each Sentinel's in the order its connection delivers them); returns, in arrival order, the
   * messages whose master is decided now: this one, and any that waited for what it tells.
   */
  push(m: M, now: number): Array<AttributedMessage<M>> {
    const s = this.of(m.sentinelId);
    const named = eventMasterName(m.channel, m.payload);
    if (named !== undefined) s.masters.add(named);
    if (m.channel === '+try-failover' && named !== undefined && s.newEpoch !== undefined) {
      this.attempt(s.newEpoch, m.sentinelId, named);
    }
    s.newEpoch = m.channel === '+new-epoch' ? epochAt(m.payload, 0) : undefined;
    const entry: Entry<M> = { message: m, master: named, waiting: false, since: now, n: this.arrivals++ };
    s.queue.push(entry);
    if (named === undefined) this.decide(s, entry, false);
    return this.release(now);
  }

  /** Releases what waited `holdMs` without learning its master (then it has none). */
  expire(now: number): Array<AttributedMessage<M>> {
    return this.release(now);
  }

  /** When the first waiting message's wait ends; undefined when none waits. */
  nextExpiry(): number | undefined {
    let due: number | undefined;
    for (const s of this.sentinels.values()) {
      const head = s.queue[0];
      if (head?.waiting) due = Math.min(due ?? Number.POSITIVE_INFINITY, head.since + this.holdMs);
    }
    return due;
  }

  /** A new subscription: what it delivers next does not follow what the last one delivered. */
  resubscribed(sentinelId: string): void {
    this.of(sentinelId).newEpoch = undefined;
  }

  private of(sentinelId: string): PerSentinel<M> {
    let s = this.sentinels.get(sentinelId);
    if (!s) {
      s = { masters: new Set(this.monitors(sentinelId)), newEpoch: undefined, queue: [] };
      this.sentinels.set(sentinelId, s);
    }
    return s;
  }

  private attempt(epoch: number, sentinelId: string, master: string): void {
    let byLeader = this.attempts.get(epoch);
    if (!byLeader) {
      byLeader = new Map();
      this.attempts.set(epoch, byLeader);
      for (const old of this.attempts.keys()) {
        if (this.attempts.size <= ATTEMPTS_KEPT) break;
        this.attempts.delete(old);
      }
    }
    byLeader.set(sentinelId, master);
  }

  /**
   * The master of a message that names none, or it waits (`final`: no longer) for what tells: the attempt it
   * belongs to, or, for an epoch, the message that follows it on its Sentinel's connection.
   */
  private decide(s: PerSentinel<M>, e: Entry<M>, final: boolean): void {
    const { sentinelId, channel, payload } = e.message;
    e.waiting = false;
    if (s.masters.size === 1) {
      e.master = [...s.masters][0];
      return;
    }
    let master: string | undefined;
    if (channel === '+vote-for-leader') {
      const byLeader = this.attemptsIn(epochAt(payload, 1));
      const leader = this.resolveRunId(payload.trim().split(/\s+/)[0] ?? '');
      master = leader === undefined ? only(byLeader) : byLeader?.get(leader);
    } else if (channel === '+new-epoch') {
      const epoch = epochAt(payload, 0);
      const byLeader = this.attemptsIn(epoch);
      const next = s.queue[s.queue.indexOf(e) + 1];
      if (byLeader?.has(sentinelId)) {
        // Its own attempt: the +try-failover right after it.
        master = byLeader.get(sentinelId);
      } else if (next?.message.channel === '+vote-for-leader' && epochAt(next.message.payload, 1) === epoch) {
        // It raised its epoch to vote: the failover it votes in.
        if (next.waiting) this.decide(s, next, final);
        master = next.master;
      } else if (next !== undefined || final) {
        // It learned the epoch from another's hello: the failover of that epoch, when its attempts were of one master.
        master = only(byLeader);
      }
    } else {
      // ±tilt, -script-*, a channel the lab does not know: about the Sentinel, not about one of its masters.
      return;
    }
    e.master = master;
    e.waiting = master === undefined && !final;
  }

  private attemptsIn(epoch: number | undefined): ReadonlyMap<string, string> | undefined {
    return epoch === undefined ? undefined : this.attempts.get(epoch);
  }

  private release(now: number): Array<AttributedMessage<M>> {
    const out: Array<Entry<M>> = [];
    for (const s of this.sentinels.values()) {
      while (s.queue[0]) {
        const head = s.queue[0];
        if (head.waiting) this.decide(s, head, now - head.since >= this.holdMs);
        if (head.waiting) break;
        out.push(head);
        s.queue.shift();
      }
    }
    return out.sort((a, b) => a.n - b.n).map((e) => ({ message: e.message, master: e.master }));
  }
}

/** The epoch in word `i` of a payload. */
function epochAt(payload: string, i: number): number | undefined {
  const n = Number(payload.trim().split(/\s+/)[i]);
  return Number.isInteger(n) ? n : undefined;
}

/** The master of every attempt listed, when they are all of one master. */
function only(byLeader: ReadonlyMap<string, string> | undefined): string | undefined {
  const masters = new Set(byLeader?.values());
  return masters.size === 1 ? [...masters][0] : undefined;
}
