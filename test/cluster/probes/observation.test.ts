// The probes' pure halves: building observations from captured replies, and the change-detection keys.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { monitorOptions, PROBE_TIMEOUTS, subscriberOptions } from '../../../src/cluster/probes/probe-options.js';
import {
  BUSY_BYTES_PER_SEC,
  redisBusy,
  redisObservation,
  redisSettleKey,
} from '../../../src/cluster/probes/redis-probe.js';
import {
  sentinelObservation,
  sentinelObservationKey,
  sentinelSettleKey,
} from '../../../src/cluster/probes/sentinel-probe.js';
import { buildTopology, nodeIdByAddress } from '../../../src/cluster/topology.js';
import { fixtureJson, fixtureText } from '../../fixtures/fixtures.js';

const topology = buildTopology({ redis: 3, sentinels: 3 }, 27050, 'single-ip');
const resolve = (ip: string, port: number) => nodeIdByAddress(topology, ip, port);

describe('redisObservation', () => {
  it('master: replicas resolved, guard settings, masterauth presence, keys', () => {
    const info = `${fixtureText('info-server-master.txt')}\r\n${fixtureText('info-replication-master.txt')}`;
    const o = redisObservation('redis-1', 5, { info, config: fixtureJson('config-get.json'), dbsize: 50 }, resolve);
    assert.equal(o.reachable, true);
    assert.equal(o.at, 5);
    assert.match(o.runId ?? '', /^[0-9a-f]{40}$/);
    assert.equal(o.replication?.role, 'master');
    assert.deepEqual(
      o.replication?.replicas.map((r) => r.nodeId),
      ['redis-3', 'redis-2'],
    );
    assert.equal(o.masterId, undefined);
    assert.equal(o.minReplicasToWrite, 1);
    assert.equal(o.minReplicasMaxLagSec, 10);
    assert.equal(o.hasMasterauth, true);
    assert.equal(o.keys, 50);
  });

  it('replica: master id resolved; missing CONFIG/DBSIZE replies leave fields out', () => {
    const o = redisObservation('redis-2', 5, { info: fixtureText('info-replication-replica-up.txt') }, resolve);
    assert.equal(o.masterId, 'redis-1');
    assert.equal(o.minReplicasToWrite, undefined);
    assert.equal(o.hasMasterauth, undefined);
    assert.equal(o.keys, undefined);
  });

  it('Valkey spellings: primaryauth, min-slaves aliases', () => {
    const o = redisObservation(
      'redis-2',
      5,
      {
        info: fixtureText('valkey-style-primary-names-replica.txt'),
        config: ['primaryauth', '', 'min-slaves-to-write', '2', 'min-slaves-max-lag', '5'],
      },
      (ip, port) => (ip === '127.0.2.1' && port === 27050 ? 'redis-1' : undefined),
    );
    assert.equal(o.masterId, 'redis-1');
    assert.equal(o.hasMasterauth, false);
    assert.equal(o.minReplicasToWrite, 2);
    assert.equal(o.minReplicasMaxLagSec, 5);
    assert.equal(o.runId, '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c');
  });
});

describe('redis cadence keys', () => {
  const master = () => {
    const info = `${fixtureText('info-server-master.txt')}\r\n${fixtureText('info-replication-master.txt')}`;
    return redisObservation('redis-1', 1000, { info, config: fixtureJson('config-get.json'), dbsize: 50 }, resolve);
  };

  it('offsets, ACK ages and the key count are no change of state; a replica state or role is', () => {
    const a = master();
    const b = structuredClone(a);
    assert.ok(b.replication && a.replication);
    b.replication.masterReplOffset += 5000;
    for (const r of b.replication.replicas) {
      r.ackOffset += 4000;
      r.ackAgeSec += 1;
    }
    b.keys = 51;
    assert.equal(redisSettleKey(b), redisSettleKey(a));
    const c = structuredClone(a);
    const first = c.replication?.replicas[0];
    assert.ok(first);
    first.state = 'wait_bgsave';
    assert.notEqual(redisSettleKey(c), redisSettleKey(a));
    assert.notEqual(redisSettleKey({ ...a, reachable: false, error: 'connect ECONNREFUSED' }), redisSettleKey(a));
    assert.notEqual(redisSettleKey({ ...a, minReplicasToWrite: 2 }), redisSettleKey(a));
  });

  it('busy: replication traffic above the idle chatter of hellos and pings', () => {
    const a = master();
    const offset = a.replication?.masterReplOffset ?? 0;
    const later = (ms: number, bytes: number) => {
      const b = structuredClone(a);
      b.at = a.at + ms;
      if (b.replication) b.replication.masterReplOffset = offset + bytes;
      return b;
    };
    assert.equal(redisBusy(a, later(2000, 600)), false, 'Sentinel hellos: a few hundred bytes a second');
    assert.equal(redisBusy(a, later(500, BUSY_BYTES_PER_SEC)), true, 'a write load');
    assert.equal(redisBusy(a, later(0, 10_000)), false, 'no time passed: no rate');
    assert.equal(redisBusy(a, { ...later(500, 0), replication: undefined }), false, 'unreachable');
  });
});

describe('sentinelObservation', () => {
  for (const mapping of ['legacy', 'resp3'] as const) {
    it(`builds from ${mapping} replies`, () => {
      const o = sentinelObservation(
        'sentinel-1',
        9,
        {
          masterAddr: fixtureJson(`sentinel-get-master-addr.${mapping}.json`),
          master: fixtureJson(`sentinel-master.${mapping}.json`),
          replicas: fixtureJson(`sentinel-replicas.${mapping}.json`),
          sentinels: fixtureJson(`sentinel-sentinels.${mapping}.json`),
          info: fixtureText('info-sentinel.txt'),
          myId: fixtureJson(`sentinel-myid.${mapping}.json`),
        },
        resolve,
      );
      assert.deepEqual(o.masterAddr, { ip: '127.0.0.1', port: 27050 });
      assert.equal(o.masterId, 'redis-1');
      assert.equal(o.master?.nodeId, 'redis-1');
      assert.deepEqual(o.replicas.map((r) => r.nodeId).sort(), ['redis-2', 'redis-3']);
      assert.deepEqual(o.sentinels.map((r) => r.nodeId).sort(), ['sentinel-2', 'sentinel-3']);
      assert.equal(o.info?.tilt, false);
      assert.match(o.runId ?? '', /^[0-9a-f]{40}$/);
      assert.match(o.myId ?? '', /^[0-9a-f]{40}$/);
      assert.notEqual(o.myId, o.runId, "Sentinel's myid is not its INFO run_id");
    });
  }

  it('an unknown master name gives an observation without master fields', () => {
    const o = sentinelObservation(
      'sentinel-1',
      1,
      { masterAddr: null, info: fixtureText('info-sentinel.txt') },
      resolve,
    );
    assert.equal(o.masterAddr, undefined);
    assert.equal(o.master, undefined);
    assert.deepEqual(o.replicas, []);
  });

  it('the change key ignores ms-ago counters but not flags', () => {
    const build = (master: unknown) => sentinelObservation('sentinel-1', 1, { master }, resolve);
    const a = fixtureJson<string[]>('sentinel-master.legacy.json');
    const b = a.slice();
    b[b.indexOf('last-ok-ping-reply') + 1] = '12';
    b[b.indexOf('info-refresh') + 1] = '7777';
    assert.equal(sentinelObservationKey(build(a)), sentinelObservationKey({ ...build(b), at: 99 }));
    const c = a.slice();
    c[c.indexOf('flags') + 1] = 's_down,master';
    assert.notEqual(sentinelObservationKey(build(a)), sentinelObservationKey(build(c)));
  });

  it("a replica's offset is news (emitted) but no change of state (cadence)", () => {
    const build = (replica: string[]) => sentinelObservation('sentinel-1', 1, { replicas: [replica] }, resolve);
    const a = [
      'name',
      '127.0.0.1:27051',
      'ip',
      '127.0.0.1',
      'port',
      '27051',
      'flags',
      'slave',
      'slave-repl-offset',
      '100',
    ];
    const b = a.slice();
    b[b.indexOf('slave-repl-offset') + 1] = '4100';
    assert.notEqual(sentinelObservationKey(build(a)), sentinelObservationKey(build(b)));
    assert.equal(sentinelSettleKey(build(a)), sentinelSettleKey(build(b)));
    const c = a.slice();
    c[c.indexOf('flags') + 1] = 's_down,slave,disconnected';
    assert.notEqual(sentinelSettleKey(build(a)), sentinelSettleKey(build(c)));
  });
});

describe('probe options', () => {
  it('monitor clients fail fast and reconnect at a constant pace', () => {
    const o = monitorOptions({ host: 'h', port: 1, password: 'redis', connectionName: 'x' });
    assert.equal(o.lazyConnect, true);
    assert.equal(o.enableOfflineQueue, false);
    assert.equal(o.maxRetriesPerRequest, 0);
    assert.equal(o.commandTimeout, PROBE_TIMEOUTS.commandTimeoutMs);
    assert.equal(o.socketTimeout, PROBE_TIMEOUTS.socketTimeoutMs);
    const retry = o.retryStrategy as (n: number) => number;
    assert.equal(retry(1), retry(50));
    assert.equal(o.password, 'redis');
  });
  it('subscribers keep their socket through a freeze and resubscribe themselves', () => {
    const o = subscriberOptions({ host: 'h', port: 1, connectionName: 'x' });
    assert.equal(o.socketTimeout, undefined);
    assert.equal(o.autoResubscribe, false);
    assert.equal(o.password, undefined);
  });
});
