// `watch --sentinel … --json` on Sentinels that monitor two masters: one lab per master, every record names its
// master, and each master's events stay with it (a Sentinel publishes every master's events on one connection).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCli } from '../../helpers/cli.js';
import { type ForeignDeployment, startForeignDeployment } from '../../helpers/foreign-deployment.js';
import { eventually } from '../../helpers/wait.js';

interface Rec {
  schemaVersion: number;
  type: string;
  master: string;
  channel?: string;
  payload?: string;
  nodes?: Array<{ id: string; address: string }>;
  view?: { redis: Record<string, { state: string; role?: string }>; sentinels: Record<string, { state: string }> };
}

describe('watch --sentinel on two masters (real Redis)', () => {
  let sessions: ForeignDeployment;
  let cache: ForeignDeployment;
  const cwd = mkdtempSync(join(tmpdir(), 'rsl-watch-remote-'));

  before(async () => {
    sessions = await startForeignDeployment({ masterName: 'sessions', downAfterMs: 2000 });
    // A second replication group without Sentinels of its own: the test (not the lab) asks the same Sentinels to
    // monitor it too, as an operator would.
    cache = await startForeignDeployment({ replicas: 1, sentinels: 0 });
    for (const s of sessions.sentinels) {
      await sessions.command(s, 'SENTINEL', 'MONITOR', 'cache', '127.0.0.1', cache.master.port, 2);
      await sessions.command(s, 'SENTINEL', 'SET', 'cache', 'auth-pass', cache.password);
    }
    await eventually(
      async () => {
        for (const s of sessions.sentinels) {
          const r = (await sessions.command(s, 'SENTINEL', 'REPLICAS', 'cache')) as unknown[];
          if (r.length !== 1) return false;
        }
        return true;
      },
      { timeoutMs: 20_000, what: 'the Sentinels know the cache replica' },
    );
  });

  after(async () => {
    await cache?.cleanup();
    await sessions?.cleanup();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('streams both masters apart, each failover only under its own master', { timeout: 90_000 }, async () => {
    const w = startCli(
      ['watch', '--sentinel', sessions.sentinelArg, '--password-env', 'RSL_PW', '--json'],
      { RSL_PW: 'redis' },
      { cwd },
    );
    try {
      const recs = () => w.lines.map((l) => JSON.parse(l) as Rec);
      await eventually(
        () =>
          ['cache', 'sessions'].every((m) =>
            recs().some(
              (r) =>
                r.master === m &&
                r.type === 'view' &&
                Object.values(r.view?.redis ?? {}).some((x) => x.role === 'master'),
            ),
          ),
        { timeoutMs: 20_000, what: `a view of each master\n${w.lines.join('\n')}\n${w.stderr.join('\n')}` },
      );
      // The first view of each master comes after every node was probed once: on this healthy deployment no node in
      // it is unreachable (a view before the first probe round called every node unreachable).
      for (const m of ['cache', 'sessions']) {
        const first = recs().find((r) => r.master === m && r.type === 'view');
        const states = Object.entries({ ...first?.view?.redis, ...first?.view?.sentinels }).map(
          ([id, x]) => `${id}=${x.state}`,
        );
        assert.ok(states.length > 0 && states.every((x) => x.endsWith('=running')), `${m}: ${states.join(' ')}`);
      }
      const status = recs().filter((r) => r.type === 'status');
      const dataNodes = (r: Rec | undefined) =>
        r?.nodes?.filter((n) => n.id.startsWith('redis-')).map((n) => n.address);
      assert.deepEqual(
        status.map((r) => r.master),
        ['cache', 'sessions'],
      );
      assert.deepEqual(
        dataNodes(status[0]),
        [cache.master, ...cache.replicas].map((n) => `127.0.0.1:${n.port}`),
      );
      assert.deepEqual(
        dataNodes(status[1]),
        [sessions.master, ...sessions.replicas].map((n) => `127.0.0.1:${n.port}`),
      );
      assert.ok(recs().every((r) => r.schemaVersion === 1));
      // The test fails the cache master over; the lab watching "sessions" must not take those events as its own.
      await sessions.command(sessions.sentinels[0] ?? sessions.master, 'SENTINEL', 'FAILOVER', 'cache');
      await eventually(() => recs().some((r) => r.type === 'event' && r.channel === '+switch-master'), {
        timeoutMs: 30_000,
        what: '+switch-master',
      });
      const switches = recs().filter((r) => r.type === 'event' && r.channel === '+switch-master');
      assert.ok(switches.length > 0);
      for (const r of switches) assert.equal(r.master, 'cache', JSON.stringify(r));
      // Epochs and votes name no master: they are the cache failover's, never the sessions master's.
      const unnamed = recs().filter((r) => r.channel === '+new-epoch' || r.channel === '+vote-for-leader');
      assert.ok(unnamed.length > 0);
      for (const r of unnamed) assert.notEqual(r.master, 'sessions', JSON.stringify(r));
      for (const r of recs().filter((x) => x.type === 'event' && x.master === 'sessions')) {
        assert.doesNotMatch(r.payload ?? '', /\bcache\b/, JSON.stringify(r));
      }
      w.child.kill('SIGINT');
      assert.equal((await w.exited).code, 0);
    } finally {
      w.child.kill('SIGKILL');
    }
  });
});
