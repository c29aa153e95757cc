// `watch --json` end to end: on a cluster of its own, and attached to a running `up` (observing only).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { isAlive } from '../../src/cluster/process/proc.js';
import { reapStaleRuns } from '../../src/cluster/process/reaper.js';
import { listRunDirs, readManifest } from '../../src/cluster/process/run-dir.js';
import { DEFAULT_SENTINEL_SETTINGS } from '../../src/cluster/topology.js';
import { killAllClis, startCli } from '../helpers/cli.js';
import { eventually, failoverWaitMs, freeBase } from '../helpers/wait.js';

const root = mkdtempSync(join(tmpdir(), 'rsl-watch-'));
after(() => {
  killAllClis();
  for (const sub of readdirSync(root)) reapStaleRuns(join(root, sub), { includeLive: true });
  rmSync(root, { recursive: true, force: true });
});

const parse = (l: string) => JSON.parse(l) as { type: string; [k: string]: unknown };

describe('watch', () => {
  it('streams NDJSON view and event records of a cluster of its own, and cleans up on SIGINT', async () => {
    const runRoot = join(root, 'own');
    const c = startCli(['watch', '--json', '--no-attach', '--base-port', String(await freeBase())], {
      RSL_RUN_ROOT: runRoot,
    });
    await c.waitLine((l) => l.includes('"type":"ready"'), 60_000);
    const view = parse(
      await c.waitLine(
        (l) => l.includes('"type":"view"') && l.includes('"redis-1":{"state":"running","role":"master"'),
        10_000,
      ),
    );
    assert.ok(typeof view.ts === 'string');
    // A healthy idle cluster may publish nothing: stop a replica (its pid from the run manifest) to make news.
    const [runDir] = listRunDirs(runRoot);
    const pid = readManifest(runDir!)?.nodes['redis-5']?.pid;
    assert.ok(pid, 'the run manifest names redis-5');
    process.kill(pid, 'SIGKILL');
    // Startup may already have published an +sdown about a peer Sentinel: wait for the one about redis-5.
    const ev = parse(
      await c.waitLine(
        (l) => l.includes('"type":"event"') && l.includes('"channel":"+sdown"') && l.includes('redis-5'),
        15_000,
      ),
    );
    assert.match(String(ev.gloss), /redis-5/);
    assert.match(String(ev.payload), /^slave /);
    c.child.kill('SIGINT');
    assert.equal((await c.exited).code, 0);
    assert.deepEqual(readdirSync(runRoot), []);
  });

  it('attaches to a running `up`, reports its failover, and never stops its processes', async () => {
    const runRoot = join(root, 'attach');
    const up = startCli(['up', '--json', '--base-port', String(await freeBase())], { RSL_RUN_ROOT: runRoot });
    const ready = JSON.parse(await up.waitLine((l) => l.includes('"event":"ready"'), 60_000)) as {
      nodes: Array<{ id: string; pid: number }>;
    };
    const w = startCli(['watch', '--json'], { RSL_RUN_ROOT: runRoot });
    const status = parse(await w.waitLine((l) => l.includes('"type":"status"'), 20_000));
    assert.equal(status.attached, true);
    await w.waitLine((l) => l.includes('"type":"view"') && l.includes('"role":"master"'), 20_000);
    // The first view comes after every node was probed once: none of this healthy cluster's nodes is unreachable in it.
    const firstView = parse(w.lines.find((l) => l.includes('"type":"view"')) ?? '{}') as {
      view?: { redis: Record<string, { state: string }>; sentinels: Record<string, { state: string }> };
    };
    const states = Object.entries({ ...firstView.view?.redis, ...firstView.view?.sentinels }).map(
      ([id, x]) => `${id}=${x.state}`,
    );
    assert.ok(states.length === 8 && states.every((x) => x.endsWith('=running')), states.join(' '));
    const master = ready.nodes.find((n) => n.id === 'redis-1')!;
    process.kill(master.pid, 'SIGKILL');
    await w.waitLine((l) => l.includes('"channel":"+switch-master"'), failoverWaitMs(DEFAULT_SENTINEL_SETTINGS));
    await w.waitLine((l) => l.includes('"type":"failover"'), 10_000);
    w.child.kill('SIGINT');
    assert.equal((await w.exited).code, 0);
    for (const n of ready.nodes.filter((x) => x.id !== 'redis-1'))
      assert.ok(isAlive(n.pid), `${n.id} untouched by watch`);
    up.child.kill('SIGINT');
    assert.equal((await up.exited).code, 0);
    for (const n of ready.nodes) assert.equal(isAlive(n.pid), false);
  });

  it('attached across `do reset`: each failover has the epoch its Sentinels hold (config-epoch), not a count carried over', async () => {
    const runRoot = join(root, 'reset');
    const env = { RSL_RUN_ROOT: runRoot };
    const up = startCli(['up', '--json', '--base-port', String(await freeBase())], env);
    const ready = JSON.parse(await up.waitLine((l) => l.includes('"event":"ready"'), 60_000)) as {
      nodes: Array<{ id: string; ip: string; port: number }>;
    };
    const s1 = ready.nodes.find((n) => n.id === 'sentinel-1');
    assert.ok(s1, 'sentinel-1 in the ready line');
    const w = startCli(['watch', '--json'], env);
    await w.waitLine((l) => l.includes('"type":"view"') && l.includes('"role":"master"'), 20_000);
    type Failover = { id: string; status: string; epoch: number | null };
    // The first record of a completed failover other than `not` (a record comes again when it changes).
    const completed = async (not?: string) => {
      const line = await w.waitLine((l) => {
        if (!l.includes('"type":"failover"') || !l.includes('"status":"completed"')) return false;
        return (JSON.parse(l) as { failover: Failover }).failover.id !== not;
      }, failoverWaitMs(DEFAULT_SENTINEL_SETTINGS) + 15_000);
      return (JSON.parse(line) as { failover: Failover }).failover;
    };
    // What the Sentinels hold: the master's config-epoch is the epoch of the failover that made it (SENTINEL MASTER).
    const configEpoch = async () => {
      const sentinel = new Redis({ host: s1.ip, port: s1.port, lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await sentinel.connect();
        const fields = (await sentinel.call('SENTINEL', 'MASTER', 'mymaster')) as string[];
        return Number(fields[fields.indexOf('config-epoch') + 1]);
      } finally {
        sentinel.disconnect();
      }
    };
    const holds = (f: Failover) =>
      eventually(async () => (await configEpoch()) === f.epoch, {
        timeoutMs: 10_000,
        what: `sentinel-1's config-epoch to be the failover's epoch ${f.epoch}`,
      });
    const run = async (args: string[]) => {
      const c = startCli(['do', ...args], env);
      assert.equal((await c.exited).code, 0, `do ${args.join(' ')}: ${c.lines.join('\n')}`);
    };
    await run(['kill', 'redis-1']);
    const first = await completed();
    assert.ok(typeof first.epoch === 'number' && first.epoch >= 1, JSON.stringify(first));
    await holds(first);
    await run(['reset']);
    await w.waitLine(
      (l) => l.includes('"type":"view"') && l.includes('"redis-1":{"state":"running","role":"master"'),
      30_000,
    );
    await run(['kill', 'redis-1']);
    const second = await completed(first.id);
    assert.ok(typeof second.epoch === 'number', JSON.stringify(second));
    await holds(second);
    w.child.kill('SIGINT');
    assert.equal((await w.exited).code, 0);
    up.child.kill('SIGINT');
    assert.equal((await up.exited).code, 0);
  });

  it('a lab stopped with SIGSTOP: do says so within its deadline, watch ends on SIGTERM at once', async () => {
    const runRoot = join(root, 'stopped');
    const up = startCli(['up', '--json', '--base-port', String(await freeBase())], { RSL_RUN_ROOT: runRoot });
    await up.waitLine((l) => l.includes('"event":"ready"'), 60_000);
    const pid = up.child.pid ?? 0;
    process.kill(pid, 'SIGSTOP');
    try {
      const d = startCli(['do', 'ckquorum'], { RSL_RUN_ROOT: runRoot });
      const dExit = await d.exited;
      assert.equal(dExit.code, 1);
      assert.match(d.stderr.join('\n'), new RegExp(`The lab \\(pid ${pid}\\) is stopped \\(Ctrl\\+Z or SIGSTOP\\)`));
      const w = startCli(['watch', '--json'], { RSL_RUN_ROOT: runRoot });
      await w.waitLine((l) => l.includes('"type":"status"'), 20_000);
      const t0 = Date.now();
      w.child.kill('SIGTERM');
      assert.equal((await w.exited).code, 0);
      assert.ok(Date.now() - t0 < 3000, `watch took ${Date.now() - t0} ms to end`);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    up.child.kill('SIGINT');
    assert.equal((await up.exited).code, 0);
  });
});
