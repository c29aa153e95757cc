// RedisProbe against real redis-server processes (ports 27000-27002): roles, a frozen replica, a killed and
// restarted node, and Sentinel-style CLIENT KILL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RedisObservation } from '../../../src/cluster/observe/types.js';
import { RedisProbe } from '../../../src/cluster/probes/redis-probe.js';
import { MINI_PASSWORD, type MiniCluster, startMiniCluster, waitFor } from '../../helpers/mini-cluster.js';

describe('RedisProbe on a real master + 2 replicas', { timeout: 60_000 }, () => {
  let c: MiniCluster;
  const probes: RedisProbe[] = [];
  const seen: Record<string, RedisObservation[]> = {};
  const latest = (id: string) => seen[id]?.at(-1);

  const probe = (id: string, intervalMs: number): RedisProbe => {
    const n = c.node(id);
    const p = new RedisProbe({
      id,
      host: n.host,
      port: n.port,
      password: MINI_PASSWORD,
      intervalMs,
      resolve: c.resolve,
      onObservation: (o) => {
        seen[o.id] ??= [];
        seen[o.id]?.push(o);
      },
    });
    probes.push(p);
    p.start();
    return p;
  };

  before(async () => {
    c = await startMiniCluster({
      basePort: 27000,
      replicas: 2,
      sentinels: 0,
      redisConf: ['min-replicas-to-write 1', 'min-replicas-max-lag 10', 'repl-ping-replica-period 1'],
    });
    for (const id of c.redisIds) probe(id, 200);
  });

  after(async () => {
    await Promise.all(probes.map((p) => p.stop()));
    await c?.cleanup();
  });

  it('reports roles, resolved replicas, guard settings, masterauth and keys', async () => {
    await c.command('redis-1', 'SET', 'k', 'v');
    const m = await waitFor(
      () => {
        const o = latest('redis-1');
        return o?.keys === 1 && o.replication?.replicas.length === 2 ? o : undefined;
      },
      { what: 'master observation' },
    );
    assert.equal(m.reachable, true);
    assert.equal(m.replication?.role, 'master');
    assert.deepEqual(m.replication?.replicas.map((r) => r.nodeId).sort(), ['redis-2', 'redis-3']);
    assert.equal(m.replication?.goodReplicas, 2);
    assert.equal(m.minReplicasToWrite, 1);
    assert.equal(m.minReplicasMaxLagSec, 10);
    assert.equal(m.hasMasterauth, true);
    assert.match(m.runId ?? '', /^[0-9a-f]{40}$/);
    const r = await waitFor(() => {
      const o = latest('redis-2');
      return o?.replication?.masterLinkStatus === 'up' ? o : undefined;
    });
    assert.equal(r.masterId, 'redis-1');
    assert.equal(r.replication?.role, 'replica');
  });

  it('emits only on change', async () => {
    const before = seen['redis-2']?.length ?? 0;
    await new Promise((r) => setTimeout(r, 1000)); // a second of ~5 rounds on an idle node
    const emitted = (seen['redis-2']?.length ?? 0) - before;
    assert.ok(emitted <= 3, `emitted ${emitted} observations in ~5 unchanged rounds`);
  });

  it('a SIGSTOPped replica does not hang its probe, and its ACK age grows on the master', async () => {
    // Only pollNow drives this probe, so each call times exactly one round.
    const solo = probe('redis-3', 600_000);
    await solo.pollNow();
    c.pause('redis-3');
    try {
      const durations: number[] = [];
      const results: Array<RedisObservation | undefined> = [];
      for (let i = 0; i < 3; i++) {
        const t = Date.now();
        results.push(await solo.pollNow());
        durations.push(Date.now() - t);
      }
      for (const d of durations) assert.ok(d < 1200, `round took ${d} ms: ${durations.join(', ')}`);
      for (const o of results) {
        assert.equal(o?.reachable, false);
        assert.match(o?.error ?? '', /timed out|timeout/i);
      }
      const entry = await waitFor(
        () => latest('redis-1')?.replication?.replicas.find((r) => r.nodeId === 'redis-3' && r.ackAgeSec >= 2),
        { what: 'ACK age of the frozen replica to reach 2 s', timeoutMs: 6000 },
      );
      assert.equal(entry.state, 'online', 'the master still lists it until repl-timeout');
    } finally {
      c.resume('redis-3');
    }
    const back = await solo.pollNow();
    const again = back?.reachable ? back : await solo.pollNow();
    assert.equal(again?.reachable, true);
    await waitFor(() => latest('redis-3')?.reachable === true, { what: 'redis-3 reachable again' });
  });

  it('reports a killed node unreachable within 1 s and reconnects after a restart', async () => {
    // The run id is read once per connection (INFO server), so it must still be on every later observation and
    // must change with the restart.
    const runIdBefore = latest('redis-2')?.runId;
    assert.match(runIdBefore ?? '', /^[0-9a-f]{40}$/);
    assert.ok((seen['redis-2'] ?? []).filter((o) => o.reachable).every((o) => o.runId === runIdBefore));
    const t = Date.now();
    await c.kill('redis-2');
    const down = await waitFor(() => (latest('redis-2')?.reachable === false ? latest('redis-2') : undefined), {
      timeoutMs: 1000,
      intervalMs: 20,
      what: 'redis-2 unreachable',
    });
    assert.ok(Date.now() - t <= 1000);
    assert.match(down.error ?? '', /ECONNREFUSED/);
    assert.equal(down.replication, undefined);
    await c.restart('redis-2');
    const back = await waitFor(
      () =>
        latest('redis-2')?.reachable === true && latest('redis-2')?.replication?.role === 'replica'
          ? latest('redis-2')
          : undefined,
      { what: 'redis-2 back' },
    );
    assert.match(back.runId ?? '', /^[0-9a-f]{40}$/);
    assert.notEqual(back.runId, runIdBefore, 'a restarted node has a new run id');
  });

  it("survives Sentinel's CLIENT KILL TYPE normal without a false 'unreachable'", async () => {
    const p1 = probes[0] as RedisProbe;
    await p1.pollNow();
    const before = seen['redis-1']?.length ?? 0;
    const killed = await c.command('redis-1', 'CLIENT', 'KILL', 'TYPE', 'normal');
    assert.ok(Number(killed) >= 1, 'the probe connection was killed');
    const o = await p1.pollNow();
    assert.equal(o?.reachable, true, o?.error);
    await p1.pollNow();
    const after = (seen['redis-1'] ?? []).slice(before);
    assert.deepEqual(
      after.filter((x) => !x.reachable).map((x) => x.error),
      [],
    );
  });
});
