// `watch --json` end to end: on a cluster of its own, and attached to a running `up` (observing only).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isAlive } from '../../src/cluster/process/proc.js';
import { reapStaleRuns } from '../../src/cluster/process/reaper.js';
import { listRunDirs, readManifest } from '../../src/cluster/process/run-dir.js';
import { DEFAULT_SENTINEL_SETTINGS } from '../../src/cluster/topology.js';
import { killAllClis, startCli } from '../helpers/cli.js';
import { failoverWaitMs, freeBase } from '../helpers/wait.js';

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

  it('attached across `do reset`: the new cluster’s failover has the epoch its Sentinels announce (1), not the old count', async () => {
    const runRoot = join(root, 'reset');
    const env = { RSL_RUN_ROOT: runRoot };
    const up = startCli(['up', '--json', '--base-port', String(await freeBase())], env);
    await up.waitLine((l) => l.includes('"event":"ready"'), 60_000);
    const w = startCli(['watch', '--json'], env);
    await w.waitLine((l) => l.includes('"type":"view"') && l.includes('"role":"master"'), 20_000);
    type FailoverLine = { failover: { id: string; status: string; epoch: number | null; newMaster: string | null } };
    const completed = async (skip: number) => {
      let n = 0;
      const line = await w.waitLine((l) => {
        if (!l.includes('"type":"failover"') || !l.includes('"status":"completed"')) return false;
        return n++ >= skip;
      }, failoverWaitMs(DEFAULT_SENTINEL_SETTINGS) + 15_000);
      return (JSON.parse(line) as FailoverLine).failover;
    };
    const run = async (args: string[]) => {
      const c = startCli(['do', ...args], env);
      assert.equal((await c.exited).code, 0, `do ${args.join(' ')}: ${c.lines.join('\n')}`);
    };
    await run(['kill', 'redis-1']);
    const first = await completed(0);
    assert.equal(first.epoch, 1, JSON.stringify(first));
    await run(['reset']);
    await w.waitLine(
      (l) => l.includes('"type":"view"') && l.includes('"redis-1":{"state":"running","role":"master"'),
      30_000,
    );
    await run(['kill', 'redis-1']);
    const second = await completed(1);
    assert.notEqual(second.id, first.id);
    assert.equal(second.epoch, 1, `a fresh cluster's first failover is epoch 1: ${JSON.stringify(second)}`);
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
