// The lab's topology of a deployment it did not start: ids, hosts, the named master, settings, no password.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redisCliLine } from '../../../src/cluster/topology.js';
import { remoteTopology, resolverOf } from '../../../src/deployments/remote/topology.js';
import { facts, node, view } from '../../diagnosis/fixtures.js';

describe('remote topology', () => {
  it('ids from discovery, one host per IP, the master the Sentinels name, their settings, no password', () => {
    const f = facts('redis-7.0.15-healthy');
    const rt = remoteTopology(f, 'mymaster');
    const t = rt.topology;
    assert.deepEqual(
      t.nodes.map((n) => `${n.kind} ${n.id} ${n.host} ${n.port}`),
      [
        ...['redis-1', 'redis-2', 'redis-3'].map((id) => `redis ${id} host-1 ${node(f, id).endpoint.port}`),
        ...f.sentinels.map((s) => `sentinel ${s.id} host-1 ${s.endpoint.port}`),
      ],
    );
    assert.deepEqual(t.hosts, [{ id: 'host-1', ip: '127.0.0.1', publicIp: '127.0.0.1' }]);
    assert.equal(rt.masterId, 'redis-1');
    assert.deepEqual(
      t.nodes.flatMap((n) => (n.kind === 'redis' ? [n.initialRole] : [])),
      ['master', 'replica', 'replica'],
    );
    assert.equal(t.password, '');
    assert.deepEqual(
      [t.sentinel.masterName, t.sentinel.quorum, t.sentinel.downAfterMs, t.sentinel.failoverTimeoutMs],
      ['mymaster', 2, 5000, 10000],
    );
    assert.equal(t.sentinel.notificationScript, false);
    assert.equal(t.replication.minReplicasToWrite, 1);
    const port = node(f, 'redis-2').endpoint.port;
    assert.equal(redisCliLine(t, 'redis-2'), `redis-cli -h 127.0.0.1 -p ${port}`, 'no -a: the password is not here');
    assert.equal(resolverOf(rt)('127.0.0.1', port), 'redis-2');
    assert.equal(resolverOf(rt)('127.0.0.1', f.sentinels[0]?.endpoint.port ?? 0), 'sentinel-1');
    assert.equal(resolverOf(rt)('10.1.1.1', port), undefined);
  });

  it('hosts in address order when nodes are on several IPs; the majority names the master', () => {
    const f = facts('redis-7.0.15-healthy');
    const r2 = node(f, 'redis-2');
    const m = f.masters[0];
    assert.ok(m);
    // Move redis-2 to another machine (as Sentinel would report it).
    const moved = { host: '10.0.0.2', port: r2.endpoint.port };
    for (const n of m.nodes) if (n.id === 'redis-2') n.endpoint = moved;
    r2.endpoint = moved;
    view(f, 'sentinel-3').named = moved;
    const t = remoteTopology(f, 'mymaster').topology;
    assert.deepEqual(
      t.hosts.map((h) => `${h.id} ${h.ip}`),
      ['host-1 10.0.0.2', 'host-2 127.0.0.1'],
    );
    assert.equal(t.nodes.find((n) => n.id === 'redis-2')?.host, 'host-1');
    assert.equal(remoteTopology(f, 'mymaster').masterId, 'redis-1', 'two of three Sentinels name redis-1');
  });
});
