// Live counts and error classes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countOps, errorClass, zeroCounts } from '../../src/ledger/counts.js';
import { add, op } from './history-fixtures.js';

describe('countOps', () => {
  it('folds invokes and completions and classes errors by their first word', () => {
    const history = [
      ...add(1, 'a', 'ok', 1),
      ...add(2, 'b', 'fail', 2),
      ...add(3, 'c', 'fail', 3),
      ...add(4, 'd', 'info', 4),
      op({ type: 'fail', f: 'write', opId: 5, error: "READONLY You can't write against a read only replica." }),
      op({ type: 'info', f: 'fault', process: 'nemesis', value: 'partition' }),
      op({ type: 'ok', f: 'final-read', value: '3 members' }),
    ];
    const before = zeroCounts();
    const counts = history.reduce(countOps, before);
    assert.deepEqual(counts, {
      invoked: 4,
      ok: 1,
      failed: 3,
      unknown: 1,
      errors: { NOREPLICAS: 2, TIMEOUT: 1, READONLY: 1 },
    });
    assert.deepEqual(before, zeroCounts(), 'pure: the input is not mutated');
  });

  it('returns the same object for ops that are not client ops', () => {
    const c = zeroCounts();
    assert.equal(countOps(c, op({ type: 'info', f: 'heal' })), c);
  });
});

describe('errorClass', () => {
  const cases: Array<[string | undefined, string]> = [
    ['NOREPLICAS Not enough good replicas to write.', 'NOREPLICAS'],
    ["READONLY You can't write against a read only replica.", 'READONLY'],
    ['NOAUTH Authentication required.', 'NOAUTH'],
    ['WRONGPASS invalid username-password pair', 'WRONGPASS'],
    ['ECONNREFUSED cannot connect to redis-3', 'ECONNREFUSED'],
    ['connect ECONNREFUSED 127.0.0.1:6381', 'ECONNREFUSED'],
    ['TIMEOUT no reply from redis-1 within 1000 ms', 'TIMEOUT'],
    ['Command timed out', 'TIMEOUT'],
    ['connect ETIMEDOUT', 'ETIMEDOUT'],
    ['ETIMEDOUT no answer connecting to redis-3 within 1000 ms', 'ETIMEDOUT'],
    ['Connection is closed.', 'CLOSED'],
    ['CLOSED connection to redis-1 lost with the request in flight', 'CLOSED'],
    ["Stream isn't writeable and enableOfflineQueue options is false", 'NOTCONNECTED'],
    ['ERR wrong number of arguments', 'ERR'],
    ['something odd', 'OTHER'],
    [undefined, 'UNKNOWN'],
  ];
  for (const [text, cls] of cases) {
    it(`${String(text)} -> ${cls}`, () => assert.equal(errorClass(text), cls));
  }
});
