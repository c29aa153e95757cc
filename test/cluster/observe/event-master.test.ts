// Which master a Sentinel event is about: a Sentinel that monitors several masters publishes all of their events on
// one connection, and each lab keeps only its own master's (engine/observer.ts). Those that name no master (epochs,
// votes) belong to the failover they come with, when it can be told (observe/event-masters.ts); else to none.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AttributedMessage, EventMasters, HOLD_MS } from '../../../src/cluster/observe/event-masters.js';
import { eventMasterName } from '../../../src/cluster/observe/sentinel-events.js';
import { fixtureJson, type RecordedFailover } from '../../fixtures/fixtures.js';

describe('eventMasterName', () => {
  it('reads the master from every payload shape that names one', () => {
    assert.equal(eventMasterName('+sdown', 'master cache 10.0.0.5 7000'), 'cache');
    assert.equal(eventMasterName('+odown', 'master cache 10.0.0.5 7000 #quorum 2/2'), 'cache');
    assert.equal(eventMasterName('+slave', 'slave 10.0.0.6:7001 10.0.0.6 7001 @ cache 10.0.0.5 7000'), 'cache');
    assert.equal(
      eventMasterName('+sentinel', 'sentinel 4e515b36a1 10.0.0.1 26380 @ sessions 10.0.0.5 6379'),
      'sessions',
    );
    assert.equal(eventMasterName('+switch-master', 'sessions 10.0.0.5 6379 10.0.0.6 6380'), 'sessions');
  });

  it('events that name no master (epochs, votes, TILT): none from the payload', () => {
    assert.equal(eventMasterName('+new-epoch', '3'), undefined);
    assert.equal(eventMasterName('+vote-for-leader', '4657509d 3'), undefined);
    assert.equal(eventMasterName('+tilt', '#tilt mode entered'), undefined);
    assert.equal(eventMasterName('+made-up', 'nonsense'), undefined);
  });
});

interface Msg {
  sentinelId: string;
  channel: string;
  payload: string;
  t: number;
}

/** The captured Redis 7.0.15 failover (sentinel-1 leads; sentinel-3 is in TILT and votes without an SDOWN of its own). */
const captured = fixtureJson<RecordedFailover>('sentinel-events-failover.json');
/** The run ids its votes name. */
const RUN_IDS: Record<string, string> = { a4c4b25d453e2c5cbf3e132a1e212076931f5fc0: 'sentinel-1' };
const S1 = 'a4c4b25d453e2c5cbf3e132a1e212076931f5fc0';

function attribution(monitors: readonly string[], runIds: Record<string, string> = RUN_IDS) {
  const masters = new EventMasters<Msg>({ monitors: () => monitors, resolveRunId: (r) => runIds[r] });
  const out: Array<AttributedMessage<Msg>> = [];
  const pushed: Msg[] = [];
  return {
    masters,
    out,
    pushed,
    push(m: Msg) {
      pushed.push(m);
      out.push(...masters.push(m, m.t));
    },
    /** Everything still waiting, released as its wait ends. */
    end() {
      out.push(...masters.expire(Number.POSITIVE_INFINITY));
    },
    of: (channel: string) => out.filter((x) => x.message.channel === channel).map((x) => x.master),
  };
}

const msg = (sentinelId: string, channel: string, payload: string, t = 0): Msg => ({ sentinelId, channel, payload, t });

describe('EventMasters', () => {
  it('a Sentinel that monitors one master: every event is its, at once (TILT, epochs and votes too)', () => {
    const a = attribution(['mymaster']);
    for (const e of captured.events) {
      const before = a.out.length;
      a.push(e);
      assert.equal(a.out.length, before + 1, `${e.channel} released at once`);
    }
    assert.deepEqual(
      a.out.map((x) => x.message),
      captured.events,
    );
    assert.ok(a.out.every((x) => x.master === 'mymaster'));
    assert.equal(a.masters.nextExpiry(), undefined);
  });

  it('two masters: the epochs and votes of a failover of "second" are second\'s, never mymaster\'s', () => {
    // The captured failover, as if the master failing over were "second" of Sentinels that also monitor mymaster
    // (which goes on publishing about its own replicas meanwhile).
    const a = attribution(['mymaster', 'second']);
    for (const e of captured.events) {
      a.push({ ...e, payload: e.payload.replace(/\bmymaster\b/g, 'second') });
      if (e.channel === '+vote-for-leader') {
        a.push(msg(e.sentinelId, '+sdown', 'slave 10.0.0.9:6380 10.0.0.9 6380 @ mymaster 10.0.0.9 6379', e.t));
      }
    }
    a.end();
    assert.equal(a.out.length, captured.events.length + 3);
    assert.deepEqual(a.of('+new-epoch'), ['second', 'second', 'second']);
    assert.deepEqual(a.of('+vote-for-leader'), ['second', 'second', 'second']);
    const ofMymaster = a.out.filter((x) => x.message.payload.includes('@ mymaster'));
    assert.deepEqual(
      ofMymaster.map((x) => x.master),
      ['mymaster', 'mymaster', 'mymaster'],
    );
    // TILT is about the Sentinel, not one of its masters.
    assert.deepEqual(a.of('+tilt'), [undefined]);
    // Each Sentinel's own order is kept.
    for (const id of ['sentinel-1', 'sentinel-2', 'sentinel-3']) {
      const mine = (l: Msg[]) => l.filter((x) => x.sentinelId === id);
      assert.deepEqual(mine(a.out.map((x) => x.message)), mine(a.pushed));
    }
  });

  it("the leader's +new-epoch waits for its +try-failover, which comes right after it (SENTINEL FAILOVER: no ODOWN)", () => {
    const a = attribution(['mymaster', 'second']);
    a.push(msg('sentinel-1', '+new-epoch', '3', 100));
    assert.equal(a.out.length, 0, 'which master is not known yet');
    assert.equal(a.masters.nextExpiry(), 100 + HOLD_MS);
    a.push(msg('sentinel-1', '+try-failover', 'master second 10.0.0.5 6380', 100));
    assert.deepEqual(
      a.out.map((x) => `${x.message.channel} ${x.master}`),
      ['+new-epoch second', '+try-failover second'],
    );
    a.push(msg('sentinel-1', '+vote-for-leader', `${S1} 3`, 100));
    assert.deepEqual(a.of('+vote-for-leader'), ['second']);
    // Another learns epoch 3 from its hellos: once its next message shows it is no vote of its own (or the wait
    // ends), that epoch is second's failover.
    a.push(msg('sentinel-2', '+new-epoch', '3', 150));
    assert.equal(a.out.length, 3);
    a.push(msg('sentinel-2', '+config-update-from', `sentinel ${S1} 10.0.0.1 26379 @ second 10.0.0.5 6380`, 151));
    assert.deepEqual(
      a.out.slice(3).map((x) => `${x.message.channel} ${x.master}`),
      ['+new-epoch second', '+config-update-from second'],
    );
  });

  it("a vote that arrives before the leader's +try-failover (another connection) waits for it, in its Sentinel's order", () => {
    const a = attribution(['mymaster', 'second']);
    a.push(msg('sentinel-2', '+new-epoch', '4', 10));
    a.push(msg('sentinel-2', '+vote-for-leader', `${S1} 4`, 10));
    a.push(msg('sentinel-2', '+sdown', 'master second 10.0.0.5 6380', 11));
    assert.equal(a.out.length, 0);
    a.push(msg('sentinel-1', '+new-epoch', '4', 12));
    a.push(msg('sentinel-1', '+try-failover', 'master second 10.0.0.5 6380', 12));
    assert.deepEqual(
      a.out.map((x) => `${x.message.sentinelId} ${x.message.channel} ${x.master}`),
      [
        'sentinel-2 +new-epoch second',
        'sentinel-2 +vote-for-leader second',
        'sentinel-2 +sdown second',
        'sentinel-1 +new-epoch second',
        'sentinel-1 +try-failover second',
      ],
    );
  });

  it('two attempts in one epoch, of two masters: each epoch and vote by its own attempt; a hello epoch stays unknown', () => {
    const a = attribution(['mymaster', 'second'], { [S1]: 'sentinel-1', bbbb: 'sentinel-2' });
    a.push(msg('sentinel-1', '+new-epoch', '7', 0));
    a.push(msg('sentinel-1', '+try-failover', 'master second 10.0.0.5 6380', 0));
    // sentinel-2 starts an attempt of mymaster in the same epoch: its +new-epoch is its own attempt's.
    a.push(msg('sentinel-2', '+new-epoch', '7', 0));
    a.push(msg('sentinel-2', '+try-failover', 'master mymaster 10.0.0.5 6379', 0));
    // sentinel-3 raises its epoch to vote for sentinel-2, then votes for sentinel-1 too (one vote per master).
    a.push(msg('sentinel-3', '+new-epoch', '7', 5));
    a.push(msg('sentinel-3', '+vote-for-leader', 'bbbb 7', 5));
    a.push(msg('sentinel-3', '+vote-for-leader', `${S1} 7`, 5));
    assert.deepEqual(a.of('+new-epoch'), ['second', 'mymaster', 'mymaster']);
    assert.deepEqual(a.of('+vote-for-leader'), ['mymaster', 'second']);
    // sentinel-4 learns epoch 7 from a hello: of which failover, nothing tells.
    a.push(msg('sentinel-4', '+new-epoch', '7', 6));
    a.push(msg('sentinel-4', '+sdown', 'master second 10.0.0.5 6380', 7));
    assert.equal(a.out.length, 7, "sentinel-4's +new-epoch waits, and its +sdown behind it");
    // After the wait it has no master, and what waited behind it follows.
    assert.deepEqual(a.masters.expire(6 + HOLD_MS - 1), []);
    assert.deepEqual(
      a.masters.expire(6 + HOLD_MS).map((x) => `${x.message.channel} ${x.master}`),
      ['+new-epoch undefined', '+sdown second'],
    );
    assert.equal(a.masters.nextExpiry(), undefined);
  });

  it('an epoch no attempt is known of, after a new subscription, is left without a master', () => {
    const a = attribution(['mymaster', 'second']);
    a.push(msg('sentinel-1', '+new-epoch', '5', 0));
    // The connection was lost and made again: the +try-failover now is not the one of that epoch.
    a.masters.resubscribed('sentinel-1');
    a.push(msg('sentinel-1', '+try-failover', 'master second 10.0.0.5 6380', 1));
    a.push(msg('sentinel-2', '+new-epoch', '5', 2));
    a.end();
    assert.deepEqual(a.of('+new-epoch'), [undefined, undefined]);
    assert.deepEqual(a.of('+try-failover'), ['second']);
  });
});
