// The compact recorder gives exactly checkLedger's verdict on the same history: generated histories with every
// outcome, pending invokes, duplicate invokes and completions, completions without an invoke, reused opIds, ops
// linked by seq, foreign and non-canonical values, notes (faults, heals, final reads), sparse and huge element
// numbers, odd times and many nodes; plus what it costs per element.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkLedger } from '../../src/ledger/check.js';
import { LedgerRecorder } from '../../src/ledger/recorder.js';
import type { HistoryOp } from '../../src/ledger/types.js';
import { add, op } from './history-fixtures.js';

const TAG = 'wabc1';

function recorded(history: readonly HistoryOp[], runTag: string | undefined = TAG): LedgerRecorder {
  const r = new LedgerRecorder(runTag === undefined ? {} : { runTag });
  for (const o of history) r.add(o);
  return r;
}

/** Element values: mostly the run's own, some from elsewhere or not canonical (all must give the same verdict). */
const valueArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 40 }).map((n) => `${TAG}-${n}`) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 5 }).map((n) => `${TAG}-0${n}`) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 5 }).map((n) => `other-${n}`) },
  { weight: 1, arbitrary: fc.constantFrom(`${TAG}-4294967295`, `${TAG}-4294967296`, `${TAG}-9000000`, `${TAG}-`) },
);

const opArb: fc.Arbitrary<HistoryOp> = fc.record(
  {
    seq: fc.integer({ min: 1, max: 60 }),
    at: fc.oneof(
      { weight: 9, arbitrary: fc.integer({ min: 1_700_000_000_000, max: 1_700_000_000_400 }) },
      { weight: 1, arbitrary: fc.constantFrom(0, 1.5, 1_699_999_999_000, 1_700_000_000_000 + 2 ** 33) },
    ),
    process: fc.constantFrom('workload', 'client-A', 'nemesis'),
    type: fc.constantFrom('invoke', 'ok', 'fail', 'info'),
    f: fc.oneof(
      { weight: 8, arbitrary: fc.constant('add' as const) },
      { weight: 1, arbitrary: fc.constantFrom('write' as const, 'read' as const, 'final-read' as const) },
      { weight: 1, arbitrary: fc.constantFrom('fault' as const, 'heal' as const) },
    ),
    value: valueArb,
    node: fc.constantFrom('redis-1', 'redis-2', 'redis-3'),
    error: fc.constantFrom('NOREPLICAS Not enough good replicas to write.', 'TIMEOUT no reply'),
    opId: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constant(-0), fc.constant(2.5), fc.constant(2 ** 60)),
  },
  { requiredKeys: ['seq', 'at', 'process', 'type', 'f'] },
);

/** Well-formed workload runs (invoke then one completion, maybe missing) interleaved, with odd ops mixed in. */
const runArb: fc.Arbitrary<HistoryOp[]> = fc
  .tuple(
    fc.array(
      fc.record({
        n: fc.integer({ min: 1, max: 12_000 }),
        outcome: fc.constantFrom('ok', 'ok', 'ok', 'fail', 'info', 'pending'),
        node: fc.constantFrom('redis-1', 'redis-2'),
        at: fc.integer({ min: 0, max: 300 }),
      }),
      { maxLength: 60 },
    ),
    fc.array(opArb, { maxLength: 15 }),
    fc.array(fc.nat(), { maxLength: 75 }),
  )
  .map(([adds, odd, shuffle]) => {
    const ops: HistoryOp[] = [];
    let opId = 1000;
    for (const a of adds) {
      opId++;
      const base = { process: 'workload', f: 'add' as const, value: `${TAG}-${a.n}`, opId, node: a.node };
      ops.push({ ...base, seq: 0, at: 1_700_000_000_000 + a.at, type: 'invoke' });
      if (a.outcome !== 'pending')
        ops.push({ ...base, seq: 0, at: 1_700_000_000_001 + a.at, type: a.outcome as 'ok' | 'fail' | 'info' });
    }
    for (const o of odd) ops.splice((shuffle.pop() ?? 0) % (ops.length + 1), 0, o);
    // Move a few ops later, so completions can precede their invokes.
    for (const k of shuffle) {
      const i = k % Math.max(1, ops.length);
      const [moved] = ops.splice(i, 1);
      if (moved) ops.splice((k * 7) % (ops.length + 1), 0, moved);
    }
    return ops.map((o, i) => ({ ...o, seq: o.seq || i + 1 }));
  });

const membersArb = fc.array(valueArb, { maxLength: 40 });

describe('LedgerRecorder', () => {
  it('gives checkLedger’s verdict on arbitrary histories', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), membersArb, fc.nat({ max: 5 }), (history, members, sample) => {
        const final = { node: 'redis-2', members, at: 1_700_000_001_000 };
        const options = { sampleSize: sample, windowGapMs: 50, foreignMembers: 3 };
        assert.deepEqual(recorded(history).verdict(final, options), checkLedger(history, final, options));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives checkLedger’s verdict on workload-shaped runs with faults, reordering and losses', () => {
    fc.assert(
      fc.property(runArb, fc.array(fc.integer({ min: 0, max: 12_000 }), { maxLength: 80 }), (history, kept) => {
        const members = [...kept.map((n) => `${TAG}-${n}`), 'stranger'];
        const final = { node: 'redis-1', members, at: 1_700_000_002_000 };
        assert.deepEqual(recorded(history).verdict(final), checkLedger(history, final));
      }),
      { numRuns: 1500 },
    );
  });

  it('gives the same verdict without a run tag (everything in the fallback map)', () => {
    fc.assert(
      fc.property(runArb, membersArb, (history, members) => {
        const final = { node: 'redis-1', members, at: 1_700_000_002_000 };
        assert.deepEqual(recorded(history, undefined).verdict(final), checkLedger(history, final));
      }),
      { numRuns: 500 },
    );
  });

  it('hand-made cases: pending, duplicates, a completion before its invoke, a reused opId', () => {
    const history = [
      ...add(1, `${TAG}-1`, 'ok', 10, 'redis-3'),
      ...add(2, `${TAG}-2`, 'ok', 10, 'redis-1'),
      op({ type: 'invoke', opId: 3, value: `${TAG}-3`, at: 20 }), // pending
      op({ type: 'ok', opId: 4, value: `${TAG}-4`, at: 21 }), // completion without invoke
      op({ type: 'invoke', opId: 4, value: `${TAG}-4`, at: 22 }), // …then its invoke: open again
      ...add(5, `${TAG}-5`, 'fail', 30),
      op({ type: 'ok', opId: 5, value: `${TAG}-5`, at: 32 }), // duplicate completion: ignored
      ...add(6, `${TAG}-1`, 'fail', 40), // a second attempt at element 1
      op({ type: 'info', process: 'nemesis', f: 'fault', value: 'partition host-1 | rest', at: 15 }),
      op({ type: 'ok', f: 'final-read', value: '3 members', at: 50 }),
    ];
    const final = { node: 'redis-2', members: [`${TAG}-2`, `${TAG}-4`, `${TAG}-4`, 'stranger'], at: 60 };
    const v = recorded(history).verdict(final);
    assert.deepEqual(v, checkLedger(history, final));
    assert.equal(v.lost, 1);
    assert.deepEqual(v.lostSample, [`${TAG}-1`]);
    assert.deepEqual(v.anomalies, {
      completionsWithoutInvoke: 1,
      duplicateCompletions: 1,
      duplicateElements: 1,
      pendingInvokes: 2,
      foreignMembers: 0,
    });
    assert.equal(v.finalCount, 3);
    assert.equal(v.unexpected, 1);
  });

  it('a verdict leaves the recorder as it was: more ops, then another verdict', () => {
    const r = new LedgerRecorder({ runTag: TAG });
    const first = [...add(1, `${TAG}-1`, 'ok', 1), op({ type: 'invoke', opId: 2, value: `${TAG}-2`, at: 2 })];
    for (const o of first) r.add(o);
    const final = { node: 'redis-1', members: [`${TAG}-1`], at: 10 };
    assert.deepEqual(r.verdict(final), checkLedger(first, final));
    assert.deepEqual(r.verdict(final), checkLedger(first, final));
    const more = [op({ type: 'ok', opId: 2, value: `${TAG}-2`, at: 3 })];
    for (const o of more) r.add(o);
    assert.deepEqual(r.verdict(final), checkLedger([...first, ...more], final));
  });

  it('costs about 11 bytes per element of the run, however many', () => {
    const r = new LedgerRecorder({ runTag: TAG });
    const n = 100_000;
    for (let i = 1; i <= n; i++) {
      r.add({
        seq: 2 * i,
        at: 1_700_000_000_000 + i,
        process: 'workload',
        type: 'invoke',
        f: 'add',
        value: `${TAG}-${i}`,
        opId: i,
      });
      r.add({
        seq: 2 * i + 1,
        at: 1_700_000_000_001 + i,
        process: 'workload',
        type: 'ok',
        f: 'add',
        value: `${TAG}-${i}`,
        opId: i,
        node: 'redis-1',
      });
    }
    assert.equal(r.elements, n);
    const perElement = r.tableBytes / n;
    assert.ok(perElement >= 11 && perElement < 11.5, `${perElement} bytes per element`);
    const members = Array.from({ length: n - 1 }, (_, i) => `${TAG}-${i + 2}`);
    const v = r.verdict({ node: 'redis-1', members, at: 1_800_000_000_000 });
    assert.equal(v.acknowledged, n);
    assert.equal(v.lost, 1);
    assert.deepEqual(v.lossWindows, [
      { node: 'redis-1', firstAt: 1_700_000_000_002, lastAt: 1_700_000_000_002, count: 1 },
    ]);
  });
});
