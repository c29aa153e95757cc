// The goal predicates of the misconfigure lessons: clientLatest (what a client sees now) and sentinelLists (what a
// Sentinel still lists, and whether it reaches it); their words; and a Sentinel noticed without its password.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sentinelObservation } from '../../src/cluster/probes/sentinel-probe.js';
import { evaluateGoal } from '../../src/lessons/checks.js';
import { describeGoal } from '../../src/lessons/describe.js';
import type { Goal } from '../../src/lessons/schema.js';
import type { ClientResult, LabState } from '../../src/state/store.js';
import { edit, healthy, markOf, sentinelObs } from './fixtures.js';

const check = (goal: Goal, state: LabState, since = markOf(healthy())) => evaluateGoal(goal, { state, now: 0, since });

let seq = 1000;
const result = (client: 'A' | 'B', ok: boolean, text: string, node: string): ClientResult => ({
  seq: seq++,
  at: 0,
  client,
  command: `SET rsl:hb:${client} ${seq}`,
  op: 'write',
  ok,
  text,
  node,
});

describe('clientLatest', () => {
  const s = edit(healthy(), (d) => {
    d.clientResults = [
      result('B', true, 'OK', 'redis-1'),
      result('A', true, 'OK', 'redis-2'),
      result('B', false, "READONLY You can't write against a read only replica.", 'redis-1'),
    ];
  });

  it('judges only the latest result of that client', () => {
    assert.equal(check({ clientLatest: { client: 'B', errorPrefix: 'READONLY', node: 'redis-1' } }, s).met, true);
    assert.equal(check({ clientLatest: { client: 'B', ok: true } }, s).met, false, 'its earlier OK does not count');
    assert.equal(check({ clientLatest: { client: 'A', ok: true, notNode: 'redis-1' } }, s).met, true);
    assert.equal(check({ clientLatest: { client: 'A', ok: true, notNode: 'redis-2' } }, s).met, false);
    assert.equal(check({ clientLatest: { client: 'A', text: 'OK' } }, s).met, true);
    assert.match(
      check({ clientLatest: { client: 'B', ok: true } }, s).detail,
      /^client B now: SET rsl:hb:B \d+ -> \(error\) READONLY You can't write against a read only replica\. on redis-1$/,
    );
  });

  it('needs a result newer than the step’s start', () => {
    const r = check({ clientLatest: { client: 'B', errorPrefix: 'READONLY' } }, s, markOf(s));
    assert.deepEqual(r, {
      met: false,
      detail: 'client B has sent nothing since the step started',
      measured: [{ predicate: 'clientLatest', client: 'B', ok: null, text: null, node: null }],
    });
  });

  it('says what it checks', () => {
    assert.equal(
      describeGoal({ clientLatest: { client: 'B', errorPrefix: 'READONLY', node: 'redis-1' } }),
      "client B's latest request fails with READONLY on redis-1",
    );
    assert.equal(
      describeGoal({ clientLatest: { client: 'A', ok: true, text: '222', notNode: 'redis-1' } }),
      "client A's latest request succeeds with 222 not on redis-1",
    );
  });
});

describe('sentinelLists', () => {
  const entry = (name: string, nodeId: string, port: number, flags: string[]) => ({
    name,
    ip: '127.0.2.3',
    port,
    flags,
    nodeId,
    fields: {},
  });
  const s = edit(healthy(), (d) => {
    const o = sentinelObs('sentinel-1', 'redis-1');
    o.replicas = [
      entry('127.0.2.3:6381', 'redis-3', 6381, ['s_down', 'slave', 'disconnected']),
      entry('127.0.2.3:6581', 'redis-3', 6581, ['slave']),
    ];
    o.sentinels = [entry('abc', 'sentinel-4', 6482, ['s_down', 'sentinel', 'disconnected'])];
    d.sentinels['sentinel-1'] = o;
  });

  it('listed: any entry for the node; up: one entry neither s_down nor disconnected', () => {
    assert.equal(
      check({ sentinelLists: { sentinel: 'sentinel-1', node: 'redis-3', listed: true, up: true } }, s).met,
      true,
    );
    assert.equal(check({ sentinelLists: { sentinel: 'sentinel-1', node: 'sentinel-4', up: false } }, s).met, true);
    assert.equal(check({ sentinelLists: { sentinel: 'sentinel-1', node: 'redis-2', listed: false } }, s).met, true);
    assert.match(
      check({ sentinelLists: { sentinel: 'sentinel-1', node: 'redis-3', up: false } }, s).detail,
      /^sentinel-1 lists redis-3 at 127\.0\.2\.3:6381 s_down,slave,disconnected; 127\.0\.2\.3:6581 slave$/,
    );
    assert.equal(
      describeGoal({ sentinelLists: { sentinel: 'sentinel-1', node: 'sentinel-4', listed: true, up: false } }),
      'sentinel-1 still lists sentinel-4 and sees no working address for sentinel-4',
    );
  });

  it('a Sentinel that does not answer satisfies nothing', () => {
    const gone = edit(s, (d) => {
      d.sentinels['sentinel-1'] = { ...sentinelObs('sentinel-1', undefined), reachable: false, error: 'refused' };
    });
    assert.equal(check({ sentinelLists: { sentinel: 'sentinel-1', node: 'redis-2', listed: false } }, gone).met, false);
  });
});

describe('a Sentinel restarted without the Sentinels’ password', () => {
  it('is noticed from its answer to AUTH, and only then', () => {
    const resolve = () => undefined;
    const noPw = sentinelObservation(
      'sentinel-3',
      0,
      {
        authError: 'ERR AUTH <password> called without any password configured for the default user.',
      },
      resolve,
    );
    assert.equal(noPw.passwordless, true);
    const wrong = sentinelObservation(
      'sentinel-3',
      0,
      { authError: 'WRONGPASS invalid username-password pair' },
      resolve,
    );
    assert.equal(wrong.passwordless, undefined);
    assert.equal(sentinelObservation('sentinel-3', 0, {}, resolve).passwordless, undefined);
  });
});
