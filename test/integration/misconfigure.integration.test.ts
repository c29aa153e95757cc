// The misconfigure family and the clients' actions against real Redis 7 processes: a host behind the lab's NAT as a
// third party sees it (the redis-cli line built from what a Sentinel hands out fails, then works after announce-port),
// Sentinels with a password and one restarted without it, persistence surviving a restart, a node removed without
// SENTINEL RESET, a client repointed from a pinned address to the Sentinels, and announce-port on a replica that
// is still syncing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { natPort, publicAddress } from '../../src/cluster/topology.js';
import type { LocalLab } from '../../src/engine/lab.js';
import { startTestLab } from '../helpers/lab.js';
import { failoverWaitMs } from '../helpers/wait.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function lab(shape: Parameters<typeof startTestLab>[0]): Promise<LocalLab> {
  const r = await startTestLab(shape);
  cleanups.push(r.cleanup);
  return r.lab;
}

/**
 * The real redis-cli, as a user would paste it: exit code and everything it printed. Asynchronous: the lab's fabric
 * (the addresses it connects to) runs in this process.
 */
function redisCli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      'redis-cli',
      ['--no-auth-warning', ...args],
      { encoding: 'utf8', timeout: 10_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, out: `${stdout}${stderr}`.trim() });
      },
    );
  });
}

/** `SENTINEL REPLICAS` (flat field/value lines) as records. */
function replicasOf(out: string): Array<Record<string, string>> {
  const lines = out.split('\n');
  const recs: Array<Record<string, string>> = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const k = lines[i] ?? '';
    if (k === 'name') recs.push({});
    const rec = recs[recs.length - 1];
    if (rec) rec[k] = lines[i + 1] ?? '';
  }
  return recs;
}

describe('a host behind the NAT, as a third party sees it', () => {
  it('the address a Sentinel hands out fails before announce-port, and works after it', async () => {
    const l = await lab({ redis: 2, sentinels: 3, sentinel: { failoverTimeoutMs: 5000 } });
    const t = l.topology;
    const s1 = publicAddress(t, 'sentinel-1');
    const r2 = publicAddress(t, 'redis-2');
    assert.ok((await l.perform({ kind: 'nat', host: 'host-2', enabled: true })).ok);
    await l.waitFor(
      (s) =>
        s.sentinels['sentinel-1']?.replicas.some((r) => r.nodeId === 'redis-2' && r.flags.includes('s_down')) === true,
      10_000,
      'sentinel-1 to see redis-2 down',
    );

    // What a user does: ask a Sentinel, paste the address it gives.
    const before = replicasOf(
      (await redisCli(['-h', s1.host, '-p', String(s1.port), 'SENTINEL', 'REPLICAS', 'mymaster'])).out,
    );
    const given = before.find((r) => r.ip === r2.host);
    assert.equal(given?.port, String(r2.port), 'the Sentinel hands out the port redis-2 announces');
    const fails = await redisCli(['-h', r2.host, '-p', String(r2.port), '-a', 'redis', 'PING']);
    assert.equal(fails.code, 1);
    assert.equal(fails.out, `Could not connect to Redis at ${r2.host}:${r2.port}: Connection refused`);
    const published = await redisCli(['-h', r2.host, '-p', String(natPort(r2.port)), '-a', 'redis', 'PING']);
    assert.equal(published.out, 'PONG', 'the published port answers');

    assert.ok((await l.perform({ kind: 'announce-port', node: 'redis-2', published: true })).ok);
    assert.ok((await l.perform({ kind: 'announce-port', node: 'sentinel-2', published: true })).ok);
    await l.waitFor(
      (s) =>
        s.sentinels['sentinel-1']?.replicas.some(
          (r) => r.port === natPort(r2.port) && !r.flags.includes('s_down') && !r.flags.includes('disconnected'),
        ) === true,
      20_000,
      'sentinel-1 to list redis-2 at its published port',
    );
    const after = replicasOf(
      (await redisCli(['-h', s1.host, '-p', String(s1.port), 'SENTINEL', 'REPLICAS', 'mymaster'])).out,
    );
    const up = after.find((r) => r.ip === r2.host && !r.flags?.includes('s_down'));
    assert.equal(up?.port, String(natPort(r2.port)));
    assert.equal((await redisCli(['-h', r2.host, '-p', up?.port ?? '', '-a', 'redis', 'PING'])).out, 'PONG');
    // The old entry stays, down: Sentinels never forget a replica by themselves.
    assert.ok(after.some((r) => r.port === String(r2.port) && r.flags?.includes('s_down')));

    // After a failover, the address GET-MASTER-ADDR-BY-NAME hands out is the published one, and it answers.
    assert.ok((await l.perform({ kind: 'kill', node: 'redis-1' })).ok);
    await l.waitFor(
      (s) => s.sentinels['sentinel-1']?.masterId === 'redis-2',
      failoverWaitMs(l.topology.sentinel),
      'the switch to redis-2',
    );
    const addr = await redisCli([
      '-h',
      s1.host,
      '-p',
      String(s1.port),
      'SENTINEL',
      'GET-MASTER-ADDR-BY-NAME',
      'mymaster',
    ]);
    assert.deepEqual(addr.out.split('\n'), [r2.host, String(natPort(r2.port))]);
    assert.equal(
      (await redisCli(['-h', r2.host, '-p', String(natPort(r2.port)), '-a', 'redis', 'SET', 'age', '222'])).out,
      'OK',
    );

    assert.ok((await l.perform({ kind: 'nat', host: 'host-2', enabled: false })).ok);
    await l.waitFor((s) => Object.keys(s.nat).length === 0, 2000, 'the NAT gone from the store');
    assert.equal((await redisCli(['-h', r2.host, '-p', String(r2.port), '-a', 'redis', 'PING'])).out, 'PONG');
  });
});

describe('Sentinels with a password, a data-node ACL user, persistence, removal and clients', () => {
  it('announce-port while the replica is still syncing (its master just restarted) still reaches the master', async () => {
    // The replica's link is a client only once its sync is done; until then CLIENT KILL TYPE master drops nothing,
    // and the handshake in flight announced the old port. The action waits for a link to drop. redis-1 restarts
    // with repl-diskless-sync-delay 5, which holds redis-2 in wait_bgsave for 5 s: the window, made wide.
    const l = await lab({ redis: 2, sentinels: 3, sentinel: { failoverTimeoutMs: 5000 } });
    const r1 = publicAddress(l.topology, 'redis-1');
    const published = natPort(l.topology.nodes.find((n) => n.id === 'redis-2')?.port ?? 0);
    const onR1 = (...argv: string[]) => redisCli(['-h', r1.host, '-p', String(r1.port), '-a', 'redis', ...argv]);
    assert.equal((await onR1('CONFIG', 'SET', 'repl-diskless-sync-delay', '5')).out, 'OK');
    assert.equal((await onR1('CONFIG', 'REWRITE')).out, 'OK');
    assert.ok((await l.perform({ kind: 'stop', node: 'redis-1' })).ok);
    assert.ok((await l.perform({ kind: 'restart', node: 'redis-1' })).ok);
    const end = Date.now() + 10_000;
    while (!/slave0:.*state=wait_bgsave/.test((await onR1('INFO', 'replication')).out)) {
      assert.ok(Date.now() < end, 'redis-2 waiting for its full sync from redis-1');
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok((await l.perform({ kind: 'announce-port', node: 'redis-2', published: true })).ok);
    await l.waitFor(
      (s) =>
        s.redis['redis-1']?.replication?.replicas.some((r) => r.port === published && r.state === 'online') === true,
      20_000,
      `redis-1 to list redis-2 at port ${published}`,
    );
  });

  it('a Sentinel restarted without the password sees the others down; they still reach it', async () => {
    const l = await lab({
      redis: 3,
      sentinels: 3,
      sentinelAuth: { password: 'sentinel-secret', dataUser: 'sentinel-user' },
    });
    const s1 = publicAddress(l.topology, 'sentinel-1');
    const s3 = publicAddress(l.topology, 'sentinel-3');
    const r1 = publicAddress(l.topology, 'redis-1');
    const ask = async (a: { host: string; port: number }, pw?: string) =>
      (
        await redisCli([
          '-h',
          a.host,
          '-p',
          String(a.port),
          ...(pw ? ['-a', pw] : []),
          'SENTINEL',
          'GET-MASTER-ADDR-BY-NAME',
          'mymaster',
        ])
      ).out;
    assert.equal(await ask(s1), 'NOAUTH Authentication required.');
    assert.deepEqual((await ask(s1, 'sentinel-secret')).split('\n'), [r1.host, String(r1.port)]);
    // The Sentinels' own user on the data nodes cannot touch keys.
    assert.match(
      (
        await redisCli([
          '-h',
          r1.host,
          '-p',
          String(r1.port),
          '--user',
          'sentinel-user',
          '--pass',
          'redis',
          'GET',
          'age',
        ])
      ).out,
      /^NOPERM this user has no permissions to run the 'get' command/,
    );

    assert.ok((await l.perform({ kind: 'sentinel-password', sentinel: 'sentinel-3', enabled: false })).ok);
    await l.waitFor(
      (s) =>
        s.sentinels['sentinel-3']?.passwordless === true &&
        s.sentinels['sentinel-3'].sentinels.filter((p) => p.flags.includes('s_down')).length === 2,
      10_000,
      'sentinel-3 to see both others down',
    );
    assert.deepEqual((await ask(s3)).split('\n'), [r1.host, String(r1.port)], 'it now answers anyone');
    const s1sees = l.store.getState().sentinels['sentinel-1']?.sentinels.find((p) => p.nodeId === 'sentinel-3');
    assert.ok(s1sees && !s1sees.flags.includes('s_down'), 'sentinel-1 still reaches sentinel-3');

    assert.ok((await l.perform({ kind: 'sentinel-password', sentinel: 'sentinel-3', enabled: true })).ok);
    await l.waitFor(
      (s) =>
        s.sentinels['sentinel-3']?.reachable === true &&
        s.sentinels['sentinel-3'].passwordless !== true &&
        s.sentinels['sentinel-3'].sentinels.every((p) => !p.flags.includes('s_down')),
      10_000,
      'sentinel-3 back with its password',
    );
    assert.equal(await ask(s3), 'NOAUTH Authentication required.');
  });

  it('persistence on the master: a crash and restart keep its data, and its replicas keep it too', async () => {
    const l = await lab({ redis: 2, sentinels: 1, sentinel: { quorum: 1, downAfterMs: 5000 } });
    const r1 = publicAddress(l.topology, 'redis-1');
    const r2 = publicAddress(l.topology, 'redis-2');
    const cli = async (a: { host: string; port: number }, ...args: string[]) =>
      (await redisCli(['-h', a.host, '-p', String(a.port), '-a', 'redis', ...args])).out;
    assert.ok((await l.perform({ kind: 'persistence', node: 'redis-1', enabled: true })).ok);
    await l.waitFor((s) => s.redis['redis-1']?.persistence === true, 5000, 'redis-1 to report appendonly');
    assert.equal(await cli(r1, 'SET', 'age', '222'), 'OK');
    assert.ok((await l.perform({ kind: 'kill', node: 'redis-1' })).ok);
    assert.ok((await l.perform({ kind: 'restart', node: 'redis-1' })).ok);
    assert.equal(await cli(r1, 'GET', 'age'), '222', 'reloaded from the append-only file');
    await l.waitFor((s) => s.redis['redis-2']?.replication?.masterLinkStatus === 'up', 10_000, 'redis-2 resynced');
    assert.equal(await cli(r2, 'GET', 'age'), '222');
    assert.ok((await l.perform({ kind: 'persistence', node: 'redis-1', enabled: false })).ok);
    await l.waitFor((s) => s.redis['redis-1']?.persistence === false, 5000, 'appendonly off again');
  });

  it('a node removed without SENTINEL RESET stays listed until each Sentinel is reset', async () => {
    const l = await lab({ redis: 3, sentinels: 3 });
    assert.ok((await l.perform({ kind: 'decommission', node: 'redis-3' })).ok);
    const lists = (sentinel: string) =>
      l.store.getState().sentinels[sentinel]?.replicas.some((r) => r.nodeId === 'redis-3') === true;
    await l.waitFor(
      (s) =>
        s.sentinels['sentinel-1']?.replicas.some((r) => r.nodeId === 'redis-3' && r.flags.includes('s_down')) === true,
      10_000,
      'redis-3 down for sentinel-1',
    );
    assert.ok(lists('sentinel-1') && lists('sentinel-2'));
    assert.ok((await l.perform({ kind: 'sentinel-reset', sentinel: 'sentinel-1' })).ok);
    await l.waitFor(
      (s) => s.sentinels['sentinel-1']?.replicas.some((r) => r.nodeId === 'redis-2') === true && !lists('sentinel-1'),
      20_000,
      'sentinel-1 to forget redis-3 and rediscover redis-2',
    );
    assert.ok(lists('sentinel-2'), 'a Sentinel not reset still lists it');
  });

  it('a pinned client repointed at the Sentinels; both clients on a timer', async () => {
    const l = await lab({ redis: 2, sentinels: 1, sentinel: { quorum: 1 } });
    assert.ok((await l.perform({ kind: 'heartbeat', running: true, everyMs: 200 })).ok);
    await l.waitFor(
      (s) => ['A', 'B'].every((c) => s.clientResults.some((r) => r.client === c && r.ok && r.node === 'redis-1')),
      5000,
      'both clients writing to redis-1',
    );
    assert.ok((await l.perform({ kind: 'client-target', client: 'B', target: 'redis-2' })).ok);
    await l.waitFor(
      (s) => s.clientResults.some((r) => r.client === 'B' && r.text.startsWith('READONLY') && r.node === 'redis-2'),
      5000,
      'client B pinned to the replica gets READONLY',
    );
    await l.waitFor((s) => s.clientTargets.B?.kind === 'node', 2000, 'client B shown pinned');
    assert.ok((await l.perform({ kind: 'client-target', client: 'B', target: 'sentinel' })).ok);
    const since = l.store.getState().clientResults.at(-1)?.seq ?? 0;
    await l.waitFor(
      (s) => s.clientResults.some((r) => r.seq > since && r.client === 'B' && r.ok && r.node === 'redis-1'),
      5000,
      'client B back on the master',
    );
    assert.ok((await l.perform({ kind: 'heartbeat', running: false })).ok);
    await l.waitFor((s) => !s.heartbeat.running, 2000, 'the heartbeat shown stopped');
  });
});
