// Raw snapshots interpreted: ids in address order, roles, settings and versions read tolerantly across Redis 6.2,
// 7.0 and Valkey 8 reply shapes; one Sentinel per myid; several masters apart; no secret kept.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { compareEndpoints, factsFrom, namedMaster } from '../../src/diagnosis/facts.js';
import type { RawSnapshot } from '../../src/diagnosis/snapshot.js';
import { facts, node, type SnapshotName, sentinel, snapshot, view } from './fixtures.js';

describe('facts from a raw snapshot', () => {
  it('names Sentinels and data nodes in address order and reads the recorded 7.0.15 deployment', () => {
    const raw = snapshot('redis-7.0.15-healthy');
    const f = factsFrom(raw);
    const sentinelPorts = raw.sentinels.map((s) => s.endpoint.port).sort((a, b) => a - b);
    const nodePorts = raw.nodes.map((n) => n.endpoint.port).sort((a, b) => a - b);
    assert.deepEqual(
      f.sentinels.map((s) => `${s.id} ${s.endpoint.port}`),
      sentinelPorts.map((p, i) => `sentinel-${i + 1} ${p}`),
    );
    assert.deepEqual(
      f.masters.map((m) => [m.name, m.sentinels, m.nodes.map((n) => `${n.id} ${n.endpoint.port}`)]),
      [['mymaster', ['sentinel-1', 'sentinel-2', 'sentinel-3'], nodePorts.map((p, i) => `redis-${i + 1} ${p}`)]],
    );
    // The helper starts the master on the lowest port of its block.
    assert.deepEqual(namedMaster(f, 'mymaster'), { host: '127.0.0.1', port: nodePorts[0] });
    const m = node(f, 'redis-1');
    assert.equal(m.replication?.role, 'master');
    assert.equal(m.replication?.replicas.length, 2);
    assert.deepEqual(m.config, {
      save: '',
      appendonly: 'yes',
      minReplicasToWrite: 1,
      minReplicasMaxLagSec: 10,
      hasMasterauth: true,
      replicaPriority: 100,
    });
    assert.equal(m.aofEnabled, true);
    assert.deepEqual(m.server && { name: m.server.name, version: m.server.version, tcpPort: m.server.tcpPort }, {
      name: 'redis',
      version: '7.0.15',
      tcpPort: nodePorts[0],
    });
    const r = node(f, 'redis-2');
    assert.equal(r.replication?.role, 'replica');
    assert.equal(r.replication?.masterLinkStatus, 'up');
    assert.equal(r.role?.role, 'replica');
    const v = view(f, 'sentinel-1');
    assert.equal(v.master?.quorum, 2);
    assert.equal(v.master?.downAfterMs, 5000);
    assert.deepEqual(v.replicas.map((x) => x.nodeId).sort(), ['redis-2', 'redis-3']);
    assert.deepEqual(v.sentinels.map((x) => x.nodeId).sort(), ['sentinel-2', 'sentinel-3']);
    assert.match(v.ckquorum?.text ?? '', /^OK 3 usable Sentinels/);
    const s1 = sentinel(f, 'sentinel-1');
    assert.equal(s1.tilt, false);
    assert.match(s1.myId ?? '', /^[0-9a-f]{40}$/);
    for (const x of [...f.sentinels, ...f.nodes]) {
      assert.ok(x.clock && Math.abs(x.clock.offsetMs) <= x.clock.uncertaintyMs + 5, 'one machine: the clocks agree');
    }
  });

  it('keeps no secret: masterauth is only "set" or not, in the snapshot and the facts', () => {
    const raw = snapshot('redis-7.0.15-healthy');
    for (const n of raw.nodes) assert.deepEqual(n.config.masterauth, { ok: true, value: ['masterauth', '(set)'] });
    assert.equal(JSON.stringify(facts('redis-7.0.15-healthy')).includes('masterauth'), false);
  });

  for (const [name, server, version] of [
    ['valkey-8.0.1-healthy', 'valkey', '8.0.1'],
    ['redis-6.2.9-healthy', 'redis', '6.2.9'],
    ['redis-7.0.15-healthy', 'redis', '7.0.15'],
  ] as const) {
    it(`reads ${name}: server, version, roles and settings, and finds it healthy`, () => {
      const f = facts(name as SnapshotName);
      for (const n of f.nodes) assert.deepEqual([n.server?.name, n.server?.version], [server, version]);
      for (const s of f.sentinels) assert.deepEqual([s.server?.name, s.server?.version], [server, version]);
      assert.equal(node(f, 'redis-1').config.hasMasterauth, true, 'masterauth or primaryauth');
      assert.deepEqual(
        ['redis-1', 'redis-2', 'redis-3'].map((id) => node(f, id).replication?.role),
        ['master', 'replica', 'replica'],
      );
      assert.deepEqual(diagnose(f), []);
    });
  }

  it('Valkey (recorded on 8.0.1): server_name, a frozen redis_version, server_mode and its own fields do not disturb', () => {
    const raw = snapshot('valkey-8.0.1-healthy');
    const info = raw.nodes[0]?.infoServer;
    assert.ok(info?.ok);
    for (const line of ['server_mode:standalone', 'redis_version:7.2.4', 'server_name:valkey', 'availability_zone:'])
      assert.ok(String(info.value).includes(line), line);
    const f = factsFrom(raw);
    assert.equal(node(f, 'redis-2').replicationFields?.replicas_waiting_psync, '0');
  });

  it('Redis 6.2: INFO sentinel without sentinel_tilt_since_seconds still reads TILT', () => {
    const raw = snapshot('redis-6.2.9-healthy');
    const s = raw.sentinels[0];
    assert.ok(s?.infoSentinel?.ok);
    s.infoSentinel = { ok: true, value: String(s.infoSentinel.value).replace('sentinel_tilt:0', 'sentinel_tilt:1') };
    const f = factsFrom(raw);
    assert.equal(sentinel(f, 'sentinel-1').tilt, true);
    assert.equal(sentinel(f, 'sentinel-1').tiltSinceSec, undefined);
  });

  it('one Sentinel reached under two addresses (same myid) is one Sentinel with an alias', () => {
    const raw = snapshot('redis-7.0.15-healthy');
    const first = raw.sentinels[0];
    assert.ok(first);
    raw.sentinels.push({
      ...structuredClone(first),
      endpoint: { host: 'sentinel-a.example', port: first.endpoint.port },
    });
    const f = factsFrom(raw);
    assert.equal(f.sentinels.length, 3);
    assert.deepEqual(sentinel(f, 'sentinel-1').aliases, [{ host: 'sentinel-a.example', port: first.endpoint.port }]);
  });

  it('orders IPv4 addresses numerically, then names, then ports', () => {
    const sorted = [
      { host: 'b.example', port: 1 },
      { host: '10.0.0.10', port: 6379 },
      { host: '10.0.0.9', port: 6380 },
      { host: '10.0.0.9', port: 6379 },
      { host: 'a.example', port: 2 },
    ].sort(compareEndpoints);
    assert.deepEqual(
      sorted.map((e) => `${e.host}:${e.port}`),
      ['10.0.0.9:6379', '10.0.0.9:6380', '10.0.0.10:6379', 'a.example:2', 'b.example:1'],
    );
  });

  it('keeps several masters apart, each with its own redis-1…, and honours --master-name', () => {
    const raw = twoMasters();
    const f = factsFrom(raw);
    assert.deepEqual(
      f.masters.map((m) => [m.name, m.nodes.map((n) => `${n.id} ${n.endpoint.port}`)]),
      [
        ['cache', ['redis-1 7000', 'redis-2 7001']],
        ['sessions', ['redis-1 6379', 'redis-2 6380']],
      ],
    );
    assert.deepEqual(sentinel(f, 'sentinel-1').monitors, ['cache', 'sessions']);
    const only = factsFrom({ ...raw, masterName: 'cache' });
    assert.deepEqual(
      only.masters.map((m) => m.name),
      ['cache'],
    );
    assert.deepEqual(Object.keys(sentinel(only, 'sentinel-1').views), ['cache']);
  });
});

/** A hand-made snapshot: one Sentinel monitoring two masters (with one replica each). */
function twoMasters(): RawSnapshot {
  const masterRec = (name: string, port: number) => [
    'name',
    name,
    'ip',
    '10.0.0.5',
    'port',
    String(port),
    'flags',
    'master',
    'quorum',
    '1',
    'num-other-sentinels',
    '0',
    'down-after-milliseconds',
    '5000',
    'failover-timeout',
    '10000',
    'config-epoch',
    '0',
    'num-slaves',
    '1',
  ];
  const replicaRec = (port: number, masterPort: number) => [
    [
      'name',
      `10.0.0.6:${port}`,
      'ip',
      '10.0.0.6',
      'port',
      String(port),
      'flags',
      'slave',
      'master-port',
      String(masterPort),
    ],
  ];
  const info = (port: number, role: string) => ({
    ok: true as const,
    value: `# Replication\r\nrole:${role}\r\nconnected_slaves:0\r\nmaster_repl_offset:0\r\n# port ${port}\r\n`,
  });
  const node = (host: string, port: number, role: string) => ({
    endpoint: { host, port },
    infoReplication: info(port, role),
    config: {},
  });
  return {
    takenAt: 0,
    tookMs: 1,
    seeds: [{ host: '10.0.0.1', port: 26379 }],
    sentinels: [
      {
        endpoint: { host: '10.0.0.1', port: 26379 },
        seed: true,
        masters: { ok: true, value: [masterRec('sessions', 6379), masterRec('cache', 7000)] },
        views: {
          sessions: {
            addr: { ok: true, value: ['10.0.0.5', '6379'] },
            replicas: { ok: true, value: replicaRec(6380, 6379) },
            sentinels: { ok: true, value: [] },
          },
          cache: {
            addr: { ok: true, value: ['10.0.0.5', '7000'] },
            replicas: { ok: true, value: replicaRec(7001, 7000) },
            sentinels: { ok: true, value: [] },
          },
        },
      },
    ],
    nodes: [
      node('10.0.0.5', 6379, 'master'),
      node('10.0.0.6', 6380, 'slave'),
      node('10.0.0.5', 7000, 'master'),
      node('10.0.0.6', 7001, 'slave'),
    ],
  };
}
