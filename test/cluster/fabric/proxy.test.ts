// Contract tests for the Fabric proxy against plain TCP echo servers on distinct loopback IPs (no Redis).
// Host N's private addresses live on 127.0.1.N; its fabric listener on 127.0.2.N.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import type { ActiveFault } from '../../../src/cluster/fabric/plan.js';
import { Fabric } from '../../../src/cluster/fabric/proxy.js';
import { UserError } from '../../../src/errors.js';
import { type EchoServer, quietWindow, startEchoServer, TestClient, waitFor } from '../../helpers/echo-server.js';

const HOSTS = [1, 2, 3].map((n) => ({ id: `host-${n}`, ip: `127.0.1.${n}` }));

type Lab = {
  fabric: Fabric;
  echo: Record<string, EchoServer>;
  /** Opens a client on host `from` ('outside' = no source address) to the node on host `to`. */
  connect(from: string, to: string): Promise<TestClient>;
};

async function withLab(fn: (lab: Lab) => Promise<void>, opts: { adoptCallers?: boolean } = {}): Promise<void> {
  const fabric = new Fabric({ hosts: HOSTS, adoptCallers: opts.adoptCallers });
  const echo: Record<string, EchoServer> = {};
  const ports: Record<string, number> = {};
  const clients: TestClient[] = [];
  try {
    for (const [i, host] of HOSTS.entries()) {
      const server = await startEchoServer(host.ip);
      echo[host.id] = server;
      const { port } = await fabric.listen({
        nodeId: `node-${i + 1}`,
        host: host.id,
        listenIp: `127.0.2.${i + 1}`,
        listenPort: 0,
        targetIp: host.ip,
        targetPort: server.port,
      });
      ports[host.id] = port;
    }
    const connect = async (from: string, to: string): Promise<TestClient> => {
      const local = HOSTS.find((h) => h.id === from)?.ip;
      const client = await TestClient.open(`127.0.2.${to.slice(-1)}`, ports[to] ?? 0, local);
      clients.push(client);
      return client;
    };
    await fn({ fabric, echo, connect });
  } finally {
    for (const c of clients) c.destroy();
    await fabric.close();
    await Promise.all(Object.values(echo).map((e) => e.close()));
  }
}

/** Writes `payload` and resolves with the ms until all of it came back. */
async function roundTrip(client: TestClient, payload = 'ping\n', timeoutMs = 3000): Promise<number> {
  const target = client.bytes + Buffer.byteLength(payload);
  const start = performance.now();
  client.write(payload);
  await client.waitForBytes(target, timeoutMs);
  return performance.now() - start;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function sha(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

function echoOf(lab: Lab, host: string): EchoServer {
  const e = lab.echo[host];
  assert.ok(e, `no echo server on ${host}`);
  return e;
}

describe('pass-through', () => {
  test('is byte-exact for 4 MB and the target sees the caller host IP', () =>
    withLab(async (lab) => {
      const client = await lab.connect('host-1', 'host-2');
      const payload = randomBytes(4 * 1024 * 1024);
      for (let i = 0; i < payload.length; i += 100_000) client.write(payload.subarray(i, i + 100_000));
      await client.waitForBytes(payload.length, 10_000);
      assert.equal(sha(client.received()), sha(payload));
      assert.deepEqual(echoOf(lab, 'host-2').peers, ['127.0.1.1']);
      const [info] = lab.fabric.connections();
      assert.deepEqual(
        { ...info, id: 0 },
        {
          id: 0,
          nodeId: 'node-2',
          fromHost: 'host-1',
          toHost: 'host-2',
          bytesUp: payload.length,
          bytesDown: payload.length,
          held: false,
        },
      );
    }));

  test('without re-wrapped callers (plain data events) it is byte-exact too, and a drop holds until heal', () =>
    withLab(
      async (lab) => {
        const payload = randomBytes(1024 * 1024);
        const client = await lab.connect('host-1', 'host-2');
        for (let i = 0; i < payload.length; i += 64_000) client.write(payload.subarray(i, i + 64_000));
        await client.waitForBytes(payload.length, 10_000);
        assert.equal(sha(client.received()), sha(payload));
        const f = lab.fabric.apply({ kind: 'partition', groups: [['host-1'], ['host-2']], mode: 'drop' });
        client.write('held');
        await waitFor(() => lab.fabric.connections()[0]?.held === true, { what: 'held bytes' });
        await quietWindow(50);
        assert.equal(client.bytes, payload.length);
        lab.fabric.heal(f.id);
        await client.waitForBytes(payload.length + 4);
        assert.equal(client.received().subarray(payload.length).toString(), 'held');
      },
      { adoptCallers: false },
    ));

  test('callers from unknown IPs are host "outside" and unaffected by partitions of lab hosts', () =>
    withLab(async (lab) => {
      lab.fabric.apply({ kind: 'partition', groups: [['host-1'], ['host-2', 'host-3']], mode: 'reject' });
      const client = await lab.connect('outside', 'host-1');
      await roundTrip(client, 'hello\n');
      assert.equal(client.received().toString(), 'hello\n');
      assert.equal(lab.fabric.connections()[0]?.fromHost, 'outside');
      assert.deepEqual(echoOf(lab, 'host-1').peers, ['127.0.0.1']);
    }));

  test('a partition naming "outside" does affect outside callers', () =>
    withLab(async (lab) => {
      lab.fabric.apply({ kind: 'partition', groups: [['outside'], ['host-1']], mode: 'reject' });
      const client = await lab.connect('outside', 'host-1');
      await client.waitForClose();
      assert.equal(echoOf(lab, 'host-1').peers.length, 0);
    }));

  test('faults between other hosts leave a connection on the fast path', () =>
    withLab(async (lab) => {
      lab.fabric.apply({ kind: 'cut', from: 'host-2', to: 'host-3', mode: 'drop' });
      const client = await lab.connect('host-1', 'host-2');
      await roundTrip(client);
      assert.equal(lab.fabric.connections()[0]?.held, false);
    }));

  test('a refused upstream (target down) resets the caller at once', async () => {
    const fabric = new Fabric({ hosts: HOSTS });
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.1.2', r));
    const deadPort = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    try {
      const { port } = await fabric.listen({
        nodeId: 'n',
        host: 'host-2',
        listenIp: '127.0.2.2',
        listenPort: 0,
        targetIp: '127.0.1.2',
        targetPort: deadPort,
      });
      const client = await TestClient.open('127.0.2.2', port, '127.0.1.1');
      client.write('anyone?');
      await client.waitForClose(1000);
      assert.equal(client.error?.code, 'ECONNRESET');
      await waitFor(() => fabric.connections().length === 0, { what: 'connection cleanup' });
    } finally {
      await fabric.close();
    }
  });

  test('listening on a busy address rejects naming ip:port', async () => {
    const fabric = new Fabric({ hosts: HOSTS });
    try {
      const { port } = await fabric.listen({
        nodeId: 'a',
        host: 'host-1',
        listenIp: '127.0.2.1',
        listenPort: 0,
        targetIp: '127.0.1.1',
        targetPort: 1,
      });
      await assert.rejects(
        fabric.listen({
          nodeId: 'b',
          host: 'host-1',
          listenIp: '127.0.2.1',
          listenPort: port,
          targetIp: '127.0.1.1',
          targetPort: 1,
        }),
        (err: Error) => err.message.includes(`127.0.2.1:${port}`) && err.message.includes('in use'),
      );
      await assert.rejects(
        fabric.listen({
          nodeId: 'c',
          host: 'host-9',
          listenIp: '127.0.2.1',
          listenPort: 0,
          targetIp: '127.0.1.1',
          targetPort: 1,
        }),
        UserError,
      );
    } finally {
      await fabric.close();
    }
  });
});

describe('a node that is still starting (hold / release)', () => {
  /** A free port on `ip` where nothing listens yet. */
  async function unusedPort(ip: string): Promise<number> {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, ip, r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    return port;
  }

  test('a dial before the node listens waits, then goes through on release with its bytes', async () => {
    const fabric = new Fabric({ hosts: HOSTS });
    const targetPort = await unusedPort('127.0.1.2');
    const late = createServer((s) => {
      s.on('error', () => {});
      s.pipe(s);
    });
    try {
      const { port } = await fabric.listen({
        nodeId: 'sentinel-2',
        host: 'host-2',
        listenIp: '127.0.2.2',
        listenPort: 0,
        targetIp: '127.0.1.2',
        targetPort,
        held: true,
      });
      // A peer dials (and sends its PING) before the node's process listens.
      const client = await TestClient.open('127.0.2.2', port, '127.0.1.1');
      assert.ok(client.connected);
      client.write('PING\r\n');
      await waitFor(() => fabric.connections()[0]?.bytesUp === 6, { what: 'fabric to read the PING' });
      assert.equal(fabric.connections()[0]?.held, true);
      // Without the hold this dial would have been refused (see the test above); now the node comes up.
      await new Promise<void>((r) => late.listen(targetPort, '127.0.1.2', r));
      await quietWindow(50);
      assert.equal(client.closed, false, 'a held dial must not be reset while the node starts');
      fabric.release('sentinel-2');
      await client.waitForBytes(6);
      assert.equal(client.received().toString(), 'PING\r\n');
      assert.equal(fabric.connections()[0]?.held, false);
      // Released for good: a new dial opens upstream at once.
      const again = await TestClient.open('127.0.2.2', port, '127.0.1.3');
      again.write('x');
      await again.waitForBytes(1);
      again.destroy();
      client.destroy();
    } finally {
      await fabric.close();
      await new Promise<void>((r) => late.close(() => r()));
    }
  });

  test('hold is per node, a reject still resets a held dial, and release of an unknown node is a no-op', async () => {
    const fabric = new Fabric({ hosts: HOSTS });
    const echo = await startEchoServer('127.0.1.3');
    try {
      const listen = (nodeId: string, host: string, n: number, targetPort: number) =>
        fabric.listen({
          nodeId,
          host,
          listenIp: `127.0.2.${n}`,
          listenPort: 0,
          targetIp: `127.0.1.${n}`,
          targetPort,
        });
      const { port: heldPort } = await listen('redis-2', 'host-2', 2, await unusedPort('127.0.1.2'));
      const { port: freePort } = await listen('redis-3', 'host-3', 3, echo.port);
      fabric.hold('redis-2');
      fabric.release('nobody');
      const free = await TestClient.open('127.0.2.3', freePort, '127.0.1.1');
      free.write('ok');
      await free.waitForBytes(2);
      const held = await TestClient.open('127.0.2.2', heldPort, '127.0.1.1');
      held.write('wait');
      await waitFor(() => fabric.connections().some((c) => c.nodeId === 'redis-2' && c.held), { what: 'held dial' });
      fabric.apply({ kind: 'isolate', host: 'host-2', mode: 'reject' });
      await held.waitForClose(1000);
      assert.equal(held.error?.code, 'ECONNRESET');
      free.destroy();
    } finally {
      await fabric.close();
      await echo.close();
    }
  });
});

describe('drop', () => {
  test('holds bytes on an existing connection, then delivers all of them in order exactly once on heal', () =>
    withLab(async (lab) => {
      const client = await lab.connect('host-1', 'host-2');
      await roundTrip(client, 'before\n');
      const echoed = echoOf(lab, 'host-2').received();
      const f = lab.fabric.apply({ kind: 'partition', groups: [['host-1'], ['host-2']], mode: 'drop' });
      const parts = Array.from({ length: 40 }, (_, i) => `${String(i).padStart(3, '0')}:${'x'.repeat(8000)}\n`);
      for (const p of parts) {
        client.write(p);
        await new Promise((r) => setImmediate(r));
      }
      const total = parts.reduce((n, p) => n + p.length, 0);
      await waitFor(() => lab.fabric.connections()[0]?.bytesUp === 7 + total, { what: 'fabric to read all bytes' });
      assert.equal(lab.fabric.connections()[0]?.held, true);
      await quietWindow(150);
      assert.equal(echoOf(lab, 'host-2').received(), echoed, 'target got bytes through a dropped link');
      assert.equal(client.bytes, 7);
      lab.fabric.heal(f.id);
      await client.waitForBytes(7 + total);
      assert.equal(client.received().toString(), `before\n${parts.join('')}`);
      await quietWindow(50);
      assert.equal(client.bytes, 7 + total, 'bytes delivered more than once');
      assert.equal(lab.fabric.connections()[0]?.held, false);
    }));

  test('holds replies in flight when the reply direction is dropped', () =>
    withLab(async (lab) => {
      const client = await lab.connect('host-1', 'host-2');
      const f = lab.fabric.apply({ kind: 'cut', from: 'host-2', to: 'host-1', mode: 'drop' });
      client.write('question\n');
      await waitFor(() => echoOf(lab, 'host-2').received() === 9, { what: 'request to reach the target' });
      await waitFor(() => lab.fabric.connections()[0]?.bytesDown === 9, { what: 'reply to reach the fabric' });
      await quietWindow(100);
      assert.equal(client.bytes, 0);
      lab.fabric.heal(f.id);
      await client.waitForBytes(9);
      assert.equal(client.received().toString(), 'question\n');
    }));

  test('a new connection is accepted but not opened upstream until heal; its bytes then arrive', () =>
    withLab(async (lab) => {
      const f = lab.fabric.apply({ kind: 'isolate', host: 'host-2', mode: 'drop' });
      const client = await lab.connect('host-1', 'host-2');
      assert.ok(client.connected, 'listener should accept like a host whose SYN is lost... at the fabric');
      client.write('hello ');
      client.write('world\n');
      await waitFor(() => lab.fabric.connections()[0]?.bytesUp === 12, { what: 'fabric to read the request' });
      await quietWindow(150);
      assert.equal(echoOf(lab, 'host-2').peers.length, 0, 'upstream opened across a dropped link');
      assert.equal(lab.fabric.connections()[0]?.held, true);
      lab.fabric.heal(f.id);
      await client.waitForBytes(12);
      assert.equal(client.received().toString(), 'hello world\n');
      assert.deepEqual(echoOf(lab, 'host-2').peers, ['127.0.1.1']);
    }));

  test('a held new connection whose caller gives up is cleaned up quietly', () =>
    withLab(async (lab) => {
      const f = lab.fabric.apply({ kind: 'partition', groups: [['host-1'], ['host-3']], mode: 'drop' });
      const client = await lab.connect('host-1', 'host-3');
      client.write('are you there?');
      await waitFor(() => lab.fabric.connections().length === 1, { what: 'connection to register' });
      client.destroy();
      await waitFor(() => lab.fabric.connections().length === 0, { what: 'held connection cleanup' });
      lab.fabric.heal(f.id);
      await quietWindow(100);
      assert.equal(echoOf(lab, 'host-3').peers.length, 0);
    }));
});

describe('reject', () => {
  test('resets existing connections across the cut at once, in both directions', () =>
    withLab(async (lab) => {
      const a = await lab.connect('host-1', 'host-2');
      const b = await lab.connect('host-2', 'host-1');
      const c = await lab.connect('host-3', 'host-2');
      await Promise.all([roundTrip(a), roundTrip(b), roundTrip(c)]);
      const start = performance.now();
      lab.fabric.apply({ kind: 'partition', groups: [['host-1'], ['host-2']], mode: 'reject' });
      await a.waitForClose(500);
      await b.waitForClose(500);
      assert.ok(performance.now() - start < 500);
      assert.equal(a.error?.code, 'ECONNRESET');
      assert.equal(b.error?.code, 'ECONNRESET');
      await roundTrip(c);
      assert.equal(c.closed, false);
      assert.equal(lab.fabric.connections().length, 1);
    }));

  test('resets new connections across the cut at once', () =>
    withLab(async (lab) => {
      lab.fabric.apply({ kind: 'isolate', host: 'host-3', mode: 'reject' });
      const start = performance.now();
      const client = await lab.connect('host-1', 'host-3');
      client.write('x');
      await client.waitForClose(500);
      assert.ok(performance.now() - start < 500);
      assert.equal(echoOf(lab, 'host-3').peers.length, 0);
      assert.equal(lab.fabric.connections().length, 0);
      await roundTrip(await lab.connect('host-1', 'host-2'));
    }));
});

describe('one-way cut', () => {
  test('drop: A -> B is held; B -> A connects and its request reaches A but the reply is held', () =>
    withLab(async (lab) => {
      const f = lab.fabric.apply({ kind: 'cut', from: 'host-1', to: 'host-2', mode: 'drop' });
      const aToB = await lab.connect('host-1', 'host-2');
      aToB.write('from-a\n');
      const bToA = await lab.connect('host-2', 'host-1');
      bToA.write('from-b\n');
      await waitFor(() => echoOf(lab, 'host-1').received() === 7, { what: "B's request to reach A" });
      await waitFor(() => lab.fabric.connections().every((c) => c.held), { what: 'both connections held' });
      await quietWindow(100);
      assert.equal(echoOf(lab, 'host-2').peers.length, 0, "A's connection reached B");
      assert.equal(bToA.bytes, 0, "A's reply crossed the cut");
      lab.fabric.heal(f.id);
      await aToB.waitForBytes(7);
      await bToA.waitForBytes(7);
      assert.equal(aToB.received().toString(), 'from-a\n');
      assert.equal(bToA.received().toString(), 'from-b\n');
    }));

  test('reject: A -> B is reset; B -> A connects, its request reaches A, and the reply resets it', () =>
    withLab(async (lab) => {
      lab.fabric.apply({ kind: 'cut', from: 'host-1', to: 'host-2', mode: 'reject' });
      const aToB = await lab.connect('host-1', 'host-2');
      await aToB.waitForClose(500);
      assert.equal(echoOf(lab, 'host-2').peers.length, 0);
      const bToA = await lab.connect('host-2', 'host-1');
      bToA.write('from-b\n');
      await waitFor(() => echoOf(lab, 'host-1').received() === 7, { what: "B's request to reach A" });
      await bToA.waitForClose(500);
      assert.equal(bToA.bytes, 0);
      assert.equal(bToA.error?.code, 'ECONNRESET');
    }));
});

describe('latency', () => {
  test('100±20 ms one way shows in the round trip', () =>
    withLab(async (lab) => {
      const client = await lab.connect('host-1', 'host-2');
      const baseline = await roundTrip(client);
      lab.fabric.apply({
        kind: 'latency',
        from: 'host-1',
        to: 'host-2',
        latencyMs: 100,
        jitterMs: 20,
        bothWays: false,
      });
      const rtts: number[] = [];
      for (let i = 0; i < 7; i++) rtts.push(await roundTrip(client));
      assert.ok(baseline < 50, `baseline ${baseline} ms`);
      assert.ok(Math.min(...rtts) >= 79, `min ${Math.min(...rtts)} ms`);
      assert.ok(Math.max(...rtts) <= 190, `max ${Math.max(...rtts)} ms`);
      const mid = median(rtts);
      assert.ok(mid >= 85 && mid <= 140, `median ${mid} ms`);
    }));

  test('both ways adds on each direction, also for a new connection', () =>
    withLab(async (lab) => {
      lab.fabric.apply({ kind: 'latency', from: 'host-1', to: 'host-3', latencyMs: 50, jitterMs: 0, bothWays: true });
      const client = await lab.connect('host-3', 'host-1');
      const rtts = [await roundTrip(client), await roundTrip(client), await roundTrip(client)];
      assert.ok(Math.min(...rtts) >= 99, `rtts ${rtts}`);
      assert.ok(median(rtts) <= 150, `rtts ${rtts}`);
    }));

  test('jitter never reorders bytes', () =>
    withLab(async (lab) => {
      lab.fabric.apply({ kind: 'latency', from: 'host-1', to: 'host-2', latencyMs: 20, jitterMs: 19, bothWays: true });
      const client = await lab.connect('host-1', 'host-2');
      let expected = '';
      for (let i = 0; i < 150; i++) {
        const msg = `<${i}>`;
        expected += msg;
        client.write(msg);
        await new Promise((r) => setTimeout(r, i % 3));
      }
      await client.waitForBytes(expected.length);
      assert.equal(client.received().toString(), expected);
    }));

  test('healing restores fast round trips and releases nothing twice', () =>
    withLab(async (lab) => {
      const client = await lab.connect('host-1', 'host-2');
      const f = lab.fabric.apply({
        kind: 'latency',
        from: 'host-2',
        to: 'host-1',
        latencyMs: 300,
        jitterMs: 0,
        bothWays: false,
      });
      client.write('slow\n');
      await waitFor(() => lab.fabric.connections()[0]?.bytesDown === 5, { what: 'reply to reach the fabric' });
      lab.fabric.heal(f.id);
      await client.waitForBytes(5, 1000);
      assert.ok((await roundTrip(client)) < 50);
      assert.equal(client.received().toString(), 'slow\nping\n');
    }));
});

describe('bandwidth', () => {
  test('200 KB/s cap is honoured within ±35% and only in its direction', () =>
    withLab(async (lab) => {
      const rate = 200_000;
      lab.fabric.apply({ kind: 'bandwidth', from: 'host-1', to: 'host-2', bytesPerSec: rate, bothWays: false });
      const client = await lab.connect('host-1', 'host-2');
      const payload = randomBytes(300_000);
      const start = performance.now();
      client.write(payload);
      await client.waitForBytes(payload.length, 5000);
      const seconds = (performance.now() - start) / 1000;
      const measured = payload.length / seconds;
      assert.ok(measured > rate * 0.65 && measured < rate * 1.35, `measured ${Math.round(measured)} B/s`);
      assert.equal(sha(client.received()), sha(payload));

      const reverse = await lab.connect('host-2', 'host-1');
      const t0 = performance.now();
      reverse.write(payload);
      await reverse.waitForBytes(payload.length, 5000);
      // host-2 -> host-1 is the request direction here and the reply comes back over the capped link.
      const reverseRate = payload.length / ((performance.now() - t0) / 1000);
      assert.ok(reverseRate > rate * 0.65 && reverseRate < rate * 1.35, `reverse ${Math.round(reverseRate)} B/s`);
    }));

  test('an uncapped direction stays fast', () =>
    withLab(async (lab) => {
      lab.fabric.apply({ kind: 'bandwidth', from: 'host-2', to: 'host-3', bytesPerSec: 10_000, bothWays: false });
      const client = await lab.connect('host-1', 'host-2');
      const start = performance.now();
      await roundTrip(client, randomBytes(500_000).toString('hex'));
      assert.ok(performance.now() - start < 1000);
    }));
});

describe('fault lifecycle', () => {
  test('ids count up, double apply is refused, unknown heal is refused, events fire', () =>
    withLab(async (lab) => {
      const applied: ActiveFault[] = [];
      const healed: ActiveFault[] = [];
      lab.fabric.on('fault-applied', (f) => applied.push(f));
      lab.fabric.on('fault-healed', (f) => healed.push(f));
      const f1 = lab.fabric.apply({ kind: 'partition', groups: [['host-1', 'host-2'], ['host-3']], mode: 'drop' });
      const f2 = lab.fabric.apply({ kind: 'cut', from: 'host-1', to: 'host-2', mode: 'reject' });
      assert.deepEqual([f1.id, f2.id], ['f1', 'f2']);
      assert.equal(f1.description, 'partition {host-1, host-2} | {host-3} (drop)');
      assert.throws(
        () => lab.fabric.apply({ kind: 'partition', groups: [['host-3'], ['host-2', 'host-1']], mode: 'drop' }),
        (err: unknown) => err instanceof UserError && err.message.includes('f1'),
      );
      assert.throws(() => lab.fabric.apply({ kind: 'cut', from: 'host-1', to: 'host-9', mode: 'drop' }), UserError);
      assert.throws(() => lab.fabric.heal('f9'), UserError);
      assert.deepEqual(
        lab.fabric.active().map((f) => f.id),
        ['f1', 'f2'],
      );
      assert.equal(lab.fabric.heal('f1').id, 'f1');
      assert.deepEqual(
        lab.fabric.active().map((f) => f.id),
        ['f2'],
      );
      const f3 = lab.fabric.apply({ kind: 'partition', groups: [['host-1', 'host-2'], ['host-3']], mode: 'drop' });
      assert.equal(f3.id, 'f3');
      assert.deepEqual(
        lab.fabric.healAll().map((f) => f.id),
        ['f2', 'f3'],
      );
      assert.deepEqual(lab.fabric.active(), []);
      assert.deepEqual(lab.fabric.healAll(), []);
      assert.deepEqual(
        applied.map((f) => f.id),
        ['f1', 'f2', 'f3'],
      );
      assert.deepEqual(
        healed.map((f) => f.id),
        ['f1', 'f2', 'f3'],
      );
    }));

  test('healing one of two overlapping cuts keeps holding; healAll releases', () =>
    withLab(async (lab) => {
      const client = await lab.connect('host-1', 'host-2');
      const f1 = lab.fabric.apply({ kind: 'partition', groups: [['host-1'], ['host-2']], mode: 'drop' });
      lab.fabric.apply({ kind: 'cut', from: 'host-1', to: 'host-2', mode: 'drop' });
      client.write('patience\n');
      await waitFor(() => lab.fabric.connections()[0]?.held === true, { what: 'bytes to be held' });
      lab.fabric.heal(f1.id);
      await quietWindow(100);
      assert.equal(lab.fabric.connections()[0]?.held, true);
      assert.equal(client.bytes, 0);
      lab.fabric.healAll();
      await client.waitForBytes(9);
      assert.equal(client.received().toString(), 'patience\n');
    }));

  test('a drop turned into reject resets the held connection', () =>
    withLab(async (lab) => {
      const client = await lab.connect('host-1', 'host-2');
      lab.fabric.apply({ kind: 'partition', groups: [['host-1'], ['host-2']], mode: 'drop' });
      client.write('held\n');
      await waitFor(() => lab.fabric.connections()[0]?.held === true, { what: 'bytes to be held' });
      lab.fabric.apply({ kind: 'isolate', host: 'host-1', mode: 'reject' });
      await client.waitForClose(500);
      assert.equal(client.bytes, 0);
    }));
});
