// clientLatest with afterEvent: a read counts only if it came after the event (events and client results share one
// sequence), so the read of "222" from before redis-1's crash does not prove the data survived the +reboot.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateGoal } from '../../src/lessons/checks.js';
import { describeGoal } from '../../src/lessons/describe.js';
import type { Goal } from '../../src/lessons/schema.js';
import { GoalSchema } from '../../src/lessons/schema.js';
import type { ClientResult, LabState } from '../../src/state/store.js';
import { edit, event, healthy, markOf } from './fixtures.js';

const read = (seq: number, client: 'A' | 'B', text: string, node = 'redis-2'): ClientResult => ({
  seq,
  at: 0,
  client,
  command: 'GET age',
  op: 'read',
  ok: true,
  text,
  node,
});

const start = edit(healthy(), (d) => {
  d.events = [];
  d.clientResults = [];
});
const since = markOf(start);
const check = (goal: Goal, state: LabState) => evaluateGoal(goal, { state, now: 0, since });

const goal: Goal = {
  all: [
    { eventSeen: { channel: '+reboot', subject: 'redis-1' } },
    { clientLatest: { client: 'B', text: '222', afterEvent: { channel: '+reboot', subject: 'redis-1' } } },
  ],
};
const reboot = (seq: number) => event('+reboot', { seq, subjectId: 'redis-1', instanceType: 'master' });

describe('clientLatest afterEvent', () => {
  it('a read of "222" before +reboot of redis-1 does not meet the goal', () => {
    const s = edit(start, (d) => {
      d.clientResults = [read(10, 'B', '222')];
      d.events = [reboot(11)];
    });
    const r = check(goal, s);
    assert.equal(r.met, false);
    assert.match(r.detail, /client B has sent nothing since \+reboot of redis-1/);
    const only = check(goal.all![1]!, s);
    assert.deepEqual(only, {
      met: false,
      detail: 'client B has sent nothing since +reboot of redis-1',
      measured: [{ predicate: 'clientLatest', client: 'B', ok: null, text: null, node: null }],
    });
    // Without afterEvent the old read still counts: what the lesson needed the option for.
    assert.equal(check({ clientLatest: { client: 'B', text: '222' } }, s).met, true);
  });

  it('a read of "222" after +reboot of redis-1 meets it; a later (nil) does not', () => {
    const s = edit(start, (d) => {
      d.clientResults = [read(10, 'B', '222'), read(12, 'A', 'OK'), read(13, 'B', '222')];
      d.events = [reboot(11)];
    });
    assert.equal(check(goal, s).met, true);
    assert.equal(check(goal.all![1]!, s).detail, 'client B now: GET age -> 222 on redis-2');
    const nil = edit(s, (d) => {
      d.clientResults = [...d.clientResults, read(14, 'B', '(nil)')];
    });
    assert.equal(check(goal, nil).met, false);
  });

  it('one reboot reported by every Sentinel is one occurrence: a read after the first report counts', () => {
    const s = edit(start, (d) => {
      d.events = [
        reboot(11),
        event('+reboot', { seq: 13, subjectId: 'redis-1', sentinelId: 'sentinel-3' }),
        event('+reboot', { seq: 14, subjectId: 'redis-1', sentinelId: 'sentinel-2' }),
      ];
      d.clientResults = [read(12, 'B', '222')];
    });
    assert.equal(check(goal, s).met, true);
    // A second report from sentinel-1 is a second reboot: the read came before it.
    const again = edit(s, (d) => {
      d.events = [...d.events, reboot(15)];
    });
    assert.equal(check(goal, again).met, false);
  });

  it('counts from the latest matching event, and only events since the step started', () => {
    const twice = edit(start, (d) => {
      d.events = [reboot(11), reboot(13)];
      d.clientResults = [read(12, 'B', '222')];
    });
    assert.equal(check(goal, twice).met, false, 'a read between two reboots is before the latest');
    const otherSubject = edit(start, (d) => {
      d.events = [event('+reboot', { seq: 11, subjectId: 'redis-2' })];
      d.clientResults = [read(12, 'B', '222')];
    });
    const r = check(goal.all![1]!, otherSubject);
    assert.deepEqual([r.met, r.detail], [false, 'no +reboot of redis-1 since the step started']);
    const old = edit(start, (d) => {
      d.events = [reboot(11)];
    });
    const later = edit(old, (d) => {
      d.clientResults = [read(12, 'B', '222')];
    });
    const r2 = evaluateGoal(goal.all![1]!, { state: later, now: 0, since: markOf(old) });
    assert.equal(r2.met, false, 'a +reboot from before the step started does not count');
  });

  it('is validated strictly and described', () => {
    const ok = { client: 'B', text: '222', afterEvent: { channel: '+reboot', subject: 'redis-1' } };
    assert.equal(GoalSchema.safeParse({ clientLatest: ok }).success, true);
    const extra = { ...ok, afterEvent: { channel: '+reboot', node: 'redis-1' } };
    assert.equal(GoalSchema.safeParse({ clientLatest: extra }).success, false);
    const noChannel = { ...ok, afterEvent: { subject: 'redis-1' } };
    assert.equal(GoalSchema.safeParse({ clientLatest: noChannel }).success, false);
    assert.equal(
      describeGoal({ clientLatest: ok as Goal['clientLatest'] }),
      "client B's latest request after +reboot of redis-1 answers with 222",
    );
  });
});
