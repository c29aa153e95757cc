// Safety: the lab never touches a Redis that is not its own, listens on loopback only, requires the password on
// every data node, keeps its run directory private, and leaves nothing behind.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { resolveServerBinary } from '../../src/cluster/process/binaries.js';
import { canBind } from '../../src/cluster/process/ports.js';
import { isAlive } from '../../src/cluster/process/proc.js';
import { pingOnce } from '../../src/cluster/process/readiness.js';
import { reapStaleRuns } from '../../src/cluster/process/reaper.js';
import { privateAddress, publicAddress, redisNodes, sentinelNodes } from '../../src/cluster/topology.js';
import { Lab } from '../../src/engine/lab.js';
import { runCli, startCli } from '../helpers/cli.js';
import { eventually } from '../helpers/wait.js';
import { freeBlock, leftovers, listenersOf, type ReadyLine, rawCommand } from './support.js';

const tmp = mkdtempSync(join(tmpdir(), 'rsl-hard-safety-'));
const binary = await resolveServerBinary({ env: process.env.REDIS_SERVER, pathEnv: process.env.PATH });

let current: { runRoot: string; base?: number; pids: number[] } | undefined;
afterEach(async () => {
  if (!current) return;
  const { runRoot, base, pids } = current;
  current = undefined;
  const left = await leftovers(runRoot, base, pids);
  reapStaleRuns(runRoot, { includeLive: true });
  assert.deepEqual(left, { processes: [], busy: [], runDirs: [] }, 'nothing left behind');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o777;

describe('what the lab exposes', () => {
  it('loopback-only listeners, NOAUTH without the password, 0700 directories; SIGINT leaves nothing', async () => {
    const base = await freeBlock();
    // A root that does not exist yet: the lab creates it, privately.
    const runRoot = join(tmp, 'fresh', 'root');
    current = { runRoot, base, pids: [] };
    const c = startCli(['up', '--json', '--base-port', String(base)], { RSL_RUN_ROOT: runRoot });
    try {
      const ready = JSON.parse(await c.waitLine((l) => l.includes('"event":"ready"'), 60_000)) as ReadyLine;
      current.pids = [...ready.nodes.map((n) => n.pid), c.child.pid ?? 0];
      assert.equal(ready.networkMode, 'hosts', 'this machine has 127.0.1.x/127.0.2.x (Linux)');

      // Every listener of every lab process, and of the lab itself (the fabric), is on 127.x.
      for (const n of ready.nodes) {
        const ls = listenersOf(n.pid);
        assert.ok(ls.length >= 1, `${n.id} listens somewhere`);
        for (const l of ls) {
          assert.equal(l.family, 4, `${n.id}: no IPv6 listener (${l.ip})`);
          assert.match(l.ip, /^127\./, `${n.id} listens on ${l.ip}:${l.port}`);
        }
        assert.deepEqual(
          ls.map((l) => l.port),
          [n.port],
          `${n.id} listens on its own port only`,
        );
      }
      // The fabric: one listener per node on its public address, and one per node on each host's gateway (where an
      // outside client joins that host), all on loopback.
      const fabric = listenersOf(c.child.pid ?? 0);
      const gateways = ready.hosts.filter((h) => h.gateway !== null).length;
      assert.equal(gateways, ready.hosts.length, 'every host has its gateway');
      assert.equal(fabric.length, ready.nodes.length * (1 + gateways), 'fabric listeners: public + gateways');
      for (const l of fabric) assert.match(l.ip, /^127\.0\.[23]\.\d+$/, `fabric listener ${l.ip}:${l.port}`);

      // Every data node refuses an unauthenticated client, on its public and its private address.
      const redis = ready.nodes.filter((n) => n.role !== 'sentinel');
      assert.equal(redis.length, 5);
      for (const n of redis) {
        const privateIp = n.ip.replace('127.0.2.', '127.0.1.');
        for (const ip of [n.ip, privateIp]) {
          assert.match(await rawCommand(ip, n.port, ['PING']), /^-NOAUTH/, `${n.id} at ${ip}`);
          assert.match(await rawCommand(ip, n.port, ['GET', 'x']), /^-NOAUTH/);
          assert.match(await rawCommand(ip, n.port, ['AUTH', 'wrong']), /^-(WRONGPASS|ERR)/);
        }
        assert.equal(await pingOnce({ host: n.ip, port: n.port, password: 'redis' }), 'ready');
      }

      // Private directories.
      assert.equal(mode(runRoot), 0o700, 'run root');
      assert.equal(mode(ready.runDir), 0o700, 'run directory');
      for (const d of readdirSync(ready.runDir, { withFileTypes: true })) {
        if (d.isDirectory()) assert.equal(mode(join(ready.runDir, d.name)), 0o700, d.name);
      }
      assert.equal(mode(join(ready.runDir, 'lab.json')), 0o600, 'manifest');
      assert.equal(mode(join(ready.runDir, 'redis-1', 'log.txt')), 0o600, 'node log');

      c.child.kill('SIGINT');
      assert.equal((await c.exited).code, 0);
      await eventually(() => ready.nodes.every((n) => !isAlive(n.pid)), { timeoutMs: 5000, what: 'nodes gone' });
    } finally {
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    }
  });

  it('a password full of quotes, backslashes, spaces and # works end to end (configs quote it correctly)', async () => {
    const password = `p"w \\ 'x #y $(z)`;
    const runRoot = join(tmp, 'pw');
    const base = await freeBlock();
    current = { runRoot, base, pids: [] };
    const lab = await Lab.create({ binary, shape: { redis: 3, sentinels: 3, password }, basePort: base, runRoot });
    try {
      await lab.start({ timeoutMs: 30_000 });
      const t = lab.topology;
      for (const n of redisNodes(t)) {
        const a = publicAddress(t, n.id);
        assert.equal(await pingOnce({ ...a, password }), 'ready', `${n.id} accepts the exact password`);
        assert.match(await rawCommand(a.host, a.port, ['AUTH', 'redis']), /^-(WRONGPASS|ERR)/);
      }
      // Replicas authenticated (masterauth) and Sentinels too (auth-pass): the cluster converged.
      const { selectConverged } = await import('../../src/state/selectors.js');
      await lab.waitFor((s) => selectConverged(s).ok, 20_000, 'convergence');
      for (const s of sentinelNodes(t)) {
        const a = privateAddress(t, s.id);
        assert.match(await rawCommand(a.host, a.port, ['SENTINEL', 'CKQUORUM', 'mymaster']), /^\+OK/);
      }
    } finally {
      await lab.shutdown();
    }
  });
});

describe('a foreign redis-server on the note’s port 6379', () => {
  const reason = async () => {
    for (const ip of ['127.0.0.1', '0.0.0.0']) {
      if (!(await canBind(ip, 6379))) return `port 6379 is already in use on ${ip} on this machine; not touching it`;
    }
    return false;
  };

  it('is never touched: the lab moves, says so, and leaves its data, config, pid and connections alone', async (t) => {
    const skip = await reason();
    if (skip) {
      t.skip(skip);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'rsl-foreign-'));
    const foreign: ChildProcess = spawn(
      binary.path,
      ['--port', '6379', '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'].concat([
        '--maxmemory',
        '12345678',
        '--logfile',
        join(dir, 'foreign.log'),
      ]),
      { cwd: dir, stdio: 'ignore' },
    );
    const gone = new Promise((r) => foreign.once('exit', r));
    let client: Redis | undefined;
    const runRoot = join(tmp, 'foreign-runs');
    try {
      const ok = await eventually(async () => (await pingOnce({ host: '127.0.0.1', port: 6379 })) === 'ready', {
        timeoutMs: 5000,
        what: 'the foreign server',
      }).catch(() => false);
      if (!ok || foreign.exitCode !== null) {
        t.skip('could not start a redis-server on 127.0.0.1:6379 (someone else took it meanwhile)');
        return;
      }
      // One connection for all our own checks: the connection counter must not move while the lab runs.
      client = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 0, retryStrategy: () => null });
      await client.set('foreign:key', 'precious');
      const info = async (section: string, field: string) =>
        new RegExp(`^${field}:(.*)$`, 'm').exec(await client!.info(section))?.[1]?.trim();
      const before = {
        runId: await info('server', 'run_id'),
        pid: Number(await info('server', 'process_id')),
        connections: Number(await info('stats', 'total_connections_received')),
      };
      assert.equal(before.pid, foreign.pid);

      current = { runRoot, pids: [] };
      const c = startCli(['up', '--json'], { RSL_RUN_ROOT: runRoot });
      let ready: ReadyLine;
      try {
        ready = JSON.parse(await c.waitLine((l) => l.includes('"event":"ready"'), 60_000)) as ReadyLine;
        current = { runRoot, base: ready.basePort, pids: [...ready.nodes.map((n) => n.pid), c.child.pid ?? 0] };
        assert.ok(ready.portsMoved, 'portsMoved is reported');
        assert.equal(ready.portsMoved.from, 6379);
        assert.equal(ready.portsMoved.to, ready.basePort);
        assert.match(ready.portsMoved.reason, /port 6379 is in use/);
        assert.notEqual(ready.basePort, 6379);
        for (const n of ready.nodes) assert.ok(n.port < 6379 || n.port > 6481, `${n.id} avoided the note's block`);
        c.child.kill('SIGINT');
        assert.equal((await c.exited).code, 0);
      } finally {
        if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
      }
      const clean = await runCli(['clean', '--json'], { RSL_RUN_ROOT: runRoot });
      assert.equal(clean.code, 0, clean.stderr);
      assert.deepEqual((JSON.parse(clean.stdout) as { killed: number[] }).killed, []);

      assert.ok(isAlive(before.pid), 'the foreign server is alive');
      assert.equal(await info('server', 'run_id'), before.runId, 'same run_id: never restarted');
      assert.equal(await client.get('foreign:key'), 'precious', 'same data');
      assert.deepEqual(await client.config('GET', 'maxmemory'), ['maxmemory', '12345678'], 'same config');
      assert.equal(
        Number(await info('stats', 'total_connections_received')),
        before.connections,
        'no client of the lab ever connected to it',
      );
      assert.equal(await info('replication', 'role'), 'master');
      assert.equal(Number(await info('replication', 'connected_slaves')), 0, 'nobody made it a master of theirs');
    } finally {
      client?.disconnect();
      if (foreign.exitCode === null) foreign.kill('SIGKILL');
      await gone;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
