// Replication lag from master and replica observations (facts §5.3).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeLags } from '../../../src/cluster/observe/lag.js';
import type { RedisObservation, ReplicationInfo } from '../../../src/cluster/observe/types.js';
import { redisObservation } from '../../../src/cluster/probes/redis-probe.js';
import { buildTopology, nodeIdByAddress } from '../../../src/cluster/topology.js';
import { fixtureJson, fixtureText } from '../../fixtures/fixtures.js';

// The capture's layout: redis-1..3 on 127.0.0.1:27050..27052.
const captured = buildTopology({ redis: 3, sentinels: 3 }, 27050, 'single-ip');
const res = (ip: string, port: number) => nodeIdByAddress(captured, ip, port);
const obs = (id: string, info: string, config?: unknown): RedisObservation =>
  redisObservation(id, 1, { info: fixtureText(info), config }, res);

describe('computeLags on captured INFO', () => {
  it('healthy: both replicas acknowledged everything', () => {
    const lags = computeLags(captured, {
      'redis-1': obs('redis-1', 'info-replication-master.txt', fixtureJson('config-get.json')),
      'redis-2': obs('redis-2', 'info-replication-replica-up.txt'),
      'redis-3': obs('redis-3', 'info-replication-replica-up.txt'),
    });
    assert.deepEqual(lags, [
      {
        replicaId: 'redis-2',
        masterId: 'redis-1',
        lagBytes: 0,
        linkUp: true,
        isGood: true,
        syncing: false,
        ackAgeSec: 0,
      },
      {
        replicaId: 'redis-3',
        masterId: 'redis-1',
        lagBytes: 0,
        linkUp: true,
        isGood: true,
        syncing: false,
        ackAgeSec: 0,
      },
    ]);
  });

  it('a replica in full sync is behind, not good, and marked syncing', () => {
    const lags = computeLags(captured, {
      'redis-1': obs('redis-1', 'info-replication-master-with-syncing.txt'),
      'redis-2': obs('redis-2', 'info-replication-replica-up.txt'),
      'redis-3': obs('redis-3', 'info-replication-replica-syncing.txt'),
    });
    const r3 = lags.find((l) => l.replicaId === 'redis-3');
    assert.deepEqual(r3, {
      replicaId: 'redis-3',
      masterId: 'redis-1',
      lagBytes: 1581,
      linkUp: false,
      isGood: false,
      syncing: true,
      ackAgeSec: 0,
    });
  });

  it('master gone: no lag is computable for its replicas', () => {
    const lags = computeLags(captured, {
      'redis-1': { id: 'redis-1', at: 1, reachable: false, error: 'connect ECONNREFUSED 127.0.0.1:27050' },
      'redis-2': obs('redis-2', 'info-replication-replica-down.txt'),
    });
    assert.deepEqual(lags, []);
  });
});

const hosts = buildTopology({ redis: 3, sentinels: 3 }, 6379, 'hosts');
const master = (replicas: ReplicationInfo['replicas'], offset = 1000): RedisObservation => ({
  id: 'redis-1',
  at: 1,
  reachable: true,
  minReplicasMaxLagSec: 10,
  replication: { role: 'master', masterReplOffset: offset, connectedReplicas: replicas.length, replicas },
});
const replica = (
  id: string,
  offset: number,
  link: 'up' | 'down',
  extra: Partial<ReplicationInfo> = {},
): RedisObservation => ({
  id,
  at: 1,
  reachable: true,
  replication: {
    role: 'replica',
    masterReplOffset: offset,
    connectedReplicas: 0,
    replicas: [],
    masterHost: '127.0.2.1',
    masterPort: 6379,
    masterLinkStatus: link,
    replicaOffset: offset,
    ...extra,
  },
});

describe('computeLags edge cases (hosts mode)', () => {
  it('resolves public (127.0.2.x) and private (127.0.1.x) replica addresses', () => {
    const lags = computeLags(hosts, {
      'redis-1': master([
        { ip: '127.0.2.2', port: 6380, state: 'online', ackOffset: 986, ackAgeSec: 1 },
        { ip: '127.0.1.3', port: 6381, state: 'online', ackOffset: 1000, ackAgeSec: 0 },
      ]),
      'redis-2': replica('redis-2', 990, 'up'),
      'redis-3': replica('redis-3', 1000, 'up', { masterHost: '127.0.1.1' }),
    });
    assert.deepEqual(
      lags.map((l) => [l.replicaId, l.masterId, l.lagBytes, l.ackAgeSec, l.isGood]),
      [
        ['redis-2', 'redis-1', 14, 1, true],
        ['redis-3', 'redis-1', 0, 0, true],
      ],
    );
  });

  it('a frozen replica is known from the master: ACK age grows past max-lag, no longer good', () => {
    const lags = computeLags(hosts, {
      'redis-1': master([{ ip: '127.0.2.2', port: 6380, state: 'online', ackOffset: 700, ackAgeSec: 12 }]),
      'redis-2': { id: 'redis-2', at: 1, reachable: false, error: 'Command timed out' },
    });
    assert.deepEqual(lags, [
      {
        replicaId: 'redis-2',
        masterId: 'redis-1',
        lagBytes: 300,
        linkUp: true,
        isGood: false,
        syncing: false,
        ackAgeSec: 12,
      },
    ]);
  });

  it("when the master no longer lists the replica, its own offset is used and the link's down time shown", () => {
    const lags = computeLags(hosts, {
      'redis-1': master([]),
      'redis-2': replica('redis-2', 600, 'down', { masterLinkDownSinceSec: 7 }),
    });
    assert.deepEqual(lags, [
      {
        replicaId: 'redis-2',
        masterId: 'redis-1',
        lagBytes: 400,
        linkUp: false,
        isGood: false,
        syncing: false,
        linkDownSec: 7,
      },
    ]);
  });

  it('a stale master still listing a replica that moved on does not override the replica', () => {
    const lags = computeLags(hosts, {
      'redis-1': master([{ ip: '127.0.2.3', port: 6381, state: 'online', ackOffset: 10, ackAgeSec: 0 }], 50),
      'redis-2': {
        ...master([{ ip: '127.0.2.3', port: 6381, state: 'online', ackOffset: 2000, ackAgeSec: 0 }], 2000),
        id: 'redis-2',
      },
      'redis-3': replica('redis-3', 2000, 'up', { masterHost: '127.0.2.2', masterPort: 6380 }),
    });
    assert.deepEqual(
      lags.map((l) => [l.replicaId, l.masterId, l.lagBytes]),
      [['redis-3', 'redis-2', 0]],
    );
  });

  it('uses the default max-lag of 10 s when CONFIG GET was not available', () => {
    const m = master([{ ip: '127.0.2.2', port: 6380, state: 'online', ackOffset: 1000, ackAgeSec: 10 }]);
    delete m.minReplicasMaxLagSec;
    assert.equal(computeLags(hosts, { 'redis-1': m })[0]?.isGood, true);
  });
});
