// Parsers against replies captured from Redis 7.0.15 (and constructed Valkey-style variants).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fieldsOf,
  parseConfigGet,
  parseInfoSections,
  parseMasterAddr,
  parseReplicationInfo,
  parseRole,
  parseSentinelInfo,
  parseSentinelInstance,
  parseSentinelInstances,
  parseSentinelMaster,
  parseServerInfo,
} from '../../../src/cluster/observe/parse-info.js';
import { fixtureJson, fixtureText } from '../../fixtures/fixtures.js';

const ports: Record<number, string> = { 27050: 'redis-1', 27051: 'redis-2', 27052: 'redis-3', 27150: 'sentinel-1' };
const resolve = (ip: string, port: number) => (ip === '127.0.0.1' ? ports[port] : undefined);

describe('parseInfoSections', () => {
  it('skips headers and blank lines and splits on the first colon', () => {
    const f = parseInfoSections('# Server\r\nrun_id:abc\r\n\r\n# Replication\r\nslave0:ip=1.2.3.4,port=5\r\nx:a:b\r\n');
    assert.deepEqual(f, { run_id: 'abc', slave0: 'ip=1.2.3.4,port=5', x: 'a:b' });
  });
});

describe('parseReplicationInfo', () => {
  it('master with two online replicas and the min-replicas guard', () => {
    const r = parseReplicationInfo(fixtureText('info-replication-master.txt'), resolve);
    assert.equal(r.role, 'master');
    assert.equal(r.masterReplOffset, 1581);
    assert.equal(r.connectedReplicas, 2);
    assert.equal(r.goodReplicas, 2);
    assert.equal(r.replId, '5339c6e6dd97dc8d65b132055ec4372449ccc7b7');
    assert.deepEqual(r.replicas, [
      { ip: '127.0.0.1', port: 27052, state: 'online', ackOffset: 1581, ackAgeSec: 0, nodeId: 'redis-3' },
      { ip: '127.0.0.1', port: 27051, state: 'online', ackOffset: 1581, ackAgeSec: 0, nodeId: 'redis-2' },
    ]);
    assert.equal(r.masterHost, undefined);
  });

  it('master while one replica waits for its RDB', () => {
    const r = parseReplicationInfo(fixtureText('info-replication-master-with-syncing.txt'));
    assert.equal(r.goodReplicas, 1);
    assert.deepEqual(
      r.replicas.map((e) => [e.port, e.state, e.ackOffset]),
      [
        [27051, 'online', 1581],
        [27052, 'wait_bgsave', 0],
      ],
    );
    assert.equal(r.replicas[0]?.nodeId, undefined, 'no resolver, no ids');
  });

  it('replica with the link up', () => {
    const r = parseReplicationInfo(fixtureText('info-replication-replica-up.txt'));
    assert.equal(r.role, 'replica');
    assert.equal(r.masterHost, '127.0.0.1');
    assert.equal(r.masterPort, 27050);
    assert.equal(r.masterLinkStatus, 'up');
    assert.equal(r.masterLastIoSecAgo, 0);
    assert.equal(r.masterSyncInProgress, false);
    assert.equal(r.replicaOffset, 1581);
    assert.equal(r.masterLinkDownSinceSec, undefined);
    assert.deepEqual(r.replicas, []);
  });

  it('replica whose master was just killed', () => {
    const r = parseReplicationInfo(fixtureText('info-replication-replica-down.txt'));
    assert.equal(r.masterLinkStatus, 'down');
    assert.equal(r.masterLastIoSecAgo, -1);
    assert.equal(r.masterLinkDownSinceSec, 0);
    assert.equal(r.replicaOffset, 3324);
  });

  it('replica in a full sync', () => {
    const r = parseReplicationInfo(fixtureText('info-replication-replica-syncing.txt'));
    assert.equal(r.masterLinkStatus, 'down');
    assert.equal(r.masterSyncInProgress, true);
    assert.equal(r.masterLinkDownSinceSec, -1);
  });

  it('new master after failover, old master back as replica', () => {
    const r = parseReplicationInfo(fixtureText('info-replication-new-master-after-convert.txt'), resolve);
    assert.equal(r.role, 'master');
    assert.deepEqual(
      r.replicas.map((e) => [e.nodeId, e.ackAgeSec]),
      [
        ['redis-2', 1],
        ['redis-1', 0],
      ],
    );
  });

  it('Valkey 8 (constructed): same fields plus replicas_* extras', () => {
    const text = fixtureText('valkey-8-info-master.txt');
    const r = parseReplicationInfo(text);
    assert.equal(r.role, 'master');
    assert.equal(r.masterReplOffset, 5055);
    assert.deepEqual(
      r.replicas.map((e) => `${e.ip}:${e.port}`),
      ['127.0.2.2:27051', '127.0.1.3:27052'],
    );
    assert.deepEqual(parseServerInfo(text), {
      serverName: 'valkey',
      runId: '8a1f0c9e3d2b4a5f6e7d8c9b0a1f2e3d4c5b6a79',
      redisVersion: '7.2.4',
      valkeyVersion: '8.0.1',
      mode: 'standalone',
    });
  });

  it('primary/replica spellings (constructed) on both sides', () => {
    const m = parseReplicationInfo(fixtureText('valkey-style-primary-names-master.txt'));
    assert.equal(m.role, 'master');
    assert.equal(m.masterReplOffset, 1000);
    assert.equal(m.connectedReplicas, 1);
    assert.equal(m.goodReplicas, 1);
    assert.deepEqual(m.replicas[0], { ip: '127.0.2.2', port: 27051, state: 'online', ackOffset: 900, ackAgeSec: 2 });
    const r = parseReplicationInfo(fixtureText('valkey-style-primary-names-replica.txt'));
    assert.equal(r.role, 'replica');
    assert.equal(r.masterHost, '127.0.2.1');
    assert.equal(r.masterPort, 27050);
    assert.equal(r.masterLinkStatus, 'down');
    assert.equal(r.replicaOffset, 4000);
    assert.equal(r.masterLinkDownSinceSec, 7);
    assert.equal(r.masterReplOffset, 4000);
  });
});

describe('parseServerInfo', () => {
  it('Redis 7.0.15 master', () => {
    const s = parseServerInfo(fixtureText('info-server-master.txt'));
    assert.equal(s.serverName, 'redis');
    assert.equal(s.redisVersion, '7.0.15');
    assert.equal(s.mode, 'standalone');
    assert.match(s.runId ?? '', /^[0-9a-f]{40}$/);
  });
  it('Sentinel INFO says sentinel mode', () => {
    assert.equal(parseServerInfo(fixtureText('info-sentinel.txt')).mode, 'sentinel');
  });
});

describe('parseRole', () => {
  it('master: offset is a number, replica entries are strings', () => {
    assert.deepEqual(parseRole(fixtureJson('role-master.json')), {
      role: 'master',
      offset: 1581,
      replicas: [
        { ip: '127.0.0.1', port: 27052, offset: 1581 },
        { ip: '127.0.0.1', port: 27051, offset: 1581 },
      ],
    });
  });
  it('replica: connected, connect (link down) and sync', () => {
    assert.deepEqual(parseRole(fixtureJson('role-replica.json')), {
      role: 'replica',
      masterHost: '127.0.0.1',
      masterPort: 27050,
      state: 'connected',
      offset: 1581,
    });
    const down = parseRole(fixtureJson('role-replica-down.json'));
    assert.equal(down.role === 'replica' && `${down.state} ${down.offset}`, 'connect -1');
    const sync = parseRole(fixtureJson('role-replica-syncing.json'));
    assert.equal(sync.role === 'replica' && sync.state, 'sync');
  });
  it('sentinel', () => {
    assert.deepEqual(parseRole(fixtureJson('role-sentinel.json')), { role: 'sentinel', masters: ['mymaster'] });
  });
  it('tolerates primary/replica words and buffers', () => {
    assert.equal(parseRole(['primary', 5, []]).role, 'master');
    const r = parseRole([Buffer.from('replica'), '10.0.0.1', '6379', 'handshake', -1]);
    assert.deepEqual(r, { role: 'replica', masterHost: '10.0.0.1', masterPort: 6379, state: 'handshake', offset: -1 });
  });
  it('rejects garbage', () => {
    assert.throws(() => parseRole(null));
    assert.throws(() => parseRole(['leader']));
  });
});

describe('SENTINEL replies', () => {
  for (const mapping of ['legacy', 'resp3'] as const) {
    it(`MASTER (${mapping})`, () => {
      const m = parseSentinelMaster(fixtureJson(`sentinel-master.${mapping}.json`), resolve);
      assert.equal(m.name, 'mymaster');
      assert.equal(m.ip, '127.0.0.1');
      assert.equal(m.port, 27050);
      assert.equal(m.nodeId, 'redis-1');
      assert.deepEqual(m.flags, ['master']);
      assert.equal(m.configEpoch, 0);
      assert.equal(m.quorum, 2);
      assert.equal(m.numReplicas, 2);
      assert.equal(m.numOtherSentinels, 2);
      assert.equal(m.downAfterMs, 1000);
      assert.equal(m.failoverTimeoutMs, 10000);
      assert.equal(m.parallelSyncs, 1);
      assert.equal(m.failoverState, undefined);
      assert.match(m.runId ?? '', /^[0-9a-f]{40}$/);
      assert.equal(m.fields['parallel-syncs'], '1');
    });

    it(`REPLICAS and SENTINELS (${mapping})`, () => {
      const replicas = parseSentinelInstances(fixtureJson(`sentinel-replicas.${mapping}.json`), resolve);
      assert.deepEqual(replicas.map((r) => r.nodeId).sort(), ['redis-2', 'redis-3']);
      for (const r of replicas) {
        assert.deepEqual(r.flags, ['slave']);
        assert.equal(r.fields['master-link-status'], 'ok');
        assert.equal(r.name, `${r.ip}:${r.port}`);
      }
      const sentinels = parseSentinelInstances(fixtureJson(`sentinel-sentinels.${mapping}.json`), (ip, port) =>
        ip === '127.0.0.1' && port >= 27150 ? `sentinel-${port - 27149}` : undefined,
      );
      assert.deepEqual(sentinels.map((s) => s.nodeId).sort(), ['sentinel-2', 'sentinel-3']);
      for (const s of sentinels) {
        assert.equal(s.runId, s.name);
        assert.equal(s.fields['voted-leader'], '?');
      }
    });

    it(`GET-MASTER-ADDR-BY-NAME (${mapping})`, () => {
      assert.deepEqual(parseMasterAddr(fixtureJson(`sentinel-get-master-addr.${mapping}.json`)), {
        ip: '127.0.0.1',
        port: 27050,
      });
      assert.equal(parseMasterAddr(fixtureJson(`sentinel-get-master-addr-unknown.${mapping}.json`)), undefined);
    });
  }

  it('MASTER during ODOWN carries failover-state and down times', () => {
    const m = parseSentinelMaster(fixtureJson('sentinel-master-odown.legacy.json'));
    assert.deepEqual(m.flags, ['s_down', 'o_down', 'master', 'disconnected', 'failover_in_progress']);
    assert.equal(m.failoverState, 'wait_start');
    assert.ok(m.fields['o-down-time']);
  });

  it('replica list after the failover shows the old master as a replica', () => {
    const list = parseSentinelInstances(fixtureJson('sentinel-replicas-after-failover.legacy.json'), resolve);
    const old = list.find((r) => r.nodeId === 'redis-1');
    assert.ok(old, 'old master listed');
    // Captured right at +failover-end: the links to the reset master's replicas are not up yet.
    assert.deepEqual(old.flags, ['slave', 'disconnected']);
  });

  it('accepts Maps and numbers', () => {
    const i = parseSentinelInstance(
      new Map<string, unknown>([
        ['name', 'x'],
        ['ip', '10.0.0.1'],
        ['port', 6379],
        ['flags', 'slave,s_down'],
      ]),
    );
    assert.equal(i.port, 6379);
    assert.deepEqual(i.flags, ['slave', 's_down']);
    assert.deepEqual(fieldsOf(null), {});
    assert.deepEqual(parseSentinelInstances(null), []);
  });
});

describe('CONFIG GET and INFO sentinel', () => {
  it('CONFIG GET pairs', () => {
    assert.deepEqual(parseConfigGet(fixtureJson('config-get.json')), {
      'min-replicas-max-lag': '10',
      masterauth: 'redis',
      'min-replicas-to-write': '1',
    });
    assert.deepEqual(parseConfigGet({ 'min-replicas-to-write': 0 }), { 'min-replicas-to-write': '0' });
  });

  it('INFO sentinel without and with TILT', () => {
    assert.deepEqual(parseSentinelInfo(fixtureText('info-sentinel.txt')), {
      tilt: false,
      runningScripts: 0,
      masterStatus: 'ok',
      sentinelsSeen: 3,
    });
    assert.deepEqual(parseSentinelInfo(fixtureText('info-sentinel-tilt.txt')), {
      tilt: true,
      tiltSinceSec: 0,
      runningScripts: 0,
      masterStatus: 'ok',
      sentinelsSeen: 3,
    });
    // ioredis hands INFO over as a plain string in both reply mappings.
    assert.equal(parseSentinelInfo(fixtureJson<string>('info-sentinel-reply.resp3.json')).tilt, false);
  });
});
