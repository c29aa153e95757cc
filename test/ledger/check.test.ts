// The set checker over hand-made histories: every verdict class, odd histories, loss-window attribution.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkLedger, lossWindows, verdictFacts } from '../../src/ledger/check.js';
import { add, op } from './history-fixtures.js';

const final = (members: string[], node = 'redis-1') => ({ node, members, at: 100_000 });

describe('checkLedger', () => {
  it('classifies every verdict class', () => {
    const history = [
      ...add(1, 'e-1', 'ok', 1000), // acknowledged, present
      ...add(2, 'e-2', 'ok', 1100, 'redis-3'), // acknowledged, LOST
      ...add(3, 'e-3', 'fail', 1200), // failed, absent
      ...add(4, 'e-4', 'fail', 1300), // failed, present
      ...add(5, 'e-5', 'info', 1400), // unknown, present
      ...add(6, 'e-6', 'info', 1500), // unknown, absent
      op({ type: 'info', f: 'fault', process: 'nemesis', value: 'partition', at: 1050 }),
      op({ type: 'ok', f: 'write', process: 'client-A', value: 'k=v', at: 1060, opId: 99 }),
    ];
    const v = checkLedger(history, final(['e-1', 'e-4', 'e-5', 'stranger']));
    assert.deepEqual(
      {
        acknowledged: v.acknowledged,
        survived: v.survived,
        lost: v.lost,
        failedAbsent: v.failedAbsent,
        failedPresent: v.failedPresent,
        unknownPresent: v.unknownPresent,
        unknownAbsent: v.unknownAbsent,
        unexpected: v.unexpected,
      },
      {
        acknowledged: 2,
        survived: 1,
        lost: 1,
        failedAbsent: 1,
        failedPresent: 1,
        unknownPresent: 1,
        unknownAbsent: 1,
        unexpected: 1,
      },
    );
    assert.equal(v.lossRate, 0.5);
    assert.equal(v.valid, false);
    assert.equal(v.finalMaster, 'redis-1');
    assert.equal(v.finalCount, 4);
    assert.equal(v.at, 100_000);
    assert.deepEqual(v.lostSample, ['e-2']);
    assert.deepEqual(v.lossWindows, [{ node: 'redis-3', firstAt: 1101, lastAt: 1101, count: 1 }]);
  });

  it('carries the numbers the JSON reports need: failed, unknown, fraction, window, first/last loss, per node', () => {
    const history = [
      ...add(1, 'a', 'ok', 1000, 'redis-1'),
      ...add(2, 'b', 'ok', 2000, 'redis-1'), // lost on redis-1
      ...add(3, 'c', 'ok', 5000, 'redis-3'), // lost on redis-3
      ...add(4, 'd', 'ok', 9000, 'redis-1'), // lost on redis-1, 7 s after the first loss
      ...add(5, 'e', 'fail', 3000),
      ...add(6, 'f', 'info', 3500),
      ...add(7, 'g', 'info', 3600),
    ];
    const v = checkLedger(history, final(['a', 'g']));
    assert.equal(v.failed, 1);
    assert.equal(v.unknown, 2);
    assert.equal(v.lost, 3);
    assert.equal(v.lostFraction, 0.75);
    assert.equal(v.firstLostAt, 2001);
    assert.equal(v.lastLostAt, 9001);
    assert.equal(v.lossWindowMs, 7000);
    assert.deepEqual(v.lostByNode, { 'redis-1': 2, 'redis-3': 1 });
    const f = verdictFacts(v);
    assert.equal(f.firstLostAt, new Date(2001).toISOString());
    assert.equal(f.lastLostAt, new Date(9001).toISOString());
    assert.deepEqual(f.lostByNode, { 'redis-1': 2, 'redis-3': 1 });
    assert.equal(f.lossWindows[0]?.firstAt, new Date(2001).toISOString());
  });

  it('reports no loss window and null loss times when nothing was lost', () => {
    const v = checkLedger([...add(1, 'a', 'ok', 1)], final(['a']));
    assert.equal(v.lossWindowMs, 0);
    assert.equal(v.firstLostAt, undefined);
    assert.deepEqual(v.lostByNode, {});
    assert.equal(verdictFacts(v).firstLostAt, null);
  });

  it('is valid with nothing lost and nothing unexpected, even with refusals and unknowns', () => {
    const history = [...add(1, 'a', 'ok', 1), ...add(2, 'b', 'fail', 2), ...add(3, 'c', 'info', 3)];
    const v = checkLedger(history, final(['a']));
    assert.equal(v.valid, true);
    assert.equal(v.lost, 0);
    assert.equal(v.lossRate, 0);
    assert.deepEqual(v.lossWindows, []);
  });

  it('reports a loss rate of 0 when nothing was acknowledged', () => {
    const v = checkLedger([...add(1, 'a', 'fail', 1)], final([]));
    assert.equal(v.acknowledged, 0);
    assert.equal(v.lossRate, 0);
    assert.equal(v.valid, true);
  });

  it('handles duplicated elements: acknowledged if any attempt was', () => {
    const history = [...add(1, 'dup', 'fail', 10), ...add(2, 'dup', 'ok', 20, 'redis-2'), ...add(3, 'dup', 'info', 30)];
    const v = checkLedger(history, final([]));
    assert.equal(v.acknowledged, 1);
    assert.equal(v.lost, 1);
    assert.equal(v.failedAbsent, 0);
    assert.equal(v.anomalies?.duplicateElements, 1);
    assert.deepEqual(v.lossWindows, [{ node: 'redis-2', firstAt: 21, lastAt: 21, count: 1 }]);
  });

  it('reports completions without invoke and duplicate completions instead of crashing', () => {
    const history = [
      op({ type: 'ok', opId: 7, value: 'orphan', at: 5, node: 'redis-2' }),
      op({ type: 'fail', opId: 8, at: 6, error: 'READONLY' }), // no value at all
      ...add(9, 'twice', 'ok', 7),
      op({ type: 'fail', opId: 9, value: 'twice', at: 9, error: 'late' }),
    ];
    const v = checkLedger(history, final(['twice']));
    assert.equal(v.anomalies?.completionsWithoutInvoke, 2);
    assert.equal(v.anomalies?.duplicateCompletions, 1);
    assert.equal(v.acknowledged, 2, 'the orphan ok still counts as an acknowledgement');
    assert.equal(v.survived, 1);
    assert.equal(v.lost, 1);
    assert.deepEqual(v.lossWindows, [{ node: 'redis-2', firstAt: 5, lastAt: 5, count: 1 }]);
  });

  it('treats invokes still in flight as unknown', () => {
    const history = [
      op({ type: 'invoke', opId: 1, value: 'p1', at: 1 }),
      op({ type: 'invoke', opId: 2, value: 'p2', at: 2 }),
      ...add(3, 'p3', 'fail', 3),
      op({ type: 'invoke', opId: 4, value: 'p3', at: 4 }), // retry of a failed element, never completed
    ];
    const v = checkLedger(history, final(['p1', 'p3']));
    assert.equal(v.unknownPresent, 2);
    assert.equal(v.unknownAbsent, 1);
    assert.equal(v.failedPresent, 0);
    assert.equal(v.anomalies?.pendingInvokes, 3);
    assert.equal(v.valid, true);
  });

  it('pairs invoke and completion per process, so two clients may reuse opIds', () => {
    const history = [
      op({ type: 'invoke', opId: 1, value: 'a', process: 'client-A', at: 1 }),
      op({ type: 'invoke', opId: 1, value: 'b', process: 'client-B', at: 1 }),
      op({ type: 'fail', opId: 1, process: 'client-B', at: 2, error: 'NOREPLICAS' }),
      op({ type: 'ok', opId: 1, process: 'client-A', at: 3, node: 'redis-1' }),
    ];
    const v = checkLedger(history, final(['a']));
    assert.equal(v.survived, 1);
    assert.equal(v.failedAbsent, 1);
    assert.equal(v.anomalies?.completionsWithoutInvoke, 0);
  });

  it('attributes lost writes to the acknowledging node and splits windows on gaps', () => {
    const history = [
      ...add(1, 'x1', 'ok', 1000, 'redis-3'),
      ...add(2, 'x2', 'ok', 2500, 'redis-3'),
      ...add(3, 'y1', 'ok', 2600, 'redis-1'), // survives
      ...add(4, 'z1', 'ok', 3000, 'redis-2'),
      ...add(5, 'x3', 'ok', 4000, 'redis-3'),
      ...add(6, 'x4', 'ok', 9000, 'redis-3'), // > 2 s after x3: new window
      ...add(7, 'x5', 'ok', 9500, 'redis-3'),
    ];
    const v = checkLedger(history, final(['y1']));
    assert.equal(v.lost, 6);
    assert.deepEqual(v.lossWindows, [
      { node: 'redis-3', firstAt: 1001, lastAt: 4001, count: 3 },
      { node: 'redis-2', firstAt: 3001, lastAt: 3001, count: 1 },
      { node: 'redis-3', firstAt: 9001, lastAt: 9501, count: 2 },
    ]);
    assert.deepEqual(v.lostSample, ['x1', 'x2', 'z1', 'x3', 'x4', 'x5']);
    const wide = checkLedger(history, final(['y1']), { windowGapMs: 10_000 });
    assert.equal(wide.lossWindows.length, 2);
  });

  it('uses the completion node, falling back to the invoke node, then "unknown"', () => {
    const history = [
      op({ type: 'invoke', opId: 1, value: 'a', node: 'redis-5', at: 1 }),
      op({ type: 'ok', opId: 1, at: 2 }),
      op({ type: 'ok', opId: 2, value: 'b', at: 3 }),
    ];
    const v = checkLedger(history, final([]));
    assert.deepEqual(
      v.lossWindows.map((w) => w.node),
      ['redis-5', 'unknown'],
    );
  });

  it('ignores duplicate members in the final read and passes foreign counts through', () => {
    const v = checkLedger([...add(1, 'a', 'ok', 1)], final(['a', 'a']), { foreignMembers: 3 });
    assert.equal(v.finalCount, 1);
    assert.equal(v.survived, 1);
    assert.equal(v.anomalies?.foreignMembers, 3);
  });
});

describe('lossWindows', () => {
  it('returns windows ordered by start', () => {
    assert.deepEqual(
      lossWindows(
        [
          { at: 0, node: 'b' },
          { at: 0, node: 'a' },
        ],
        1000,
      ),
      [
        { node: 'a', firstAt: 0, lastAt: 0, count: 1 },
        { node: 'b', firstAt: 0, lastAt: 0, count: 1 },
      ],
    );
  });
});
