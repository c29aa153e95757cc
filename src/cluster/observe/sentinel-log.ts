// Pure: the Sentinel events a subscriber could not have received, recovered from the Sentinel's own log.
//
// A Sentinel writes each event to its log and then publishes it (`sentinelEvent` in Redis's sentinel.c), so an
// event is only delivered to clients already subscribed. A freshly started Sentinel announces `+monitor` at once
// and often `+slave` for the master's replicas within a few milliseconds of connecting to the master: before any
// client can have subscribed. Those events are in the log, which the lab reads line by line while the process
// runs. `MissedEvents` keeps, per Sentinel process, the logged events dated before the lab's first PSUBSCRIBE was
// sent (they were published to no one the lab knows). An event logged during the PSUBSCRIBE's round trip (from the
// millisecond it was sent to the one its confirmation was handled in) may have come either way: the Sentinel
// subscribed the lab at some moment in between. Those wait for a marker, a PING sent in a later millisecond than the
// confirmation: the Sentinel answers it after every message it published before, so once it is answered, each such
// event either came by pub/sub (the same channel and payload) or never will, and the log's copy is shown instead.
// Everything logged after the confirmation arrives by pub/sub. So an event is shown once, and none is lost.

import { channelSpec } from './sentinel-events.js';

/** One event line of a Sentinel log: `24833:X 01 Dec 2026 21:30:57.339 * +slave slave 127.0.2.2:6380 …`. */
export interface LoggedEvent {
  pid: number;
  /** When the Sentinel logged it: its local wall clock, to the millisecond. */
  at: number;
  channel: string;
  payload: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// `15404:X 01 Dec 2026 21:30:57.339 * +slave …`: pid, role letter, date, time, level mark, message (Redis's and
// Valkey's default log format).
const LINE = /^(\d+):[A-Z] (\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) ((\d{2}):(\d{2}):(\d{2}))\.(\d{3}) ([.\-*#]) (.*)$/;

/** One line of a Redis or Sentinel log. */
export interface RedisLogLine {
  pid: number;
  /** When it was logged: the machine's local wall clock, to the millisecond. */
  at: number;
  /** The time of day as written (`21:30:57`). */
  clock: string;
  /** The level mark: `.` debug, `-` verbose, `*` notice, `#` warning. */
  level: string;
  message: string;
}

/** A log line in Redis's format, read as this machine's local time (as the server wrote it); else undefined. */
export function parseLogLine(line: string): RedisLogLine | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const [, pid, day, mon, year, clock, hh, mm, ss, ms, level, message] = m;
  const month = MONTHS.indexOf(mon ?? '');
  if (month < 0 || clock === undefined || level === undefined || message === undefined) return undefined;
  const at = new Date(Number(year), month, Number(day), Number(hh), Number(mm), Number(ss), Number(ms)).getTime();
  return { pid: Number(pid), at, clock, level, message };
}

/** The event a log line records, when it records one the lab knows (by channel). */
export function parseLoggedEvent(line: string): LoggedEvent | undefined {
  const l = parseLogLine(line);
  if (!l) return undefined;
  const space = l.message.indexOf(' ');
  const channel = space < 0 ? l.message : l.message.slice(0, space);
  if (channelSpec(channel) === undefined) return undefined;
  return { pid: l.pid, at: l.at, channel, payload: space < 0 ? '' : l.message.slice(space + 1) };
}

/** Logged events kept per Sentinel until they are handed over; a Sentinel starts with a handful. */
const MAX_PENDING = 200;
/** A logged time this much before the process was started is not this process's (a clock the log reads apart). */
const START_SLACK_MS = 1000;

interface Run {
  /** When the lab started the process. */
  startedAt: number;
  /**
   * When the first PSUBSCRIBE's confirmation was handled: later events are pub/sub's. Set once the events before
   * the cutoff were handed over (the subscription is known to work).
   */
  upTo?: number;
  /** The marker after the confirmation was answered: every event up to `upTo` that pub/sub brought has come. */
  settled: boolean;
  /** Events logged from the cutoff to `upTo`, waiting for the marker. */
  window: LoggedEvent[];
  /** What pub/sub brought from the confirmation to the marker (`channel payload` -> count not yet matched). */
  seen: Map<string, number>;
  /** The pid its log lines carry (a wrapper script's redis-server has its own); taken from its first line. */
  pid?: number;
  /**
   * When the first PSUBSCRIBE on this process was sent. Any attempt may have taken effect (a reply that timed out
   * still subscribed), so from then on pub/sub may have delivered: only earlier events are the log's to tell.
   */
  cutoff?: number;
  pending: LoggedEvent[];
}

export class MissedEvents {
  private readonly runs = new Map<string, Run>();

  /** The lab (re)started this Sentinel's process: its log is a new story. */
  started(sentinelId: string, at: number): void {
    this.runs.set(sentinelId, {
      startedAt: at,
      settled: false,
      window: [],
      seen: new Map(),
      pending: [],
    });
  }

  /** One line of the Sentinel's log; returns what to deliver now (a line read after the handover, dated before). */
  line(sentinelId: string, line: string): LoggedEvent[] {
    const run = this.runs.get(sentinelId);
    if (!run) return [];
    run.pid ??= parseLogLine(line)?.pid;
    const e = parseLoggedEvent(line);
    if (!e || e.pid !== run.pid || e.at < run.startedAt - START_SLACK_MS) return [];
    if (run.cutoff === undefined || run.upTo === undefined) {
      if (run.pending.length < MAX_PENDING) run.pending.push(e);
      return [];
    }
    // Read after the handover (the log lags the socket).
    if (e.at < run.cutoff) return [e];
    if (e.at > run.upTo) return [];
    if (run.settled) return unmatched(run, [e]);
    if (run.window.length < MAX_PENDING) run.window.push(e);
    return [];
  }

  /** A PSUBSCRIBE is being sent to this Sentinel at `sentAt`; the first one after a start sets the cutoff. */
  subscribing(sentinelId: string, sentAt: number): void {
    const run = this.runs.get(sentinelId);
    if (run && run.cutoff === undefined) run.cutoff = sentAt;
  }

  /**
   * The subscription works (it was confirmed, or a message came through it; handled at `confirmedAt`): the events
   * logged before the cutoff, once per process, to be delivered before anything pub/sub brings. Empty on every
   * later call.
   */
  due(sentinelId: string, confirmedAt: number): LoggedEvent[] {
    const run = this.runs.get(sentinelId);
    if (!run || run.upTo !== undefined || run.cutoff === undefined) return [];
    run.upTo = confirmedAt;
    const cutoff = run.cutoff;
    const out = run.pending.filter((e) => e.at < cutoff);
    run.window = run.pending.filter((e) => e.at >= cutoff && e.at <= confirmedAt);
    run.pending = [];
    return out;
  }

  /** A message pub/sub brought from this Sentinel (before the marker, it may be a logged event of the window). */
  message(sentinelId: string, channel: string, payload: string): void {
    const run = this.runs.get(sentinelId);
    if (run?.upTo === undefined || run.settled) return;
    const key = `${channel} ${payload}`;
    run.seen.set(key, (run.seen.get(key) ?? 0) + 1);
  }

  /**
   * The marker was answered: the events of the PSUBSCRIBE's round trip that pub/sub did not bring, once per
   * process. Empty on every later call.
   */
  settled(sentinelId: string): LoggedEvent[] {
    const run = this.runs.get(sentinelId);
    if (run?.upTo === undefined || run.settled) return [];
    run.settled = true;
    const out = unmatched(run, run.window);
    run.window = [];
    return out;
  }
}

/** The events pub/sub did not bring; each message it brought accounts for one logged event with its text. */
function unmatched(run: Run, events: readonly LoggedEvent[]): LoggedEvent[] {
  const out: LoggedEvent[] = [];
  for (const e of events) {
    const key = `${e.channel} ${e.payload}`;
    const n = run.seen.get(key) ?? 0;
    if (n > 0) run.seen.set(key, n - 1);
    else out.push(e);
  }
  return out;
}
