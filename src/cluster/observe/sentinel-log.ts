// Pure: the Sentinel events a subscriber could not have received, recovered from the Sentinel's own log.
//
// A Sentinel writes each event to its log and then publishes it (`sentinelEvent` in Redis's sentinel.c), so an
// event is only delivered to clients already subscribed. A freshly started Sentinel announces `+monitor` at once
// and often `+slave` for the master's replicas within a few milliseconds of connecting to the master: before any
// client can have subscribed. Those events are in the log, which the lab reads line by line while the process
// runs. `MissedEvents` keeps, per Sentinel process, the logged events dated before the lab's first PSUBSCRIBE was
// sent (they were published to no one the lab knows); everything from that moment on arrives by pub/sub. An event
// logged in the same millisecond as the PSUBSCRIBE was sent may come either way, so it is left to pub/sub: an event
// is never shown twice, and at worst one from the PSUBSCRIBE's round trip is missed, as before.

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
  /** The pid its log lines carry (a wrapper script's redis-server has its own); taken from its first line. */
  pid?: number;
  /**
   * When the first PSUBSCRIBE on this process was sent. Any attempt may have taken effect (a reply that timed out
   * still subscribed), so from then on pub/sub may have delivered: only earlier events are the log's to tell.
   */
  cutoff?: number;
  /** The events before the cutoff were handed over (the subscription is known to work). */
  handedOver: boolean;
  pending: LoggedEvent[];
}

export class MissedEvents {
  private readonly runs = new Map<string, Run>();

  /** The lab (re)started this Sentinel's process: its log is a new story. */
  started(sentinelId: string, at: number): void {
    this.runs.set(sentinelId, { startedAt: at, handedOver: false, pending: [] });
  }

  /** One line of the Sentinel's log; returns what to deliver now (a line read after the handover, dated before). */
  line(sentinelId: string, line: string): LoggedEvent[] {
    const run = this.runs.get(sentinelId);
    if (!run) return [];
    run.pid ??= parseLogLine(line)?.pid;
    const e = parseLoggedEvent(line);
    if (!e || e.pid !== run.pid || e.at < run.startedAt - START_SLACK_MS) return [];
    if (run.cutoff !== undefined && e.at >= run.cutoff) return [];
    if (run.handedOver) return [e];
    if (run.pending.length < MAX_PENDING) run.pending.push(e);
    return [];
  }

  /** A PSUBSCRIBE is being sent to this Sentinel at `sentAt`; the first one after a start sets the cutoff. */
  subscribing(sentinelId: string, sentAt: number): void {
    const run = this.runs.get(sentinelId);
    if (run && run.cutoff === undefined) run.cutoff = sentAt;
  }

  /**
   * The subscription works (it was confirmed, or a message came through it): the events logged before the cutoff,
   * once per process, to be delivered before anything pub/sub brings. Empty on every later call.
   */
  due(sentinelId: string): LoggedEvent[] {
    const run = this.runs.get(sentinelId);
    if (!run || run.handedOver || run.cutoff === undefined) return [];
    run.handedOver = true;
    const cutoff = run.cutoff;
    const out = run.pending.filter((e) => e.at < cutoff);
    run.pending = [];
    return out;
  }
}
