// Grouping the same event from several Sentinels, immutably.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SentinelEvent } from '../../../src/cluster/events.js';
import { appendToGroups } from '../../../src/cluster/observe/event-groups.js';
import { parseSentinelEvent } from '../../../src/cluster/observe/sentinel-events.js';
import type { EventGroup } from '../../../src/cluster/observe/types.js';
import { buildTopology, nodeIdByAddress } from '../../../src/cluster/topology.js';
import { fixtureJson, type RecordedFailover } from '../../fixtures/fixtures.js';

const topology = buildTopology({ redis: 3, sentinels: 3 }, 6379, 'hosts');
const resolve = (ip: string, port: number) => nodeIdByAddress(topology, ip, port);
let seq = 0;
const ev = (sentinelId: string, channel: string, payload: string, at: number): SentinelEvent =>
  parseSentinelEvent({ channel, payload, sentinelId, at, seq: ++seq }, resolve);
const opts = { windowMs: 1500, limit: 100 };
const SDOWN = 'master mymaster 127.0.2.1 6379';

describe('appendToGroups', () => {
  it('after a reset, an event of the fresh cluster never joins a group from before it', () => {
    const before = appendToGroups([], [ev('sentinel-1', '+sdown', SDOWN, 1000)], opts);
    const lastSeq = seq;
    const after = ev('sentinel-2', '+sdown', SDOWN, 1100);
    assert.equal(appendToGroups(before, [after], opts).length, 1, 'without the reset it joins');
    const g = appendToGroups(before, [after], { ...opts, closedUpToSeq: lastSeq });
    assert.deepEqual(
      g.map((x) => x.sentinelIds),
      [['sentinel-1'], ['sentinel-2']],
    );
    // Within the fresh cluster, events still group.
    const g2 = appendToGroups(g, [ev('sentinel-3', '+sdown', SDOWN, 1150)], { ...opts, closedUpToSeq: lastSeq });
    assert.deepEqual(g2[1]?.sentinelIds, ['sentinel-2', 'sentinel-3']);
  });

  it('merges the same channel+payload from different Sentinels within the window', () => {
    const g = appendToGroups(
      [],
      [
        ev('sentinel-1', '+sdown', SDOWN, 1000),
        ev('sentinel-3', '+sdown', SDOWN, 1040),
        ev('sentinel-2', '+sdown', SDOWN, 1100),
      ],
      opts,
    );
    assert.equal(g.length, 1);
    const [group] = g;
    assert.deepEqual(group?.sentinelIds, ['sentinel-1', 'sentinel-3', 'sentinel-2']);
    assert.equal(group?.firstAt, 1000);
    assert.equal(group?.lastAt, 1100);
    assert.equal(group?.subjectId, 'redis-1');
    assert.equal(group?.seqs.length, 3);
    assert.equal(
      group?.gloss,
      'sentinel-1, sentinel-3, sentinel-2: thinks master redis-1 is down (SDOWN: no valid reply within down-after)',
    );
    assert.equal(group?.known, true);
    assert.equal(group?.severity, 'warning');
  });

  it('keeps apart: other channels, other payloads, late events and a repeat by the same Sentinel', () => {
    const g = appendToGroups(
      [],
      [
        ev('sentinel-1', '+sdown', SDOWN, 1000),
        ev('sentinel-2', '+odown', `${SDOWN} #quorum 2/2`, 1010),
        ev('sentinel-2', '+sdown', 'master mymaster 127.0.2.2 6380', 1020),
        ev('sentinel-1', '+sdown', SDOWN, 1030),
        ev('sentinel-3', '+sdown', SDOWN, 2600),
      ],
      opts,
    );
    assert.deepEqual(
      g.map((x) => `${x.channel} ${x.sentinelIds.join('+')}`),
      ['+sdown sentinel-1', '+odown sentinel-2', '+sdown sentinel-2', '+sdown sentinel-1', '+sdown sentinel-3'],
    );
    assert.equal(new Set(g.map((x) => x.key)).size, g.length, 'keys are unique');
  });

  it('is immutable: new array, untouched groups keep identity, changed ones are new objects', () => {
    const first = appendToGroups(
      [],
      [ev('sentinel-1', '+new-epoch', '1', 0), ev('sentinel-1', '+sdown', SDOWN, 10)],
      opts,
    );
    const snapshot = JSON.stringify(first);
    const second = appendToGroups(first, [ev('sentinel-2', '+sdown', SDOWN, 20)], opts);
    assert.notEqual(second, first);
    assert.equal(JSON.stringify(first), snapshot, 'input untouched');
    assert.equal(second[0], first[0], 'unchanged group keeps identity');
    assert.notEqual(second[1], first[1]);
    assert.deepEqual(second[1]?.sentinelIds, ['sentinel-1', 'sentinel-2']);
    assert.equal(appendToGroups(second, [], opts), second, 'nothing to add: same array');
  });

  it('keeps only the newest `limit` groups', () => {
    const events = Array.from({ length: 10 }, (_, i) => ev('sentinel-1', '+new-epoch', String(i), i * 10));
    const g = appendToGroups([], events, { windowMs: 1500, limit: 4 });
    assert.deepEqual(
      g.map((x) => x.payload),
      ['6', '7', '8', '9'],
    );
  });

  it('groups the captured failover: one +switch-master group from all three Sentinels within 1.5 s', () => {
    const rec = fixtureJson<RecordedFailover>('sentinel-events-failover.json');
    const byPort: Record<number, string> = {};
    for (const [id, port] of Object.entries(rec.ports)) byPort[port] = id;
    const events = rec.events.map((r, i) =>
      parseSentinelEvent({ ...r, at: r.t, seq: i }, (ip, port) => (ip === '127.0.0.1' ? byPort[port] : undefined)),
    );
    let groups: EventGroup[] = [];
    for (const e of events) groups = appendToGroups(groups, [e], opts);
    const switches = groups.filter((x) => x.channel === '+switch-master');
    assert.equal(switches.length, 1);
    assert.deepEqual([...(switches[0]?.sentinelIds ?? [])].sort(), ['sentinel-1', 'sentinel-2', 'sentinel-3']);
    const votes = groups.filter((x) => x.channel === '+vote-for-leader');
    assert.equal(votes.length, 1, 'all three voted for the same leader in the same epoch');
    assert.ok(groups.length < events.length);
  });
});
