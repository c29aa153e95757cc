import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildTopology,
  candidateBasePorts,
  chooseBasePort,
  DEFAULT_SHAPE,
  failoverBoundMs,
  initialMaster,
  manifestTopology,
  nodeIdByAddress,
  privateAddress,
  publicAddress,
  redisCliLine,
  topologyPorts,
} from '../../src/cluster/topology.js';

describe('topology', () => {
  it("default shape is the note's: master 6379, replicas 6380-6383, sentinels 6479-6481, password redis", () => {
    const t = buildTopology(DEFAULT_SHAPE, 6379, 'hosts');
    assert.deepEqual(
      t.nodes.map((n) => `${n.id}:${n.port}`),
      [
        'redis-1:6379',
        'redis-2:6380',
        'redis-3:6381',
        'redis-4:6382',
        'redis-5:6383',
        'sentinel-1:6479',
        'sentinel-2:6480',
        'sentinel-3:6481',
      ],
    );
    assert.equal(t.password, 'redis');
    assert.equal(initialMaster(t).id, 'redis-1');
    assert.equal(t.sentinel.quorum, 2);
    assert.ok(t.sentinel.downAfterMs >= 1000, 'the note’s 300 ms cascades on Redis 7.0');
    assert.ok(t.sentinel.failoverTimeoutMs >= 10_000 && t.sentinel.failoverTimeoutMs <= 30_000);
  });

  it('puts redis-i and sentinel-i on host-i with private and public loopback addresses', () => {
    const t = buildTopology(DEFAULT_SHAPE, 6379, 'hosts');
    assert.deepEqual(privateAddress(t, 'sentinel-3'), { host: '127.0.1.3', port: 6481 });
    assert.deepEqual(publicAddress(t, 'redis-3'), { host: '127.0.2.3', port: 6381 });
    assert.equal(t.hosts.length, 5);
    assert.equal(nodeIdByAddress(t, '127.0.2.2', 6380), 'redis-2');
    assert.equal(nodeIdByAddress(t, '127.0.1.2', 6380), 'redis-2');
    assert.equal(nodeIdByAddress(t, '127.0.0.1', 6380), undefined);
    assert.equal(redisCliLine(t, 'redis-1'), 'redis-cli -h 127.0.2.1 -p 6379 -a redis');
    assert.equal(redisCliLine(t, 'sentinel-1'), 'redis-cli -h 127.0.2.1 -p 6479');
  });

  it('single-ip mode puts everything on 127.0.0.1', () => {
    const t = buildTopology(DEFAULT_SHAPE, 6379, 'single-ip');
    assert.ok(t.hosts.every((h) => h.ip === '127.0.0.1' && h.publicIp === '127.0.0.1'));
  });

  it('places the note’s three-host split-brain layout and clients', () => {
    const t = buildTopology({ redis: 3, sentinels: 3, master: 'redis-3' }, 7000, 'hosts');
    assert.equal(initialMaster(t).id, 'redis-3');
    assert.deepEqual(t.clients.A, { host: 'host-1', target: { kind: 'sentinel' } });
    assert.deepEqual(t.clients.B, { host: 'host-3', target: { kind: 'node', node: 'redis-3' } });
  });

  it('plans ports: the whole block moves when one port is busy', () => {
    assert.deepEqual(topologyPorts(DEFAULT_SHAPE, 6379), [6379, 6380, 6381, 6382, 6383, 6479, 6480, 6481]);
    const cands = candidateBasePorts(6379);
    assert.equal(cands[0], 6379);
    assert.equal(
      chooseBasePort(DEFAULT_SHAPE, cands, () => true),
      6379,
    );
    assert.equal(
      chooseBasePort(DEFAULT_SHAPE, cands, (p) => p !== 6480),
      16379,
    );
    assert.equal(
      chooseBasePort(DEFAULT_SHAPE, cands, () => false),
      undefined,
    );
  });

  it("a run's manifest names the programs its lines use; anything else in it is ignored", () => {
    const base = { shape: DEFAULT_SHAPE, basePort: 6379, networkMode: 'hosts' as const };
    const vk = manifestTopology({ ...base, cli: 'valkey-cli', server: 'valkey-server' });
    assert.equal(redisCliLine(vk, 'redis-1'), 'valkey-cli -h 127.0.2.1 -p 6379 -a redis');
    assert.equal(vk.server, 'valkey-server');
    const old = manifestTopology(base); // written before the manifest named them
    assert.equal(redisCliLine(old, 'sentinel-1'), 'redis-cli -h 127.0.2.1 -p 6479');
    const odd = manifestTopology({ ...base, cli: 'rm -rf ~; redis-cli', server: 42 });
    assert.equal(odd.cli, undefined);
    assert.equal(odd.server, undefined);
    assert.equal(redisCliLine(odd, 'redis-2'), 'redis-cli -h 127.0.2.2 -p 6380 -a redis');
  });
});

describe('failoverBoundMs', () => {
  it('adds 2 x failover-timeout (and the 1 s desync) per split vote to a failover without one', () => {
    const s = { downAfterMs: 1000, failoverTimeoutMs: 10_000 };
    // Measured: 2.3-4.3 s without a split vote, 23.1-23.3 s with one (see the function's comment).
    assert.equal(failoverBoundMs(s, 0), 9000);
    assert.equal(failoverBoundMs(s, 1), 30_000);
    assert.equal(failoverBoundMs(s, 2) - failoverBoundMs(s, 1), 21_000);
    assert.equal(failoverBoundMs({ downAfterMs: 30_000, failoverTimeoutMs: 180_000 }, 1), 30_000 + 8000 + 361_000);
  });
});
