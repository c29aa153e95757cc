// Truth tables for every goal predicate over hand-built LabState snapshots.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LedgerVerdict } from '../../src/ledger/types.js';
import { evaluateGoal, holdingDetail, markStep, trackHold } from '../../src/lessons/checks.js';
import { describeGoal } from '../../src/lessons/describe.js';
import type { Goal } from '../../src/lessons/schema.js';
import type { StepMark } from '../../src/lessons/types.js';
import type { LabState } from '../../src/state/store.js';
import {
  down,
  edit,
  event,
  healthy,
  markOf,
  masterObs,
  replicaObs,
  sentinelObs,
  timeline,
  withEvents,
} from './fixtures.js';

function check(goal: Goal, state: LabState, since: StepMark = markOf(healthy())) {
  return evaluateGoal(goal, { state, now: 0, since });
}
const met = (goal: Goal, state: LabState, since?: StepMark) => check(goal, state, since).met;

/** redis-1 killed, redis-2 promoted, every Sentinel switched. */
function afterFailover(): LabState {
  return edit(healthy(), (s) => {
    s.processes['redis-1']!.state = 'exited';
    s.redis['redis-1'] = down('redis-1');
    s.redis['redis-2'] = masterObs('redis-2', ['redis-3', 'redis-4', 'redis-5']);
    for (const r of ['redis-3', 'redis-4', 'redis-5']) s.redis[r] = replicaObs(r, 'redis-2');
    for (const id of ['sentinel-1', 'sentinel-2', 'sentinel-3']) s.sentinels[id] = sentinelObs(id, 'redis-2');
  });
}

/** The note's three hosts during the partition: redis-3 isolated but still master, redis-1 promoted by a majority. */
function splitBrain(): LabState {
  return edit(healthy({ redis: 3, sentinels: 3, master: 'redis-3' }, 'redis-3'), (s) => {
    s.redis['redis-1'] = masterObs('redis-1', ['redis-2']);
    s.redis['redis-2'] = replicaObs('redis-2', 'redis-1');
    s.redis['redis-3'] = masterObs('redis-3', []);
    s.sentinels['sentinel-1'] = sentinelObs('sentinel-1', 'redis-1');
    s.sentinels['sentinel-2'] = sentinelObs('sentinel-2', 'redis-1');
    s.sentinels['sentinel-3'] = sentinelObs('sentinel-3', 'redis-3');
  });
}

describe('roleOf / replicaOf', () => {
  it('reads the role each node reports', () => {
    const s = healthy();
    assert.equal(met({ roleOf: { node: 'redis-1', role: 'master' } }, s), true);
    assert.equal(met({ roleOf: { node: 'redis-2', role: 'replica' } }, s), true);
    assert.equal(met({ roleOf: { node: 'redis-2', role: 'master' } }, s), false);
    assert.equal(check({ roleOf: { node: 'redis-2', role: 'master' } }, s).detail, 'redis-2 is a replica of redis-1');
    assert.equal(met({ replicaOf: { node: 'redis-3', master: 'redis-1' } }, s), true);
    assert.equal(met({ replicaOf: { node: 'redis-3', master: 'redis-2' } }, s), false);
  });

  it('is not met for a node that does not answer, and says why', () => {
    const r = check({ roleOf: { node: 'redis-1', role: 'master' } }, afterFailover());
    assert.equal(r.met, false);
    assert.equal(r.detail, 'redis-1 does not answer (connect ECONNREFUSED)');
  });

  it('says the address the screen shows (the gateway, 127.0.2.x), not the private one the probe connected to', () => {
    const s = edit(afterFailover(), (d) => {
      d.redis['redis-1'] = down('redis-1', 'connect ECONNREFUSED 127.0.1.1:6379');
      d.sentinels['sentinel-3'] = down(
        'sentinel-3',
        'connect ETIMEDOUT 127.0.1.3:6481 (after 127.0.1.13 and 127.0.1.1)',
      );
    });
    const r = check({ roleOf: { node: 'redis-1', role: 'master' } }, s);
    assert.equal(r.detail, 'redis-1 does not answer (connect ECONNREFUSED 127.0.2.1:6379)');
    // Only whole addresses of the lab's hosts: 127.0.1.13 is none of them.
    const q = check({ configEpoch: { sentinel: 'sentinel-3', atLeast: 1 } }, s);
    assert.equal(
      q.detail,
      'sentinel-3 does not answer (connect ETIMEDOUT 127.0.2.3:6481 (after 127.0.1.13 and 127.0.2.1))',
    );
  });
});

describe('masterIs / masterIsNot', () => {
  it('names the single master', () => {
    assert.equal(met({ masterIs: 'redis-1' }, healthy()), true);
    assert.equal(met({ masterIsNot: 'redis-1' }, healthy()), false);
    assert.equal(met({ masterIs: 'redis-2' }, afterFailover()), true);
    assert.equal(met({ masterIsNot: 'redis-1' }, afterFailover()), true);
  });

  it('is never met while there is no master at all', () => {
    const s = edit(healthy(), (d) => {
      d.redis['redis-1'] = down('redis-1');
    });
    assert.equal(met({ masterIs: 'redis-2' }, s), false);
    assert.equal(met({ masterIsNot: 'redis-1' }, s), false);
    assert.equal(check({ masterIsNot: 'redis-1' }, s).detail, 'no reachable node reports role master');
  });

  it('settles a split brain by the Sentinel majority', () => {
    const s = splitBrain();
    assert.equal(met({ masterIs: 'redis-1' }, s), true);
    assert.equal(met({ masterIsNot: 'redis-3' }, s), true);
    assert.match(check({ masterIs: 'redis-1' }, s).detail, /named by 2 of 3 Sentinels; redis-3 also claims master/);
  });

  it('has no true master when two nodes claim it and no majority decides', () => {
    const s = edit(splitBrain(), (d) => {
      d.sentinels['sentinel-2'] = down('sentinel-2');
    });
    assert.equal(met({ masterIs: 'redis-1' }, s), false);
    assert.equal(met({ masterIsNot: 'redis-3' }, s), false);
  });
});

describe('sentinelsAgree / sentinelNames', () => {
  it('agree when every answering Sentinel names the same master', () => {
    assert.equal(met({ sentinelsAgree: true }, healthy()), true);
    assert.equal(met({ sentinelsAgree: false }, healthy()), false);
  });

  it('explain a disagreement', () => {
    const r = check({ sentinelsAgree: true }, splitBrain());
    assert.equal(r.met, false);
    assert.equal(r.detail, 'sentinel-1 and sentinel-2 name redis-1; sentinel-3 names redis-3');
    assert.equal(met({ sentinelsAgree: false }, splitBrain()), true);
  });

  it('ignore Sentinels that do not answer, but need at least one', () => {
    const one = edit(splitBrain(), (d) => {
      d.sentinels['sentinel-3'] = down('sentinel-3');
    });
    assert.equal(met({ sentinelsAgree: true }, one), true);
    const none = edit(healthy(), (d) => {
      for (const id of ['sentinel-1', 'sentinel-2', 'sentinel-3']) d.sentinels[id] = down(id);
    });
    assert.equal(met({ sentinelsAgree: true }, none), false);
    assert.equal(met({ sentinelsAgree: false }, none), false);
  });

  it('sentinelNames reads one Sentinel', () => {
    assert.equal(met({ sentinelNames: { sentinel: 'sentinel-3', master: 'redis-3' } }, splitBrain()), true);
    assert.equal(met({ sentinelNames: { sentinel: 'sentinel-1', master: 'redis-3' } }, splitBrain()), false);
  });
});

describe('eventSeen', () => {
  const before = withEvents(healthy(), event('+sdown', { subjectId: 'redis-1', sentinelId: 'sentinel-2' }));
  const since = markOf(before);
  const after = withEvents(
    before,
    event('+sdown', { subjectId: 'redis-1', sentinelId: 'sentinel-1', instanceType: 'master' }),
    event('+sdown', { subjectId: 'redis-1', sentinelId: 'sentinel-3', instanceType: 'master' }),
    event('+slave', { subjectId: 'redis-5', sentinelId: 'sentinel-1', severity: 'info' }),
  );

  it('counts only events since the step started', () => {
    assert.equal(met({ eventSeen: { channel: '+sdown', sentinel: 'sentinel-2' } }, after, since), false);
    assert.equal(met({ eventSeen: { channel: '+sdown', minCount: 2 } }, after, since), true);
    assert.equal(met({ eventSeen: { channel: '+sdown', minCount: 3 } }, after, since), false);
    assert.equal(
      check({ eventSeen: { channel: '+sdown', minCount: 3 } }, after, since).detail,
      '+sdown seen 2/3× since the step started',
    );
  });

  it('filters by subject, Sentinel and instance type', () => {
    assert.equal(
      met({ eventSeen: { channel: '+sdown', subject: 'redis-1', sentinel: 'sentinel-3' } }, after, since),
      true,
    );
    assert.equal(met({ eventSeen: { channel: '+sdown', subject: 'redis-2' } }, after, since), false);
    assert.equal(met({ eventSeen: { channel: '+sdown', instanceType: 'slave' } }, after, since), false);
    assert.equal(met({ eventSeen: { channel: '+odown' } }, after, since), false);
  });

  it('level: warning counts only events the notification script receives', () => {
    assert.equal(met({ eventSeen: { level: 'warning', minCount: 2 } }, after, since), true);
    assert.equal(met({ eventSeen: { level: 'warning', minCount: 3 } }, after, since), false);
  });
});

describe('notificationSeen', () => {
  it('counts script lines by event type since the step started', () => {
    const before = edit(healthy(), (d) => {
      d.notifications = [
        { sentinelId: 'sentinel-1', at: 10, line: '1700000000 +sdown master mymaster 127.0.2.1 6379' },
      ];
    });
    const since = markOf(before);
    const after = edit(before, (d) => {
      d.notifications.push({ sentinelId: 'sentinel-2', at: 20, line: '1700000001 +switch-master mymaster a 1 b 2' });
    });
    assert.equal(met({ notificationSeen: { channel: '+sdown' } }, after, since), false);
    assert.equal(met({ notificationSeen: { channel: '+switch-master' } }, after, since), true);
    assert.equal(met({ notificationSeen: { channel: '+switch-master', sentinel: 'sentinel-1' } }, after, since), false);
  });
});

describe('clientResult', () => {
  const base = edit(healthy(), (d) => {
    d.clientResults = [{ seq: 1, at: 0, client: 'A', command: 'SET age 111', node: 'redis-1', ok: true, text: 'OK' }];
  });
  const since = markOf(base);
  const refused = edit(base, (d) => {
    d.clientResults.push(
      {
        seq: 2,
        at: 0,
        client: 'A',
        command: 'SET age 222',
        node: 'redis-1',
        ok: false,
        text: 'NOREPLICAS Not enough good replicas to write.',
      },
      { seq: 3, at: 0, client: 'A', command: 'GET age', node: 'redis-1', ok: true, text: '"111"' },
    );
  });

  it('matches refusals by error prefix', () => {
    assert.equal(
      met({ clientResult: { client: 'A', command: 'write', errorPrefix: 'NOREPLICAS' } }, refused, since),
      true,
    );
    assert.equal(
      met({ clientResult: { client: 'A', command: 'write', errorPrefix: 'READONLY' } }, refused, since),
      false,
    );
    assert.equal(met({ clientResult: { client: 'B', errorPrefix: 'NOREPLICAS' } }, refused, since), false);
  });

  it('ignores results from before the step', () => {
    assert.equal(met({ clientResult: { client: 'A', command: 'write', ok: true } }, refused, since), false);
    assert.equal(
      check({ clientResult: { client: 'A', command: 'write', ok: true } }, refused, since).detail,
      "client A's last write: SET age 222 -> (error) NOREPLICAS Not enough good replicas to write. on redis-1",
    );
    assert.equal(
      check({ clientResult: { client: 'A', command: 'write' } }, base, since).detail,
      'no write by client A since the step started',
    );
  });

  it('matches the key and the written value', () => {
    const w = (value: string) => ({
      clientResult: { client: 'A' as const, command: 'write' as const, key: 'age', value },
    });
    const wrote = edit(base, (d) => {
      d.clientResults.push({
        seq: 4,
        at: 0,
        client: 'A',
        command: 'SET age 222',
        node: 'redis-1',
        ok: true,
        text: 'OK',
      });
    });
    assert.equal(met({ ...w('222'), clientResult: { ...w('222').clientResult, ok: true } }, wrote, since), true);
    assert.equal(met(w('333'), wrote, since), false);
    assert.equal(met({ clientResult: { client: 'A', command: 'write', key: 'name', ok: true } }, wrote, since), false);
    assert.equal(
      met({ clientResult: { client: 'A', command: 'read', key: 'age', text: '111' } }, refused, since),
      true,
    );
    assert.equal(met({ clientResult: { client: 'A', command: 'read', key: 'other' } }, refused, since), false);
    assert.equal(check(w('333'), wrote, since).detail, 'no write of age = 333 by client A since the step started');
    assert.equal(describeGoal(w('222')), 'SET age 222 by client A runs');
    assert.equal(
      describeGoal({ clientResult: { client: 'A', command: 'read', key: 'age', text: '(nil)' } }),
      'GET age by client A runs with (nil)',
    );
  });

  it('matches reads, text and node', () => {
    assert.equal(met({ clientResult: { client: 'A', command: 'read', ok: true, text: '111' } }, refused, since), true);
    assert.equal(met({ clientResult: { client: 'A', command: 'read', text: '222' } }, refused, since), false);
    assert.equal(met({ clientResult: { client: 'A', command: 'read', node: 'redis-2' } }, refused, since), false);
  });
});

describe('processState / linkUp / masterauthMissing', () => {
  it('processState reads the supervisor state', () => {
    const s = edit(healthy(), (d) => {
      d.processes['redis-3']!.state = 'frozen';
    });
    assert.equal(met({ processState: { node: 'redis-3', state: 'frozen' } }, s), true);
    assert.equal(met({ processState: { node: 'redis-2', state: 'frozen' } }, s), false);
  });

  it('linkUp needs an answering replica', () => {
    const s = edit(healthy(), (d) => {
      d.redis['redis-2'] = replicaObs('redis-2', 'redis-1', false);
      d.redis['redis-3'] = down('redis-3');
    });
    assert.equal(met({ linkUp: { node: 'redis-2', up: false } }, s), true);
    assert.equal(met({ linkUp: { node: 'redis-2', up: true } }, s), false);
    assert.equal(met({ linkUp: { node: 'redis-4', up: true } }, s), true);
    for (const up of [true, false]) {
      assert.equal(met({ linkUp: { node: 'redis-3', up } }, s), false, 'unreachable: unknown either way');
      assert.equal(met({ linkUp: { node: 'redis-1', up } }, s), false, 'a master has no link');
    }
  });

  it('masterauthMissing sees the NOAUTH loop', () => {
    const s = edit(afterFailover(), (d) => {
      d.redis['redis-1'] = { ...replicaObs('redis-1', 'redis-2', false), hasMasterauth: false };
    });
    const r = check({ masterauthMissing: { node: 'redis-1' } }, s);
    assert.equal(r.met, true);
    assert.equal(r.detail, 'redis-1 has no masterauth; its link to redis-2 is down (the NOAUTH loop)');
    assert.equal(met({ masterauthMissing: { node: 'redis-3' } }, s), false);
    const unknown = edit(s, (d) => {
      delete d.redis['redis-1']!.hasMasterauth;
    });
    assert.equal(met({ masterauthMissing: { node: 'redis-1' } }, unknown), false);
  });
});

describe('goodReplicas', () => {
  it('uses min_slaves_good_slaves when the guard is on', () => {
    const s = edit(healthy(), (d) => {
      d.redis['redis-1'] = masterObs('redis-1', ['redis-2'], 1);
    });
    assert.equal(met({ goodReplicas: { node: 'redis-1', atMost: 1 } }, s), true);
    assert.equal(met({ goodReplicas: { node: 'redis-1', atLeast: 2 } }, s), false);
  });

  it('counts online, recently acknowledging replicas otherwise', () => {
    const s = edit(healthy(), (d) => {
      const r = d.redis['redis-1']!.replication!;
      r.replicas[0]!.ackAgeSec = 11;
      r.replicas[1]!.state = 'send_bulk';
    });
    assert.equal(met({ goodReplicas: { node: 'redis-1', atLeast: 2, atMost: 2 } }, s), true);
    assert.equal(met({ goodReplicas: { node: 'redis-2', atLeast: 0 } }, s), false, 'a replica has no good replicas');
    assert.deepEqual(check({ goodReplicas: { node: 'redis-1', atLeast: 2 } }, s).measured, [
      { predicate: 'goodReplicas', node: 'redis-1', good: 2, maxLagSec: 10 },
    ]);
    assert.deepEqual(check({ goodReplicas: { node: 'redis-2', atLeast: 0 } }, s).measured, [
      { predicate: 'goodReplicas', node: 'redis-2', good: null, maxLagSec: 10 },
    ]);
  });

  it('measures every part of all/any/not', () => {
    const s = healthy();
    const r = check(
      { all: [{ faultActive: false }, { not: { processState: { node: 'redis-1', state: 'exited' } } }] },
      s,
    );
    assert.deepEqual(r.measured, [
      { predicate: 'faultActive', active: 0 },
      { predicate: 'processState', node: 'redis-1', state: s.processes['redis-1']?.state },
    ]);
  });
});

describe('tilt', () => {
  it('reads INFO sentinel', () => {
    const s = edit(healthy(), (d) => {
      d.sentinels['sentinel-1'] = sentinelObs('sentinel-1', 'redis-1', true);
      d.sentinels['sentinel-2'] = down('sentinel-2');
    });
    assert.equal(met({ tilt: { sentinel: 'sentinel-1', on: true } }, s), true);
    assert.equal(met({ tilt: { sentinel: 'sentinel-3', on: false } }, s), true);
    assert.equal(met({ tilt: { sentinel: 'sentinel-3', on: true } }, s), false);
    assert.equal(met({ tilt: { sentinel: 'sentinel-2', on: false } }, s), false);
  });

  it('says how long, and "less than a second ago" where Sentinel reports 0 s', () => {
    const at = (sec: number) =>
      edit(healthy(), (d) => {
        const o = sentinelObs('sentinel-1', 'redis-1', true);
        d.sentinels['sentinel-1'] = { ...o, info: { ...o.info, tilt: true, tiltSinceSec: sec } } as typeof o;
      });
    assert.equal(
      check({ tilt: { sentinel: 'sentinel-1', on: true } }, at(12)).detail,
      'sentinel-1 is in TILT for 12 s',
    );
    assert.equal(
      check({ tilt: { sentinel: 'sentinel-1', on: true } }, at(0)).detail,
      'sentinel-1 is in TILT (entered less than a second ago)',
    );
  });
});

describe('failoverCompleted / failoverTook', () => {
  const old = edit(healthy(), (d) => {
    d.failovers = [timeline('f1', { done: true, phases: { 'switch-master': 3000, 'failover-end': 6000 } })];
  });
  const since = markOf(old);

  it('counts only failovers completed since the step started', () => {
    assert.equal(met({ failoverCompleted: true }, old, since), false);
    assert.equal(met({ failoverCompleted: false }, old, since), true);
    const running = edit(old, (d) => {
      d.failovers.push(timeline('f2', { phases: { sdown: 1100 } }));
    });
    assert.equal(met({ failoverCompleted: true }, running, since), false);
    const finished = edit(running, (d) => {
      d.failovers[1] = timeline('f2', { done: true, phases: { 'switch-master': 3300 } });
    });
    assert.equal(met({ failoverCompleted: true }, finished, since), true);
    const aborted = edit(running, (d) => {
      d.failovers[1] = timeline('f2', { done: true, aborted: 'not-elected' });
    });
    assert.equal(met({ failoverCompleted: true }, aborted, since), false);
  });

  it('measures the fault action -> the first +switch-master since the step started', () => {
    const s = withEvents(
      edit(old, (d) => {
        d.actions = [
          {
            seq: 2001,
            at: 9_000,
            kind: 'sentinel-set',
            title: 'SENTINEL SET down-after-milliseconds 1000',
            equivalent: '',
            status: 'ok',
          },
          { seq: 2002, at: 10_000, kind: 'kill', title: 'kill redis-1', equivalent: 'kill -9 4242', status: 'ok' },
        ];
      }),
      event('+switch-master', { at: 12_250, sentinelId: 'sentinel-2', toId: 'redis-2', subjectId: 'redis-2' }),
      event('+switch-master', { at: 15_300, sentinelId: 'sentinel-1', toId: 'redis-2', subjectId: 'redis-2' }),
    );
    assert.equal(met({ failoverTook: { atMostMs: 4500 } }, s, since), true);
    assert.equal(met({ failoverTook: { atLeastMs: 5000 } }, s, since), false);
    assert.equal(
      check({ failoverTook: { atMostMs: 4500 } }, s, since).detail,
      'clients were switched to redis-2 2.25 s after kill redis-1',
    );
    assert.deepEqual(check({ failoverTook: { atMostMs: 4500 } }, s, since).measured, [
      { predicate: 'failoverTook', ms: 2250, newMaster: 'redis-2' },
    ]);
  });

  it('falls back to the failover timeline, and needs a switch in this step', () => {
    assert.equal(met({ failoverTook: { atMostMs: 100_000 } }, old, since), false, 'the old failover does not count');
    assert.equal(
      check({ failoverTook: { atMostMs: 1 } }, old, since).detail,
      'no master switch since the step started',
    );
    const s = withEvents(
      edit(old, (d) => {
        d.failovers.push(
          timeline('f2', { startedAt: 20_000, phases: { 'switch-master': 26_400 }, cause: 'freeze redis-1' }),
        );
      }),
      event('+switch-master', { at: 26_400, toId: 'redis-3' }),
    );
    assert.equal(
      check({ failoverTook: { atLeastMs: 5000 } }, s, since).detail,
      'clients were switched to redis-3 6.40 s after freeze redis-1',
    );
    assert.equal(met({ failoverTook: { atLeastMs: 5000 } }, s, since), true);
  });
});

describe('converged', () => {
  it('holds for a healthy cluster and ignores stopped nodes', () => {
    assert.equal(met({ converged: true }, healthy()), true);
    assert.equal(met({ converged: true }, afterFailover()), true);
  });

  it('fails while a replica is unlinked, or two nodes claim master', () => {
    const unlinked = edit(healthy(), (d) => {
      d.redis['redis-4'] = replicaObs('redis-4', 'redis-1', false);
    });
    assert.equal(met({ converged: true }, unlinked), false);
    assert.equal(met({ converged: false }, unlinked), true);
    assert.equal(met({ converged: true }, splitBrain()), false);
    assert.match(check({ converged: true }, splitBrain()).detail, /^not settled: /);
  });
});

describe('faultActive / workload / ledger', () => {
  it('faultActive', () => {
    const s = edit(healthy(), (d) => {
      d.faults = [
        {
          id: 'f1',
          spec: { kind: 'isolate', host: 'host-3', mode: 'drop' },
          rules: [],
          appliedAt: 0,
          description: 'isolate host-3 (drop)',
        },
      ];
    });
    assert.equal(met({ faultActive: true }, s), true);
    assert.equal(met({ faultActive: false }, s), false);
    assert.equal(met({ faultActive: false }, healthy()), true);
  });

  it('workload counts are deltas since the step started', () => {
    const before = edit(healthy(), (d) => {
      d.workload = { running: true, client: 'B', counts: { invoked: 10, ok: 10, failed: 0, unknown: 0, errors: {} } };
    });
    const since = markOf(before);
    const after = edit(before, (d) => {
      d.workload.counts = { invoked: 40, ok: 25, failed: 15, unknown: 0, errors: { NOREPLICAS: 15 } };
    });
    assert.equal(met({ workload: { acknowledgedAtLeast: 15 } }, after, since), true);
    assert.equal(met({ workload: { acknowledgedAtLeast: 16 } }, after, since), false);
    assert.equal(met({ workload: { errorPrefix: 'NOREPLICAS' } }, after, since), true);
    assert.equal(met({ workload: { errorPrefix: 'READONLY' } }, after, since), false);
    assert.equal(met({ workload: { running: false } }, after, since), false);
    assert.equal(met({ workload: { errorsAtLeast: 15 } }, after, since), true);
  });

  it('checks which client runs the workload', () => {
    const s = edit(healthy(), (d) => {
      d.workload = { running: true, client: 'A', counts: { invoked: 10, ok: 10, failed: 0, unknown: 0, errors: {} } };
    });
    const since = markOf(healthy());
    assert.equal(met({ workload: { running: true, client: 'A' } }, s, since), true);
    assert.equal(met({ workload: { running: true, client: 'B' } }, s, since), false);
    assert.match(check({ workload: { running: true, client: 'B' } }, s, since).detail, /client A/);
    assert.equal(met({ workload: { client: 'B' } }, healthy(), since), false);
    assert.equal(
      describeGoal({ workload: { running: true, client: 'B', acknowledgedAtLeast: 8 } }),
      "client B's workload runs, 8+ writes acknowledged",
    );
  });

  it('a restarted workload counts from zero', () => {
    const before = edit(healthy(), (d) => {
      d.workload = { running: false, counts: { invoked: 50, ok: 50, failed: 0, unknown: 0, errors: {} } };
    });
    const since = markOf(before);
    const after = edit(before, (d) => {
      d.workload = { running: true, client: 'B', counts: { invoked: 9, ok: 9, failed: 0, unknown: 0, errors: {} } };
    });
    assert.equal(met({ workload: { running: true, acknowledgedAtLeast: 8 } }, after, since), true);
  });

  const verdict = (v: Partial<LedgerVerdict>): LedgerVerdict => ({
    at: 5000,
    finalMaster: 'redis-1',
    finalCount: 1,
    acknowledged: 100,
    survived: 0,
    lost: 100,
    failedAbsent: 0,
    failedPresent: 0,
    unknownPresent: 0,
    unknownAbsent: 0,
    unexpected: 0,
    lossRate: 1,
    failed: 0,
    unknown: 0,
    lostFraction: 1,
    lossWindowMs: 25_000,
    firstLostAt: 1000,
    lastLostAt: 26_000,
    lostByNode: { 'redis-3': 100 },
    lossWindows: [{ node: 'redis-3', firstAt: 1000, lastAt: 26_000, count: 100 }],
    lostSample: [],
    valid: true,
    ...v,
  });

  it('ledger needs a verdict newer than the step', () => {
    const stale = edit(healthy(), (d) => {
      d.workload.verdict = verdict({});
    });
    const since = markOf(stale);
    assert.equal(met({ ledger: { lostAtLeast: 1 } }, stale, since), false);
    const fresh = edit(stale, (d) => {
      d.workload.verdict = verdict({ at: 9000 });
    });
    assert.equal(met({ ledger: { lostAtLeast: 1 } }, fresh, since), true);
    assert.equal(met({ ledger: { lostAtMost: 50 } }, fresh, since), false);
    assert.equal(met({ ledger: { lossWindowAtMostMs: 12_000 } }, fresh, since), false);
    const measured = check({ ledger: { lostAtLeast: 1 } }, fresh, since).measured;
    assert.equal(measured.length, 1);
    const m = measured[0];
    assert.ok(m?.predicate === 'ledger' && m.verdict);
    assert.equal(m.verdict.acknowledged, 100);
    assert.equal(m.verdict.lost, 100);
    assert.equal(m.verdict.lostFraction, 1);
    assert.equal(m.verdict.lossWindowMs, 25_000);
    assert.deepEqual(m.verdict.lostByNode, { 'redis-3': 100 });
    assert.equal(
      check({ ledger: { lostAtLeast: 1 } }, fresh, since).detail,
      '100 acknowledged, 100 lost (100.0%), lost within 25.0 s; final master redis-1',
    );
    const bounded = edit(stale, (d) => {
      d.workload.verdict = verdict({
        at: 9000,
        lost: 20,
        lossWindows: [{ node: 'redis-3', firstAt: 1000, lastAt: 6000, count: 20 }],
      });
    });
    assert.equal(met({ ledger: { lossWindowAtMostMs: 12_000, lostAtMost: 40 } }, bounded, since), true);
  });
});

describe('all / any / not', () => {
  const s = afterFailover();
  const yes: Goal = { masterIs: 'redis-2' };
  const no: Goal = { masterIs: 'redis-1' };

  it('combine like logic', () => {
    assert.equal(met({ all: [yes, yes] }, s), true);
    assert.equal(met({ all: [yes, no] }, s), false);
    assert.equal(met({ any: [no, yes] }, s), true);
    assert.equal(met({ any: [no, no] }, s), false);
    assert.equal(met({ not: no }, s), true);
    assert.equal(met({ not: { all: [yes, no] } }, s), true);
  });

  it('report what is still missing', () => {
    const r = check({ all: [yes, { roleOf: { node: 'redis-1', role: 'replica' } }] }, s);
    assert.equal(r.detail, 'redis-1 does not answer (connect ECONNREFUSED)');
  });
});

describe('trackHold', () => {
  it('is met only after holding continuously for holdMs', () => {
    let h = trackHold(undefined, true, 1000, 3000);
    assert.deepEqual(h, { heldSince: 1000, satisfied: false });
    assert.equal(holdingDetail('x', h, 2500, 3000), 'x (holding 1.5/3.0 s)');
    h = trackHold(h.heldSince, true, 4000, 3000);
    assert.equal(h.satisfied, true);
    assert.deepEqual(trackHold(h.heldSince, false, 4100, 3000), { satisfied: false });
    assert.deepEqual(trackHold(undefined, true, 5, 0), { heldSince: 5, satisfied: true });
  });
});

describe('markStep', () => {
  it('records the newest seqs and the completed failovers', () => {
    const s = withEvents(
      edit(healthy(), (d) => {
        d.failovers = [timeline('a', { done: true }), timeline('b', { phases: { 'switch-master': 5 } })];
      }),
      event('+sdown', { seq: 7 }),
    );
    const m = markStep(s, 42);
    assert.equal(m.at, 42);
    assert.equal(m.eventSeq, 7);
    assert.equal(m.clientSeq, -1);
    assert.deepEqual(m.completedFailovers, ['a']);
    assert.deepEqual(m.switchedFailovers, ['b']);
  });
});

describe('describeGoal', () => {
  it('reads like a sentence', () => {
    assert.equal(
      describeGoal({
        all: [{ roleOf: { node: 'redis-1', role: 'replica' } }, { linkUp: { node: 'redis-1', up: false } }],
        holdMs: 3000,
      }),
      "redis-1 is a replica; redis-1's replication link is down, for 3 s",
    );
    assert.equal(
      describeGoal({ clientResult: { client: 'A', command: 'write', errorPrefix: 'NOREPLICAS' } }),
      'a write by client A fails with NOREPLICAS',
    );
  });
});

describe('sentinelsAgree on a stale master', () => {
  it('is not agreement while the promoted replica is master but the Sentinels still name the old one', () => {
    const s = edit(healthy(), (d) => {
      d.processes['redis-1']!.state = 'exited';
      d.redis['redis-1'] = down('redis-1');
      d.redis['redis-2'] = masterObs('redis-2', []);
    });
    const r = evaluateGoal({ sentinelsAgree: true }, { state: s, now: 0, since: markOf(s) });
    assert.equal(r.met, false);
    assert.equal(r.detail, 'every answering Sentinel names redis-1, but redis-2 is the master now');
  });
});

describe('replicaPriority / configEpoch / WAIT', () => {
  /** Every Sentinel lists the four replicas, redis-3 with `priority3`, the others with 100. */
  const withPriorities = (priority3: (id: string) => string | undefined) =>
    edit(healthy(), (d) => {
      for (const [id, o] of Object.entries(d.sentinels)) {
        o.replicas = ['redis-2', 'redis-3', 'redis-4', 'redis-5'].flatMap((r) => {
          const p = r === 'redis-3' ? priority3(id) : '100';
          if (p === undefined) return [];
          return [
            { name: r, ip: '127.0.2.9', port: 6380, flags: ['slave'], nodeId: r, fields: { 'slave-priority': p } },
          ];
        });
      }
    });

  it('replicaPriority waits until every answering Sentinel has read the new value', () => {
    const goal: Goal = { replicaPriority: { node: 'redis-3', priority: 10 } };
    const before = withPriorities((id) => (id === 'sentinel-2' ? '100' : '10'));
    assert.deepEqual(check(goal, before), {
      met: false,
      detail: 'replica-priority of redis-3: sentinel-2 still sees 100 (Sentinels read it from INFO every 10 s)',
      measured: [
        {
          predicate: 'replicaPriority',
          node: 'redis-3',
          priorities: { 'sentinel-1': 10, 'sentinel-2': 100, 'sentinel-3': 10 },
        },
      ],
    });
    assert.equal(
      check({ replicaPriority: { node: 'redis-3', priority: 10, sentinel: 'sentinel-1' } }, before).met,
      true,
    );
    const after = withPriorities(() => '10');
    assert.deepEqual(check(goal, after), {
      met: true,
      detail: 'every answering Sentinel lists redis-3 with replica-priority 10',
      measured: [
        {
          predicate: 'replicaPriority',
          node: 'redis-3',
          priorities: { 'sentinel-1': 10, 'sentinel-2': 10, 'sentinel-3': 10 },
        },
      ],
    });
    const unlisted = withPriorities((id) => (id === 'sentinel-3' ? undefined : '10'));
    assert.match(check(goal, unlisted).detail, /sentinel-3 does not list redis-3/);
    const oneDown = edit(after, (d) => {
      d.sentinels['sentinel-2'] = down('sentinel-2');
    });
    assert.equal(check(goal, oneDown).met, true, 'a Sentinel that does not answer is not asked');
    assert.equal(describeGoal(goal), 'every Sentinel lists redis-3 with replica-priority 10');
  });

  it('configEpoch reads the epoch of the configuration a Sentinel holds', () => {
    const s = edit(healthy(), (d) => {
      for (const [id, o] of Object.entries(d.sentinels)) {
        o.master = {
          name: 'mymaster',
          ip: '127.0.2.1',
          port: 6379,
          flags: ['master'],
          fields: {},
          configEpoch: id === 'sentinel-1' ? 0 : 1,
          quorum: 2,
          numReplicas: 4,
          numOtherSentinels: 2,
          downAfterMs: 1000,
          failoverTimeoutMs: 10000,
          parallelSyncs: 1,
        };
      }
    });
    assert.deepEqual(check({ configEpoch: { sentinel: 'sentinel-1', atMost: 0 } }, s), {
      met: true,
      detail: 'sentinel-1 holds config-epoch 0 (naming redis-1)',
      measured: [{ predicate: 'configEpoch', sentinel: 'sentinel-1', epoch: 0 }],
    });
    assert.equal(check({ configEpoch: { sentinel: 'sentinel-2', atLeast: 1 } }, s).met, true);
    assert.equal(check({ configEpoch: { sentinel: 'sentinel-1', atLeast: 1 } }, s).met, false);
    assert.equal(
      check(
        { configEpoch: { sentinel: 'sentinel-1', atLeast: 1 } },
        edit(healthy(), (d) => {
          delete d.sentinels['sentinel-1']?.master;
        }),
      ).detail,
      'sentinel-1 has not described its master yet',
    );
    assert.equal(
      describeGoal({ configEpoch: { sentinel: 'sentinel-1', atLeast: 1 } }),
      'sentinel-1 holds config-epoch at least 1',
    );
  });

  it("clientResult matches WAIT's answer, and the key and value of the SET before it", () => {
    const s = edit(healthy(), (d) => {
      d.clientResults = [
        {
          seq: 1,
          at: 0,
          client: 'B',
          command: 'SET order 2; WAIT 1 1000',
          op: 'write',
          node: 'redis-1',
          ok: true,
          text: 'OK; WAIT 1 1000 → (integer) 0',
          waitReplicas: 0,
        },
      ];
    });
    const goal: Goal = {
      clientResult: { client: 'B', command: 'write', key: 'order', value: '2', ok: true, waitReplicas: 0 },
    };
    assert.deepEqual(check(goal, s), {
      met: true,
      detail: 'client B: SET order 2; WAIT 1 1000 -> OK; WAIT 1 1000 → (integer) 0 on redis-1',
      measured: [
        {
          predicate: 'clientResult',
          client: 'B',
          matching: 1,
          ok: true,
          text: 'OK; WAIT 1 1000 → (integer) 0',
          node: 'redis-1',
          waitReplicas: 0,
        },
      ],
    });
    assert.equal(check({ clientResult: { ...goal.clientResult!, waitReplicas: 1 } }, s).met, false);
    assert.equal(describeGoal(goal), 'SET order 2 by client B succeeds, and WAIT answers 0');
  });
});
