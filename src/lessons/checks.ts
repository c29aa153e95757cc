// Pure evaluation of lesson goals over a LabState snapshot. Every predicate answers {met, detail}; the detail is the
// sentence the lesson pane shows ("sentinel-3 still names redis-3"). holdMs is tracked by the caller (trackHold).
import { isDisruptive } from '../actions/catalog.js';

import { channelSpec } from '../cluster/observe/sentinel-events.js';
import type { FailoverTimeline } from '../cluster/observe/types.js';
import { verdictFacts } from '../ledger/check.js';
import { selectConverged, selectGoodReplicas, selectMastership } from '../state/selectors.js';
import type { LabState } from '../state/store.js';
import { listing, replicationOf, sentinelOpinions, silence, trueMaster } from './cluster-facts.js';
import type { Measurement } from './measured.js';
import type { Goal } from './schema.js';
import { predicateOf } from './schema.js';
import type { StepMark } from './types.js';

export interface CheckContext {
  state: LabState;
  /** Runner time now. */
  now: number;
  /** The lab as it was when the step started. */
  since: StepMark;
}

export interface CheckResult {
  met: boolean;
  detail: string;
  /** What the goal measured, as numbers (one record per predicate evaluated). */
  measured: Measurement[];
}

/** Captures what "since the step started" means for this snapshot. */
export function markStep(state: LabState, now: number): StepMark {
  const lastSeq = (xs: ReadonlyArray<{ seq: number }>) => xs.reduce((m, x) => Math.max(m, x.seq), -1);
  const notifications = state.notifications ?? [];
  return {
    at: now,
    eventSeq: lastSeq(state.events),
    clientSeq: lastSeq(state.clientResults),
    actionSeq: lastSeq(state.actions),
    notificationAt: notifications.reduce((m, n) => Math.max(m, n.at), -1),
    completedFailovers: state.failovers.filter(isComplete).map((f) => f.id),
    switchedFailovers: state.failovers.filter((f) => f.phases['switch-master'] !== undefined).map((f) => f.id),
    verdictAt: state.workload.verdict?.at,
    workloadOk: state.workload.counts.ok,
    workloadErrors: { ...state.workload.counts.errors },
  };
}

/** Evaluates `goal` now; holdMs on the goal is ignored here (see trackHold). */
export function evaluateGoal(goal: Goal, ctx: CheckContext): CheckResult {
  switch (predicateOf(goal)) {
    case 'all':
      return all(goal.all ?? [], ctx);
    case 'any':
      return any(goal.any ?? [], ctx);
    case 'not': {
      const inner = evaluateGoal(goal.not as Goal, ctx);
      return { met: !inner.met, detail: inner.detail, measured: inner.measured };
    }
    case 'roleOf':
      return roleOf(goal.roleOf!, ctx.state);
    case 'replicaOf':
      return replicaOf(goal.replicaOf!, ctx.state);
    case 'masterIs':
      return masterIs(goal.masterIs!, true, ctx.state);
    case 'masterIsNot':
      return masterIs(goal.masterIsNot!, false, ctx.state);
    case 'sentinelsAgree':
      return sentinelsAgree(goal.sentinelsAgree!, ctx.state);
    case 'sentinelNames':
      return sentinelNames(goal.sentinelNames!, ctx.state);
    case 'eventSeen':
      return eventSeen(goal.eventSeen!, ctx);
    case 'notificationSeen':
      return notificationSeen(goal.notificationSeen!, ctx);
    case 'clientResult':
      return clientResult(goal.clientResult!, ctx);
    case 'processState':
      return processState(goal.processState!, ctx.state);
    case 'linkUp':
      return linkUp(goal.linkUp!, ctx.state);
    case 'goodReplicas':
      return goodReplicas(goal.goodReplicas!, ctx.state);
    case 'tilt':
      return tilt(goal.tilt!, ctx.state);
    case 'failoverCompleted':
      return failoverCompleted(goal.failoverCompleted!, ctx);
    case 'failoverTook':
      return failoverTook(goal.failoverTook!, ctx);
    case 'converged':
      return converged(goal.converged!, ctx.state);
    case 'faultActive':
      return faultActive(goal.faultActive!, ctx.state);
    case 'workload':
      return workload(goal.workload!, ctx);
    case 'ledger':
      return ledger(goal.ledger!, ctx);
    case 'masterauthMissing':
      return masterauthMissing(goal.masterauthMissing!, ctx.state);
    case 'replicaPriority':
      return replicaPriority(goal.replicaPriority!, ctx.state);
    case 'configEpoch':
      return configEpoch(goal.configEpoch!, ctx.state);
    case 'clientLatest':
      return clientLatest(goal.clientLatest!, ctx);
    case 'sentinelLists':
      return sentinelLists(goal.sentinelLists!, ctx.state);
  }
}

export interface HoldState {
  /** Since when the goal has held without interruption. */
  heldSince?: number;
  /** The goal has held for holdMs (or holds now when holdMs is 0). */
  satisfied: boolean;
}

/** Folds one evaluation into the hold tracking: met only after holding continuously for `holdMs`. */
export function trackHold(heldSince: number | undefined, met: boolean, now: number, holdMs = 0): HoldState {
  if (!met) return { satisfied: false };
  const since = heldSince ?? now;
  return { heldSince: since, satisfied: now - since >= holdMs };
}

/** The detail to show while a goal holds but has not held long enough. */
export function holdingDetail(detail: string, held: HoldState, now: number, holdMs = 0): string {
  if (held.satisfied || held.heldSince === undefined || holdMs === 0) return detail;
  const secs = (ms: number) => (ms / 1000).toFixed(1);
  return `${detail} (holding ${secs(now - held.heldSince)}/${secs(holdMs)} s)`;
}

// ---------------------------------------------------------------------------------------------------------------

function all(goals: readonly Goal[], ctx: CheckContext): CheckResult {
  const results = goals.map((g) => evaluateGoal(g, ctx));
  const unmet = results.filter((r) => !r.met);
  const measured = results.flatMap((r) => r.measured);
  if (unmet.length === 0) return { met: true, detail: results.map((r) => r.detail).join('; '), measured };
  return { met: false, detail: unmet.map((r) => r.detail).join('; '), measured };
}

function any(goals: readonly Goal[], ctx: CheckContext): CheckResult {
  const results = goals.map((g) => evaluateGoal(g, ctx));
  const hit = results.find((r) => r.met);
  const measured = results.flatMap((r) => r.measured);
  if (hit) return { met: true, detail: hit.detail, measured };
  return { met: false, detail: results.map((r) => r.detail).join(' / '), measured };
}

function roleOf(p: NonNullable<Goal['roleOf']>, s: LabState): CheckResult {
  const info = replicationOf(s, p.node);
  const m = (role: 'master' | 'replica' | null): Measurement[] => [
    { predicate: 'roleOf', node: p.node, role, master: (role === 'replica' && s.redis[p.node]?.masterId) || null },
  ];
  if (!info) return { met: false, detail: silence(s, p.node), measured: m(null) };
  const of = info.role === 'replica' && s.redis[p.node]?.masterId ? ` of ${s.redis[p.node]?.masterId}` : '';
  return { met: info.role === p.role, detail: `${p.node} is a ${info.role}${of}`, measured: m(info.role) };
}

function replicaOf(p: NonNullable<Goal['replicaOf']>, s: LabState): CheckResult {
  const info = replicationOf(s, p.node);
  const m = s.redis[p.node]?.masterId;
  const measured: Measurement[] = [
    {
      predicate: 'replicaOf',
      node: p.node,
      role: info?.role ?? null,
      master: info?.role === 'replica' ? (m ?? null) : null,
    },
  ];
  if (!info) return { met: false, detail: silence(s, p.node), measured };
  if (info.role !== 'replica') return { met: false, detail: `${p.node} is a master`, measured };
  return { met: m === p.master, detail: `${p.node} replicates from ${m ?? 'an unknown node'}`, measured };
}

function masterIs(node: string, wanted: boolean, s: LabState): CheckResult {
  const m = trueMaster(s);
  const measured: Measurement[] = [{ predicate: wanted ? 'masterIs' : 'masterIsNot', master: m.id ?? null }];
  if (!m.id) return { met: false, detail: m.detail, measured };
  return { met: (m.id === node) === wanted, detail: m.detail, measured };
}

/** Every answering Sentinel names the same node, and it is the true master whenever there is one. */
function sentinelsAgree(wanted: boolean, s: LabState): CheckResult {
  const opinions = sentinelOpinions(s);
  const named: Record<string, string | null> = {};
  for (const [sentinel, master] of opinions) named[sentinel] = master ?? null;
  const measure = (agree: boolean): Measurement[] => [
    { predicate: 'sentinelsAgree', answering: opinions.size, named, agree },
  ];
  if (opinions.size === 0) return { met: false, detail: 'no Sentinel answers', measured: measure(false) };
  const byMaster = new Map<string, string[]>();
  for (const [sentinel, master] of opinions.entries()) {
    const key = master ?? 'no master';
    byMaster.set(key, [...(byMaster.get(key) ?? []), sentinel]);
  }
  const one = byMaster.size === 1 ? [...byMaster.keys()][0] : undefined;
  const truth = trueMaster(s).id;
  const stale = one !== undefined && truth !== undefined && one !== truth;
  const agree = one !== undefined && one !== 'no master' && !stale;
  let detail =
    one !== undefined
      ? `${opinions.size === 1 ? 'the only answering Sentinel names' : 'every answering Sentinel names'} ${one}`
      : [...byMaster].map(([m, ss]) => `${listing(ss)} ${ss.length === 1 ? 'names' : 'name'} ${m}`).join('; ');
  if (stale) detail += `, but ${truth} is the master now`;
  return { met: agree === wanted, detail, measured: measure(agree) };
}

function sentinelNames(p: NonNullable<Goal['sentinelNames']>, s: LabState): CheckResult {
  const o = s.sentinels[p.sentinel];
  const measured: Measurement[] = [
    { predicate: 'sentinelNames', sentinel: p.sentinel, master: (o?.reachable && o.masterId) || null },
  ];
  if (!o?.reachable) return { met: false, detail: silence(s, p.sentinel), measured };
  return { met: o.masterId === p.master, detail: `${p.sentinel} names ${o.masterId ?? 'no master'}`, measured };
}

function eventSeen(p: NonNullable<Goal['eventSeen']>, ctx: CheckContext): CheckResult {
  const min = p.minCount ?? 1;
  const n = ctx.state.events.filter(
    (e) =>
      e.seq > ctx.since.eventSeq &&
      (p.channel === undefined || e.channel === p.channel) &&
      (p.level === undefined || channelSpec(e.channel)?.level === 'W') &&
      (p.subject === undefined || e.subjectId === p.subject) &&
      (p.sentinel === undefined || e.sentinelId === p.sentinel) &&
      (p.instanceType === undefined || e.instanceType === p.instanceType),
  ).length;
  const what = [
    p.channel ?? 'warning-level events',
    p.instanceType && `(${p.instanceType})`,
    p.subject && `about ${p.subject}`,
    p.sentinel && `from ${p.sentinel}`,
  ]
    .filter(Boolean)
    .join(' ');
  const times = min === 1 ? (n === 0 ? 'not seen' : `seen ${n}×`) : `seen ${n}/${min}×`;
  return {
    met: n >= min,
    detail: `${what} ${times} since the step started`,
    measured: [{ predicate: 'eventSeen', count: n, minCount: min }],
  };
}

function notificationSeen(p: NonNullable<Goal['notificationSeen']>, ctx: CheckContext): CheckResult {
  const min = p.minCount ?? 1;
  const lines = (ctx.state.notifications ?? []).filter(
    (l) =>
      l.at > ctx.since.notificationAt &&
      (p.sentinel === undefined || l.sentinelId === p.sentinel) &&
      // Lines are `<unix-seconds> <event-type> <description>`.
      (p.channel === undefined || l.line.split(' ')[1] === p.channel),
  );
  const what = `notification-script lines${p.channel ? ` for ${p.channel}` : ''}${p.sentinel ? ` from ${p.sentinel}` : ''}`;
  return {
    met: lines.length >= min,
    detail: `${what}: ${lines.length}${min > 1 ? `/${min}` : ''} since the step started`,
    measured: [{ predicate: 'notificationSeen', count: lines.length, minCount: min }],
  };
}

const WRITE_COMMANDS = new Set([
  'SET',
  'SETEX',
  'SETNX',
  'PSETEX',
  'MSET',
  'APPEND',
  'INCR',
  'INCRBY',
  'DECR',
  'DECRBY',
  'DEL',
  'UNLINK',
  'EXPIRE',
  'PEXPIRE',
  'SADD',
  'SREM',
  'LPUSH',
  'RPUSH',
  'HSET',
  'HDEL',
  'ZADD',
  'GETSET',
  'GETDEL',
  'FLUSHALL',
  'FLUSHDB',
]);
const READ_COMMANDS = new Set([
  'GET',
  'MGET',
  'EXISTS',
  'STRLEN',
  'TTL',
  'PTTL',
  'SMEMBERS',
  'SISMEMBER',
  'SCARD',
  'HGET',
  'HGETALL',
  'LRANGE',
  'LLEN',
  'ZRANGE',
  'KEYS',
  'SCAN',
  'DBSIZE',
  'TYPE',
]);

/** `SET age 222` -> write, `GET age` -> read (also accepts the words themselves). */
export function commandKind(command: string): 'write' | 'read' | undefined {
  const word = command.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
  if (word === 'WRITE' || WRITE_COMMANDS.has(word)) return 'write';
  if (word === 'READ' || READ_COMMANDS.has(word)) return 'read';
  return undefined;
}

/**
 * `SET age 222` -> {key: age, value: 222}; `GET age` -> {key: age}. Keys and values never contain spaces. Of
 * `SET order 2; WAIT 1 1000` (the wait action) only the first command counts.
 */
export function commandArgs(command: string): { key?: string; value?: string } {
  const [, key, value] = (command.split(';')[0] ?? '').trim().split(/\s+/);
  return { ...(key === undefined ? {} : { key }), ...(value === undefined ? {} : { value }) };
}

function clientResult(p: NonNullable<Goal['clientResult']>, ctx: CheckContext): CheckResult {
  const mine = ctx.state.clientResults.filter((r) => {
    if (r.seq <= ctx.since.clientSeq || r.client !== p.client) return false;
    if (p.command !== undefined && commandKind(r.command) !== p.command) return false;
    const args = commandArgs(r.command);
    return (p.key === undefined || args.key === p.key) && (p.value === undefined || args.value === p.value);
  });
  const wantOk = p.errorPrefix !== undefined ? false : p.ok;
  const hit = mine.find(
    (r) =>
      (wantOk === undefined || r.ok === wantOk) &&
      (p.errorPrefix === undefined || r.text.startsWith(p.errorPrefix)) &&
      (p.node === undefined || r.node === p.node) &&
      (p.text === undefined || r.text.includes(p.text)) &&
      (p.waitReplicas === undefined || r.waitReplicas === p.waitReplicas),
  );
  const noun = `${p.command ?? 'command'}${p.key === undefined ? '' : ` of ${p.key}`}${p.value === undefined ? '' : ` = ${p.value}`}`;
  const show = (r: (typeof mine)[number]) =>
    `${r.command} -> ${r.ok ? '' : '(error) '}${r.text}${r.node ? ` on ${r.node}` : ''}`;
  const shown = hit ?? mine[mine.length - 1];
  const measured: Measurement[] = [
    {
      predicate: 'clientResult',
      client: p.client,
      matching: mine.length,
      ok: shown?.ok ?? null,
      text: shown?.text ?? null,
      node: shown?.node ?? null,
      waitReplicas: shown?.waitReplicas ?? null,
    },
  ];
  if (hit) return { met: true, detail: `client ${p.client}: ${show(hit)}`, measured };
  if (!shown) return { met: false, detail: `no ${noun} by client ${p.client} since the step started`, measured };
  return { met: false, detail: `client ${p.client}'s last ${noun}: ${show(shown)}`, measured };
}

function processState(p: NonNullable<Goal['processState']>, s: LabState): CheckResult {
  const state = s.processes[p.node]?.state ?? 'unknown';
  return {
    met: state === p.state,
    detail: `${p.node} is ${state}`,
    measured: [{ predicate: 'processState', node: p.node, state }],
  };
}

function linkUp(p: NonNullable<Goal['linkUp']>, s: LabState): CheckResult {
  const info = replicationOf(s, p.node);
  const measure = (up: boolean | null): Measurement[] => [{ predicate: 'linkUp', node: p.node, up }];
  if (!info) return { met: false, detail: silence(s, p.node), measured: measure(null) };
  if (info.role !== 'replica')
    return { met: false, detail: `${p.node} is a master (it has no master link)`, measured: measure(null) };
  const up = info.masterLinkStatus === 'up';
  const master = s.redis[p.node]?.masterId ?? 'its master';
  return { met: up === p.up, detail: `${p.node}'s link to ${master} is ${up ? 'up' : 'down'}`, measured: measure(up) };
}

function goodReplicas(p: NonNullable<Goal['goodReplicas']>, s: LabState): CheckResult {
  const info = replicationOf(s, p.node);
  const maxLag = s.redis[p.node]?.minReplicasMaxLagSec ?? s.topology.replication.minReplicasMaxLagSec;
  const measure = (good: number | null): Measurement[] => [
    { predicate: 'goodReplicas', node: p.node, good, maxLagSec: maxLag },
  ];
  if (!info) return { met: false, detail: silence(s, p.node), measured: measure(null) };
  if (info.role !== 'master')
    return { met: false, detail: `${p.node} is a replica, not a master`, measured: measure(null) };
  const good = selectGoodReplicas(s, p.node) ?? 0;
  const met = (p.atLeast === undefined || good >= p.atLeast) && (p.atMost === undefined || good <= p.atMost);
  return {
    met,
    detail: `${p.node} has ${good} good replica${good === 1 ? '' : 's'} (acknowledged within ${maxLag} s)`,
    measured: measure(good),
  };
}

function tilt(p: NonNullable<Goal['tilt']>, s: LabState): CheckResult {
  const o = s.sentinels[p.sentinel];
  const info = o?.reachable ? o.info : undefined;
  const measured: Measurement[] = [
    {
      predicate: 'tilt',
      sentinel: p.sentinel,
      tilt: info?.tilt ?? null,
      tiltSinceSec: info?.tilt ? (info.tiltSinceSec ?? null) : null,
    },
  ];
  if (!info) return { met: false, detail: silence(s, p.sentinel), measured };
  // Sentinel reports whole seconds: 0 is "less than a second ago".
  const since =
    info.tilt && info.tiltSinceSec !== undefined
      ? info.tiltSinceSec < 1
        ? ' (entered less than a second ago)'
        : ` for ${info.tiltSinceSec} s`
      : '';
  return {
    met: info.tilt === p.on,
    detail: `${p.sentinel} is ${info.tilt ? `in TILT${since}` : 'not in TILT'}`,
    measured,
  };
}

function isComplete(f: FailoverTimeline): boolean {
  return !f.aborted && (f.done || f.phases['failover-end'] !== undefined);
}

function failoverCompleted(wanted: boolean, ctx: CheckContext): CheckResult {
  const fresh = ctx.state.failovers.filter((f) => isComplete(f) && !ctx.since.completedFailovers.includes(f.id));
  const last = fresh[fresh.length - 1];
  const detail = last
    ? `failover ${last.oldMasterId ?? '?'} -> ${last.newMasterId ?? '?'} completed${fresh.length > 1 ? ` (${fresh.length} failovers since the step started)` : ''}`
    : 'no failover completed since the step started';
  return {
    met: fresh.length > 0 === wanted,
    detail,
    measured: [{ predicate: 'failoverCompleted', completed: fresh.length }],
  };
}

/**
 * Time from the fault to the first +switch-master since the step started, read from the action and event records
 * themselves (both stamped by the engine), so it does not depend on how timelines were assembled.
 */
function failoverTook(p: NonNullable<Goal['failoverTook']>, ctx: CheckContext): CheckResult {
  const s = ctx.state;
  const sw = s.events.find((e) => e.seq > ctx.since.eventSeq && e.channel === '+switch-master');
  const measure = (ms: number | null): Measurement[] => [
    { predicate: 'failoverTook', ms, newMaster: sw?.toId ?? null },
  ];
  if (!sw) return { met: false, detail: 'no master switch since the step started', measured: measure(null) };
  const fault = s.actions
    .filter((a) => a.seq > ctx.since.actionSeq && a.status !== 'failed' && isDisruptive(a.kind) && a.at <= sw.at)
    .at(-1);
  const timeline = s.failovers.find(
    (f) => f.phases['switch-master'] !== undefined && !ctx.since.switchedFailovers.includes(f.id),
  );
  const start = fault?.at ?? timeline?.startedAt;
  if (start === undefined)
    return {
      met: false,
      detail: 'the master switched, but no fault was injected in this step',
      measured: measure(null),
    };
  const took = sw.at - start;
  const met = (p.atLeastMs === undefined || took >= p.atLeastMs) && (p.atMostMs === undefined || took <= p.atMostMs);
  const cause = fault?.title ?? timeline?.cause ?? 'the fault';
  return {
    met,
    detail: `clients were switched to ${sw.toId ?? 'the new master'} ${(took / 1000).toFixed(2)} s after ${cause}`,
    measured: measure(took),
  };
}

function converged(wanted: boolean, s: LabState): CheckResult {
  const c = selectConverged(s);
  return {
    met: c.ok === wanted,
    detail: c.ok ? `settled: ${c.detail}` : `not settled: ${c.detail}`,
    measured: [{ predicate: 'converged', converged: c.ok, master: selectMastership(s).master ?? null }],
  };
}

function faultActive(wanted: boolean, s: LabState): CheckResult {
  const n = s.faults.length;
  const detail =
    n === 0
      ? 'no network fault is active'
      : `active: ${listing(
          s.faults.map((f) => f.description),
          2,
        )}`;
  return { met: n > 0 === wanted, detail, measured: [{ predicate: 'faultActive', active: n }] };
}

function workload(p: NonNullable<Goal['workload']>, ctx: CheckContext): CheckResult {
  const w = ctx.state.workload;
  // Counts restart from zero when a new workload starts; then everything counted is new.
  const delta = (now: number, then: number) => (now >= then ? now - then : now);
  const ok = delta(w.counts.ok, ctx.since.workloadOk);
  const errors =
    p.errorPrefix === undefined
      ? 0
      : delta(w.counts.errors[p.errorPrefix] ?? 0, ctx.since.workloadErrors[p.errorPrefix] ?? 0);
  const parts: string[] = [];
  let met = true;
  let errorCount = errors;
  if (p.running !== undefined) {
    met &&= w.running === p.running;
    parts.push(w.running ? `the workload is running (client ${w.client ?? '?'})` : 'the workload is stopped');
  }
  if (p.client !== undefined) {
    met &&= w.client === p.client;
    if (p.running === undefined || !w.running) {
      parts.push(w.client ? `the workload is client ${w.client}'s` : 'the workload has not run yet');
    }
  }
  if (p.acknowledgedAtLeast !== undefined) {
    met &&= ok >= p.acknowledgedAtLeast;
    parts.push(`${ok}/${p.acknowledgedAtLeast} writes acknowledged since the step started`);
  }
  if (p.errorPrefix !== undefined) {
    const want = p.errorsAtLeast ?? 1;
    met &&= errors >= want;
    parts.push(`${errors}${want > 1 ? `/${want}` : ''} ${p.errorPrefix} errors since the step started`);
  } else if (p.errorsAtLeast !== undefined) {
    const total = Object.entries(w.counts.errors).reduce(
      (sum, [k, v]) => sum + delta(v, ctx.since.workloadErrors[k] ?? 0),
      0,
    );
    errorCount = total;
    met &&= total >= p.errorsAtLeast;
    parts.push(`${total}/${p.errorsAtLeast} failed writes since the step started`);
  }
  return {
    met,
    detail: parts.join('; '),
    measured: [
      { predicate: 'workload', running: w.running, client: w.client ?? null, acknowledged: ok, errors: errorCount },
    ],
  };
}

function ledger(p: NonNullable<Goal['ledger']>, ctx: CheckContext): CheckResult {
  const w = ctx.state.workload;
  const v = w.verdict;
  if (!v || v.at === ctx.since.verdictAt) {
    const why = w.error
      ? `the final check failed: ${w.error}`
      : w.running
        ? 'stop the workload to get the verdict'
        : 'no ledger verdict yet';
    return { met: false, detail: why, measured: [{ predicate: 'ledger', verdict: null }] };
  }
  const window = v.lossWindows.reduce((m, l) => Math.max(m, l.lastAt - l.firstAt), 0);
  const met =
    (p.lostAtLeast === undefined || v.lost >= p.lostAtLeast) &&
    (p.lostAtMost === undefined || v.lost <= p.lostAtMost) &&
    (p.acknowledgedAtLeast === undefined || v.acknowledged >= p.acknowledgedAtLeast) &&
    (p.acknowledgedAtMost === undefined || v.acknowledged <= p.acknowledgedAtMost) &&
    (p.lossWindowAtMostMs === undefined || window <= p.lossWindowAtMostMs);
  const windowText = v.lost > 0 ? `, lost within ${(window / 1000).toFixed(1)} s` : '';
  return {
    met,
    detail: `${v.acknowledged} acknowledged, ${v.lost} lost (${(v.lossRate * 100).toFixed(1)}%)${windowText}; final master ${v.finalMaster}`,
    measured: [{ predicate: 'ledger', verdict: verdictFacts(v) }],
  };
}

function masterauthMissing(p: NonNullable<Goal['masterauthMissing']>, s: LabState): CheckResult {
  const o = s.redis[p.node];
  const measured: Measurement[] = [
    { predicate: 'masterauthMissing', node: p.node, hasMasterauth: o?.reachable ? (o.hasMasterauth ?? null) : null },
  ];
  if (!o?.reachable) return { met: false, detail: silence(s, p.node), measured };
  if (o.hasMasterauth === undefined) return { met: false, detail: `${p.node}'s masterauth is not known yet`, measured };
  const info = o.replication;
  const link =
    info?.role === 'replica'
      ? info.masterLinkStatus === 'up'
        ? `; its link to ${o.masterId ?? 'the master'} is up`
        : `; its link to ${o.masterId ?? 'the master'} is down (the NOAUTH loop)`
      : '';
  return {
    met: !o.hasMasterauth,
    detail: `${p.node} ${o.hasMasterauth ? 'has' : 'has no'} masterauth${link}`,
    measured,
  };
}

/** What every answering Sentinel (or the one named) says about a replica's priority. */
function replicaPriority(p: NonNullable<Goal['replicaPriority']>, s: LabState): CheckResult {
  const sentinels = Object.values(s.sentinels).filter(
    (o) => o.reachable && (p.sentinel === undefined || o.id === p.sentinel),
  );
  const seen = sentinels
    .map((o) => ({ id: o.id, priority: o.replicas.find((r) => r.nodeId === p.node)?.fields['slave-priority'] }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const listed: Record<string, number | null> = {};
  for (const x of seen) listed[x.id] = x.priority === undefined ? null : Number(x.priority);
  const measured: Measurement[] = [{ predicate: 'replicaPriority', node: p.node, priorities: listed }];
  if (sentinels.length === 0)
    return { met: false, detail: p.sentinel ? silence(s, p.sentinel) : 'no Sentinel answers', measured };
  const wrong = seen.filter((x) => x.priority !== String(p.priority));
  if (wrong.length === 0) {
    const who = p.sentinel ?? (seen.length === 1 ? 'the only answering Sentinel' : 'every answering Sentinel');
    return { met: true, detail: `${who} lists ${p.node} with replica-priority ${p.priority}`, measured };
  }
  const parts = wrong.map((x) =>
    x.priority === undefined ? `${x.id} does not list ${p.node}` : `${x.id} still sees ${x.priority}`,
  );
  // Sentinel reads slave_priority from the node's INFO, which it asks for every 10 s.
  return {
    met: false,
    detail: `replica-priority of ${p.node}: ${parts.join(', ')} (Sentinels read it from INFO every 10 s)`,
    measured,
  };
}

function configEpoch(p: NonNullable<Goal['configEpoch']>, s: LabState): CheckResult {
  const o = s.sentinels[p.sentinel];
  const epoch = o?.reachable ? o.master?.configEpoch : undefined;
  const measured: Measurement[] = [{ predicate: 'configEpoch', sentinel: p.sentinel, epoch: epoch ?? null }];
  if (!o?.reachable) return { met: false, detail: silence(s, p.sentinel), measured };
  if (epoch === undefined) return { met: false, detail: `${p.sentinel} has not described its master yet`, measured };
  const met = (p.atLeast === undefined || epoch >= p.atLeast) && (p.atMost === undefined || epoch <= p.atMost);
  return {
    met,
    detail: `${p.sentinel} holds config-epoch ${epoch} (naming ${o.masterId ?? 'no master'})`,
    measured,
  };
}

function clientLatest(p: NonNullable<Goal['clientLatest']>, ctx: CheckContext): CheckResult {
  const after = p.afterEvent;
  const event = after ? latestOccurrence(ctx, after) : undefined;
  const from = event?.seq ?? ctx.since.clientSeq;
  const mine = ctx.state.clientResults.filter(
    (r) => r.seq > ctx.since.clientSeq && r.seq > from && r.client === p.client,
  );
  const last = after && !event ? undefined : mine[mine.length - 1];
  const measured: Measurement[] = [
    {
      predicate: 'clientLatest',
      client: p.client,
      ok: last ? last.ok : null,
      text: last ? last.text : null,
      node: last?.node ?? null,
    },
  ];
  const what = after ? `${after.channel}${after.subject ? ` of ${after.subject}` : ''}` : '';
  if (after && !event) return { met: false, detail: `no ${what} since the step started`, measured };
  if (!last) {
    const since = after ? what : 'the step started';
    return { met: false, detail: `client ${p.client} has sent nothing since ${since}`, measured };
  }
  const wantOk = p.errorPrefix !== undefined ? false : p.ok;
  const met =
    (wantOk === undefined || last.ok === wantOk) &&
    (p.errorPrefix === undefined || last.text.startsWith(p.errorPrefix)) &&
    (p.node === undefined || last.node === p.node) &&
    (p.notNode === undefined || last.node !== p.notNode) &&
    (p.text === undefined || last.text.includes(p.text));
  const shown = `${last.command} -> ${last.ok ? '' : '(error) '}${last.text}${last.node ? ` on ${last.node}` : ''}`;
  return { met, detail: `client ${p.client} now: ${shown}`, measured };
}

/**
 * The first report of the latest occurrence of a matching event since the step started. Every Sentinel reports the
 * same occurrence (one reboot: three `+reboot`, seconds apart), so the occurrence is the run of latest reports with
 * at most one per Sentinel and subject; a second report from one Sentinel belongs to an earlier occurrence. Events
 * and client results share one sequence counter, so "after the event" compares seq.
 */
function latestOccurrence(
  ctx: CheckContext,
  p: NonNullable<NonNullable<Goal['clientLatest']>['afterEvent']>,
): { seq: number } | undefined {
  const seen = new Set<string>();
  let first: { seq: number } | undefined;
  for (let i = ctx.state.events.length - 1; i >= 0; i--) {
    const e = ctx.state.events[i]!;
    if (e.seq <= ctx.since.eventSeq) break;
    if (e.channel !== p.channel || (p.subject !== undefined && e.subjectId !== p.subject)) continue;
    const reporter = `${e.sentinelId} ${e.subjectId ?? ''}`;
    if (seen.has(reporter)) break;
    seen.add(reporter);
    first = e;
  }
  return first;
}

function sentinelLists(p: NonNullable<Goal['sentinelLists']>, s: LabState): CheckResult {
  const o = s.sentinels[p.sentinel];
  const m = (listed: boolean | null, up: boolean | null): Measurement[] => [
    { predicate: 'sentinelLists', sentinel: p.sentinel, node: p.node, listed, up },
  ];
  if (!o?.reachable) return { met: false, detail: silence(s, p.sentinel), measured: m(null, null) };
  const entries = [...o.replicas, ...o.sentinels].filter((i) => i.nodeId === p.node);
  const upEntry = entries.find((i) => !i.flags.includes('s_down') && !i.flags.includes('disconnected'));
  const listed = entries.length > 0;
  const met =
    (p.listed === undefined || listed === p.listed) && (p.up === undefined || (upEntry !== undefined) === p.up);
  const where = entries.map((i) => `${i.ip}:${i.port} ${i.flags.join(',')}`).join('; ');
  return {
    met,
    detail: listed ? `${p.sentinel} lists ${p.node} at ${where}` : `${p.sentinel} does not list ${p.node}`,
    measured: m(listed, upEntry !== undefined),
  };
}
