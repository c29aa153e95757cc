// The fabric's NAT: remapHost publishes a host's nodes at their port + an offset; nothing answers at the old port
// (a connection there is refused, as at a port nobody publishes), connections that came in through it are closed,
// and remapping back to 0 restores the original ports. Plain TCP echo servers, no Redis.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import { Fabric } from '../../../src/cluster/fabric/proxy.js';
import { startEchoServer, TestClient } from '../../helpers/echo-server.js';
import { freeBase } from '../../helpers/wait.js';

const HOSTS = [
  { id: 'host-1', ip: '127.0.1.1' },
  { id: 'host-2', ip: '127.0.1.2' },
];

async function echoes(client: TestClient): Promise<boolean> {
  const before = client.bytes;
  client.write('ping\n');
  await client.waitForBytes(before + 5, 2000);
  return true;
}

describe('fabric NAT (remapHost)', () => {
  test('moves a host’s listeners to port + offset and back; the old port refuses, old connections close', async () => {
    const base = await freeBase();
    const fabric = new Fabric({ hosts: HOSTS });
    const echo = await startEchoServer('127.0.1.1');
    const clients: TestClient[] = [];
    const open = async (port: number) => {
      const c = await TestClient.open('127.0.2.1', port, '127.0.1.2');
      clients.push(c);
      return c;
    };
    const events: Array<{ host: string; portOffset: number }> = [];
    fabric.on('remapped', (c) => events.push(c));
    try {
      await fabric.listen({
        nodeId: 'redis-1',
        host: 'host-1',
        listenIp: '127.0.2.1',
        listenPort: base,
        targetIp: '127.0.1.1',
        targetPort: echo.port,
      });
      const before = await open(base);
      assert.ok(await echoes(before));

      await fabric.remapHost('host-1', 200);
      assert.deepEqual(fabric.remapped(), { 'host-1': 200 });
      assert.deepEqual(events, [{ host: 'host-1', portOffset: 200 }]);
      await before.waitForClose();
      const refused = await open(base);
      assert.equal(refused.connected, false);
      assert.equal(refused.error?.code, 'ECONNREFUSED');
      assert.ok(await echoes(await open(base + 200)), 'published at port + 200');

      await fabric.remapHost('host-1', 0);
      assert.deepEqual(fabric.remapped(), {});
      assert.equal((await open(base + 200)).error?.code, 'ECONNREFUSED');
      assert.ok(await echoes(await open(base)), 'its own port again');
    } finally {
      for (const c of clients) c.destroy();
      await fabric.close();
      await echo.close();
    }
  });

  test('a busy published port changes nothing and says which address', async () => {
    const base = await freeBase();
    const fabric = new Fabric({ hosts: HOSTS });
    const echo = await startEchoServer('127.0.1.1');
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen({ host: '127.0.2.1', port: base + 200 }, r));
    try {
      await fabric.listen({
        nodeId: 'redis-1',
        host: 'host-1',
        listenIp: '127.0.2.1',
        listenPort: base,
        targetIp: '127.0.1.1',
        targetPort: echo.port,
      });
      await assert.rejects(
        fabric.remapHost('host-1', 200),
        new RegExp(`127\\.0\\.2\\.1:${base + 200}.*address already in use`),
      );
      assert.deepEqual(fabric.remapped(), {});
      const c = await TestClient.open('127.0.2.1', base, '127.0.1.2');
      assert.ok(await echoes(c));
      c.destroy();
      await assert.rejects(fabric.remapHost('host-9', 200), /unknown host "host-9"/);
    } finally {
      await fabric.close();
      await echo.close();
      await new Promise<void>((r) => squatter.close(() => r()));
    }
  });
});
