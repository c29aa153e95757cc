import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Key } from 'ink';
import { selectLags, selectMastership } from '../../src/state/selectors.js';
import { editText } from '../../src/ui/keymap/dispatch.js';
import { knownRole, sentinelDisagrees, writeGuard } from '../../src/ui/lib/cluster-view.js';
import { hostFaultNotes } from '../../src/ui/lib/fault-view.js';
import { exportedText, sinceStart, sparkline } from '../../src/ui/lib/format.js';
import { latencyAction, partitionAction, stepLatency } from '../../src/ui/lib/pickers.js';
import { fitHeadline, timelineHeadline, timelinePhases, wrapTokens } from '../../src/ui/lib/timeline.js';
import { frozenReplicaState, healthyState, masterKilledState, partitionedState, T0 } from '../fixtures/ui-states.js';

const HOSTS = ['host-1', 'host-2', 'host-3', 'host-4', 'host-5'];
const form = (sides: Record<string, 'A' | 'B'>, oneWay = false) =>
  ({ kind: 'partition', cursor: 0, sides, oneWay, mode: 'drop' }) as const;

describe('partition picker', () => {
  it('maps A alone to isolate, A+rest to partition, A|B to partition, one-way to cut', () => {
    assert.deepEqual(partitionAction(form({ 'host-3': 'A' }), HOSTS), {
      action: { kind: 'isolate', host: 'host-3', mode: 'drop' },
    });
    assert.deepEqual(partitionAction(form({ 'host-1': 'A', 'host-2': 'A' }), HOSTS), {
      action: {
        kind: 'partition',
        groups: [
          ['host-1', 'host-2'],
          ['host-3', 'host-4', 'host-5'],
        ],
        mode: 'drop',
      },
    });
    assert.deepEqual(partitionAction(form({ 'host-1': 'A', 'host-4': 'B' }), HOSTS), {
      action: { kind: 'partition', groups: [['host-1'], ['host-4']], mode: 'drop' },
    });
    assert.deepEqual(partitionAction(form({ 'host-2': 'A', 'host-5': 'B' }, true), HOSTS), {
      action: { kind: 'cut', from: 'host-2', to: 'host-5', mode: 'drop' },
    });
  });

  it('explains what is missing', () => {
    assert.ok('error' in partitionAction(form({}), HOSTS));
    assert.ok('error' in partitionAction(form(Object.fromEntries(HOSTS.map((h) => [h, 'A' as const]))), HOSTS));
    assert.ok('error' in partitionAction(form({ 'host-1': 'A', 'host-2': 'A', 'host-3': 'B' }, true), HOSTS));
  });
});

describe('latency picker', () => {
  const base = {
    kind: 'latency',
    field: 0,
    from: 'host-1',
    to: 'host-2',
    latencyMs: 200,
    jitterMs: 0,
    bothWays: true,
  } as const;
  it('steps hosts cyclically and milliseconds by fixed amounts, never below 0', () => {
    assert.deepEqual(stepLatency(base, HOSTS, -1), { from: 'host-5', error: undefined });
    assert.deepEqual(stepLatency({ ...base, field: 2 }, HOSTS, 1), { latencyMs: 250 });
    assert.deepEqual(stepLatency({ ...base, field: 3 }, HOSTS, -1), { jitterMs: 0 });
    assert.deepEqual(stepLatency({ ...base, field: 4 }, HOSTS, 1), { bothWays: false });
  });
  it('refuses a link from a host to itself', () => {
    assert.ok('error' in latencyAction({ ...base, to: 'host-1' }));
  });
});

describe('cluster view fallbacks', () => {
  it('computes lag, good replicas and the write guard', () => {
    const s = frozenReplicaState();
    const lags = selectLags(s);
    const r2 = lags.find((l) => l.replicaId === 'redis-2');
    assert.deepEqual(
      { bytes: r2?.lagBytes, ack: r2?.ackAgeSec, good: r2?.isGood, up: r2?.linkUp },
      { bytes: 5100, ack: 12, good: false, up: true },
    );
    assert.equal(lags.find((l) => l.replicaId === 'redis-3')?.isGood, true);
    assert.deepEqual(writeGuard(s, lags), {
      masterId: 'redis-1',
      toWrite: 2,
      maxLagSec: 10,
      good: 1,
      replicas: 2,
      refusing: true,
    });
  });

  it('finds the reference master, disagreeing Sentinels and roles of silent nodes', () => {
    const p = partitionedState();
    assert.equal(selectMastership(p).reference, 'redis-2');
    assert.equal(sentinelDisagrees(p, 'sentinel-3'), true);
    assert.equal(sentinelDisagrees(p, 'sentinel-1'), false);
    assert.equal(sentinelDisagrees(healthyState(), 'sentinel-3'), false);
    assert.equal(selectMastership(masterKilledState()).reference, 'redis-3');
    assert.equal(knownRole(frozenReplicaState(), 'redis-2'), 'replica', 'a frozen replica is known from its master');
    assert.equal(knownRole(frozenReplicaState(), 'redis-4'), undefined);
  });

  it('describes faults per host', () => {
    const s = partitionedState();
    assert.deepEqual(hostFaultNotes(s.faults, 'host-3'), ['╳ partitioned (drop)']);
    assert.deepEqual(hostFaultNotes(s.faults, 'host-1'), []);
    const part = [
      {
        id: 'p',
        spec: {
          kind: 'partition' as const,
          groups: [['host-1', 'host-2', 'host-3'], ['host-4']],
          mode: 'reject' as const,
        },
        rules: [],
        appliedAt: 0,
        description: '',
      },
    ];
    assert.deepEqual(hostFaultNotes(part, 'host-4'), ['╳ partitioned from host-1,host-2,host-3 (reject)']);
    assert.deepEqual(hostFaultNotes(part, 'host-1'), []);
  });
});

describe('text helpers', () => {
  it('draws sparklines scaled to the largest sample', () => {
    assert.equal(sparkline([0, 0, 0], 5), '▁▁▁');
    assert.equal(sparkline([0, 50, 100], 5), '▁▄█');
    assert.equal(sparkline([1, 2, 3, 4], 2), '▆█');
    assert.equal(sparkline([0, 14, 0], 3, 1000), '▁▁▁');
  });
  it('formats run-relative times', () => {
    assert.equal(sinceStart(T0 + 12_345, T0), '+12.3s');
    assert.equal(sinceStart(T0 + 125_000, T0), '+2m05');
  });
  it('formats failover phases and wraps them', () => {
    const t = masterKilledState().failovers[0];
    assert.ok(t);
    const phases = timelinePhases(t);
    assert.equal(phases[0], 'fault +0.00s');
    assert.equal(phases[1], 'sdown +1.05s');
    const wrapped = wrapTokens(phases, 30);
    for (const l of wrapped) assert.ok(l.length <= 30, l);
  });
  it('says how a failover ended when a later epoch took over, or its leader never ended it', () => {
    const t = masterKilledState().failovers[0];
    assert.ok(t);
    const superseded = {
      ...t,
      newMasterId: 'redis-2',
      done: true,
      outcome: 'superseded' as const,
      aborted: 'superseded by epoch 2: sentinel-2 started another failover of redis-1',
    };
    assert.equal(
      timelineHeadline(superseded),
      'Failover redis-1 → redis-2 ✗ superseded by epoch 2: sentinel-2 started another failover of redis-1',
    );
    assert.equal(fitHeadline(superseded, 20), 'redis-1→redis-2 ✗');
    const switched = {
      ...t,
      newMasterId: 'redis-3',
      done: true,
      outcome: 'switched' as const,
      note: 'the Sentinels switched to redis-3, but no +failover-end came: its leader sentinel-1 went down',
    };
    assert.equal(timelineHeadline(switched), 'Failover redis-1 → redis-3 ✓ done (no +failover-end from the leader)');
    const abandoned = {
      ...t,
      newMasterId: 'redis-2',
      leaderId: 'sentinel-3',
      done: true,
      outcome: 'abandoned' as const,
      aborted:
        'its leader sentinel-3 neither promoted a replica nor aborted within failover-timeout (10.00 s) of selecting redis-2',
    };
    assert.equal(
      timelineHeadline(abandoned),
      'Failover redis-1 → redis-2 ✗ abandoned (its leader sentinel-3 went silent)',
    );
  });
  it('edits prompt text', () => {
    const k = (o: Partial<Key> = {}) => ({ ...({} as Key), ...o }) as Key;
    assert.equal(editText('ab', 'c', k()), 'abc');
    assert.equal(editText('ab', '', k({ backspace: true })), 'a');
    assert.equal(editText('ab', 'u', k({ ctrl: true })), '');
    assert.equal(editText('ab', 'x\x1b', k()), 'abx');
  });
});

describe('the export status line', () => {
  const dir = '/home/learner/projects/2026/redis-course/week-3';
  const paths = {
    markdown: `${dir}/redis-sentinel-lab-run-20261203-061500.md`,
    jsonl: `${dir}/redis-sentinel-lab-run-20261203-061500.jsonl`,
  };
  it('names both files once, whole when it fits', () => {
    assert.equal(exportedText(paths, 200), `wrote ${paths.markdown} and .jsonl`);
  });
  it('whole at 118 columns, where it fits', () => {
    assert.equal(exportedText(paths, 118), `wrote ${paths.markdown} and .jsonl`);
  });
  for (const width of [78, 98]) {
    it(`at ${width} columns cuts the directory's middle, keeping the file name and the directory's end`, () => {
      const text = exportedText(paths, width);
      assert.ok(text.length <= width, `${text.length} > ${width}: ${text}`);
      assert.ok(text.endsWith('/redis-sentinel-lab-run-20261203-061500.md and .jsonl'), text);
      assert.ok(text.startsWith('wrote /home'), text);
      assert.match(text, /…/);
    });
  }
  it('files in different places: both paths, whole', () => {
    const other = { markdown: '/a/report.md', jsonl: '/b/history.jsonl' };
    assert.equal(exportedText(other, 40), 'wrote /a/report.md and /b/history.jsonl');
  });
});
