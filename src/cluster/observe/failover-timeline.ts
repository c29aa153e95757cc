// Pure assembly of failover timelines from Sentinel events: fault -> SDOWN -> ODOWN -> election -> promotion ->
// switch-master per Sentinel -> replicas repointed -> failover-end -> old master converted
// (redis.io/docs/latest/operate/oss_and_stack/management/sentinel/). A timeline also closes without a promotion:
// "no quorum" (too few Sentinels see the master down for ODOWN; settleTimelines decides it as time passes),
// "no majority" (ODOWN, but no Sentinel got a majority's votes: `-failover-abort-not-elected`), "aborted: <reason>"
// (another `-failover-abort-*`), or the master answering again before a failover started (as a master, or with its
// role switched to replica). A retried election for the same outage joins the timeline of the fault that caused it,
// until an election is won: an attempt with a leader is the failover of its (master, epoch), and a later epoch is a
// timeline of its own that closes it as "superseded" when it was unfinished. "switched": the Sentinels switched to
// its promoted replica, but the leader's `+failover-end` never came (it went down, or waits for a promoted replica
// that went down). "abandoned": elected, but its leader went silent before a promotion (neither `+promoted-slave`
// nor an abort within failover-timeout; a leader's late word still counts).
import type { SentinelEvent } from '../events.js';
import { eventMasterName, parseInstanceDetails, parseSwitchMaster } from './sentinel-events.js';
import type { FailoverOutcome, FailoverPhase, FailoverTimeline } from './types.js';

export interface TimelineContext {
  /** Settings in force now (re-read from the Sentinels every probe round); a new timeline keeps them. */
  downAfterMs: number;
  failoverTimeoutMs: number;
  quorum?: number;
  parallelSyncs?: number;
  /** How many Sentinels there are (for the "no quorum" sentence). */
  sentinels?: number;
  /** The most recent fault the lab injected; becomes the timeline's start when it plausibly caused it. */
  lastFault?: { at: number; description: string };
  /** The role a node reports right now (its last probe), to tell a returning master from one that switched role. */
  observedRole?: (nodeId: string) => 'master' | 'replica' | undefined;
}

/**
 * How long after the first `+sdown` ODOWN may still come: the other Sentinels must reach SDOWN themselves (their own
 * down-after) and answer the next is-master-down-by-addr question (asked every second).
 */
export const NO_QUORUM_GRACE_MS = 3000;

/** Outcomes after which the same outage may still go on (Sentinel retries the failover). */
const RETRYABLE: ReadonlySet<FailoverOutcome> = new Set(['no-quorum', 'no-majority', 'aborted', 'abandoned']);

/**
 * The leader ends its failover within failover-timeout of the promotion: `+failover-end`, or
 * `+failover-end-for-timeout` then `+failover-end` (sentinel.c sentinelFailoverDetectEnd, run from its timer), unless
 * it is gone or the promoted replica is SDOWN (sentinelFailoverDetectEnd then waits). This much later, with the
 * switch seen and no end, the failover is done without it.
 */
export const END_GRACE_MS = 2000;

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
  if (ctx.quorum !== undefined) t.quorum = ctx.quorum;
  if (ctx.parallelSyncs !== undefined) t.parallelSyncs = ctx.parallelSyncs;
  if (causal) t.cause = f.description;
  if (masterId !== undefined) t.oldMasterId = masterId;
  return t;
}

/** The master name an event is about: as the engine attributed it, else as its payload names it. */
function masterNameOf(e: SentinelEvent): string | undefined {
  return e.master ?? eventMasterName(e.channel, e.payload);
}

/** Whether a timeline can be of the master named `name` (unknown on either side: it can). */
function ofMaster(t: FailoverTimeline, name: string | undefined): boolean {
  return name === undefined || t.masterName === undefined || t.masterName === name;
}

/** An attempt with an elected leader is the failover of its (master, epoch): later epochs do not join it. */
function committed(t: FailoverTimeline): boolean {
  return t.leaderId !== undefined;
}

function epochWord(epoch: number | undefined): string {
  return epoch === undefined ? 'a new epoch' : `epoch ${epoch}`;
}

/**
 * Folds one event into the timelines. Immutable: returns the same array when the event is irrelevant, else a new
 * array in which only the touched timelines are new objects.
 *
 * A timeline with an elected leader is one attempt: the failover of its master in its epoch, and the events that
 * carry or imply another epoch do not change it. `+new-epoch` and `+vote-for-leader` name no master address; each
 * Sentinel publishes `+new-epoch E` right before its own `+try-failover` (sentinel.c sentinelStartFailover), and the
 * leader's `+elected-leader`, `+selected-slave`, `+promoted-slave`, `+slave-reconf-*`, `+failover-end` and aborts all
 * belong to the epoch of its attempt (only the leader runs the failover state machine, sentinelFailoverStateMachine).
 * A later epoch's `+try-failover` or `+elected-leader` for the same master supersedes an unfinished attempt (its
 * voters wait 2 x failover-timeout before trying again, so the earlier one is over by then). `+switch-master` joins
 * the attempt that selected or promoted the replica it names.
 */
export function updateTimelines(
  timelines: FailoverTimeline[],
  event: SentinelEvent,
  ctx: TimelineContext,
): FailoverTimeline[] {
  const e = event;
  const name = masterNameOf(e);
  if (e.channel === '+new-epoch' || e.channel === '+vote-for-leader') {
    if (e.epoch === undefined) return timelines;
    const epoch = e.epoch;
    // The open timeline of that master, else its latest: what dates the next attempt of each Sentinel.
    let i = lastIndex(timelines, (t) => !t.done && ofMaster(t, name));
    if (i < 0) i = lastIndex(timelines, (t) => ofMaster(t, name));
    const t0 = timelines[i];
    if (!t0) return timelines;
    let t = t0;
    if ((t.epochBy?.[e.sentinelId] ?? -1) < epoch) t = { ...t, epochBy: { ...t.epochBy, [e.sentinelId]: epoch } };
    // A vote for L in epoch E answers L's request for votes in its attempt of epoch E (sentinelVoteLeader).
    const leader = e.channel === '+vote-for-leader' ? e.subjectId : undefined;
    if (leader !== undefined && (t.tryEpochBy?.[leader] ?? -1) < epoch) {
      t = { ...t, tryEpochBy: { ...t.tryEpochBy, [leader]: epoch } };
    }
    // Before an election is won, the timeline shows the epoch being tried.
    if (!t.done && !committed(t) && (t.epoch === undefined || t.epoch < epoch)) t = { ...t, epoch };
    return t === t0 ? timelines : replace(timelines, i, t);
  }
  if (e.channel === '+sdown' && e.instanceType === 'sentinel') return leaderDown(timelines, e, name);
  const addr = masterAddrOf(e);
  if (addr === undefined) return timelines;
  const mine = (t: FailoverTimeline) => t.oldMasterAddr === addr && ofMaster(t, name);
  const openIdx = lastIndex(timelines, (t) => !t.done && mine(t));
  const anyIdx = lastIndex(timelines, mine);
  // The epoch of this Sentinel's attempt: a new one is the `+new-epoch` it published right before its
  // `+try-failover`; the leader's later events are of the attempt it tried (or was voted for) in.
  const known = (t: FailoverTimeline | undefined) =>
    e.channel === '+try-failover'
      ? (t?.epochBy?.[e.sentinelId] ?? t?.tryEpochBy?.[e.sentinelId])
      : (t?.tryEpochBy?.[e.sentinelId] ?? t?.epochBy?.[e.sentinelId]);

  // Events that can start a timeline: the master's own SDOWN/ODOWN/election events.
  const startOrOpen = (): [number, FailoverTimeline] | undefined => {
    const t = timelines[openIdx];
    if (t) return [openIdx, t];
    // A lagging Sentinel reporting the old master down just after the switch is not a new failover.
    const prev = timelines[anyIdx];
    const switchedAt = prev?.phases['switch-master'];
    if (switchedAt !== undefined && e.at - switchedAt < ctx.failoverTimeoutMs) return undefined;
    // The same outage going on (a retried election, ODOWN after all): the timeline of the fault that caused it. An
    // attempt that had a leader keeps its own epoch, leader and replica: the next attempt is a timeline of its own.
    if (prev?.outcome && RETRYABLE.has(prev.outcome) && !prev.recovered) {
      if (!committed(prev)) return [anyIdx, reopen(prev)];
      return [timelines.length, nextAttempt(timelines, prev, e, ctx)];
    }
    const masterId = isMasterEvent(e) ? e.subjectId : undefined;
    const t0 = create(timelines, e, addr, masterId, ctx);
    // The epochs the Sentinels announced before this timeline began (its `+new-epoch` came first).
    const epochBy = announcedEpochs(timelines, name);
    return [timelines.length, epochBy ? { ...t0, epochBy } : t0];
  };
  const put = (list: FailoverTimeline[], i: number, t: FailoverTimeline) =>
    i === list.length ? [...list, t] : replace(list, i, t);

  switch (e.channel) {
    case '+sdown': {
      if (!isMasterEvent(e)) return timelines;
      const [i, t0] = startOrOpen() ?? [];
      if (i === undefined || !t0) return timelines;
      let t = named(withPhase(t0, 'sdown', e.at), name);
      // Down again while its attempt is still under way: the same outage after all.
      if (t.recovered && !t.done) {
        const { recovered, ...rest } = t;
        t = rest;
      }
      const by = t.sdownBy ?? [];
      if (!by.includes(e.sentinelId)) t = { ...t, sdownBy: [...by, e.sentinelId] };
      return put(timelines, i, t);
    }
    case '-sdown':
    case '-odown': {
      if (!isMasterEvent(e)) return timelines;
      const open = timelines[openIdx];
      if (!open) {
        // A closed, unpromoted outage whose master answers again: a later outage is a new timeline.
        const prev = timelines[anyIdx];
        if (!prev?.outcome || !RETRYABLE.has(prev.outcome) || prev.recovered) return timelines;
        const by = (prev.sdownBy ?? []).filter((s) => s !== e.sentinelId);
        const recovered = e.channel === '-odown' || by.length === 0;
        return replace(timelines, anyIdx, { ...prev, sdownBy: by, ...(recovered ? { recovered } : {}) });
      }
      const by = (open.sdownBy ?? []).filter((s) => s !== e.sentinelId);
      // The master answers again while an attempt is still under way (it ends later, e.g. "no majority"): that outage
      // is over, so a later one is a timeline of its own, not a retry of this one.
      const answered = open.phases['try-failover'] !== undefined && (e.channel === '-odown' || by.length === 0);
      if (e.channel === '-odown')
        return answered ? replace(timelines, openIdx, { ...open, recovered: true }) : timelines;
      if (by.length > 0 || open.phases['try-failover'] !== undefined) {
        return replace(timelines, openIdx, { ...open, sdownBy: by, ...(answered ? { recovered: true } : {}) });
      }
      // Every Sentinel that saw it down sees it answer again, before any failover started: did it come back as the
      // master, or with its role switched (a replica now)?
      const id = open.oldMasterId;
      const switched = open.reportedRole === 'slave' || (id !== undefined && ctx.observedRole?.(id) === 'replica');
      return replace(
        timelines,
        openIdx,
        close(
          { ...open, sdownBy: by },
          switched ? 'role-switched' : 'master-returned',
          switched
            ? `${id ?? 'the master'} answered again, but as a replica (its role switched) before a failover started`
            : 'the master answered again before a failover started',
          e.at,
        ),
      );
    }
    case '+role-change':
    case '-role-change': {
      if (!isMasterEvent(e)) return timelines;
      const role = /new reported role is (master|slave)/.exec(e.payload)?.[1] as 'master' | 'slave' | undefined;
      const i = openIdx >= 0 ? openIdx : anyIdx;
      const t = timelines[i];
      if (!t || !role || t.reportedRole === role) return timelines;
      let next: FailoverTimeline = { ...t, reportedRole: role };
      // Sentinel may report the role right after the -sdown that closed it: correct that verdict.
      if (role === 'slave' && t.outcome === 'master-returned' && e.at - (t.closedAt ?? e.at) <= 5000) {
        next = {
          ...next,
          outcome: 'role-switched',
          aborted: `${t.oldMasterId ?? 'the master'} answered again, but as a replica (its role switched) before a failover started`,
        };
      }
      return replace(timelines, i, next);
    }
    case '+odown':
    case '+try-failover':
    case '+elected-leader': {
      if (!isMasterEvent(e)) return timelines;
      const [i0, t0] = startOrOpen() ?? [];
      if (i0 === undefined || !t0) return timelines;
      let list = timelines;
      let i = i0;
      let t = named(t0, name);
      const epoch = e.channel === '+odown' ? undefined : known(t);
      if (e.channel === '+try-failover' && epoch !== undefined && (t.tryEpochBy?.[e.sentinelId] ?? -1) < epoch) {
        t = { ...t, tryEpochBy: { ...t.tryEpochBy, [e.sentinelId]: epoch } };
      }
      // Another attempt of the same master while this one, with its own leader, is unfinished: it is over.
      const other =
        e.channel === '+elected-leader'
          ? t.leaderId !== e.sentinelId || (epoch !== undefined && t.epoch !== undefined && epoch > t.epoch)
          : epoch !== undefined && (t.epoch === undefined || epoch > t.epoch);
      if (committed(t) && !t.done && other) {
        const reason = `superseded by ${epochWord(epoch)}: ${e.sentinelId} ${e.channel === '+elected-leader' ? 'was elected to fail over' : 'started another failover of'} ${t.oldMasterId ?? addr}`;
        list = replace(list, i, close(t, 'superseded', reason, e.at));
        t = nextAttempt(list, t, e, ctx);
        i = list.length;
      }
      const phase: FailoverPhase =
        e.channel === '+odown' ? 'odown' : e.channel === '+try-failover' ? 'try-failover' : 'elected';
      t = withPhase(t, phase, e.at);
      if (!committed(t) && epoch !== undefined && (t.epoch === undefined || t.epoch < epoch)) t = { ...t, epoch };
      if (phase === 'elected' && !committed(t)) {
        t = { ...t, leaderId: e.sentinelId, ...(epoch !== undefined ? { epoch } : {}) };
      }
      // A reopened timeline is new even when this phase was reached before.
      return t === timelines[i] ? timelines : put(list, i, t);
    }
    case '+selected-slave':
    case '+promoted-slave': {
      // Only the leader selects and promotes: its attempt, never another epoch's.
      let i = lastIndex(
        timelines,
        (t) => !t.done && mine(t) && (t.leaderId === e.sentinelId || t.leaderId === undefined),
      );
      // A leader that was only silent (frozen, slow) and goes on: its attempt, closed as abandoned, is open again.
      if (i < 0) {
        const j = lastIndex(timelines, (t) => mine(t) && t.leaderId === e.sentinelId);
        if (timelines[j]?.outcome === 'abandoned') i = j;
      }
      const t0 = timelines[i];
      if (!t0) return timelines;
      let t = withPhase(
        t0.outcome === 'abandoned' ? reopenAbandoned(t0) : t0,
        e.channel === '+selected-slave' ? 'selected' : 'promoted',
        e.at,
      );
      if (t.leaderId === undefined) t = { ...t, leaderId: e.sentinelId };
      if (e.subjectId !== undefined && (e.channel === '+promoted-slave' || t.newMasterId === undefined)) {
        t = { ...t, newMasterId: e.subjectId };
      }
      return t === t0 ? timelines : replace(timelines, i, t);
    }
    case '+switch-master':
      return switchMaster(timelines, e, addr, name, ctx);
    case '+slave-reconf-done':
    case '+failover-end':
    case '+failover-end-for-timeout': {
      // The leader's: the open attempt it leads (or whose leader was not seen), else the latest it led (its end can
      // come after the timeline closed without it).
      let i = lastIndex(
        timelines,
        (t) => mine(t) && !t.done && (t.leaderId === e.sentinelId || t.leaderId === undefined),
      );
      if (i < 0) i = lastIndex(timelines, (t) => mine(t) && t.leaderId === e.sentinelId);
      const t0 = timelines[i];
      if (!t0) return timelines;
      if (e.channel === '+slave-reconf-done') {
        let t = withPhase(t0, 'reconf-done', e.at);
        if (e.subjectId !== undefined && !t.reconfigured.includes(e.subjectId)) {
          t = { ...t, reconfigured: [...t.reconfigured, e.subjectId] };
        }
        return t === t0 ? timelines : replace(timelines, i, t);
      }
      // The leader's word is final, even after the timeline closed without it.
      const { aborted, abortChannel, note, ...t } = withPhase(t0, 'failover-end', e.at);
      return replace(timelines, i, {
        ...t,
        done: true,
        outcome: 'completed',
        closedAt: t0.outcome === 'completed' ? (t.closedAt ?? e.at) : e.at,
      });
    }
    case '+convert-to-slave': {
      // The old master rejoining as a replica of the master its failover made: the last step of that failover. Once
      // a later failover switched the master again, it is converted under another master: no step of the old one.
      const switchedAway = (t: FailoverTimeline) => ofMaster(t, name) && t.phases['switch-master'] !== undefined;
      const i = lastIndex(timelines, switchedAway);
      const t0 = timelines[i];
      if (!t0 || t0.oldMasterAddr !== addr || t0.phases.converted !== undefined) return timelines;
      return replace(timelines, i, withPhase(t0, 'converted', e.at));
    }
    default: {
      const reason = ABORTS[e.channel];
      if (reason === undefined) return timelines;
      // The leader's word is final: its late abort of the attempt closed as abandoned says how it really ended.
      const led = lastIndex(timelines, (o) => mine(o) && o.leaderId === e.sentinelId);
      const quiet = timelines[led];
      if (quiet?.outcome === 'abandoned' && e.channel !== '-failover-abort-not-elected') {
        return replace(timelines, led, { ...close(quiet, 'aborted', reason, e.at), abortChannel: e.channel });
      }
      const t = timelines[openIdx];
      if (!t) return timelines;
      // Only a leader gets as far as choosing a replica: an abort from the leader of an earlier, superseded attempt is
      // not the end of the next one, whose leader is not known yet.
      const leaderOnly = e.channel !== '-failover-abort-not-elected';
      if (leaderOnly && t.leaderId === undefined && timelines.some((o) => mine(o) && o.leaderId === e.sentinelId)) {
        return timelines;
      }
      // Losers of an election abort too; only the leader's (or a leaderless) abort ends the failover.
      if (t.leaderId !== undefined && t.leaderId !== e.sentinelId) return timelines;
      // Nobody won the election: no Sentinel got the votes of a majority.
      const noMajority = e.channel === '-failover-abort-not-elected' && t.leaderId === undefined;
      return replace(timelines, openIdx, {
        ...close(t, noMajority ? 'no-majority' : 'aborted', reason, e.at),
        abortChannel: e.channel,
      });
    }
  }
}

/** Sentinel id -> the highest epoch it announced, over the timelines of that master. */
function announcedEpochs(list: FailoverTimeline[], name: string | undefined): Record<string, number> | undefined {
  let out: Record<string, number> | undefined;
  for (const t of list) {
    if (!t.epochBy || !ofMaster(t, name)) continue;
    for (const [id, epoch] of Object.entries(t.epochBy)) {
      if ((out?.[id] ?? -1) < epoch) out = { ...out, [id]: epoch };
    }
  }
  return out;
}

function named(t: FailoverTimeline, name: string | undefined): FailoverTimeline {
  return name === undefined || t.masterName !== undefined ? t : { ...t, masterName: name };
}

/** The next attempt after `prev` (a later epoch of the same outage): a timeline of its own, from this event on. */
function nextAttempt(
  list: FailoverTimeline[],
  prev: FailoverTimeline,
  e: SentinelEvent,
  ctx: TimelineContext,
): FailoverTimeline {
  const t = create(list, e, prev.oldMasterAddr ?? '', prev.oldMasterId, { ...ctx, lastFault: undefined });
  const { epochBy, tryEpochBy, masterName, sdownBy, cause } = prev;
  return {
    ...t,
    ...(epochBy ? { epochBy } : {}),
    ...(tryEpochBy ? { tryEpochBy } : {}),
    ...(masterName ? { masterName } : {}),
    ...(sdownBy ? { sdownBy } : {}),
    // The same outage: what caused the first attempt caused this one.
    ...(cause ? { cause } : {}),
  };
}

/**
 * `+switch-master <name> <old> <new>`: the outcome of the attempt that selected or promoted the replica it names
 * (the leader's switch, or another Sentinel's on the leader's hello with the newer config epoch,
 * sentinel.c sentinelProcessHelloMessage). Every other unfinished attempt of the old master is over.
 */
function switchMaster(
  timelines: FailoverTimeline[],
  e: SentinelEvent,
  addr: string,
  name: string | undefined,
  ctx: TimelineContext,
): FailoverTimeline[] {
  const mine = (t: FailoverTimeline) => t.oldMasterAddr === addr && ofMaster(t, name);
  let i = e.toId === undefined ? -1 : lastIndex(timelines, (t) => mine(t) && !t.done && t.newMasterId === e.toId);
  // A Sentinel that missed failovers jumps from the master it knew straight to the current one (it learns the newest
  // configuration from a peer's hello): its switch belongs to the failover that made the current master, the latest
  // one of this master name that promoted or switched to that node, whatever master it started from.
  if (i < 0 && e.toId !== undefined) {
    const latest = lastIndex(
      timelines,
      (t) => ofMaster(t, name) && (t.phases.promoted !== undefined || t.phases['switch-master'] !== undefined),
    );
    if (timelines[latest]?.newMasterId === e.toId) i = latest;
  }
  if (i < 0 && e.toId !== undefined) i = lastIndex(timelines, (t) => mine(t) && t.newMasterId === e.toId);
  // An attempt whose replica was not seen (or a timeline of the outage without an election seen).
  if (i < 0) i = lastIndex(timelines, (t) => mine(t) && !t.done && t.newMasterId === undefined);
  // The outage closed before an election was seen (e.g. a lagging "no quorum"): the switch is its outcome. Else a
  // switch whose attempt was not seen (after one that was, of another replica) is a timeline of its own.
  if (i < 0) {
    const last = lastIndex(timelines, mine);
    const prev = timelines[last];
    if (prev && !committed(prev) && prev.newMasterId === undefined) i = last;
  }
  let list = timelines;
  let t0 = list[i];
  if (!t0) {
    const t = create(list, e, addr, e.fromId, ctx);
    t0 = named(t, name);
    i = list.length;
    list = [...list, t0];
  }
  let t = withPhase(t0, 'switch-master', e.at);
  if (t.switchedBy[e.sentinelId] === undefined) t = { ...t, switchedBy: { ...t.switchedBy, [e.sentinelId]: e.at } };
  if (e.toId !== undefined && t.newMasterId === undefined) t = { ...t, newMasterId: e.toId };
  if (e.fromId !== undefined && t.oldMasterId === undefined) t = { ...t, oldMasterId: e.fromId };
  if (t !== t0) list = replace(list, i, t);
  const to = t.newMasterId ?? e.toId ?? 'the new master';
  for (let j = 0; j < list.length; j++) {
    const o = list[j];
    if (j === i || !o || o.done || !mine(o)) continue;
    const reason = `superseded by ${epochWord(t.epoch)}: the Sentinels switched to ${to}`;
    list = replace(list, j, close(o, 'superseded', reason, e.at));
  }
  return list;
}

/**
 * `+sdown sentinel …`: a Sentinel saw the leader of an attempt go down. After the switch was seen, the failover is
 * done even though its `+failover-end` will not come.
 */
function leaderDown(timelines: FailoverTimeline[], e: SentinelEvent, name: string | undefined): FailoverTimeline[] {
  const id = e.subjectId;
  if (id === undefined) return timelines;
  let list = timelines;
  for (let i = 0; i < list.length; i++) {
    const t = list[i];
    if (!t || t.done || t.leaderId !== id || !ofMaster(t, name)) continue;
    if (t.phases['switch-master'] === undefined || t.phases['failover-end'] !== undefined) continue;
    list = replace(list, i, closeSwitched(t, `its leader ${id} went down (+sdown seen by ${e.sentinelId})`, e.at));
  }
  return list;
}

function closeSwitched(t: FailoverTimeline, why: string, at: number): FailoverTimeline {
  const to = t.newMasterId ?? 'the promoted replica';
  return {
    ...t,
    done: true,
    outcome: 'switched',
    note: `the Sentinels switched to ${to}, but no +failover-end came: ${why}`,
    closedAt: at,
  };
}

function close(t: FailoverTimeline, outcome: FailoverOutcome, reason: string, at: number): FailoverTimeline {
  return { ...t, done: true, outcome, aborted: reason, closedAt: at };
}

/** An attempt closed as abandoned whose leader spoke again: open, as if it had never been closed. */
function reopenAbandoned(t: FailoverTimeline): FailoverTimeline {
  const { outcome, aborted, closedAt, ...rest } = t;
  return { ...rest, done: false };
}

/** The same outage goes on: the closed attempt is kept in `attempts`, and the timeline is open again. */
function reopen(t: FailoverTimeline): FailoverTimeline {
  const { outcome, aborted, abortChannel, closedAt, ...rest } = t;
  const attempt = {
    at: closedAt ?? t.startedAt,
    outcome: outcome ?? 'aborted',
    reason: aborted ?? '',
    ...(abortChannel ? { channel: abortChannel } : {}),
    ...(t.epoch !== undefined ? { epoch: t.epoch } : {}),
  };
  return { ...rest, done: false, attempts: [...(t.attempts ?? []), attempt] };
}

/**
 * Decides what only time tells (call it as time passes, e.g. once a second): an outage that some Sentinels see but
 * that never reached ODOWN within down-after plus NO_QUORUM_GRACE_MS of the first `+sdown` closes as "no quorum"
 * while fewer Sentinels than the quorum see it down; a switched failover whose leader's `+failover-end` did not come
 * within failover-timeout plus END_GRACE_MS of the promotion closes as "switched" (done without it). Pure; returns
 * the same array when nothing changed.
 */
export function settleTimelines(timelines: FailoverTimeline[], now: number, ctx: TimelineContext): FailoverTimeline[] {
  let out = timelines;
  for (let i = 0; i < timelines.length; i++) {
    const t = timelines[i];
    if (!t || t.done) continue;
    // Switched, but the leader's +failover-end (due within failover-timeout of the promotion) never came.
    const switched = t.phases['switch-master'];
    if (switched !== undefined) {
      const from = t.phases.promoted ?? switched;
      if (now - from >= t.failoverTimeoutMs + END_GRACE_MS) {
        const leader = t.leaderId === undefined ? 'the leader' : `its leader ${t.leaderId}`;
        const why = `${leader} sent none within failover-timeout (${sec(t.failoverTimeoutMs)}) of the ${t.phases.promoted === undefined ? 'switch' : 'promotion'}`;
        out = replace(out, i, closeSwitched(t, why, now));
      }
      continue;
    }
    // Elected, not promoted: the leader promotes its replica or aborts within failover-timeout of choosing it
    // (sentinel.c sentinelFailoverWaitPromotion; with no good replica it aborts at once). Silent past that, it is
    // gone or cut off from the lab, and the attempt is over (another Sentinel may retry in a later epoch).
    if (committed(t) && t.phases.promoted === undefined) {
      const selected = t.phases.selected;
      const from = selected ?? t.phases.elected;
      if (from !== undefined && now - from >= t.failoverTimeoutMs + END_GRACE_MS) {
        const what = selected === undefined ? 'its election' : `selecting ${t.newMasterId ?? 'a replica'}`;
        const why = `its leader ${t.leaderId} neither promoted a replica nor aborted within failover-timeout (${sec(t.failoverTimeoutMs)}) of ${what}: it went down or was cut off`;
        out = replace(out, i, close(t, 'abandoned', why, now));
      }
      continue;
    }
    const sdown = t.phases.sdown;
    if (sdown === undefined || t.phases.odown !== undefined || t.phases['try-failover'] !== undefined) continue;
    const quorum = t.quorum ?? ctx.quorum;
    const seen = t.sdownBy?.length ?? 0;
    if (quorum === undefined || seen === 0 || seen >= quorum) continue;
    if (now - sdown < t.downAfterMs + NO_QUORUM_GRACE_MS) continue;
    const who = t.oldMasterId ?? t.oldMasterAddr ?? 'the master';
    const counted =
      ctx.sentinels === undefined
        ? `${seen} Sentinel${seen === 1 ? '' : 's'}`
        : `${seen} of ${ctx.sentinels} Sentinels`;
    const reason = `only ${counted} saw ${who} down; the quorum is ${quorum}, so it never became ODOWN`;
    out = replace(out, i, close(t, 'no-quorum', reason, now));
  }
  return out;
}

/** The words of each outcome as a failover record's status. */
export const OUTCOME_LABEL: Record<FailoverOutcome, string> = {
  completed: 'completed',
  'no-quorum': 'no quorum',
  'no-majority': 'no majority',
  aborted: 'aborted',
  'master-returned': 'master answered again',
  'role-switched': 'master answered again as a replica',
  superseded: 'superseded',
  switched: 'done, no +failover-end from the leader',
  abandoned: 'abandoned, its leader went silent',
};

function sec(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** One-line title: `redis-1 -> redis-3 (epoch 1)`. */
export function timelineTitle(t: FailoverTimeline): string {
  const from = t.oldMasterId ?? t.oldMasterAddr ?? '?';
  const to = t.newMasterId ?? '?';
  const epoch = t.epoch === undefined ? '' : ` (epoch ${t.epoch})`;
  const closedHow = t.aborted || t.note ? `, ${t.outcome ? OUTCOME_LABEL[t.outcome] : 'aborted'}` : '';
  const state = closedHow || (t.done ? '' : ', in progress');
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
  for (const a of t.attempts ?? []) {
    lines.push(`retried  after ${OUTCOME_LABEL[a.outcome]} at ${sec(a.at - t.startedAt)}: ${a.reason}`);
  }
  if (t.aborted || t.note) {
    const label = t.outcome ? OUTCOME_LABEL[t.outcome] : 'aborted';
    lines.push(`${label}  ${t.aborted ?? t.note}${t.abortChannel ? ` (${t.abortChannel})` : ''}`);
  }
  return lines;
}

/** A failover as the JSON reports carry it: times in ms since its start, the settings in force, how it ended. */
export interface FailoverRecord {
  id: string;
  oldMaster: string | null;
  newMaster: string | null;
  startedAt: string;
  cause: string | null;
  status: 'open' | FailoverOutcome;
  reason: string | null;
  abortChannel: string | null;
  epoch: number | null;
  leader: string | null;
  phasesMs: Partial<Record<FailoverPhase, number>>;
  switchedByMs: Record<string, number>;
  reconfigured: string[];
  settings: { downAfterMs: number; failoverTimeoutMs: number; quorum: number | null; parallelSyncs: number | null };
  attempts: Array<{ atMs: number; outcome: FailoverOutcome; reason: string; channel: string | null }>;
}

export function failoverRecord(t: FailoverTimeline): FailoverRecord {
  const rel = (at: number) => at - t.startedAt;
  const phasesMs: Partial<Record<FailoverPhase, number>> = {};
  for (const p of PHASE_ORDER) {
    const at = t.phases[p];
    if (at !== undefined) phasesMs[p] = rel(at);
  }
  const switchedByMs: Record<string, number> = {};
  for (const [id, at] of Object.entries(t.switchedBy)) switchedByMs[id] = rel(at);
  return {
    id: t.id,
    oldMaster: t.oldMasterId ?? t.oldMasterAddr ?? null,
    newMaster: t.newMasterId ?? null,
    startedAt: new Date(t.startedAt).toISOString(),
    cause: t.cause ?? null,
    status: t.outcome ?? (t.done ? 'completed' : 'open'),
    reason: t.aborted ?? t.note ?? null,
    abortChannel: t.abortChannel ?? null,
    epoch: t.epoch ?? null,
    leader: t.leaderId ?? null,
    phasesMs,
    switchedByMs,
    reconfigured: [...t.reconfigured],
    settings: {
      downAfterMs: t.downAfterMs,
      failoverTimeoutMs: t.failoverTimeoutMs,
      quorum: t.quorum ?? null,
      parallelSyncs: t.parallelSyncs ?? null,
    },
    attempts: (t.attempts ?? []).map((a) => ({
      atMs: rel(a.at),
      outcome: a.outcome,
      reason: a.reason,
      channel: a.channel ?? null,
    })),
  };
}
