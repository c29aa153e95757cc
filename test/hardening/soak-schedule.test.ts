// The soak's pure parts: the seeded fault schedule, turning a fault into actions, and the per-round checks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTopology, DEFAULT_SHAPE } from '../../src/cluster/topology.js';
import { ledgerProblems, switchMasterGroups } from '../../src/soak/checks.js';
import {
  FAULT_KINDS,
  faultSchedule,
  generateSchedule,
  type PlannedFault,
  planRound,
  prng,
  resolveTarget,
} from '../../src/soak/schedule.js';

const OPTS = { replicas: 4, sentinels: 3 };
const t = buildTopology(DEFAULT_SHAPE, 6379, 'hosts');

describe('prng and faultSchedule', () => {
  it('prng is deterministic and in [0, 1)', () => {
    const a = prng(42);
    const b = prng(42);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      assert.equal(x, b());
      assert.ok(x >= 0 && x < 1);
    }
    assert.notEqual(prng(1)(), prng(2)());
  });

  it('the same seed gives the same schedule; another seed a different one', () => {
    assert.deepEqual(generateSchedule(7, 50, OPTS), generateSchedule(7, 50, OPTS));
    assert.notDeepEqual(generateSchedule(7, 50, OPTS), generateSchedule(8, 50, OPTS));
    // Streaming and batch agree.
    const s = faultSchedule(7, OPTS);
    assert.deepEqual(
      Array.from({ length: 50 }, () => s.next()),
      generateSchedule(7, 50, OPTS),
    );
  });

  it('covers every fault kind, numbers rounds from 1, keeps holds and parameters in range', () => {
    const faults = generateSchedule(123, 400, OPTS);
    assert.deepEqual(new Set(faults.map((f) => f.kind)), new Set(FAULT_KINDS));
    faults.forEach((f, i) => {
      assert.equal(f.round, i + 1);
      assert.ok(f.holdMs >= 2000 && f.holdMs <= 6000, `hold ${f.holdMs}`);
      if (f.kind === 'sentinel-freeze') {
        assert.ok(f.holdMs >= 3000, 'a Sentinel freeze lasts past the 2 s TILT trigger');
        assert.equal(f.target.role, 'sentinel');
      }
      if (f.kind === 'failover') assert.equal(f.target.role, 'sentinel');
      if (['kill', 'stop', 'freeze', 'restart', 'isolate', 'partition'].includes(f.kind)) {
        assert.notEqual(f.target.role, 'sentinel');
      }
      if (f.target.role === 'replica') assert.ok(f.target.index >= 0 && f.target.index < 4);
      if (f.target.role === 'sentinel') assert.ok(f.target.index >= 0 && f.target.index < 3);
      if (f.kind === 'latency') {
        assert.ok((f.latencyMs ?? 0) >= 100 && (f.latencyMs ?? 0) <= 1500);
        assert.ok((f.jitterMs ?? 0) >= 0 && (f.jitterMs ?? 0) <= 200);
      }
      if (f.kind === 'partition') assert.ok(f.companions === 0 || f.companions === 1);
    });
    // The master is targeted often enough to cause failovers, replicas too.
    const roles = faults.filter((f) => f.kind === 'kill').map((f) => f.target.role);
    assert.ok(roles.includes('master') && roles.includes('replica'));
  });

  it('weights: 0 leaves a kind out; hold range is configurable', () => {
    const faults = generateSchedule(5, 200, {
      ...OPTS,
      weights: { 'sentinel-freeze': 0, latency: 0 },
      minHoldMs: 1000,
      maxHoldMs: 1500,
    });
    assert.ok(faults.every((f) => f.kind !== 'sentinel-freeze' && f.kind !== 'latency'));
    assert.ok(faults.every((f) => f.holdMs >= 1000 && f.holdMs <= 1500));
  });
});

describe('resolveTarget and planRound', () => {
  it('targets by role, relative to the current master', () => {
    assert.equal(resolveTarget(t, 'redis-3', { role: 'master' }), 'redis-3');
    assert.deepEqual(
      [0, 1, 2, 3].map((index) => resolveTarget(t, 'redis-3', { role: 'replica', index })),
      ['redis-1', 'redis-2', 'redis-4', 'redis-5'],
    );
    assert.equal(resolveTarget(t, 'redis-3', { role: 'sentinel', index: 2 }), 'sentinel-3');
  });

  const f = (over: Partial<PlannedFault>): PlannedFault => ({
    round: 1,
    kind: 'kill',
    holdMs: 3000,
    target: { role: 'master' },
    pick: 0,
    ...over,
  });

  it('node faults: apply and undo', () => {
    assert.deepEqual(planRound(t, 'redis-2', f({ kind: 'kill' })), {
      description: 'kill redis-2 (master) for 3000 ms',
      apply: [{ kind: 'kill', node: 'redis-2' }],
      undo: [{ kind: 'restart', node: 'redis-2' }],
      nodes: ['redis-2'],
    });
    const stop = planRound(t, 'redis-1', f({ kind: 'stop', target: { role: 'replica', index: 1 } }));
    assert.deepEqual(
      [stop.apply, stop.undo],
      [[{ kind: 'stop', node: 'redis-3' }], [{ kind: 'restart', node: 'redis-3' }]],
    );
    const freeze = planRound(t, 'redis-1', f({ kind: 'sentinel-freeze', target: { role: 'sentinel', index: 0 } }));
    assert.deepEqual(
      [freeze.apply, freeze.undo],
      [[{ kind: 'freeze', node: 'sentinel-1' }], [{ kind: 'thaw', node: 'sentinel-1' }]],
    );
    const restart = planRound(t, 'redis-1', f({ kind: 'restart' }));
    assert.deepEqual([restart.apply, restart.undo], [[{ kind: 'restart', node: 'redis-1' }], []]);
    const failover = planRound(t, 'redis-1', f({ kind: 'failover', target: { role: 'sentinel', index: 1 } }));
    assert.deepEqual([failover.apply, failover.undo], [[{ kind: 'failover', sentinel: 'sentinel-2' }], []]);
  });

  it('network faults use the target’s host and are undone by heal-all', () => {
    const iso = planRound(t, 'redis-4', f({ kind: 'isolate', mode: 'reject' }));
    assert.deepEqual(iso.apply, [{ kind: 'isolate', host: 'host-4', mode: 'reject' }]);
    assert.deepEqual(iso.undo, [{ kind: 'heal-all' }]);
    for (let pick = 0; pick < 20; pick++) {
      for (const companions of [0, 1]) {
        const p = planRound(t, 'redis-1', f({ kind: 'partition', companions, pick }));
        const a = p.apply[0];
        assert.ok(a?.kind === 'partition');
        const [side, rest] = a.groups;
        assert.ok(side && rest && side.length === 1 + companions && rest.length >= 1);
        assert.equal(side[0], 'host-1');
        assert.deepEqual([...side, ...rest].sort(), t.hosts.map((h) => h.id).sort(), 'disjoint, covering every host');
      }
    }
    for (let pick = 0; pick < 10; pick++) {
      // redis-1 and sentinel-1 share host-1: the peer moves to another host, never a self-cut.
      const cut = planRound(t, 'redis-1', f({ kind: 'cut', peer: { role: 'sentinel', index: 0 }, pick }));
      const a = cut.apply[0];
      assert.ok(a?.kind === 'cut' && a.from === 'host-1' && a.to !== 'host-1');
      const lat = planRound(
        t,
        'redis-1',
        f({ kind: 'latency', peer: { role: 'replica', index: 1 }, latencyMs: 700, jitterMs: 50, bothWays: true, pick }),
      );
      assert.deepEqual(lat.apply, [
        { kind: 'latency', from: 'host-1', to: 'host-3', latencyMs: 700, jitterMs: 50, bothWays: true },
      ]);
    }
  });

  it('every fault of a long schedule plans without throwing, on every possible master', () => {
    for (const master of ['redis-1', 'redis-2', 'redis-3', 'redis-4', 'redis-5']) {
      for (const fault of generateSchedule(99, 300, OPTS)) {
        const p = planRound(t, master, fault);
        assert.ok(p.apply.length >= 1 && p.description.length > 0);
      }
    }
  });
});

describe('soak checks', () => {
  const counts = (invoked: number, ok: number, failed = 0, unknown = 0) => ({
    invoked,
    ok,
    failed,
    unknown,
    errors: {},
  });

  it('ledger counts: consistent and monotonic', () => {
    assert.deepEqual(ledgerProblems(undefined, counts(10, 8, 1, 1)), []);
    assert.deepEqual(ledgerProblems(counts(10, 8, 1, 1), counts(20, 15, 2, 1)), []);
    assert.deepEqual(ledgerProblems(undefined, counts(10, 8, 2, 1)), ['ok+failed+unknown = 11 exceeds invoked = 10']);
    assert.deepEqual(ledgerProblems(counts(10, 8), counts(12, 7)), ['ok went down from 8 to 7']);
    assert.deepEqual(ledgerProblems(undefined, counts(10, 1.5)), ['ok = 1.5 is not a count']);
  });

  it('switch-master groups: one failover reported by three Sentinels is one group', () => {
    const e = (at: number, payload: string) => ({ at, payload });
    const groups = switchMasterGroups([
      e(1000, 'mymaster 127.0.2.1 6379 127.0.2.3 6381'),
      e(1100, 'mymaster 127.0.2.1 6379 127.0.2.3 6381'),
      e(1300, 'mymaster 127.0.2.1 6379 127.0.2.3 6381'),
      e(30_000, 'mymaster 127.0.2.3 6381 127.0.2.1 6379'),
      e(90_000, 'mymaster 127.0.2.1 6379 127.0.2.3 6381'),
    ]);
    assert.deepEqual(
      groups.map((g) => [g.from, g.to, g.reports]),
      [
        ['127.0.2.1:6379', '127.0.2.3:6381', 3],
        ['127.0.2.3:6381', '127.0.2.1:6379', 1],
        ['127.0.2.1:6379', '127.0.2.3:6381', 1],
      ],
    );
  });
});
