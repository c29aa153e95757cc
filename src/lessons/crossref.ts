// The cross-reference pass over a schema-valid lesson: every node, host and channel a goal or action names must exist
// in the lesson's own topology, step ids are unique, and numbers that are fine alone but absurd together are refused.
import type { TopologyRefs } from '../actions/action.js';
import { checkAction as checkActionRefs } from '../actions/catalog.js';
import { channelSpec, SENTINEL_CHANNELS } from '../cluster/observe/sentinel-events.js';
import {
  buildTopology,
  DEFAULT_REPLICATION_SETTINGS,
  DEFAULT_SENTINEL_SETTINGS,
  redisId,
  sentinelId,
} from '../cluster/topology.js';
import { errorMessage } from '../errors.js';
import { formatPath } from './issues.js';
import type { ActionDoc, Goal, LessonDoc, SolutionEntry } from './schema.js';
import { isWaitFor } from './schema.js';
import { lessonShape } from './shape.js';

export interface PathProblem {
  path: string;
  message: string;
}

type Known = TopologyRefs;

type Path = PropertyKey[];

/** Problems found by cross-referencing a schema-valid lesson (empty when it is consistent). */
export function crossCheck(doc: LessonDoc): PathProblem[] {
  const problems: PathProblem[] = [];
  const report = (path: Path, message: string) => problems.push({ path: formatPath(path), message });
  const known = topologyProblems(doc, report);

  const seen = new Map<string, number>();
  doc.steps.forEach((step, i) => {
    const first = seen.get(step.id);
    if (first !== undefined) report(['steps', i, 'id'], `duplicate step id "${step.id}" (also steps[${first}])`);
    else seen.set(step.id, i);
    checkGoal(step.goal, ['steps', i, 'goal'], true, known, report);
    for (const [j, e] of step.setup.entries()) checkEntry(e, ['steps', i, 'setup', j], known, report);
    for (const [j, e] of step.solution.entries()) checkEntry(e, ['steps', i, 'solution', j], known, report);
  });
  return problems;
}

function topologyProblems(doc: LessonDoc, report: (path: Path, message: string) => void): Known {
  const t = doc.topology;
  const redis = new Set(Array.from({ length: t.redis }, (_, i) => redisId(i + 1)));
  const sentinels = new Set(Array.from({ length: t.sentinels }, (_, i) => sentinelId(i + 1)));
  const base = ['topology'];
  const nodeExists = (id: string) => redis.has(id) || sentinels.has(id);

  if (t.master !== undefined && !redis.has(t.master)) report([...base, 'master'], unknownNode(t.master));
  for (const id of Object.keys(t.placement ?? {})) {
    if (!nodeExists(id)) report([...base, 'placement', id], unknownNode(id));
  }
  for (const id of Object.keys(t.replicaPriority ?? {})) {
    if (!redis.has(id)) report([...base, 'replicaPriority', id], unknownNode(id));
  }
  (t.persistence ?? []).forEach((id, i) => {
    if (!redis.has(id)) report([...base, 'persistence', i], unknownNode(id));
  });
  (t.withoutMasterauth ?? []).forEach((id, i) => {
    if (!redis.has(id)) report([...base, 'withoutMasterauth', i], unknownNode(id));
  });
  for (const name of ['A', 'B'] as const) {
    const c = t.clients?.[name];
    if (!c) continue;
    if (c.target === 'sentinel') {
      if (t.sentinels === 0)
        report([...base, 'clients', name, 'target'], 'there are no Sentinels to ask for the master');
    } else if (!redis.has(c.target)) {
      report([...base, 'clients', name, 'target'], unknownNode(c.target));
    }
  }
  const quorum = t.quorum ?? DEFAULT_SENTINEL_SETTINGS.quorum;
  if (t.sentinels > 0 && quorum > t.sentinels) {
    report(
      [...base, t.quorum === undefined ? 'sentinels' : 'quorum'],
      t.quorum === undefined
        ? `the default quorum ${quorum} needs at least ${quorum} Sentinels; set quorum: 1 or add Sentinels`
        : `quorum ${quorum} is more than the ${t.sentinels} Sentinels: no master could ever be declared down`,
    );
  }
  const replicas = t.redis - 1;
  const toWrite = t.minReplicasToWrite ?? DEFAULT_REPLICATION_SETTINGS.minReplicasToWrite;
  if (toWrite > replicas) {
    report(
      [...base, 'minReplicasToWrite'],
      `${toWrite} good replicas required but the topology has ${replicas}: no write could ever succeed`,
    );
  }
  if (toWrite > 0 && t.minReplicasMaxLagSec === 0) {
    report([...base, 'minReplicasMaxLagSec'], '0 disables the min-replicas guard; use at least 1 second');
  }
  const replTimeout = t.replTimeoutSec ?? DEFAULT_REPLICATION_SETTINGS.replTimeoutSec;
  const replPing = t.replPingReplicaPeriodSec ?? DEFAULT_REPLICATION_SETTINGS.replPingReplicaPeriodSec;
  if (replPing >= replTimeout) {
    report(
      [...base, t.replPingReplicaPeriodSec === undefined ? 'replTimeoutSec' : 'replPingReplicaPeriodSec'],
      `repl-ping-replica-period (${replPing} s) must stay below repl-timeout (${replTimeout} s), or links time out while idle`,
    );
  }
  let hosts: string[] = [];
  try {
    hosts = buildTopology(lessonShape(t), 6379, 'hosts').hosts.map((h) => h.id);
  } catch (err) {
    report(base, `cannot build this topology: ${errorMessage(err)}`);
  }
  return { redis, sentinels, hosts, replicas };
}

function unknownNode(id: string): string {
  return `unknown node "${id}"`;
}

function checkGoal(
  g: Goal,
  path: Path,
  top: boolean,
  k: Known,
  report: (path: Path, message: string) => void,
  negated = false,
): void {
  if (!top && g.holdMs !== undefined) {
    report([...path, 'holdMs'], 'holdMs is only allowed on the outermost goal of a step or waitFor');
  }
  const redis = (p: Path, id: string | undefined) => {
    if (id !== undefined && !k.redis.has(id)) report(p, unknownNode(id));
  };
  const sentinel = (p: Path, id: string | undefined) => {
    if (id !== undefined && !k.sentinels.has(id)) report(p, unknownNode(id));
  };
  const node = (p: Path, id: string | undefined) => {
    if (id !== undefined && !k.redis.has(id) && !k.sentinels.has(id)) report(p, unknownNode(id));
  };
  const range = (p: Path, low: number | undefined, high: number | undefined, what: string) => {
    if (low !== undefined && high !== undefined && low > high)
      report(p, `${what}: the lower bound ${low} is above the upper bound ${high}`);
  };

  for (const [i, c] of (g.all ?? []).entries()) checkGoal(c, [...path, 'all', i], false, k, report, negated);
  for (const [i, c] of (g.any ?? []).entries()) checkGoal(c, [...path, 'any', i], false, k, report, negated);
  if (g.not) checkGoal(g.not, [...path, 'not'], false, k, report, !negated);
  if (g.roleOf) redis([...path, 'roleOf', 'node'], g.roleOf.node);
  if (g.replicaOf) {
    redis([...path, 'replicaOf', 'node'], g.replicaOf.node);
    redis([...path, 'replicaOf', 'master'], g.replicaOf.master);
  }
  redis([...path, 'masterIs'], g.masterIs);
  redis([...path, 'masterIsNot'], g.masterIsNot);
  if (g.sentinelNames) {
    sentinel([...path, 'sentinelNames', 'sentinel'], g.sentinelNames.sentinel);
    redis([...path, 'sentinelNames', 'master'], g.sentinelNames.master);
  }
  if (g.eventSeen) {
    const e = g.eventSeen;
    node([...path, 'eventSeen', 'subject'], e.subject);
    sentinel([...path, 'eventSeen', 'sentinel'], e.sentinel);
    // `level: warning` keeps WARNING-level events only: a positive goal on another level could never be met.
    const mustBeWarning = e.level === 'warning' && !negated;
    if (e.channel !== undefined)
      checkChannel([...path, 'eventSeen', 'channel'], e.channel, mustBeWarning ? 'warning' : undefined, report);
  }
  if (g.notificationSeen) {
    const n = g.notificationSeen;
    sentinel([...path, 'notificationSeen', 'sentinel'], n.sentinel);
    // A positive goal on an event the script never receives could never be met; under `not` it is a fine lesson.
    if (n.channel !== undefined)
      checkChannel([...path, 'notificationSeen', 'channel'], n.channel, negated ? undefined : 'script', report);
  }
  if (g.clientResult) redis([...path, 'clientResult', 'node'], g.clientResult.node);
  if (g.processState) node([...path, 'processState', 'node'], g.processState.node);
  if (g.linkUp) redis([...path, 'linkUp', 'node'], g.linkUp.node);
  if (g.goodReplicas) {
    const r = g.goodReplicas;
    redis([...path, 'goodReplicas', 'node'], r.node);
    range([...path, 'goodReplicas'], r.atLeast, r.atMost, 'goodReplicas');
    if (r.atLeast !== undefined && r.atLeast > k.replicas) {
      report([...path, 'goodReplicas', 'atLeast'], `the topology has only ${k.replicas} replicas`);
    }
  }
  if (g.tilt) sentinel([...path, 'tilt', 'sentinel'], g.tilt.sentinel);
  if (g.failoverTook)
    range([...path, 'failoverTook'], g.failoverTook.atLeastMs, g.failoverTook.atMostMs, 'failoverTook');
  if (g.ledger) {
    range([...path, 'ledger'], g.ledger.lostAtLeast, g.ledger.lostAtMost, 'lost');
    range([...path, 'ledger'], g.ledger.acknowledgedAtLeast, g.ledger.acknowledgedAtMost, 'acknowledged');
  }
  if (g.masterauthMissing) redis([...path, 'masterauthMissing', 'node'], g.masterauthMissing.node);
  if (g.replicaPriority) {
    redis([...path, 'replicaPriority', 'node'], g.replicaPriority.node);
    sentinel([...path, 'replicaPriority', 'sentinel'], g.replicaPriority.sentinel);
  }
  if (g.configEpoch) {
    sentinel([...path, 'configEpoch', 'sentinel'], g.configEpoch.sentinel);
    range([...path, 'configEpoch'], g.configEpoch.atLeast, g.configEpoch.atMost, 'configEpoch');
  }
  if (g.clientLatest) {
    redis([...path, 'clientLatest', 'node'], g.clientLatest.node);
    redis([...path, 'clientLatest', 'notNode'], g.clientLatest.notNode);
    const a = g.clientLatest.afterEvent;
    if (a) {
      node([...path, 'clientLatest', 'afterEvent', 'subject'], a.subject);
      checkChannel([...path, 'clientLatest', 'afterEvent', 'channel'], a.channel, undefined, report);
    }
  }
  if (g.sentinelLists) {
    sentinel([...path, 'sentinelLists', 'sentinel'], g.sentinelLists.sentinel);
    node([...path, 'sentinelLists', 'node'], g.sentinelLists.node);
  }
  if (g.clientResult?.waitReplicas !== undefined && g.clientResult.waitReplicas > k.replicas) {
    report(
      [...path, 'clientResult', 'waitReplicas'],
      `WAIT can never answer ${g.clientResult.waitReplicas}: the topology has ${k.replicas} replicas`,
    );
  }
  const needsSentinels =
    g.sentinelsAgree !== undefined ||
    g.tilt !== undefined ||
    g.eventSeen !== undefined ||
    g.replicaPriority !== undefined ||
    g.configEpoch !== undefined ||
    g.sentinelLists !== undefined;
  if (needsSentinels && k.sentinels.size === 0) report(path, 'this goal needs Sentinels but the topology has none');
}

function checkChannel(
  path: Path,
  channel: string,
  must: 'warning' | 'script' | undefined,
  report: (path: Path, message: string) => void,
): void {
  const spec = channelSpec(channel);
  if (!spec) {
    const guess = closestChannel(channel);
    report(path, `unknown Sentinel channel "${channel}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
    return;
  }
  if (must === 'warning' && spec.level !== 'W') {
    report(path, `${channel} is not a warning-level event, so level: warning never matches it`);
  } else if (must === 'script' && !spec.notifies) {
    // sentinel.c, sentinelEvent: the script runs only for `level == LL_WARNING && ri != NULL`.
    report(
      path,
      spec.level === 'W'
        ? `${channel} is a warning without an instance, so the notification script never sees it`
        : `${channel} is not a warning-level event, so the notification script never sees it`,
    );
  }
}

function closestChannel(channel: string): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const c of SENTINEL_CHANNELS) {
    const d = editDistance(channel, c.channel);
    if (!best || d < best.d) best = { name: c.channel, d };
  }
  return best && best.d <= 3 ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

function checkEntry(e: SolutionEntry, path: Path, k: Known, report: (path: Path, message: string) => void): void {
  if (isWaitFor(e)) {
    checkGoal(e.waitFor, [...path, 'waitFor'], true, k, report);
    return;
  }
  checkAction(e, path, k, report);
}

/** Each action kind cross-checks itself (its catalog definition): node and host references, impossible numbers. */
function checkAction(a: ActionDoc, path: Path, k: Known, report: (path: Path, message: string) => void): void {
  checkActionRefs(a, k, (p, message) => report([...path, ...p], message));
}
