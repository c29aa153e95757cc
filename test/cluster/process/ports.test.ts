import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { describe, it } from 'node:test';
import { canBind, planPorts } from '../../../src/cluster/process/ports.js';

function occupy(host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ host, port }, () => resolve(s));
  });
}

describe('port planning against the machine', () => {
  it('keeps the preferred block when free and moves the whole block when one port is taken', async () => {
    const shape = { redis: 2, sentinels: 1 };
    const ips = () => ['127.0.1.1', '127.0.2.1'];
    const free = await planPorts(shape, 21379, ips);
    assert.deepEqual(free, { basePort: 21379 });
    const blocker = await occupy('127.0.0.1', 21380);
    try {
      assert.equal(await canBind('127.0.0.1', 21380), false);
      const moved = await planPorts(shape, 21379, ips);
      assert.notEqual(moved.basePort, 21379);
      assert.deepEqual(moved.moved?.from, 21379);
      assert.match(moved.moved?.reason ?? '', /21380/);
      await assert.rejects(planPorts(shape, 21379, ips, { strict: true }), /21380/);
    } finally {
      blocker.close();
    }
  });

  it('a port taken on a host address counts as taken', async () => {
    const blocker = await occupy('127.0.2.1', 21479);
    try {
      const plan = await planPorts({ redis: 1, sentinels: 1 }, 21379, () => ['127.0.1.1', '127.0.2.1']);
      assert.notEqual(plan.basePort, 21379);
    } finally {
      blocker.close();
    }
  });
});
