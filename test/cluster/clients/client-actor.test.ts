// Real Redis: how a ClientActor classifies outcomes (ok / fail / unknown), that it connects from its host's
// source IP, and that the Sentinel-aware mode follows a real SENTINEL FAILOVER.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ClientActor, type ClientActorOptions } from '../../../src/cluster/clients/client-actor.js';
import type { HistoryOp } from '../../../src/cluster/events.js';
import { countOps, zeroCounts } from '../../../src/ledger/counts.js';
import {
  connectedAdmin,
  freePorts,
  info,
  PASSWORD,
  type Proc,
  startRedis,
  startSentinel,
  stopAll,
  stopProc,
  waitFor,
} from './redis-harness.js';

const procs: Proc[] = [];
const actors: ClientActor[] = [];
let ports: number[] = [];

before(async () => {
  ports = await freePorts(27340, 27399, 12);
});
after(async () => {
  await Promise.all(actors.map((a) => a.close()));
  await stopAll(procs);
});

function actor(o: Partial<ClientActorOptions> & Pick<ClientActorOptions, 'target'>): ClientActor {
  const a = new ClientActor({ name: 'A', password: PASSWORD, resolveNode: () => undefined, ...o });
  actors.push(a);
  return a;
}

function port(i: number): number {
  const p = ports[i];
  if (p === undefined) throw new Error('no port');
  return p;
}

describe('ClientActor against real Redis', { timeout: 45_000 }, () => {
  it('(c) NOREPLICAS is a fail with error class NOREPLICAS; the actor connects from its source IP', async () => {
    const master = await startRedis('ca-master', port(0));
    procs.push(master);
    const replica = await startRedis('ca-replica', port(1), ['--replicaof', '127.0.0.1', String(port(0))]);
    procs.push(replica);
    const m = await connectedAdmin(port(0));
    try {
      await m.config('SET', 'min-replicas-to-write', '1');
      await waitFor('one good replica', async () => (await info(m, 'replication')).min_slaves_good_slaves === '1');
      const history: HistoryOp[] = [];
      const a = actor({
        name: 'B',
        sourceIp: '127.0.1.7',
        target: { kind: 'node', host: '127.0.0.1', port: port(0), nodeId: 'redis-1' },
        onOp: (op) => history.push(op),
      });
      const first = await a.add('rsl:ledger', 'c-1');
      assert.deepEqual(first, { ok: true, kind: 'ok', text: '(integer) 1', node: 'redis-1' });

      const list = String(await m.client('LIST'));
      const mine = list.split('\n').find((l) => l.includes('name=rsl-client-B'));
      assert.ok(mine, `actor not in CLIENT LIST:\n${list}`);
      assert.match(mine, /addr=127\.0\.1\.7:\d+/);

      // A stopped replica closes its link, so the master's good-replica count drops at once.
      await stopProc(replica);
      const refused = await waitFor('NOREPLICAS', async () => {
        const r = await a.add('rsl:ledger', `c-${history.length}`);
        return r.kind === 'fail' ? r : undefined;
      });
      assert.equal(refused.ok, false);
      assert.match(refused.text, /^NOREPLICAS Not enough good replicas to write\./);
      assert.equal(refused.node, 'redis-1');
      // Reads are not write commands: still served.
      assert.equal((await a.read('rsl:nothing')).text, '(nil)');

      const last = history.filter((op) => op.f === 'add').at(-1);
      assert.equal(last?.type, 'fail');
      assert.equal(last?.process, 'client-B');
      const invoke = history.find((op) => op.opId === last?.opId && op.type === 'invoke');
      assert.equal(invoke?.value, last?.value, 'invoke and completion are linked by opId');
      const counts = history.reduce(countOps, zeroCounts());
      assert.ok((counts.errors.NOREPLICAS ?? 0) >= 1);
      assert.equal(counts.failed, counts.errors.NOREPLICAS);
      assert.ok(
        history.every((op, i) => i === 0 || op.seq > (history[i - 1]?.seq ?? 0)),
        'seq increases',
      );
    } finally {
      m.disconnect();
    }
  });

  it('connection refused before sending is a fail; a frozen node after sending is unknown (TIMEOUT)', async () => {
    const dead = actor({ target: { kind: 'node', host: '127.0.0.1', port: port(1), nodeId: 'redis-2' } });
    const r = await dead.write('k', 'v');
    assert.equal(r.kind, 'fail');
    assert.match(r.text, /^ECONNREFUSED/);
    assert.equal(r.node, 'redis-2');

    const m = await connectedAdmin(port(0));
    await m.config('SET', 'min-replicas-to-write', '0');
    m.disconnect();
    const a = actor({
      target: { kind: 'node', host: '127.0.0.1', port: port(0), nodeId: 'redis-1' },
      commandTimeoutMs: 300,
    });
    assert.equal((await a.write('k', 'v1')).text, 'OK');
    assert.equal((await a.read('k')).text, '"v1"');
    const master = procs[0];
    assert.ok(master);
    master.child.kill('SIGSTOP');
    try {
      const t = Date.now();
      const hung = await a.write('k', 'v2');
      assert.equal(hung.kind, 'unknown');
      assert.match(hung.text, /^TIMEOUT/);
      assert.ok(Date.now() - t < 1500);
      // A client that was not connected yet never gets its request out: fail, not unknown.
      const fresh = actor({
        target: { kind: 'node', host: '127.0.0.1', port: port(0), nodeId: 'redis-1' },
        connectTimeoutMs: 300,
      });
      const notSent = await fresh.write('k', 'v3');
      assert.equal(notSent.kind, 'fail');
      assert.match(notSent.text, /^ETIMEDOUT/);
    } finally {
      master.child.kill('SIGCONT');
    }
    // The late SET may well have been applied: exactly why it is "unknown", not "fail".
    await waitFor('node answers again', async () => (await a.read('k')).kind === 'ok');
  });

  it('(d) a Sentinel-aware actor follows SENTINEL FAILOVER and re-resolves on READONLY', async () => {
    const [mPort, rPort, sPort] = [port(2), port(3), port(4)];
    procs.push(await startRedis('sd-master', mPort));
    procs.push(await startRedis('sd-replica', rPort, ['--replicaof', '127.0.0.1', String(mPort)]));
    const m = await connectedAdmin(mPort);
    const r = await connectedAdmin(rPort);
    await waitFor('replica link up', async () => (await info(r, 'replication')).master_link_status === 'up');
    procs.push(await startSentinel('sd-sentinel', sPort, mPort));
    const s = await connectedAdmin(sPort, undefined);
    const names: Record<number, string> = { [mPort]: 'redis-m', [rPort]: 'redis-r' };
    const target = {
      kind: 'sentinel' as const,
      // A dead Sentinel first: the actor must fail fast to the next one.
      sentinels: [
        { host: '127.0.0.1', port: port(5) },
        { host: '127.0.0.1', port: sPort },
      ],
      masterName: 'mymaster',
    };
    const resolveNode = (_ip: string, p: number) => names[p];
    try {
      const follower = actor({ target, resolveNode });
      const stubborn = actor({ name: 'B', target, resolveNode });
      assert.equal((await follower.add('rsl:ledger', 'd-1')).node, 'redis-m');
      assert.equal((await stubborn.add('rsl:ledger', 'd-2')).node, 'redis-m');
      assert.equal(follower.currentNode, 'redis-m');

      await waitFor(
        'Sentinel to know a good replica',
        async () => {
          const reply = await s.call('SENTINEL', 'FAILOVER', 'mymaster').catch((e: Error) => e.message);
          return reply === 'OK';
        },
        15_000,
        200,
      );
      await waitFor('Sentinel to name the new master', async () => {
        const addr = (await s.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster')) as string[];
        return Number(addr[1]) === rPort;
      });

      // What the engine does on +switch-master.
      follower.masterChanged();
      const moved = await waitFor('follower writes to the new master', async () => {
        const res = await follower.add('rsl:ledger', `d-f-${Date.now()}`);
        return res.ok && res.node === 'redis-r' ? res : undefined;
      });
      assert.equal(moved.kind, 'ok');

      // `stubborn` was never told. Demote the old master (as Sentinel eventually does): READONLY, then re-resolve.
      await m.replicaof('127.0.0.1', rPort);
      await waitFor('old master is a replica', async () => (await info(m, 'replication')).role === 'slave');
      const ro = await stubborn.add('rsl:ledger', 'd-3');
      assert.equal(ro.kind, 'fail');
      assert.match(ro.text, /^READONLY/);
      assert.equal(ro.node, 'redis-m');
      const again = await stubborn.add('rsl:ledger', 'd-4');
      assert.deepEqual(again, { ok: true, kind: 'ok', text: '(integer) 1', node: 'redis-r' });
    } finally {
      m.disconnect();
      r.disconnect();
      s.disconnect();
    }
  });

  it('(e) a Sentinel-aware actor asks again after a lost connection, and sends the Sentinels’ own password', async () => {
    const [mPort, rPort, sPort] = [port(6), port(7), port(8)];
    const m = await startRedis('se-master', mPort);
    procs.push(m);
    procs.push(await startRedis('se-replica', rPort, ['--replicaof', '127.0.0.1', String(mPort)]));
    const r = await connectedAdmin(rPort);
    await waitFor('replica link up', async () => (await info(r, 'replication')).master_link_status === 'up');
    procs.push(await startSentinel('se-sentinel', sPort, mPort, 'mymaster', 1000, 'spw'));
    const s = await connectedAdmin(sPort, 'spw');
    const names: Record<number, string> = { [mPort]: 'redis-m', [rPort]: 'redis-r' };
    const resolveNode = (_ip: string, p: number) => names[p];
    const sentinels = [{ host: '127.0.0.1', port: sPort }];
    try {
      const good = actor({
        target: { kind: 'sentinel', sentinels, masterName: 'mymaster', sentinelPassword: 'spw' },
        resolveNode,
      });
      const noPassword = actor({
        name: 'B',
        target: { kind: 'sentinel', sentinels, masterName: 'mymaster' },
        resolveNode,
      });
      assert.equal((await good.write('k', '1')).node, 'redis-m');
      const refused = await noPassword.write('k', '2');
      assert.equal(refused.kind, 'fail');
      assert.match(refused.text, /^NOSENTINEL .*NOAUTH/);

      await waitFor(
        'Sentinel to know a good replica',
        async () => (await s.call('SENTINEL', 'FAILOVER', 'mymaster').catch((e: Error) => e.message)) === 'OK',
        15_000,
        200,
      );
      await waitFor('Sentinel to name the new master', async () => {
        const addr = (await s.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster')) as string[];
        return Number(addr[1]) === rPort;
      });
      // Nobody tells the actor (no masterChanged); the old master dies under it.
      await stopProc(m);
      const lost = await good.write('k', '3');
      assert.equal(lost.ok, false);
      assert.equal(lost.node, 'redis-m');
      const again = await good.write('k', '4');
      assert.deepEqual(again, { ok: true, kind: 'ok', text: 'OK', node: 'redis-r' });
    } finally {
      r.disconnect();
      s.disconnect();
    }
  });

  it('a master change while a Sentinel is still answering is not lost: the next request asks again', async () => {
    // A Sentinel that answers GET-MASTER-ADDR-BY-NAME only when released, so the change lands mid-resolve.
    const [aPort, bPort, sPort] = [port(9), port(10), port(11)];
    procs.push(await startRedis('mc-a', aPort));
    procs.push(await startRedis('mc-b', bPort));
    let master = aPort;
    const held: Array<() => void> = [];
    const sentinel = createServer((sock: Socket) => {
      sock.on('data', (buf) => {
        // Every command of the chunk in order (ioredis pipelines HELLO, CLIENT SETNAME and SETINFO on connect).
        for (const cmd of buf.toString().split(/\r\n(?=\*\d+\r\n\$)/)) {
          if (/^\*\d+\r\n\$5\r\nhello/i.test(cmd)) sock.write('%1\r\n$6\r\nserver\r\n$5\r\nredis\r\n');
          else if (!/GET-MASTER-ADDR-BY-NAME/i.test(cmd)) sock.write('+OK\r\n');
          else {
            const answer = String(master);
            held.push(() => sock.write(`*2\r\n$9\r\n127.0.0.1\r\n$${answer.length}\r\n${answer}\r\n`));
          }
        }
      });
    });
    sentinel.listen(sPort, '127.0.0.1');
    await once(sentinel, 'listening');
    try {
      const names: Record<number, string> = { [aPort]: 'redis-a', [bPort]: 'redis-b' };
      const a = actor({
        target: { kind: 'sentinel', sentinels: [{ host: '127.0.0.1', port: sPort }], masterName: 'mymaster' },
        resolveNode: (_ip, p) => names[p],
      });
      const first = a.write('k', '1');
      await waitFor('the actor to ask the Sentinel', async () => held.length === 1);
      // The failover happens now: the Sentinel's next answer names b, and the engine tells the actor.
      master = bPort;
      a.masterChanged();
      held.shift()?.();
      assert.equal((await first).node, 'redis-a', 'the request in flight used the answer it was given');
      const next = a.write('k', '2');
      await waitFor('the actor to ask again', async () => held.length === 1);
      held.shift()?.();
      assert.equal((await next).node, 'redis-b');
    } finally {
      sentinel.close();
      for (const release of held) release();
    }
  });

  it('a Sentinel-aware actor with no reachable Sentinel fails fast with NOSENTINEL', async () => {
    const lost = actor({
      target: { kind: 'sentinel', sentinels: [{ host: '127.0.0.1', port: port(5) }], masterName: 'mymaster' },
    });
    const r = await lost.write('k', 'v');
    assert.equal(r.kind, 'fail');
    assert.match(r.text, /^NOSENTINEL .*ECONNREFUSED/);
  });
});
