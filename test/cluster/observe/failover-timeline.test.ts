// Failover timelines from the captured 7.0.15 failover, from captured overlapping failovers and from synthetic edge
// cases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SentinelEvent } from '../../../src/cluster/events.js';
import {
  END_GRACE_MS,
  failoverRecord,
  formatTimeline,
  NO_QUORUM_GRACE_MS,
  settleTimelines,
  type TimelineContext,
  timelineTitle,
  updateTimelines,
} from '../../../src/cluster/observe/failover-timeline.js';
import { parseSentinelEvent } from '../../../src/cluster/observe/sentinel-events.js';
import type { FailoverTimeline } from '../../../src/cluster/observe/types.js';
import { buildTopology, nodeIdByAddress } from '../../../src/cluster/topology.js';
import { fixtureJson, type RecordedFailover } from '../../fixtures/fixtures.js';

const ctx: TimelineContext = { downAfterMs: 1000, failoverTimeoutMs: 10_000 };

function fold(events: SentinelEvent[], c: TimelineContext = ctx, from: FailoverTimeline[] = []): FailoverTimeline[] {
  let t = from;
  for (const e of events) t = updateTimelines(t, e, c);
  return t;
}

describe('captured failover (SIGKILL of redis-1, down-after 1000)', () => {
  const rec = fixtureJson<RecordedFailover>('sentinel-events-failover.json');
  const byPort: Record<number, string> = {};
  for (const [id, port] of Object.entries(rec.ports)) byPort[port] = id;
  const events = rec.events.map((r, i) =>
    parseSentinelEvent({ ...r, at: r.t, seq: i + 1 }, (ip, port) => (ip === '127.0.0.1' ? byPort[port] : undefined)),
  );
  const t0 = rec.killedAtT;
  const timelines = fold(events, { ...ctx, lastFault: { at: t0, description: 'kill -9 redis-1' } });

  it('assembles exactly one complete timeline', () => {
    assert.equal(timelines.length, 1);
    const [t] = timelines;
    assert.ok(t);
    assert.equal(t.oldMasterId, 'redis-1');
    assert.equal(t.newMasterId, 'redis-3');
    assert.equal(t.leaderId, 'sentinel-1');
    assert.equal(t.epoch, 1);
    assert.equal(t.cause, 'kill -9 redis-1');
    assert.equal(t.startedAt, t0);
    assert.equal(t.done, true);
    assert.equal(t.aborted, undefined);
    assert.deepEqual(t.reconfigured, ['redis-2']);
    assert.deepEqual(Object.keys(t.switchedBy).sort(), ['sentinel-1', 'sentinel-2', 'sentinel-3']);
    const rel = Object.fromEntries(Object.entries(t.phases).map(([k, v]) => [k, v - t0]));
    assert.deepEqual(rel, {
      fault: 0,
      sdown: 1035,
      odown: 1161,
      'try-failover': 1161,
      elected: 1252,
      selected: 1352,
      promoted: 2261,
      'switch-master': 2344,
      'reconf-done': 3276,
      'failover-end': 3379,
      converted: 13413,
    });
    assert.equal(t.outcome, 'completed');
    // The JSON record: the same phases in ms since the fault, and the settings in force when it began.
    const r = failoverRecord(t);
    assert.deepEqual(r.phasesMs, rel);
    assert.equal(r.status, 'completed');
    assert.deepEqual(r.settings, { downAfterMs: 1000, failoverTimeoutMs: 10_000, quorum: null, parallelSyncs: null });
    const withSettings = fold(events, { ...ctx, downAfterMs: 3000, quorum: 2, parallelSyncs: 1 });
    assert.deepEqual(failoverRecord(withSettings[0] as FailoverTimeline).settings, {
      downAfterMs: 3000,
      failoverTimeoutMs: 10_000,
      quorum: 2,
      parallelSyncs: 1,
    });
  });

  it('formats one line per phase', () => {
    const [t] = timelines;
    assert.ok(t);
    assert.deepEqual(formatTimeline(t), [
      'fault  0.00 s  kill -9 redis-1',
      '+sdown  1.03 s',
      '+odown  1.16 s  (down-after 1.00 s)',
      '+try-failover  1.16 s',
      '+elected-leader  1.25 s  sentinel-1 (epoch 1)',
      '+selected-slave  1.35 s  redis-3',
      '+promoted-slave  2.26 s  redis-3',
      '+switch-master  2.34 s  sentinel-3 2.34 s, sentinel-2 2.35 s, sentinel-1 3.38 s',
      '+slave-reconf-done  3.28 s  redis-2',
      '+failover-end  3.38 s  (failover-timeout 10.00 s)',
      '+convert-to-slave  13.41 s  redis-1',
    ]);
    assert.equal(timelineTitle(t), 'failover of redis-1 -> redis-3 (epoch 1)');
  });

  it('without a known fault the timeline starts at the first +sdown', () => {
    const [t] = fold(events);
    assert.equal(t?.startedAt, t0 + 1035);
    assert.equal(t?.phases.fault, undefined);
    assert.equal(formatTimeline(t as FailoverTimeline)[0], '+sdown  0.00 s');
  });
});

describe('synthetic edge cases (hosts mode, public addresses)', () => {
  const topology = buildTopology({ redis: 3, sentinels: 3 }, 6379, 'hosts');
  const resolve = (ip: string, port: number) => nodeIdByAddress(topology, ip, port);
  let seq = 0;
  const ev = (sentinelId: string, channel: string, payload: string, at: number) =>
    parseSentinelEvent({ channel, payload, sentinelId, at, seq: ++seq }, resolve);
  const M1 = 'master mymaster 127.0.2.1 6379';
  const M2 = 'master mymaster 127.0.2.2 6380';

  it('a master that answers again before any failover closes its timeline', () => {
    const t = fold([
      ev('sentinel-1', '+sdown', M1, 100),
      ev('sentinel-2', '+sdown', M1, 120),
      ev('sentinel-1', '-sdown', M1, 300),
      ev('sentinel-2', '-sdown', M1, 310),
    ]);
    assert.equal(t.length, 1);
    assert.equal(t[0]?.done, true);
    assert.match(t[0]?.aborted ?? '', /answered again/);
    // The next outage starts a new timeline.
    const t2 = updateTimelines(t, ev('sentinel-3', '+sdown', M1, 5000), ctx);
    assert.equal(t2.length, 2);
    assert.equal(t2[0], t[0]);
  });

  it('an election loser aborting does not end the failover; the leader aborting does', () => {
    const base = fold([
      ev('sentinel-1', '+odown', `${M1} #quorum 2/2`, 100),
      ev('sentinel-1', '+try-failover', M1, 110),
      ev('sentinel-2', '+try-failover', M1, 115),
      ev('sentinel-1', '+elected-leader', M1, 150),
    ]);
    const after = updateTimelines(base, ev('sentinel-2', '-failover-abort-not-elected', M1, 10_115), ctx);
    assert.equal(after, base, 'unchanged');
    const aborted = updateTimelines(base, ev('sentinel-1', '-failover-abort-no-good-slave', M1, 300), ctx);
    assert.equal(aborted[0]?.done, true);
    assert.equal(aborted[0]?.aborted, 'no replica was eligible for promotion');
    assert.deepEqual(
      formatTimeline(aborted[0] as FailoverTimeline).at(-1),
      'aborted  no replica was eligible for promotion (-failover-abort-no-good-slave)',
    );
    assert.equal(aborted[0]?.outcome, 'aborted');
    assert.equal(aborted[0]?.abortChannel, '-failover-abort-no-good-slave');
    assert.match(timelineTitle(aborted[0] as FailoverTimeline), /aborted$/);
  });

  it('a leaderless abort is "no majority"; the retried election joins the same timeline, cause kept', () => {
    const c = { ...ctx, lastFault: { at: 50, description: 'isolate host-1' } };
    const first = fold(
      [
        ev('sentinel-1', '+sdown', M1, 90),
        ev('sentinel-1', '+odown', `${M1} #quorum 1/1`, 95),
        ev('sentinel-1', '+try-failover', M1, 100),
        ev('sentinel-1', '-failover-abort-not-elected', M1, 10_100),
      ],
      c,
    );
    assert.equal(first.length, 1);
    assert.equal(first[0]?.outcome, 'no-majority');
    assert.equal(first[0]?.done, true);
    assert.equal(first[0]?.aborted, 'no Sentinel was elected leader in time');
    assert.match(formatTimeline(first[0] as FailoverTimeline).at(-1) ?? '', /^no majority {2}/);
    const t = updateTimelines(first, ev('sentinel-1', '+try-failover', M1, 20_200), c);
    assert.equal(t.length, 1, 'no second timeline');
    assert.equal(t[0]?.done, false);
    assert.equal(t[0]?.outcome, undefined);
    assert.equal(t[0]?.cause, 'isolate host-1');
    assert.deepEqual(t[0]?.attempts, [
      {
        at: 10_100,
        outcome: 'no-majority',
        reason: 'no Sentinel was elected leader in time',
        channel: '-failover-abort-not-elected',
      },
    ]);
    const rec = failoverRecord(t[0] as FailoverTimeline);
    assert.equal(rec.status, 'open');
    assert.deepEqual(rec.attempts, [
      {
        atMs: 10_050,
        outcome: 'no-majority',
        reason: 'no Sentinel was elected leader in time',
        channel: '-failover-abort-not-elected',
      },
    ]);
  });

  it('after the master answered again, a later outage is a new timeline', () => {
    const t = fold([
      ev('sentinel-1', '+sdown', M1, 90),
      ev('sentinel-1', '+odown', `${M1} #quorum 1/1`, 95),
      ev('sentinel-1', '+try-failover', M1, 100),
      ev('sentinel-1', '-failover-abort-not-elected', M1, 10_100),
      ev('sentinel-1', '-odown', M1, 11_000),
      ev('sentinel-1', '+sdown', M1, 40_000),
    ]);
    assert.equal(t.length, 2);
    assert.equal(t[0]?.recovered, true);
  });

  it('the master answering again while an attempt is under way ends that outage: a later kill is a new timeline', () => {
    // Seen by a tester: a brief +sdown/+odown of the new master, an election without a majority, then a real kill.
    const c = { ...ctx, lastFault: { at: 24_000, description: 'kill redis-1' } };
    const t = fold(
      [
        ev('sentinel-1', '+sdown', M1, 90),
        ev('sentinel-2', '+sdown', M1, 95),
        ev('sentinel-1', '+odown', `${M1} #quorum 2/2`, 100),
        ev('sentinel-1', '+try-failover', M1, 110),
        ev('sentinel-1', '-sdown', M1, 350),
        ev('sentinel-2', '-sdown', M1, 360),
        ev('sentinel-1', '-odown', M1, 361),
        ev('sentinel-1', '-failover-abort-not-elected', M1, 10_110),
        ev('sentinel-1', '+sdown', M1, 25_100),
      ],
      c,
    );
    assert.equal(t.length, 2);
    assert.deepEqual([t[0]?.outcome, t[0]?.recovered], ['no-majority', true]);
    assert.deepEqual([t[1]?.cause, t[1]?.startedAt, t[1]?.done], ['kill redis-1', 24_000, false]);
  });

  it('down again before its attempt ended: the retry is the same outage', () => {
    const t = fold([
      ev('sentinel-1', '+sdown', M1, 90),
      ev('sentinel-1', '+odown', `${M1} #quorum 1/1`, 100),
      ev('sentinel-1', '+try-failover', M1, 110),
      ev('sentinel-1', '-sdown', M1, 350),
      ev('sentinel-1', '+sdown', M1, 2000),
      ev('sentinel-1', '-failover-abort-not-elected', M1, 10_110),
      ev('sentinel-1', '+try-failover', M1, 20_200),
    ]);
    assert.equal(t.length, 1);
    assert.deepEqual([t[0]?.done, t[0]?.recovered, t[0]?.attempts?.length], [false, undefined, 1]);
  });

  it('a Sentinel that missed a failover jumps from the old master to the current one: its switch joins the failover that made it', () => {
    const R2 = 'slave 127.0.2.2:6380 127.0.2.2 6380 @ mymaster 127.0.2.1 6379';
    const R3 = 'slave 127.0.2.3:6381 127.0.2.3 6381 @ mymaster 127.0.2.2 6380';
    const t = fold([
      // redis-1 -> redis-2, led by sentinel-1; sentinel-3 is stuck and never switches.
      ev('sentinel-1', '+sdown', M1, 100),
      ev('sentinel-2', '+sdown', M1, 110),
      ev('sentinel-1', '+odown', `${M1} #quorum 2/2`, 120),
      ev('sentinel-1', '+try-failover', M1, 130),
      ev('sentinel-1', '+elected-leader', M1, 200),
      ev('sentinel-1', '+selected-slave', R2, 300),
      ev('sentinel-1', '+promoted-slave', R2, 1200),
      ev('sentinel-1', '+switch-master', 'mymaster 127.0.2.1 6379 127.0.2.2 6380', 1300),
      ev('sentinel-2', '+switch-master', 'mymaster 127.0.2.1 6379 127.0.2.2 6380', 2000),
      ev('sentinel-1', '+failover-end', M1, 3000),
      // redis-2 -> redis-3, led by sentinel-2.
      ev('sentinel-1', '+sdown', M2, 40_000),
      ev('sentinel-2', '+sdown', M2, 40_010),
      ev('sentinel-2', '+odown', `${M2} #quorum 2/2`, 40_020),
      ev('sentinel-2', '+try-failover', M2, 40_030),
      ev('sentinel-2', '+elected-leader', M2, 40_100),
      ev('sentinel-2', '+selected-slave', R3, 40_200),
      ev('sentinel-2', '+promoted-slave', R3, 41_000),
      ev('sentinel-2', '+switch-master', 'mymaster 127.0.2.2 6380 127.0.2.3 6381', 41_100),
      ev('sentinel-1', '+switch-master', 'mymaster 127.0.2.2 6380 127.0.2.3 6381', 41_900),
      ev('sentinel-2', '+failover-end', M2, 43_000),
      // sentinel-3 comes back and learns the newest configuration: redis-1 -> redis-3 in one step.
      ev('sentinel-3', '+switch-master', 'mymaster 127.0.2.1 6379 127.0.2.3 6381', 60_000),
    ]);
    assert.equal(t.length, 2, t.map((x) => timelineTitle(x)).join('; '));
    assert.deepEqual([t[1]?.oldMasterId, t[1]?.newMasterId, t[1]?.outcome], ['redis-2', 'redis-3', 'completed']);
    assert.deepEqual(Object.keys(t[1]?.switchedBy ?? {}).sort(), ['sentinel-1', 'sentinel-2', 'sentinel-3']);
    assert.deepEqual(Object.keys(t[0]?.switchedBy ?? {}).sort(), ['sentinel-1', 'sentinel-2']);
    // redis-1 restarted now becomes a replica of redis-3: not a step of its own failover, two failovers ago.
    const converted = updateTimelines(
      t,
      ev('sentinel-1', '+convert-to-slave', 'slave 127.0.2.1:6379 127.0.2.1 6379 @ mymaster 127.0.2.3 6381', 90_000),
      ctx,
    );
    assert.equal(converted, t, 'no timeline changed');
    // redis-2, the master the latest failover replaced, rejoining is that failover's last step.
    const last = updateTimelines(
      t,
      ev('sentinel-1', '+convert-to-slave', 'slave 127.0.2.2:6380 127.0.2.2 6380 @ mymaster 127.0.2.3 6381', 90_000),
      ctx,
    );
    assert.equal(last[1]?.phases.converted, 90_000);
  });

  it('closes as "no quorum" when ODOWN cannot come, and joins a later ODOWN of the same outage', () => {
    const c = { ...ctx, quorum: 2, sentinels: 3 };
    const t = fold([ev('sentinel-1', '+sdown', M1, 1000)], c);
    assert.equal(settleTimelines(t, 1000 + 1000 + NO_QUORUM_GRACE_MS - 1, c), t, 'still within the grace');
    const closed = settleTimelines(t, 1000 + 1000 + NO_QUORUM_GRACE_MS, c);
    assert.equal(closed[0]?.outcome, 'no-quorum');
    assert.equal(closed[0]?.done, true);
    assert.match(closed[0]?.aborted ?? '', /only 1 of 3 Sentinels saw .* down; the quorum is 2/);
    assert.equal(failoverRecord(closed[0] as FailoverTimeline).status, 'no-quorum');
    // Two Sentinels see it down: no "no quorum".
    const two = fold([ev('sentinel-1', '+sdown', M1, 1000), ev('sentinel-2', '+sdown', M1, 1100)], c);
    assert.equal(settleTimelines(two, 60_000, c), two);
    // The same outage reaching ODOWN later (another Sentinel lost the master too) joins the closed timeline.
    const later = updateTimelines(closed, ev('sentinel-2', '+odown', `${M1} #quorum 2/2`, 9000), c);
    assert.equal(later.length, 1);
    assert.equal(later[0]?.done, false);
    assert.equal(later[0]?.attempts?.[0]?.outcome, 'no-quorum');
  });

  it('"master answered again" only when it answered as a master, not when its role switched', () => {
    const back = fold([ev('sentinel-1', '+sdown', M1, 100), ev('sentinel-1', '-sdown', M1, 900)]);
    assert.equal(back[0]?.outcome, 'master-returned');
    const asReplica = fold([ev('sentinel-1', '+sdown', M1, 100), ev('sentinel-1', '-sdown', M1, 900)], {
      ...ctx,
      observedRole: () => 'replica',
    });
    assert.equal(asReplica[0]?.outcome, 'role-switched');
    assert.match(asReplica[0]?.aborted ?? '', /as a replica/);
    // Sentinel says so itself right after the -sdown: the verdict is corrected.
    const corrected = updateTimelines(
      back,
      ev('sentinel-1', '-role-change', `${M1} new reported role is slave`, 1200),
      ctx,
    );
    assert.equal(corrected[0]?.outcome, 'role-switched');
  });

  it('a lagging +sdown of the old master right after the switch is not a new failover', () => {
    const t = fold([
      ev('sentinel-1', '+sdown', M1, 100),
      ev('sentinel-1', '+switch-master', 'mymaster 127.0.2.1 6379 127.0.2.2 6380', 2000),
      ev('sentinel-3', '+sdown', M1, 2500),
    ]);
    assert.equal(t.length, 1);
  });

  it('a failover of the new master is a separate timeline; irrelevant events change nothing', () => {
    const t = fold([
      ev('sentinel-1', '+switch-master', 'mymaster 127.0.2.1 6379 127.0.2.2 6380', 2000),
      ev('sentinel-1', '+sdown', M2, 30_000),
    ]);
    assert.equal(t.length, 2);
    assert.equal(t[0]?.oldMasterId, 'redis-1');
    assert.equal(t[0]?.newMasterId, 'redis-2');
    assert.equal(t[1]?.oldMasterId, 'redis-2');
    for (const e of [
      ev('sentinel-1', '+slave', 'slave 127.0.2.3:6381 127.0.2.3 6381 @ mymaster 127.0.2.2 6380', 1),
      ev('sentinel-1', '+tilt', '#tilt mode entered', 2),
      ev('sentinel-1', '+sdown', 'slave 127.0.2.3:6381 127.0.2.3 6381 @ mymaster 127.0.2.2 6380', 3),
      ev('sentinel-1', '+convert-to-slave', 'slave 127.0.2.3:6381 127.0.2.3 6381 @ mymaster 127.0.2.2 6380', 4),
    ]) {
      assert.equal(updateTimelines(t, e, ctx), t, e.channel);
    }
  });

  it('is immutable and only replaces the touched timeline', () => {
    const t = fold([ev('sentinel-1', '+sdown', M1, 100), ev('sentinel-1', '+sdown', M2, 100)]);
    const snapshot = JSON.stringify(t);
    const next = updateTimelines(t, ev('sentinel-2', '+odown', `${M2} #quorum 2/2`, 200), ctx);
    assert.equal(JSON.stringify(t), snapshot);
    assert.equal(next[0], t[0]);
    assert.notEqual(next[1], t[1]);
    assert.equal(next[1]?.phases.odown, 200);
  });

  it('uses a fault only once and only when it is recent', () => {
    const fault = { at: 50, description: 'freeze redis-1' };
    const first = fold([ev('sentinel-1', '+sdown', M1, 1100)], { ...ctx, lastFault: fault });
    assert.equal(first[0]?.cause, 'freeze redis-1');
    assert.equal(first[0]?.startedAt, 50);
    const stale = fold([ev('sentinel-1', '+sdown', M1, 60_000)], { ...ctx, lastFault: fault });
    assert.equal(stale[0]?.cause, undefined);
    const closed = updateTimelines(first, ev('sentinel-1', '-sdown', M1, 1500), ctx);
    const again = updateTimelines(closed, ev('sentinel-1', '+sdown', M1, 2000), { ...ctx, lastFault: fault });
    assert.equal(again[1]?.cause, undefined, 'the fault was already claimed');
  });
});

// Real sequences captured with `watch --json` (redis 7.0.15, 5 redis + 3 Sentinels in hosts mode on base port 21000,
// down-after 1000, failover-timeout 10000), times in ms since the first event as `watch` printed them:
// [ms, sentinel, channel, payload].
type Row = [number, string, string, string];

/** Kill the master redis-1; kill redis-2 once sentinel-3 selected it in epoch 1. sentinel-3 aborts (slave timeout);
 * 2 x failover-timeout later sentinel-2 fails over to redis-5 in epoch 2. */
const REPLICA_KILLED: Row[] = [
  [0, '1', '+sdown', 'master mymaster 127.0.2.1 21000'],
  [33, '3', '+sdown', 'master mymaster 127.0.2.1 21000'],
  [72, '2', '+sdown', 'master mymaster 127.0.2.1 21000'],
  [126, '3', '+odown', 'master mymaster 127.0.2.1 21000 #quorum 2/2'],
  [126, '3', '+new-epoch', '1'],
  [127, '3', '+try-failover', 'master mymaster 127.0.2.1 21000'],
  [127, '3', '+vote-for-leader', 'fdab6eeb72ec5c05e36b79ca0af95e0dbdac1cd4 1'],
  [180, '1', '+new-epoch', '1'],
  [181, '1', '+vote-for-leader', 'fdab6eeb72ec5c05e36b79ca0af95e0dbdac1cd4 1'],
  [200, '2', '+odown', 'master mymaster 127.0.2.1 21000 #quorum 3/2'],
  [200, '2', '+new-epoch', '1'],
  [200, '2', '+try-failover', 'master mymaster 127.0.2.1 21000'],
  [230, '2', '+vote-for-leader', '7415dee549a11a0ee92c98ff4fc190e15d8151a8 1'],
  [261, '3', '+elected-leader', 'master mymaster 127.0.2.1 21000'],
  [261, '3', '+failover-state-select-slave', 'master mymaster 127.0.2.1 21000'],
  [322, '3', '+selected-slave', 'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.1 21000'],
  [323, '3', '+failover-state-send-slaveof-noone', 'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.1 21000'],
  [379, '3', '+failover-state-wait-promotion', 'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.1 21000'],
  [1164, '1', '+odown', 'master mymaster 127.0.2.1 21000 #quorum 3/2'],
  [2512, '3', '+sdown', 'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.1 21000'],
  [2530, '1', '+sdown', 'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.1 21000'],
  [2541, '2', '+sdown', 'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.1 21000'],
  [10463, '3', '-failover-abort-slave-timeout', 'master mymaster 127.0.2.1 21000'],
  [10582, '2', '-failover-abort-not-elected', 'master mymaster 127.0.2.1 21000'],
  [20592, '2', '+new-epoch', '2'],
  [20593, '2', '+try-failover', 'master mymaster 127.0.2.1 21000'],
  [20593, '2', '+vote-for-leader', '7415dee549a11a0ee92c98ff4fc190e15d8151a8 2'],
  [20618, '3', '+new-epoch', '2'],
  [20618, '3', '+vote-for-leader', '7415dee549a11a0ee92c98ff4fc190e15d8151a8 2'],
  [20632, '1', '+new-epoch', '2'],
  [20632, '1', '+vote-for-leader', '7415dee549a11a0ee92c98ff4fc190e15d8151a8 2'],
  [20674, '2', '+elected-leader', 'master mymaster 127.0.2.1 21000'],
  [20674, '2', '+failover-state-select-slave', 'master mymaster 127.0.2.1 21000'],
  [20755, '2', '+selected-slave', 'slave 127.0.2.5:21004 127.0.2.5 21004 @ mymaster 127.0.2.1 21000'],
  [
    20755,
    '2',
    '+failover-state-send-slaveof-noone',
    'slave 127.0.2.5:21004 127.0.2.5 21004 @ mymaster 127.0.2.1 21000',
  ],
  [20810, '2', '+failover-state-wait-promotion', 'slave 127.0.2.5:21004 127.0.2.5 21004 @ mymaster 127.0.2.1 21000'],
  [
    20819,
    '2',
    '-role-change',
    'slave 127.0.2.5:21004 127.0.2.5 21004 @ mymaster 127.0.2.1 21000 new reported role is master',
  ],
  [20819, '2', '+promoted-slave', 'slave 127.0.2.5:21004 127.0.2.5 21004 @ mymaster 127.0.2.1 21000'],
  [20819, '2', '+failover-state-reconf-slaves', 'master mymaster 127.0.2.1 21000'],
  [20879, '2', '+slave-reconf-sent', 'slave 127.0.2.4:21003 127.0.2.4 21003 @ mymaster 127.0.2.1 21000'],
  [
    20891,
    '1',
    '+config-update-from',
    'sentinel 7415dee549a11a0ee92c98ff4fc190e15d8151a8 127.0.2.2 21101 @ mymaster 127.0.2.1 21000',
  ],
  [20891, '1', '+switch-master', 'mymaster 127.0.2.1 21000 127.0.2.5 21004'],
  [20891, '1', '+slave', 'slave 127.0.2.4:21003 127.0.2.4 21003 @ mymaster 127.0.2.5 21004'],
  [20891, '1', '+slave', 'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.5 21004'],
  [20892, '1', '+slave', 'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.5 21004'],
  [20892, '1', '+slave', 'slave 127.0.2.1:21000 127.0.2.1 21000 @ mymaster 127.0.2.5 21004'],
  [
    20903,
    '3',
    '+config-update-from',
    'sentinel 7415dee549a11a0ee92c98ff4fc190e15d8151a8 127.0.2.2 21101 @ mymaster 127.0.2.1 21000',
  ],
  [20903, '3', '+switch-master', 'mymaster 127.0.2.1 21000 127.0.2.5 21004'],
  [20903, '3', '+slave', 'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.5 21004'],
  [20903, '3', '+slave', 'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.5 21004'],
  [20903, '3', '+slave', 'slave 127.0.2.4:21003 127.0.2.4 21003 @ mymaster 127.0.2.5 21004'],
  [20903, '3', '+slave', 'slave 127.0.2.1:21000 127.0.2.1 21000 @ mymaster 127.0.2.5 21004'],
  [21765, '2', '-odown', 'master mymaster 127.0.2.1 21000'],
  [21828, '2', '+slave-reconf-inprog', 'slave 127.0.2.4:21003 127.0.2.4 21003 @ mymaster 127.0.2.1 21000'],
  [21828, '2', '+slave-reconf-done', 'slave 127.0.2.4:21003 127.0.2.4 21003 @ mymaster 127.0.2.1 21000'],
  [21903, '2', '+slave-reconf-sent', 'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.1 21000'],
  [21957, '1', '+sdown', 'slave 127.0.2.1:21000 127.0.2.1 21000 @ mymaster 127.0.2.5 21004'],
  [21957, '1', '+sdown', 'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.5 21004'],
  [21989, '3', '+sdown', 'slave 127.0.2.1:21000 127.0.2.1 21000 @ mymaster 127.0.2.5 21004'],
  [21989, '3', '+sdown', 'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.5 21004'],
  [22849, '2', '+slave-reconf-inprog', 'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.1 21000'],
  [22849, '2', '+slave-reconf-done', 'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.1 21000'],
  [22925, '2', '+failover-end', 'master mymaster 127.0.2.1 21000'],
  [22925, '2', '+switch-master', 'mymaster 127.0.2.1 21000 127.0.2.5 21004'],
  [22926, '2', '+slave', 'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.5 21004'],
  [22926, '2', '+slave', 'slave 127.0.2.4:21003 127.0.2.4 21003 @ mymaster 127.0.2.5 21004'],
  [22926, '2', '+slave', 'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.5 21004'],
  [22926, '2', '+slave', 'slave 127.0.2.1:21000 127.0.2.1 21000 @ mymaster 127.0.2.5 21004'],
  [23983, '2', '+sdown', 'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.5 21004'],
  [23984, '2', '+sdown', 'slave 127.0.2.1:21000 127.0.2.1 21000 @ mymaster 127.0.2.5 21004'],
];

/** Kill the master redis-1; kill the leader sentinel-1 right after its +promoted-slave of redis-3. sentinel-2 and
 * sentinel-3 switch on its hello, see it down (+sdown sentinel) and +fix-slave-config the rest; no +failover-end. */
const LEADER_KILLED: Row[] = [
  [0, '2', '+sdown', 'master mymaster 127.0.2.1 21000'],
  [17, '1', '+sdown', 'master mymaster 127.0.2.1 21000'],
  [55, '3', '+sdown', 'master mymaster 127.0.2.1 21000'],
  [103, '1', '+odown', 'master mymaster 127.0.2.1 21000 #quorum 2/2'],
  [103, '1', '+new-epoch', '1'],
  [103, '1', '+try-failover', 'master mymaster 127.0.2.1 21000'],
  [104, '1', '+vote-for-leader', 'b5c617dabc91ffea003ea756140044e2740617f1 1'],
  [147, '3', '+odown', 'master mymaster 127.0.2.1 21000 #quorum 3/2'],
  [148, '3', '+new-epoch', '1'],
  [148, '3', '+try-failover', 'master mymaster 127.0.2.1 21000'],
  [148, '3', '+vote-for-leader', '58d2eaffc87fe5e3fb89700c861c1388c1faa1f0 1'],
  [191, '2', '+new-epoch', '1'],
  [191, '2', '+vote-for-leader', 'b5c617dabc91ffea003ea756140044e2740617f1 1'],
  [269, '1', '+elected-leader', 'master mymaster 127.0.2.1 21000'],
  [269, '1', '+failover-state-select-slave', 'master mymaster 127.0.2.1 21000'],
  [359, '1', '+selected-slave', 'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.1 21000'],
  [360, '1', '+failover-state-send-slaveof-noone', 'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.1 21000'],
  [422, '1', '+failover-state-wait-promotion', 'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.1 21000'],
  [1148, '2', '+odown', 'master mymaster 127.0.2.1 21000 #quorum 3/2'],
  [
    1191,
    '2',
    '-role-change',
    'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.1 21000 new reported role is master',
  ],
  [
    1238,
    '1',
    '-role-change',
    'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.1 21000 new reported role is master',
  ],
  [1238, '1', '+promoted-slave', 'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.1 21000'],
  [1239, '1', '+failover-state-reconf-slaves', 'master mymaster 127.0.2.1 21000'],
  [
    1251,
    '3',
    '-role-change',
    'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.1 21000 new reported role is master',
  ],
  [1296, '1', '+slave-reconf-sent', 'slave 127.0.2.5:21004 127.0.2.5 21004 @ mymaster 127.0.2.1 21000'],
  [
    1322,
    '3',
    '+config-update-from',
    'sentinel b5c617dabc91ffea003ea756140044e2740617f1 127.0.2.1 21100 @ mymaster 127.0.2.1 21000',
  ],
  [1323, '3', '+switch-master', 'mymaster 127.0.2.1 21000 127.0.2.3 21002'],
  [1323, '3', '+slave', 'slave 127.0.2.5:21004 127.0.2.5 21004 @ mymaster 127.0.2.3 21002'],
  [1323, '3', '+slave', 'slave 127.0.2.4:21003 127.0.2.4 21003 @ mymaster 127.0.2.3 21002'],
  [1324, '3', '+slave', 'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.3 21002'],
  [1324, '3', '+slave', 'slave 127.0.2.1:21000 127.0.2.1 21000 @ mymaster 127.0.2.3 21002'],
  [
    2090,
    '2',
    '+config-update-from',
    'sentinel 58d2eaffc87fe5e3fb89700c861c1388c1faa1f0 127.0.2.3 21102 @ mymaster 127.0.2.1 21000',
  ],
  [2090, '2', '+switch-master', 'mymaster 127.0.2.1 21000 127.0.2.3 21002'],
  [2090, '2', '+slave', 'slave 127.0.2.4:21003 127.0.2.4 21003 @ mymaster 127.0.2.3 21002'],
  [2091, '2', '+slave', 'slave 127.0.2.5:21004 127.0.2.5 21004 @ mymaster 127.0.2.3 21002'],
  [2091, '2', '+slave', 'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.3 21002'],
  [2091, '2', '+slave', 'slave 127.0.2.1:21000 127.0.2.1 21000 @ mymaster 127.0.2.3 21002'],
  [2365, '3', '+sdown', 'slave 127.0.2.1:21000 127.0.2.1 21000 @ mymaster 127.0.2.3 21002'],
  [2467, '2', '+sdown', 'sentinel b5c617dabc91ffea003ea756140044e2740617f1 127.0.2.1 21100 @ mymaster 127.0.2.3 21002'],
  [2615, '3', '+sdown', 'sentinel b5c617dabc91ffea003ea756140044e2740617f1 127.0.2.1 21100 @ mymaster 127.0.2.3 21002'],
  [3121, '2', '+sdown', 'slave 127.0.2.1:21000 127.0.2.1 21000 @ mymaster 127.0.2.3 21002'],
  [11853, '3', '+fix-slave-config', 'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.3 21002'],
  [11853, '3', '+fix-slave-config', 'slave 127.0.2.4:21003 127.0.2.4 21003 @ mymaster 127.0.2.3 21002'],
];

/** Kill the master redis-1; redis-2's kill of the selected redis-3 lands right after its promotion. The others switch
 * to redis-3, which is down: the leader sentinel-3 waits for it (no +failover-end) while the others try to fail
 * redis-3 over in epoch 2 without a majority (sentinel-3, still in its failover, does not vote). */
const PROMOTED_KILLED: Row[] = [
  [0, '2', '+sdown', 'master mymaster 127.0.2.1 21000'],
  [36, '3', '+sdown', 'master mymaster 127.0.2.1 21000'],
  [66, '1', '+sdown', 'master mymaster 127.0.2.1 21000'],
  [313, '3', '+odown', 'master mymaster 127.0.2.1 21000 #quorum 2/2'],
  [314, '3', '+new-epoch', '1'],
  [335, '3', '+try-failover', 'master mymaster 127.0.2.1 21000'],
  [335, '3', '+vote-for-leader', '17e9f454a328854e78537bedbb8fcae9055137a4 1'],
  [337, '1', '+odown', 'master mymaster 127.0.2.1 21000 #quorum 3/2'],
  [337, '1', '+new-epoch', '1'],
  [385, '1', '+try-failover', 'master mymaster 127.0.2.1 21000'],
  [385, '1', '+vote-for-leader', 'a1f3ef780b70146d7cbc4eab65151ab208e1d454 1'],
  [387, '2', '+new-epoch', '1'],
  [387, '2', '+vote-for-leader', '17e9f454a328854e78537bedbb8fcae9055137a4 1'],
  [528, '3', '+elected-leader', 'master mymaster 127.0.2.1 21000'],
  [632, '3', '+selected-slave', 'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.1 21000'],
  [1218, '2', '+odown', 'master mymaster 127.0.2.1 21000 #quorum 3/2'],
  [
    1565,
    '1',
    '-role-change',
    'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.1 21000 new reported role is master',
  ],
  [
    1585,
    '3',
    '-role-change',
    'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.1 21000 new reported role is master',
  ],
  [1585, '3', '+promoted-slave', 'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.1 21000'],
  [1625, '3', '+slave-reconf-sent', 'slave 127.0.2.5:21004 127.0.2.5 21004 @ mymaster 127.0.2.1 21000'],
  [
    1653,
    '1',
    '+config-update-from',
    'sentinel 17e9f454a328854e78537bedbb8fcae9055137a4 127.0.2.3 21102 @ mymaster 127.0.2.1 21000',
  ],
  [1654, '1', '+switch-master', 'mymaster 127.0.2.1 21000 127.0.2.3 21002'],
  [
    1733,
    '2',
    '+config-update-from',
    'sentinel 17e9f454a328854e78537bedbb8fcae9055137a4 127.0.2.3 21102 @ mymaster 127.0.2.1 21000',
  ],
  [1737, '2', '+switch-master', 'mymaster 127.0.2.1 21000 127.0.2.3 21002'],
  [2568, '3', '+slave-reconf-inprog', 'slave 127.0.2.5:21004 127.0.2.5 21004 @ mymaster 127.0.2.1 21000'],
  [2568, '3', '+slave-reconf-done', 'slave 127.0.2.5:21004 127.0.2.5 21004 @ mymaster 127.0.2.1 21000'],
  [2636, '3', '-odown', 'master mymaster 127.0.2.1 21000'],
  [2636, '3', '+slave-reconf-sent', 'slave 127.0.2.4:21003 127.0.2.4 21003 @ mymaster 127.0.2.1 21000'],
  [2715, '2', '+sdown', 'slave 127.0.2.1:21000 127.0.2.1 21000 @ mymaster 127.0.2.3 21002'],
  [2715, '1', '+sdown', 'slave 127.0.2.1:21000 127.0.2.1 21000 @ mymaster 127.0.2.3 21002'],
  [3635, '3', '+slave-reconf-inprog', 'slave 127.0.2.4:21003 127.0.2.4 21003 @ mymaster 127.0.2.1 21000'],
  [3635, '3', '+slave-reconf-done', 'slave 127.0.2.4:21003 127.0.2.4 21003 @ mymaster 127.0.2.1 21000'],
  [3699, '3', '+slave-reconf-sent', 'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.1 21000'],
  [4716, '3', '+slave-reconf-inprog', 'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.1 21000'],
  [5558, '3', '+sdown', 'slave 127.0.2.3:21002 127.0.2.3 21002 @ mymaster 127.0.2.1 21000'],
  [5730, '2', '+sdown', 'master mymaster 127.0.2.3 21002'],
  [5730, '2', '+odown', 'master mymaster 127.0.2.3 21002 #quorum 3/2'],
  [5731, '2', '+new-epoch', '2'],
  [5731, '2', '+try-failover', 'master mymaster 127.0.2.3 21002'],
  [5731, '2', '+vote-for-leader', '3b4ad930b95b0c326e8c0f727d64f6ddf2014ae5 2'],
  [5732, '1', '+sdown', 'master mymaster 127.0.2.3 21002'],
  [5732, '1', '+odown', 'master mymaster 127.0.2.3 21002 #quorum 3/2'],
  [5732, '1', '+new-epoch', '2'],
  [5732, '1', '+try-failover', 'master mymaster 127.0.2.3 21002'],
  [5732, '1', '+vote-for-leader', 'a1f3ef780b70146d7cbc4eab65151ab208e1d454 2'],
  [5894, '3', '+new-epoch', '2'],
  [15609, '2', '-failover-abort-not-elected', 'master mymaster 127.0.2.3 21002'],
  [16578, '1', '-failover-abort-not-elected', 'master mymaster 127.0.2.3 21002'],
];

describe('overlapping failovers of one master (captured: a replica or the leader killed mid-failover)', () => {
  const topology = buildTopology({ redis: 5, sentinels: 3 }, 21000, 'hosts');
  const runIds: Record<string, string> = {
    b5c617dabc91ffea003ea756140044e2740617f1: 'sentinel-1',
    '7415dee549a11a0ee92c98ff4fc190e15d8151a8': 'sentinel-2',
    '497eddc2720fc5ee340177f13ccd752a427c8a58': 'sentinel-2',
    fdab6eeb72ec5c05e36b79ca0af95e0dbdac1cd4: 'sentinel-3',
    '17e9f454a328854e78537bedbb8fcae9055137a4': 'sentinel-3',
    '58d2eaffc87fe5e3fb89700c861c1388c1faa1f0': 'sentinel-3',
  };
  const T0 = 1_000_000;
  const parse = (rows: Row[], from = 1) =>
    rows.map(([ms, s, channel, payload], i) =>
      parseSentinelEvent(
        { channel, payload, sentinelId: `sentinel-${s}`, at: T0 + ms, seq: from + i },
        (ip, port) => nodeIdByAddress(topology, ip, port),
        (runId) => runIds[runId],
      ),
    );
  const c: TimelineContext = {
    ...ctx,
    quorum: 2,
    parallelSyncs: 1,
    lastFault: { at: T0 - 1086, description: 'kill redis-1' },
  };

  it('the attempt whose replica died keeps its epoch, leader and replica; the next epoch is its own timeline', () => {
    const t = fold(parse(REPLICA_KILLED), c);
    assert.equal(t.length, 2);
    const [first, second] = t as [FailoverTimeline, FailoverTimeline];
    assert.deepEqual(
      [first.epoch, first.leaderId, first.newMasterId, first.outcome, first.abortChannel, first.cause],
      [1, 'sentinel-3', 'redis-2', 'aborted', '-failover-abort-slave-timeout', 'kill redis-1'],
    );
    assert.equal(first.phases.promoted, undefined);
    assert.equal(first.phases['switch-master'], undefined);
    assert.deepEqual(
      [second.epoch, second.leaderId, second.newMasterId, second.outcome, second.oldMasterId],
      [2, 'sentinel-2', 'redis-5', 'completed', 'redis-1'],
    );
    assert.equal(second.startedAt, T0 + 20_593, 'from the +try-failover of epoch 2');
    assert.deepEqual(Object.keys(second.switchedBy).sort(), ['sentinel-1', 'sentinel-2', 'sentinel-3']);
    assert.deepEqual(second.reconfigured, ['redis-4', 'redis-3']);
    assert.equal(second.attempts, undefined);
    assert.equal(timelineTitle(first), 'failover of redis-1 -> redis-2 (epoch 1), aborted');
    assert.equal(timelineTitle(second), 'failover of redis-1 -> redis-5 (epoch 2)');
    assert.match(formatTimeline(second).join('\n'), /\+elected-leader {2}[\d.]+ s {2}sentinel-2 \(epoch 2\)/);
  });

  it("without the leader's abort, the later epoch supersedes the attempt instead of taking it over", () => {
    // sentinel-3 gone after selecting redis-2 (watch2.jsonl of the report): its abort never comes.
    const rows = REPLICA_KILLED.filter(([, , channel]) => channel !== '-failover-abort-slave-timeout');
    const t = fold(parse(rows), c);
    assert.equal(t.length, 2);
    const [first, second] = t as [FailoverTimeline, FailoverTimeline];
    assert.deepEqual(
      [first.epoch, first.leaderId, first.newMasterId, first.outcome, first.done],
      [1, 'sentinel-3', 'redis-2', 'superseded', true],
    );
    assert.equal(first.aborted, 'superseded by epoch 2: sentinel-2 started another failover of redis-1');
    assert.equal(first.closedAt, T0 + 20_593);
    assert.equal(failoverRecord(first).status, 'superseded');
    assert.equal(timelineTitle(first), 'failover of redis-1 -> redis-2 (epoch 1), superseded');
    assert.deepEqual(
      [second.epoch, second.leaderId, second.newMasterId, second.outcome],
      [2, 'sentinel-2', 'redis-5', 'completed'],
    );
  });

  it('an earlier attempt still open when the switch comes is closed by it, its replica kept', () => {
    // Neither the abort nor the epoch-2 +try-failover seen (the lab subscribed late): +switch-master names redis-5.
    const rows = REPLICA_KILLED.filter(
      ([ms, , channel]) =>
        channel !== '-failover-abort-slave-timeout' &&
        !(ms >= 20_592 && ms <= 20_674 && channel !== '+vote-for-leader'),
    );
    const t = fold(parse(rows), c);
    const first = t[0] as FailoverTimeline;
    assert.deepEqual([first.epoch, first.newMasterId, first.outcome], [1, 'redis-2', 'superseded']);
    assert.match(first.aborted ?? '', /the Sentinels switched to redis-5/);
    const last = t.at(-1) as FailoverTimeline;
    assert.equal(last.newMasterId, 'redis-5');
    assert.equal(last.outcome, 'completed');
  });

  it('the leader killed after +promoted-slave: done once a Sentinel sees it down after the switch', () => {
    const events = parse(LEADER_KILLED);
    const t = fold(events, c);
    assert.equal(t.length, 1);
    const [f] = t as [FailoverTimeline];
    assert.deepEqual(
      [f.epoch, f.leaderId, f.newMasterId, f.done, f.outcome],
      [1, 'sentinel-1', 'redis-3', true, 'switched'],
    );
    assert.equal(f.aborted, undefined, 'it succeeded');
    assert.equal(f.closedAt, T0 + 2467, 'at the first +sdown of sentinel-1');
    assert.equal(
      f.note,
      'the Sentinels switched to redis-3, but no +failover-end came: its leader sentinel-1 went down (+sdown seen by sentinel-2)',
    );
    assert.deepEqual(Object.keys(f.switchedBy).sort(), ['sentinel-2', 'sentinel-3']);
    const r = failoverRecord(f);
    assert.equal(r.status, 'switched');
    assert.equal(r.reason, f.note);
    assert.equal(timelineTitle(f), 'failover of redis-1 -> redis-3 (epoch 1), done, no +failover-end from the leader');
    assert.equal(formatTimeline(f).at(-1), `done, no +failover-end from the leader  ${f.note}`);
  });

  it('the leader gone unseen: done after failover-timeout of the promotion, not before; its +failover-end wins', () => {
    const rows = LEADER_KILLED.filter(
      ([, , channel, payload]) => !(channel === '+sdown' && payload.startsWith('sentinel')),
    );
    const t = fold(parse(rows), c);
    assert.equal(t[0]?.done, false);
    const promoted = T0 + 1238;
    assert.equal(settleTimelines(t, promoted + 10_000 + END_GRACE_MS - 1, c), t, 'the leader may still end it');
    const settled = settleTimelines(t, promoted + 10_000 + END_GRACE_MS, c);
    const f = settled[0] as FailoverTimeline;
    assert.deepEqual([f.done, f.outcome, f.closedAt], [true, 'switched', promoted + 10_000 + END_GRACE_MS]);
    assert.match(f.note ?? '', /its leader sentinel-1 sent none within failover-timeout \(10\.00 s\) of the promotion/);
    // A leader that was only slow: its own end makes it completed.
    const late = updateTimelines(
      settled,
      parse([[14_000, '1', '+failover-end', 'master mymaster 127.0.2.1 21000']], 900)[0] as SentinelEvent,
      c,
    );
    assert.deepEqual([late[0]?.outcome, late[0]?.note, late[0]?.closedAt], ['completed', undefined, T0 + 14_000]);
  });

  it('the leader silent after selecting its replica: abandoned at failover-timeout of the selection, not before', () => {
    // sentinel-3 gone after +failover-state-wait-promotion (its abort never comes); settled as time passes.
    const rows = REPLICA_KILLED.filter(([, , channel]) => channel !== '-failover-abort-slave-timeout');
    const before = fold(parse(rows.filter(([ms]) => ms < 20_592)), c);
    assert.equal(before.length, 1);
    const selected = T0 + 322;
    const deadline = selected + 10_000 + END_GRACE_MS;
    assert.equal(settleTimelines(before, deadline - 1, c), before, 'the leader may still promote or abort');
    const settled = settleTimelines(before, deadline, c);
    const first = settled[0] as FailoverTimeline;
    assert.deepEqual(
      [first.done, first.outcome, first.closedAt, first.epoch, first.leaderId, first.newMasterId],
      [true, 'abandoned', deadline, 1, 'sentinel-3', 'redis-2'],
    );
    assert.equal(
      first.aborted,
      'its leader sentinel-3 neither promoted a replica nor aborted within failover-timeout (10.00 s) of selecting redis-2: it went down or was cut off',
    );
    assert.equal(failoverRecord(first).status, 'abandoned');
    assert.equal(timelineTitle(first), 'failover of redis-1 -> redis-2 (epoch 1), abandoned, its leader went silent');
    // Epoch 2, 2 x failover-timeout later: an attempt of its own; the abandoned one is not superseded.
    const t = fold(
      parse(
        rows.filter(([ms]) => ms >= 20_592),
        500,
      ),
      c,
      settled,
    );
    assert.equal(t.length, 2);
    assert.deepEqual([t[0]?.outcome, t[0]?.closedAt], ['abandoned', deadline]);
    assert.deepEqual(
      [t[1]?.epoch, t[1]?.leaderId, t[1]?.newMasterId, t[1]?.outcome],
      [2, 'sentinel-2', 'redis-5', 'completed'],
    );
    assert.equal(t[1]?.cause, 'kill redis-1', 'the same outage');
  });

  it('elected and silent before selecting: abandoned at failover-timeout of the election', () => {
    const rows = REPLICA_KILLED.filter(([ms]) => ms <= 261);
    const t = fold(parse(rows), c);
    const elected = T0 + 261;
    assert.equal(settleTimelines(t, elected + 10_000 + END_GRACE_MS - 1, c), t);
    const f = settleTimelines(t, elected + 10_000 + END_GRACE_MS, c)[0] as FailoverTimeline;
    assert.equal(f.outcome, 'abandoned');
    assert.match(f.aborted ?? '', /within failover-timeout \(10\.00 s\) of its election/);
  });

  it("the abandoned attempt's leader speaking again: its abort makes it aborted, its promotion reopens it", () => {
    const rows = REPLICA_KILLED.filter(([ms]) => ms <= 379);
    const settled = settleTimelines(fold(parse(rows), c), T0 + 322 + 10_000 + END_GRACE_MS, c);
    assert.equal(settled[0]?.outcome, 'abandoned');
    const late = (row: Row) => updateTimelines(settled, parse([row], 900)[0] as SentinelEvent, c);
    const aborted = late([12_500, '3', '-failover-abort-slave-timeout', 'master mymaster 127.0.2.1 21000']);
    assert.deepEqual(
      [aborted[0]?.outcome, aborted[0]?.abortChannel, aborted[0]?.closedAt],
      ['aborted', '-failover-abort-slave-timeout', T0 + 12_500],
    );
    const promoted = late([
      12_500,
      '3',
      '+promoted-slave',
      'slave 127.0.2.2:21001 127.0.2.2 21001 @ mymaster 127.0.2.1 21000',
    ]);
    assert.deepEqual(
      [promoted[0]?.done, promoted[0]?.outcome, promoted[0]?.aborted, promoted[0]?.phases.promoted],
      [false, undefined, undefined, T0 + 12_500],
    );
    // Another Sentinel's abort is not the leader's word.
    const other = late([12_500, '1', '-failover-abort-slave-timeout', 'master mymaster 127.0.2.1 21000']);
    assert.equal(other[0]?.outcome, 'abandoned');
  });

  it("a late abort from the superseded attempt's leader does not end the next attempt", () => {
    const rows = REPLICA_KILLED.filter(
      ([ms, , channel]) => channel !== '-failover-abort-slave-timeout' && ms <= 20_632,
    );
    const t = fold(
      parse([...rows, [20_640, '3', '-failover-abort-slave-timeout', 'master mymaster 127.0.2.1 21000']]),
      c,
    );
    assert.equal(t.length, 2);
    assert.equal(t[0]?.outcome, 'superseded');
    assert.deepEqual([t[1]?.done, t[1]?.epoch, t[1]?.outcome], [false, 2, undefined]);
  });

  it('the promoted replica killed right after its promotion: switched, and done after failover-timeout', () => {
    const t = fold(parse(PROMOTED_KILLED), c);
    assert.equal(t.length, 2);
    const [first, second] = t as [FailoverTimeline, FailoverTimeline];
    assert.deepEqual([first.epoch, first.leaderId, first.newMasterId, first.done], [1, 'sentinel-3', 'redis-3', false]);
    assert.deepEqual(
      [second.oldMasterId, second.epoch, second.leaderId, second.outcome],
      ['redis-3', 2, undefined, 'no-majority'],
    );
    // sentinelFailoverDetectEnd waits while the promoted replica is SDOWN: no +failover-end will come.
    const settled = settleTimelines(t, T0 + 1585 + 10_000 + END_GRACE_MS, c);
    assert.equal(settled[0]?.outcome, 'switched');
    assert.equal(settled[1], t[1]);
  });

  it('a switch seen without its leader (watch attached late) closes after failover-timeout of the switch', () => {
    const t = fold(parse(LEADER_KILLED.filter(([ms]) => ms >= 1300)), c);
    assert.equal(t.length, 1);
    assert.deepEqual([t[0]?.done, t[0]?.leaderId, t[0]?.newMasterId], [false, undefined, 'redis-3']);
    const switched = T0 + 1323;
    assert.equal(settleTimelines(t, switched + 10_000 + END_GRACE_MS - 1, c), t);
    const f = settleTimelines(t, switched + 10_000 + END_GRACE_MS, c)[0];
    assert.equal(f?.outcome, 'switched');
    assert.match(f?.note ?? '', /the leader sent none within failover-timeout \(10\.00 s\) of the switch$/);
  });

  it('a retried election after the supersede joins the new attempt; the superseded one keeps its epoch', () => {
    // As in the report (epoch 2 -> 4): epoch 2 finds no majority, epoch 3 is elected.
    const rows = REPLICA_KILLED.filter(([ms, , channel]) => channel !== '-failover-abort-slave-timeout' && ms < 20_000);
    const M1 = 'master mymaster 127.0.2.1 21000';
    const t = fold(
      parse([
        ...rows,
        [20_592, '1', '+new-epoch', '2'],
        [20_593, '1', '+try-failover', M1],
        [20_593, '1', '+vote-for-leader', 'b5c617dabc91ffea003ea756140044e2740617f1 2'],
        [30_600, '1', '-failover-abort-not-elected', M1],
        [40_600, '2', '+new-epoch', '3'],
        [40_600, '2', '+try-failover', M1],
        [40_601, '2', '+vote-for-leader', '7415dee549a11a0ee92c98ff4fc190e15d8151a8 3'],
        [40_620, '3', '+new-epoch', '3'],
        [40_620, '3', '+vote-for-leader', '7415dee549a11a0ee92c98ff4fc190e15d8151a8 3'],
        [40_680, '2', '+elected-leader', M1],
        [40_760, '2', '+selected-slave', 'slave 127.0.2.5:21004 127.0.2.5 21004 @ mymaster 127.0.2.1 21000'],
        [40_820, '2', '+promoted-slave', 'slave 127.0.2.5:21004 127.0.2.5 21004 @ mymaster 127.0.2.1 21000'],
        [40_900, '1', '+switch-master', 'mymaster 127.0.2.1 21000 127.0.2.5 21004'],
      ]),
      c,
    );
    assert.equal(t.length, 2);
    assert.deepEqual(
      [t[0]?.epoch, t[0]?.leaderId, t[0]?.newMasterId, t[0]?.outcome],
      [1, 'sentinel-3', 'redis-2', 'superseded'],
    );
    assert.equal(t[0]?.aborted, 'superseded by epoch 2: sentinel-1 started another failover of redis-1');
    assert.deepEqual([t[1]?.epoch, t[1]?.leaderId, t[1]?.newMasterId, t[1]?.done], [3, 'sentinel-2', 'redis-5', false]);
    assert.deepEqual(
      t[1]?.attempts?.map((a) => [a.epoch, a.outcome]),
      [[2, 'no-majority']],
    );
    assert.deepEqual(Object.keys(t[1]?.switchedBy ?? {}), ['sentinel-1']);
  });

  for (const leaderSeenDown of [true, false]) {
    it(`a later failover of the new master (f) is its own timeline (leader +sdown ${leaderSeenDown ? 'seen' : 'not seen'}): the old one keeps its epoch`, () => {
      const rows = leaderSeenDown
        ? LEADER_KILLED
        : LEADER_KILLED.filter(([, , channel, payload]) => !(channel === '+sdown' && payload.startsWith('sentinel')));
      const t = fold(parse(rows), c);
      // SENTINEL FAILOVER mymaster on sentinel-2 (the `f` key), as Sentinel publishes it (sentinel.c sentinelStartFailover).
      const M3 = 'master mymaster 127.0.2.3 21002';
      const next = fold(
        parse(
          [
            [30_000, '2', '+new-epoch', '2'],
            [30_000, '2', '+try-failover', M3],
            [30_001, '2', '+vote-for-leader', '497eddc2720fc5ee340177f13ccd752a427c8a58 2'],
            [30_001, '2', '+elected-leader', M3],
            [30_050, '2', '+selected-slave', 'slave 127.0.2.4:21003 127.0.2.4 21003 @ mymaster 127.0.2.3 21002'],
          ],
          500,
        ),
        c,
        t,
      );
      assert.equal(next.length, 2);
      assert.deepEqual(
        failoverRecord(next[0] as FailoverTimeline),
        failoverRecord(t[0] as FailoverTimeline),
        'as it was',
      );
      assert.deepEqual([next[0]?.epoch, next[0]?.newMasterId], [1, 'redis-3']);
      assert.deepEqual(
        [next[1]?.epoch, next[1]?.leaderId, next[1]?.oldMasterId, next[1]?.newMasterId],
        [2, 'sentinel-2', 'redis-3', 'redis-4'],
      );
    });
  }
});
