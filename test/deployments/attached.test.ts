// The attached deployment: another lab process's run, observed through its manifest. It offers no capability,
// says why for each, and reports the processes the manifest lists without starting or signalling anything.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LabEmitter, type NodeStateChange } from '../../src/cluster/events.js';
import { AttachedDeployment } from '../../src/deployments/attached.js';
import { CAPABILITIES, missingCapabilities } from '../../src/deployments/deployment.js';

const manifest = {
  runId: 'abc-123',
  labPid: 4321,
  startedAt: 0,
  basePort: 16379,
  nodes: { 'redis-1': { pid: 111, conf: '/x/redis-1/redis.conf' } },
  shape: { redis: 2, sentinels: 1 },
  networkMode: 'hosts' as const,
};

describe('attached deployment', () => {
  it('describes the run from its manifest and offers no capability', () => {
    const d = new AttachedDeployment({ events: new LabEmitter(), runDir: '/x', manifest });
    assert.deepEqual(
      d.topology.nodes.map((n) => `${n.id}:${n.port}`),
      ['redis-1:16379', 'redis-2:16380', 'sentinel-1:16479'],
    );
    assert.deepEqual(d.capabilities, {});
    assert.deepEqual(Object.keys(missingCapabilities(d)), [...CAPABILITIES]);
    assert.equal(
      missingCapabilities(d).runtime?.reason,
      'this view is attached to another lab process; act on it there',
    );
    assert.deepEqual(d.addresses.admin('redis-2'), { host: '127.0.1.2', port: 16380 });
    assert.deepEqual(d.addresses.public('redis-2'), { host: '127.0.2.2', port: 16380 });
    assert.equal(d.addresses.nodeAt('127.0.2.1', 16479), 'sentinel-1');
  });

  it('reports the manifest processes, starting nothing', async () => {
    const events = new LabEmitter();
    const seen: NodeStateChange[] = [];
    events.on('node-state', (e) => seen.push(e));
    const d = new AttachedDeployment({ events, runDir: '/x', manifest });
    await d.start();
    assert.deepEqual(
      seen.map((e) => [e.id, e.state, e.pid]),
      [
        ['redis-1', 'running', 111],
        ['redis-2', 'exited', undefined],
        ['sentinel-1', 'exited', undefined],
      ],
    );
    await d.shutdown();
  });
});
