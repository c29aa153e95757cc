// Unit tests for fault planning: spec validation, rule expansion, descriptions, equality and rule combination.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type ActiveFault,
  describeFault,
  effectiveRules,
  type FaultSpec,
  type LinkRule,
  planFault,
  sameFault,
} from '../../../src/cluster/fabric/plan.js';
import { UserError } from '../../../src/errors.js';

const HOSTS = ['host-1', 'host-2', 'host-3'];

function links(rules: LinkRule[]): string[] {
  return rules.map((r) => `${r.from}>${r.to}:${JSON.stringify(r.effect)}`).sort();
}

function cuts(rules: LinkRule[]): string[] {
  return rules.map((r) => `${r.from}>${r.to}`).sort();
}

function throwsNaming(fn: () => unknown, field: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof UserError, `expected UserError, got ${String(err)}`);
    assert.ok(err.message.startsWith(`${field}:`), `expected "${err.message}" to start with "${field}:"`);
    return true;
  });
}

function fault(id: string, spec: FaultSpec): ActiveFault {
  return { id, spec, rules: planFault(spec, HOSTS), appliedAt: 0, description: describeFault(spec) };
}

describe('planFault', () => {
  test('partition cuts every cross-group pair both ways and leaves same-group and ungrouped hosts alone', () => {
    const rules = planFault({ kind: 'partition', groups: [['host-1', 'host-2'], ['host-3']], mode: 'drop' }, HOSTS);
    assert.deepEqual(cuts(rules), ['host-1>host-3', 'host-2>host-3', 'host-3>host-1', 'host-3>host-2']);
    assert.ok(rules.every((r) => r.effect.kind === 'cut' && r.effect.mode === 'drop'));

    const partial = planFault({ kind: 'partition', groups: [['host-1'], ['host-2']], mode: 'reject' }, HOSTS);
    assert.deepEqual(cuts(partial), ['host-1>host-2', 'host-2>host-1']);
  });

  test('three groups cut all pairs between groups', () => {
    const rules = planFault({ kind: 'partition', groups: [['host-1'], ['host-2'], ['host-3']], mode: 'drop' }, HOSTS);
    assert.equal(rules.length, 6);
  });

  test('partition may name "outside"', () => {
    const rules = planFault({ kind: 'partition', groups: [['outside'], ['host-1']], mode: 'drop' }, HOSTS);
    assert.deepEqual(cuts(rules), ['host-1>outside', 'outside>host-1']);
  });

  test('isolate equals a partition of the host against every other known host, not outside', () => {
    const isolate = planFault({ kind: 'isolate', host: 'host-2', mode: 'reject' }, HOSTS);
    const partition = planFault(
      { kind: 'partition', groups: [['host-2'], ['host-1', 'host-3']], mode: 'reject' },
      HOSTS,
    );
    assert.deepEqual(links(isolate), links(partition));
    assert.ok(!cuts(isolate).some((l) => l.includes('outside')));
  });

  test('cut is one-way', () => {
    const rules = planFault({ kind: 'cut', from: 'host-1', to: 'host-2', mode: 'drop' }, HOSTS);
    assert.deepEqual(links(rules), [`host-1>host-2:${JSON.stringify({ kind: 'cut', mode: 'drop' })}`]);
  });

  test('latency and bandwidth are one-way unless bothWays', () => {
    const one = planFault(
      { kind: 'latency', from: 'host-1', to: 'host-2', latencyMs: 100, jitterMs: 10, bothWays: false },
      HOSTS,
    );
    assert.deepEqual(links(one), [`host-1>host-2:${JSON.stringify({ kind: 'delay', latencyMs: 100, jitterMs: 10 })}`]);
    const both = planFault(
      { kind: 'bandwidth', from: 'host-1', to: 'host-2', bytesPerSec: 1000, bothWays: true },
      HOSTS,
    );
    assert.deepEqual(cuts(both), ['host-1>host-2', 'host-2>host-1']);
    assert.ok(both.every((r) => r.effect.kind === 'throttle' && r.effect.bytesPerSec === 1000));
  });

  test('validation errors are UserErrors naming the field', () => {
    throwsNaming(
      () => planFault({ kind: 'partition', groups: [['host-1', 'host-9'], ['host-2']], mode: 'drop' }, HOSTS),
      'groups[0]',
    );
    throwsNaming(
      () => planFault({ kind: 'partition', groups: [['host-1'], ['host-1', 'host-2']], mode: 'drop' }, HOSTS),
      'groups',
    );
    throwsNaming(() => planFault({ kind: 'partition', groups: [['host-1', 'host-2']], mode: 'drop' }, HOSTS), 'groups');
    throwsNaming(() => planFault({ kind: 'partition', groups: [['host-1'], []], mode: 'drop' }, HOSTS), 'groups[1]');
    throwsNaming(
      () => planFault({ kind: 'partition', groups: [['host-1'], ['host-2']], mode: 'bogus' as 'drop' }, HOSTS),
      'mode',
    );
    throwsNaming(() => planFault({ kind: 'isolate', host: 'host-9', mode: 'drop' }, HOSTS), 'host');
    throwsNaming(() => planFault({ kind: 'isolate', host: 'host-1', mode: 'drop' }, ['host-1']), 'host');
    throwsNaming(() => planFault({ kind: 'cut', from: 'nope', to: 'host-2', mode: 'drop' }, HOSTS), 'from');
    throwsNaming(() => planFault({ kind: 'cut', from: 'host-1', to: 'nope', mode: 'drop' }, HOSTS), 'to');
    throwsNaming(() => planFault({ kind: 'cut', from: 'host-1', to: 'host-1', mode: 'drop' }, HOSTS), 'to');
    const lat = { kind: 'latency', from: 'host-1', to: 'host-2', latencyMs: 10, jitterMs: 0, bothWays: false } as const;
    throwsNaming(() => planFault({ ...lat, latencyMs: -1 }, HOSTS), 'latencyMs');
    throwsNaming(() => planFault({ ...lat, jitterMs: -5 }, HOSTS), 'jitterMs');
    throwsNaming(() => planFault({ ...lat, latencyMs: Number.NaN }, HOSTS), 'latencyMs');
    const bw = { kind: 'bandwidth', from: 'host-1', to: 'host-2', bytesPerSec: 10, bothWays: false } as const;
    throwsNaming(() => planFault({ ...bw, bytesPerSec: 0 }, HOSTS), 'bytesPerSec');
    throwsNaming(() => planFault({ ...bw, bytesPerSec: -100 }, HOSTS), 'bytesPerSec');
  });

  test('unknown-host errors hint at the known hosts', () => {
    assert.throws(
      () => planFault({ kind: 'cut', from: 'host-7', to: 'host-2', mode: 'drop' }, HOSTS),
      (err: unknown) => err instanceof UserError && (err.hint ?? '').includes('host-1, host-2, host-3'),
    );
  });
});

describe('describeFault', () => {
  test('renders every kind readably', () => {
    assert.equal(
      describeFault({ kind: 'partition', groups: [['host-1', 'host-2'], ['host-3']], mode: 'drop' }),
      'partition {host-1, host-2} | {host-3} (drop)',
    );
    assert.equal(describeFault({ kind: 'isolate', host: 'host-1', mode: 'reject' }), 'isolate host-1 (reject)');
    assert.equal(
      describeFault({ kind: 'cut', from: 'host-1', to: 'host-2', mode: 'reject' }),
      'host-1 -/-> host-2 (reject)',
    );
    assert.equal(
      describeFault({ kind: 'latency', from: 'host-1', to: 'host-2', latencyMs: 200, jitterMs: 50, bothWays: true }),
      'latency host-1 <-> host-2 200±50 ms',
    );
    assert.equal(
      describeFault({ kind: 'latency', from: 'host-1', to: 'host-2', latencyMs: 200, jitterMs: 0, bothWays: false }),
      'latency host-1 -> host-2 200 ms',
    );
    assert.equal(
      describeFault({ kind: 'bandwidth', from: 'host-2', to: 'host-3', bytesPerSec: 200_000, bothWays: false }),
      'bandwidth host-2 -> host-3 200 KB/s',
    );
    assert.equal(
      describeFault({ kind: 'bandwidth', from: 'host-2', to: 'host-3', bytesPerSec: 1_500_000, bothWays: true }),
      'bandwidth host-2 <-> host-3 1.5 MB/s',
    );
  });
});

describe('sameFault', () => {
  test('ignores group order and host order within groups', () => {
    assert.ok(
      sameFault(
        { kind: 'partition', groups: [['host-1', 'host-2'], ['host-3']], mode: 'drop' },
        { kind: 'partition', groups: [['host-3'], ['host-2', 'host-1']], mode: 'drop' },
      ),
    );
  });

  test('distinguishes mode, membership, direction and numbers', () => {
    const p: FaultSpec = { kind: 'partition', groups: [['host-1'], ['host-2']], mode: 'drop' };
    assert.ok(!sameFault(p, { ...p, mode: 'reject' }));
    assert.ok(!sameFault(p, { kind: 'partition', groups: [['host-1'], ['host-2', 'host-3']], mode: 'drop' }));
    const cut: FaultSpec = { kind: 'cut', from: 'host-1', to: 'host-2', mode: 'drop' };
    assert.ok(sameFault(cut, { ...cut }));
    assert.ok(!sameFault(cut, { kind: 'cut', from: 'host-2', to: 'host-1', mode: 'drop' }));
    assert.ok(!sameFault(cut, { kind: 'isolate', host: 'host-1', mode: 'drop' }));
  });

  test('two-way latency and bandwidth ignore endpoint order; one-way ones do not', () => {
    const lat = { kind: 'latency', from: 'host-1', to: 'host-2', latencyMs: 50, jitterMs: 5, bothWays: true } as const;
    assert.ok(sameFault(lat, { ...lat, from: 'host-2', to: 'host-1' }));
    assert.ok(!sameFault({ ...lat, bothWays: false }, { ...lat, bothWays: false, from: 'host-2', to: 'host-1' }));
    assert.ok(!sameFault(lat, { ...lat, latencyMs: 51 }));
    const bw = { kind: 'bandwidth', from: 'host-1', to: 'host-3', bytesPerSec: 1000, bothWays: true } as const;
    assert.ok(sameFault(bw, { ...bw, from: 'host-3', to: 'host-1' }));
    assert.ok(!sameFault(bw, { ...bw, bytesPerSec: 999 }));
  });
});

describe('effectiveRules', () => {
  test('no faults means no effect', () => {
    assert.deepEqual(effectiveRules([], 'host-1', 'host-2'), {});
  });

  test('a cut applies only in its direction; reject beats drop regardless of order', () => {
    const drop = fault('f1', { kind: 'partition', groups: [['host-1'], ['host-2']], mode: 'drop' });
    const reject = fault('f2', { kind: 'cut', from: 'host-1', to: 'host-2', mode: 'reject' });
    assert.deepEqual(effectiveRules([drop, reject], 'host-1', 'host-2'), { cut: 'reject' });
    assert.deepEqual(effectiveRules([reject, drop], 'host-1', 'host-2'), { cut: 'reject' });
    assert.deepEqual(effectiveRules([reject, drop], 'host-2', 'host-1'), { cut: 'drop' });
    assert.deepEqual(effectiveRules([reject], 'host-2', 'host-1'), {});
    assert.deepEqual(effectiveRules([drop], 'host-1', 'host-3'), {});
  });

  test('delays add, the lowest bandwidth wins, and they combine with cuts', () => {
    const a = fault('f1', {
      kind: 'latency',
      from: 'host-1',
      to: 'host-2',
      latencyMs: 100,
      jitterMs: 10,
      bothWays: true,
    });
    const b = fault('f2', {
      kind: 'latency',
      from: 'host-1',
      to: 'host-2',
      latencyMs: 50,
      jitterMs: 5,
      bothWays: false,
    });
    const c = fault('f3', { kind: 'bandwidth', from: 'host-1', to: 'host-2', bytesPerSec: 5000, bothWays: false });
    const d = fault('f4', { kind: 'bandwidth', from: 'host-2', to: 'host-1', bytesPerSec: 2000, bothWays: true });
    const e = fault('f5', { kind: 'cut', from: 'host-1', to: 'host-2', mode: 'drop' });
    assert.deepEqual(effectiveRules([a, b, c, d, e], 'host-1', 'host-2'), {
      cut: 'drop',
      delay: { latencyMs: 150, jitterMs: 15 },
      throttleBytesPerSec: 2000,
    });
    assert.deepEqual(effectiveRules([a, b, c, d, e], 'host-2', 'host-1'), {
      delay: { latencyMs: 100, jitterMs: 10 },
      throttleBytesPerSec: 2000,
    });
  });
});
