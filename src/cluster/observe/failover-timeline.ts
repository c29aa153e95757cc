// Pure assembly of failover timelines from Sentinel events: fault -> SDOWN -> ODOWN -> election -> promotion ->
// switch-master per Sentinel -> replicas repointed -> failover-end -> old master converted (facts §2.3).
import type { SentinelEvent } from '../events.js';
import { parseInstanceDetails, parseSwitchMaster } from './sentinel-events.js';
import type { FailoverPhase, FailoverTimeline } from './types.js';

export interface TimelineContext {
  downAfterMs: number;
  failoverTimeoutMs: number;
  /** The most recent fault the lab injected; becomes the timeline's start when it plausibly caused it. */
  lastFault?: { at: number; description: string };
}

export const PHASE_ORDER: readonly FailoverPhase[] = [
  'fault',
  'sdown',
  'odown',
  'try-failover',
  'elected',
  'selected',
  'promoted',
  'switch-master',
  'reconf-done',
  'failover-end',
  'converted',
];

/** The raw channel each phase stands for. */
export const PHASE_LABEL: Record<FailoverPhase, string> = {
  fault: 'fault',
  sdown: '+sdown',
  odown: '+odown',
  'try-failover': '+try-failover',
  elected: '+elected-leader',
  selected: '+selected-slave',
  promoted: '+promoted-slave',
  'switch-master': '+switch-master',
  'reconf-done': '+slave-reconf-done',
  'failover-end': '+failover-end',
  converted: '+convert-to-slave',
};

const ABORTS: Record<string, string> = {
  '-failover-abort-not-elected': 'no Sentinel was elected leader in time',
  '-failover-abort-no-good-slave': 'no replica was eligible for promotion',
  '-failover-abort-slave-timeout': 'the promotion did not happen within failover-timeout',
};

/** Which master (as `ip:port`) an event is about, and in what role. */
function masterAddrOf(e: SentinelEvent): string | undefined {
  if (e.channel === '+switch-master') {
    const sw = parseSwitchMaster(e.payload);
    return sw && `${sw.oldIp}:${sw.oldPort}`;
  }
  const d = parseInstanceDetails(e.payload);
  if (!d) return undefined;
  if (e.channel === '+convert-to-slave') return `${d.ip}:${d.port}`;
  if (d.type === 'master') return `${d.ip}:${d.port}`;
  return d.master && `${d.master.ip}:${d.master.port}`;
}

function isMasterEvent(e: SentinelEvent): boolean {
  return parseInstanceDetails(e.payload)?.type === 'master';
}

function replace(list: FailoverTimeline[], i: number, t: FailoverTimeline): FailoverTimeline[] {
  const next = list.slice();
  next[i] = t;
  return next;
}

function withPhase(t: FailoverTimeline, phase: FailoverPhase, at: number): FailoverTimeline {
  return t.phases[phase] === undefined ? { ...t, phases: { ...t.phases, [phase]: at } } : t;
}

function lastIndex(list: FailoverTimeline[], pred: (t: FailoverTimeline) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) {
    const t = list[i];
    if (t && pred(t)) return i;
  }
  return -1;
}

function create(
  list: FailoverTimeline[],
  e: SentinelEvent,
  addr: string,
  masterId: string | undefined,
  ctx: TimelineContext,
): FailoverTimeline {
  const f = ctx.lastFault;
  const claimed = f && list.some((t) => t.phases.fault === f.at);
  const causal = f && !claimed && f.at <= e.at && e.at - f.at <= ctx.downAfterMs + ctx.failoverTimeoutMs;
  const t: FailoverTimeline = {
    id: `failover-${e.seq}`,
    startedAt: causal ? f.at : e.at,
    phases: causal ? { fault: f.at } : {},
    switchedBy: {},
    reconfigured: [],
    done: false,
    downAfterMs: ctx.downAfterMs,
    failoverTimeoutMs: ctx.failoverTimeoutMs,
    oldMasterAddr: addr,
  };
  if (causal) t.cause = f.description;
  if (masterId !== undefined) t.oldMasterId = masterId;
  return t;
}

/**
 * Folds one event into the timelines. Immutable: returns the same array when the event is irrelevant, else a new
 * array in which only the touched timeline is a new object.
 */
export function updateTimelines(
  timelines: FailoverTimeline[],
  event: SentinelEvent,
  ctx: TimelineContext,
): FailoverTimeline[] {
  const e = event;
  if (e.channel === '+new-epoch' || e.channel === '+vote-for-leader') {
    if (e.epoch === undefined) return timelines;
    const i = lastIndex(timelines, (t) => !t.done);
    const t = timelines[i];
    if (!t || (t.epoch !== undefined && t.epoch >= e.epoch)) return timelines;
    return replace(timelines, i, { ...t, epoch: e.epoch });
  }
  const addr = masterAddrOf(e);
  if (addr === undefined) return timelines;
  const openIdx = lastIndex(timelines, (t) => !t.done && t.oldMasterAddr === addr);
  const anyIdx = lastIndex(timelines, (t) => t.oldMasterAddr === addr);

  // Events that can start a timeline: the master's own SDOWN/ODOWN/election events.
  const startOrOpen = (): [number, FailoverTimeline] | undefined => {
    const t = timelines[openIdx];
    if (t) return [openIdx, t];
    // A lagging Sentinel reporting the old master down just after the switch is not a new failover.
    const prev = timelines[anyIdx];
    const switchedAt = prev?.phases['switch-master'];
    if (switchedAt !== undefined && e.at - switchedAt < ctx.failoverTimeoutMs) return undefined;
    const masterId = isMasterEvent(e) ? e.subjectId : undefined;
    return [timelines.length, create(timelines, e, addr, masterId, ctx)];
  };
  const put = (i: number, t: FailoverTimeline) =>
    i === timelines.length ? [...timelines, t] : replace(timelines, i, t);

  switch (e.channel) {
    case '+sdown': {
      if (!isMasterEvent(e)) return timelines;
      const [i, t0] = startOrOpen() ?? [];
      if (i === undefined || !t0) return timelines;
      let t = withPhase(t0, 'sdown', e.at);
      if (t.phases['try-failover'] === undefined) {
        const by = t.sdownBy ?? [];
        if (!by.includes(e.sentinelId)) t = { ...t, sdownBy: [...by, e.sentinelId] };
      }
      return put(i, t);
    }
    case '-sdown': {
      const t = timelines[openIdx];
      if (!t || !isMasterEvent(e) || t.phases['try-failover'] !== undefined) return timelines;
      const by = (t.sdownBy ?? []).filter((s) => s !== e.sentinelId);
      if (by.length > 0) return replace(timelines, openIdx, { ...t, sdownBy: by });
      return replace(timelines, openIdx, {
        ...t,
        sdownBy: by,
        done: true,
        aborted: 'the master answered again before a failover started',
      });
    }
    case '+odown':
    case '+try-failover':
    case '+elected-leader': {
      if (!isMasterEvent(e)) return timelines;
      const [i, t0] = startOrOpen() ?? [];
      if (i === undefined || !t0) return timelines;
      const phase: FailoverPhase =
        e.channel === '+odown' ? 'odown' : e.channel === '+try-failover' ? 'try-failover' : 'elected';
      let t = withPhase(t0, phase, e.at);
      if (phase === 'elected' && t.leaderId === undefined) t = { ...t, leaderId: e.sentinelId };
      return t === t0 ? timelines : put(i, t);
    }
    case '+selected-slave':
    case '+promoted-slave': {
      const t0 = timelines[openIdx];
      if (!t0) return timelines;
      let t = withPhase(t0, e.channel === '+selected-slave' ? 'selected' : 'promoted', e.at);
      if (e.subjectId !== undefined && (e.channel === '+promoted-slave' || t.newMasterId === undefined)) {
        t = { ...t, newMasterId: e.subjectId };
      }
      return t === t0 ? timelines : replace(timelines, openIdx, t);
    }
    case '+switch-master': {
      const [i, t0] = anyIdx >= 0 ? [anyIdx, timelines[anyIdx]] : [timelines.length, undefined];
      let t = t0 ?? create(timelines, e, addr, e.fromId, ctx);
      t = withPhase(t, 'switch-master', e.at);
      if (t.switchedBy[e.sentinelId] === undefined) t = { ...t, switchedBy: { ...t.switchedBy, [e.sentinelId]: e.at } };
      if (e.toId !== undefined && t.newMasterId !== e.toId) t = { ...t, newMasterId: e.toId };
      if (e.fromId !== undefined && t.oldMasterId === undefined) t = { ...t, oldMasterId: e.fromId };
      return t === t0 ? timelines : put(i, t);
    }
    case '+slave-reconf-done': {
      const t0 = timelines[anyIdx];
      if (!t0) return timelines;
      let t = withPhase(t0, 'reconf-done', e.at);
      if (e.subjectId !== undefined && !t.reconfigured.includes(e.subjectId)) {
        t = { ...t, reconfigured: [...t.reconfigured, e.subjectId] };
      }
      return t === t0 ? timelines : replace(timelines, anyIdx, t);
    }
    case '+failover-end':
    case '+failover-end-for-timeout': {
      const t0 = timelines[anyIdx];
      if (!t0) return timelines;
      const t = withPhase(t0, 'failover-end', e.at);
      return replace(timelines, anyIdx, { ...t, done: true });
    }
    case '+convert-to-slave': {
      const i = lastIndex(timelines, (t) => t.oldMasterAddr === addr && t.phases.converted === undefined);
      const t0 = timelines[i];
      if (!t0 || t0.phases['switch-master'] === undefined) return timelines;
      return replace(timelines, i, withPhase(t0, 'converted', e.at));
    }
    default: {
      const reason = ABORTS[e.channel];
      const t = timelines[openIdx];
      if (reason === undefined || !t) return timelines;
      // Losers of an election abort too; only the leader's (or a leaderless) abort ends the failover.
      if (t.leaderId !== undefined && t.leaderId !== e.sentinelId) return timelines;
      return replace(timelines, openIdx, { ...t, aborted: reason, done: true });
    }
  }
}

function sec(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** One-line title: `redis-1 -> redis-3 (epoch 1)`. */
export function timelineTitle(t: FailoverTimeline): string {
  const from = t.oldMasterId ?? t.oldMasterAddr ?? '?';
  const to = t.newMasterId ?? '?';
  const epoch = t.epoch === undefined ? '' : ` (epoch ${t.epoch})`;
  const state = t.aborted ? ', aborted' : t.done ? '' : ', in progress';
  return `failover of ${from} -> ${to}${epoch}${state}`;
}

/** Lines like `+odown  1.20 s  (down-after 1.00 s)`, times relative to the timeline's start. */
export function formatTimeline(t: FailoverTimeline): string[] {
  const lines: string[] = [];
  for (const phase of PHASE_ORDER) {
    const at = t.phases[phase];
    if (at === undefined) continue;
    let detail = '';
    switch (phase) {
      case 'fault':
        detail = t.cause ?? '';
        break;
      case 'odown':
        detail = `(down-after ${sec(t.downAfterMs)})`;
        break;
      case 'elected':
        detail = `${t.leaderId ?? ''}${t.epoch === undefined ? '' : ` (epoch ${t.epoch})`}`;
        break;
      case 'selected':
      case 'promoted':
        detail = t.newMasterId ?? '';
        break;
      case 'switch-master':
        detail = Object.entries(t.switchedBy)
          .sort((a, b) => a[1] - b[1])
          .map(([id, when]) => `${id} ${sec(when - t.startedAt)}`)
          .join(', ');
        break;
      case 'reconf-done':
        detail = t.reconfigured.join(', ');
        break;
      case 'failover-end':
        detail = `(failover-timeout ${sec(t.failoverTimeoutMs)})`;
        break;
      case 'converted':
        detail = t.oldMasterId ?? t.oldMasterAddr ?? '';
        break;
    }
    lines.push(`${PHASE_LABEL[phase]}  ${sec(at - t.startedAt)}${detail ? `  ${detail}` : ''}`);
  }
  if (t.aborted) lines.push(`aborted  ${t.aborted}`);
  return lines;
}
