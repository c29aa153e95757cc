// The fabric like a real network: a dead node's address refuses connections (ECONNREFUSED, not accept-then-reset)
// unless a drop cut hides its host, and opens again once the node answers; a gateway listener places an outside
// client on a host (partitioned with it, seen by the node as that host's address). Echo servers, no Redis.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Fabric } from '../../../src/cluster/fabric/proxy.js';
import { startEchoServer, TestClient, waitFor } from '../../helpers/echo-server.js';

const HOSTS = [1, 2, 3].map((n) => ({ id: `host-${n}`, ip: `127.0.1.${n}` }));

async function setup() {
  const fabric = new Fabric({ hosts: HOSTS });
  const echo = await startEchoServer('127.0.1.1');
  const { port } = await fabric.listen({
    nodeId: 'node-1',
    host: 'host-1',
    listenIp: '127.0.2.1',
    listenPort: 0,
    targetIp: '127.0.1.1',
    targetPort: echo.port,
  });
  return { fabric, echo, port };
}

describe('a dead node refuses like a real host', () => {
  test('after its process is gone: ECONNREFUSED; once it answers again: connects', async () => {
    const { fabric, echo, port } = await setup();
    const clients: TestClient[] = [];
    try {
      const ok = await TestClient.open('127.0.2.1', port, '127.0.1.2');
      clients.push(ok);
      assert.equal(ok.connected, true);
      const targetPort = echo.port;
      await echo.close();
      // Nobody told the fabric: the first caller finds out (its upstream is refused) and the address closes.
      const first = await TestClient.open('127.0.2.1', port, '127.0.1.2');
      clients.push(first);
      await waitFor(() => fabric.isDown('node-1'), { what: 'the fabric to notice the dead node' });
      await waitFor(() => !fabric.listening('127.0.2.1', port), { what: 'the listener to close' });
      const refused = await TestClient.open('127.0.2.1', port, '127.0.1.2');
      clients.push(refused);
      assert.equal(refused.connected, false);
      assert.equal(refused.error?.code, 'ECONNREFUSED');
      // The node comes back on the same address: the fabric sees it answer and listens again.
      const again = await startEchoServerOn('127.0.1.1', targetPort);
      try {
        await waitFor(() => fabric.listening('127.0.2.1', port), { timeoutMs: 3000, what: 'the listener to reopen' });
        const back = await TestClient.open('127.0.2.1', port, '127.0.1.2');
        clients.push(back);
        assert.equal(back.connected, true);
        back.write('hi');
        await back.waitForBytes(2);
      } finally {
        for (const c of clients) c.destroy();
        await again.close();
      }
    } finally {
      for (const c of clients) c.destroy();
      await fabric.close();
    }
  });

  test('a drop cut into its host keeps the address accepting (the connection just hangs)', async () => {
    const { fabric, echo, port } = await setup();
    const clients: TestClient[] = [];
    try {
      fabric.apply({ kind: 'isolate', host: 'host-1', mode: 'drop' });
      fabric.targetDown('node-1');
      await echo.close();
      assert.equal(fabric.listening('127.0.2.1', port), true);
      const held = await TestClient.open('127.0.2.1', port, '127.0.1.2');
      clients.push(held);
      assert.equal(held.connected, true);
      assert.equal(held.error, null);
      // Healed: nothing hides the dead host any more, so it refuses.
      fabric.healAll();
      assert.equal(fabric.listening('127.0.2.1', port), false);
      const refused = await TestClient.open('127.0.2.1', port, '127.0.1.2');
      clients.push(refused);
      assert.equal(refused.error?.code, 'ECONNREFUSED');
    } finally {
      for (const c of clients) c.destroy();
      await fabric.close();
    }
  });
});

describe('gateway listeners place an outside client on a host', () => {
  test('the node sees the host’s address, and the client is partitioned with that host', async () => {
    const fabric = new Fabric({ hosts: HOSTS });
    const echo = await startEchoServer('127.0.1.1');
    const clients: TestClient[] = [];
    try {
      const { port } = await fabric.listen({
        nodeId: 'node-1',
        host: 'host-1',
        listenIp: '127.0.3.3',
        listenPort: 0,
        targetIp: '127.0.1.1',
        targetPort: echo.port,
        asHost: 'host-3',
      });
      // From 127.0.0.1 (outside every host), through host-3's gateway.
      const c = await TestClient.open('127.0.3.3', port);
      clients.push(c);
      c.write('ping');
      await c.waitForBytes(4);
      assert.equal(echo.peers.at(-1), '127.0.1.3', 'the node sees host-3 calling');
      assert.equal(fabric.connections()[0]?.fromHost, 'host-3');
      // host-3 isolated (reject): the gateway's connections go with it.
      fabric.apply({ kind: 'isolate', host: 'host-3', mode: 'reject' });
      await c.waitForClose();
      const refused = await TestClient.open('127.0.3.3', port);
      clients.push(refused);
      assert.equal(refused.connected && !refused.closed, false, 'no connection through an isolated host');
      fabric.healAll();
      const ok = await TestClient.open('127.0.3.3', port);
      clients.push(ok);
      ok.write('x');
      await ok.waitForBytes(1);
    } finally {
      for (const c of clients) c.destroy();
      await fabric.close();
      await echo.close();
    }
  });
});

/** An echo server on a fixed port (the "restarted" node). */
async function startEchoServerOn(ip: string, port: number) {
  const { createServer } = await import('node:net');
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    s.pipe(s);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: ip, port }, resolve);
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
