// Failover timelines from the captured 7.0.15 failover and from synthetic edge cases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SentinelEvent } from '../../../src/cluster/events.js';
import {
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

function fold(events: SentinelEvent[], c: TimelineContext = ctx): FailoverTimeline[] {
  let t: FailoverTimeline[] = [];
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
