// Plain-language text for goals and setup/solution entries, for the lesson pane and the docs ("redis-1 is a replica",
// "kill redis-1", "wait until +sdown about redis-1 is seen (up to 10 s)"). An action's line comes from its catalog
// definition (src/actions/), with its defaults applied.
import { actionLine } from '../actions/catalog.js';
import type { Goal, SolutionEntry } from './schema.js';
import { isWaitFor, predicateOf } from './schema.js';
import { humanMs } from './tokens.js';

export function describeGoal(goal: Goal): string {
  const text = describePredicate(goal);
  return goal.holdMs ? `${text}, for ${humanMs(goal.holdMs)}` : text;
}

function describePredicate(g: Goal): string {
  switch (predicateOf(g)) {
    case 'all':
      return (g.all ?? []).map(describeGoal).join('; ');
    case 'any':
      return `one of: ${(g.any ?? []).map(describeGoal).join(' / ')}`;
    case 'not':
      return `not (${describeGoal(g.not as Goal)})`;
    case 'roleOf':
      return `${g.roleOf?.node} is a ${g.roleOf?.role}`;
    case 'replicaOf':
      return `${g.replicaOf?.node} replicates from ${g.replicaOf?.master}`;
    case 'masterIs':
      return `${g.masterIs} is the master`;
    case 'masterIsNot':
      return `the master is no longer ${g.masterIsNot}`;
    case 'sentinelsAgree':
      return g.sentinelsAgree ? 'every Sentinel names the same master' : 'the Sentinels disagree about the master';
    case 'sentinelNames':
      return `${g.sentinelNames?.sentinel} names ${g.sentinelNames?.master} as master`;
    case 'eventSeen': {
      const e = g.eventSeen!;
      const times = e.minCount && e.minCount > 1 ? ` at least ${e.minCount} times` : '';
      const about = e.subject ? ` about ${e.subject}` : '';
      const from = e.sentinel ? ` from ${e.sentinel}` : '';
      return `${e.channel ?? 'warning-level events'}${e.instanceType ? ` (${e.instanceType})` : ''}${about}${from} seen${times}`;
    }
    case 'notificationSeen': {
      const n = g.notificationSeen!;
      return `the notification script recorded ${n.channel ?? 'an event'}${n.sentinel ? ` on ${n.sentinel}` : ''}${n.minCount && n.minCount > 1 ? ` ${n.minCount} times` : ''}`;
    }
    case 'clientResult': {
      const c = g.clientResult!;
      const what =
        c.command === 'write' && c.key !== undefined
          ? `SET ${c.key} ${c.value ?? '…'}`
          : c.command === 'read' && c.key !== undefined
            ? `GET ${c.key}`
            : `a ${c.command ?? 'command'}${c.key === undefined ? '' : ` of ${c.key}`}`;
      if (c.errorPrefix) return `${what} by client ${c.client} fails with ${c.errorPrefix}`;
      const outcome = c.ok === false ? 'fails' : c.ok === true ? 'succeeds' : 'runs';
      const waited = c.waitReplicas === undefined ? '' : `, and WAIT answers ${c.waitReplicas}`;
      return `${what} by client ${c.client} ${outcome}${c.text ? ` with ${c.text}` : ''}${c.node ? ` on ${c.node}` : ''}${waited}`;
    }
    case 'processState':
      return `${g.processState?.node} is ${g.processState?.state}`;
    case 'linkUp':
      return `${g.linkUp?.node}'s replication link is ${g.linkUp?.up ? 'up' : 'down'}`;
    case 'goodReplicas': {
      const r = g.goodReplicas!;
      const bounds = [
        r.atLeast !== undefined && `at least ${r.atLeast}`,
        r.atMost !== undefined && `at most ${r.atMost}`,
      ]
        .filter(Boolean)
        .join(' and ');
      return `${r.node} has ${bounds} good replicas`;
    }
    case 'tilt':
      return `${g.tilt?.sentinel} is ${g.tilt?.on ? 'in' : 'out of'} TILT mode`;
    case 'failoverCompleted':
      return g.failoverCompleted ? 'a failover completes' : 'no failover completes';
    case 'failoverTook': {
      const t = g.failoverTook!;
      const parts = [
        t.atLeastMs !== undefined && `at least ${humanMs(t.atLeastMs)}`,
        t.atMostMs !== undefined && `at most ${humanMs(t.atMostMs)}`,
      ]
        .filter(Boolean)
        .join(' and ');
      return `clients are switched to a new master ${parts} after the fault`;
    }
    case 'converged':
      return g.converged
        ? 'the cluster settles: one master, every replica and Sentinel following it'
        : 'the cluster is not settled';
    case 'faultActive':
      return g.faultActive ? 'a network fault is active' : 'no network fault is active';
    case 'workload': {
      const w = g.workload!;
      const who = w.client === undefined ? 'the workload' : `client ${w.client}'s workload`;
      const parts = [
        w.running !== undefined && (w.running ? `${who} runs` : `${who} is stopped`),
        w.running === undefined && w.client !== undefined && `${who} ran`,
        w.acknowledgedAtLeast !== undefined && `${w.acknowledgedAtLeast}+ writes acknowledged`,
        w.errorPrefix !== undefined && `${w.errorsAtLeast ?? 1}+ ${w.errorPrefix} errors`,
        w.errorPrefix === undefined && w.errorsAtLeast !== undefined && `${w.errorsAtLeast}+ failed writes`,
      ].filter(Boolean);
      return parts.join(', ');
    }
    case 'ledger': {
      const l = g.ledger!;
      const parts = [
        l.lostAtLeast !== undefined && `at least ${l.lostAtLeast} acknowledged writes lost`,
        l.lostAtMost !== undefined && `at most ${l.lostAtMost} lost`,
        l.acknowledgedAtLeast !== undefined && `at least ${l.acknowledgedAtLeast} acknowledged`,
        l.acknowledgedAtMost !== undefined && `at most ${l.acknowledgedAtMost} acknowledged`,
        l.lossWindowAtMostMs !== undefined && `losses within ${humanMs(l.lossWindowAtMostMs)}`,
      ].filter(Boolean);
      return `the ledger verdict shows ${parts.length ? parts.join(', ') : 'a result'}`;
    }
    case 'masterauthMissing':
      return `${g.masterauthMissing?.node} has no masterauth`;
    case 'replicaPriority': {
      const r = g.replicaPriority!;
      return `${r.sentinel ?? 'every Sentinel'} lists ${r.node} with replica-priority ${r.priority}`;
    }
    case 'configEpoch': {
      const c = g.configEpoch!;
      const bounds = [
        c.atLeast !== undefined && `at least ${c.atLeast}`,
        c.atMost !== undefined && `at most ${c.atMost}`,
      ]
        .filter(Boolean)
        .join(' and ');
      return `${c.sentinel} holds config-epoch ${bounds}`;
    }
    case 'clientLatest': {
      const c = g.clientLatest!;
      const what =
        c.errorPrefix !== undefined
          ? `fails with ${c.errorPrefix}`
          : c.ok === false
            ? 'fails'
            : c.ok === true
              ? 'succeeds'
              : 'answers';
      const where = [c.node && `on ${c.node}`, c.notNode && `not on ${c.notNode}`].filter(Boolean).join(', ');
      const answer = c.text === undefined ? '' : ` with ${c.text}`;
      const a = c.afterEvent;
      const after = a ? ` after ${a.channel}${a.subject ? ` of ${a.subject}` : ''}` : '';
      return `client ${c.client}'s latest request${after} ${what}${answer}${where ? ` ${where}` : ''}`;
    }
    case 'sentinelLists': {
      const l = g.sentinelLists!;
      const parts = [
        l.listed === true && `still lists ${l.node}`,
        l.listed === false && `no longer lists ${l.node}`,
        l.up === true && `sees ${l.node} up at an address it can reach`,
        l.up === false && `sees no working address for ${l.node}`,
      ].filter(Boolean);
      return `${l.sentinel} ${parts.join(' and ')}`;
    }
  }
}

export function describeEntry(e: SolutionEntry): string {
  if (isWaitFor(e)) return `wait until ${describeGoal(e.waitFor)} (up to ${humanMs(e.timeoutMs)})`;
  return actionLine(e);
}
