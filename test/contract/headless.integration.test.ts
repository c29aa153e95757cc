// The headless commands against real Redis, output validated against the schemas of docs/json.md: `up --json`,
// `watch --json` attached to it, `do` through the control socket. What they must tell exactly: settings changed from
// outside (SENTINEL SET down-after 3000, then a failover that says 3000), nodes frozen, continued and killed from
// outside (frozen / running / exited SIGKILL, not "unreachable"), a dead node's address refusing connections, and a
// watch that ends with a `detached` record within 2 s of its `up` stopping.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { z } from 'zod';
import { reapStaleRuns } from '../../src/cluster/process/reaper.js';
import { DEFAULT_SENTINEL_SETTINGS } from '../../src/cluster/topology.js';
import {
  DoResult,
  UpReady,
  UpStopped,
  WatchDetached,
  WatchEvent,
  WatchFailover,
  WatchStatus,
  WatchView,
} from '../../src/commands/json-schemas.js';
import { type CliChild, killAllClis, runCli, startCli } from '../helpers/cli.js';
import { eventually, failoverWaitMs, freeBase } from '../helpers/wait.js';

// The failover below runs at the down-after this test sets from outside (3000).
const FAILOVER_WAIT_MS = failoverWaitMs({ ...DEFAULT_SENTINEL_SETTINGS, downAfterMs: 3000 });

const root = mkdtempSync(join(tmpdir(), 'rsl-headless-'));
after(() => {
  killAllClis();
  for (const sub of readdirSync(root)) reapStaleRuns(join(root, sub), { includeLive: true });
  rmSync(root, { recursive: true, force: true });
});

const WATCH = {
  status: WatchStatus,
  view: WatchView,
  event: WatchEvent,
  failover: WatchFailover,
  detached: WatchDetached,
};

/** Every watch line is a valid record of its type. */
function watchRecords(c: CliChild) {
  return c.lines.map((l) => {
    const raw = JSON.parse(l) as { type: keyof typeof WATCH };
    const schema = WATCH[raw.type];
    assert.ok(schema, `known record type ${raw.type}`);
    return schema.parse(raw);
  });
}

function views(c: CliChild): Array<z.infer<typeof WatchView>> {
  return watchRecords(c).filter((r): r is z.infer<typeof WatchView> => r.type === 'view');
}

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('redis-cli', args, { encoding: 'utf8', timeout: 10_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('up, watch and do tell the exact truth', () => {
  it('settings from outside, outside faults, a failover record with numbers, detached on stop', async (t) => {
    const env = { RSL_RUN_ROOT: join(root, 'one') };
    const base = await freeBase();
    const up = startCli(['up', '--json', '--base-port', String(base)], env);
    const ready = UpReady.parse(JSON.parse(await up.waitLine((l) => l.includes('"event":"ready"'), 60_000)));
    assert.equal(ready.schemaVersion, 1);
    assert.ok(ready.controlSocket);
    const node = (id: string) => {
      const n = ready.nodes.find((x) => x.id === id);
      assert.ok(n, id);
      return n;
    };
    const h3 = ready.hosts.find((h) => h.id === 'host-3');
    assert.equal(h3?.gateway, '127.0.3.3');

    const w = startCli(['watch', '--json'], env);
    const status = WatchStatus.parse(JSON.parse(await w.waitLine((l) => l.includes('"type":"status"'), 20_000)));
    assert.equal(status.attached, true);
    assert.equal(status.runId, ready.runId);
    await w.waitLine((l) => l.includes('"type":"view"') && l.includes('"role":"master"'), 20_000);

    // A SENTINEL SET made from outside the lab (redis-cli on every Sentinel) shows within a probe round.
    for (const s of ['sentinel-1', 'sentinel-2', 'sentinel-3']) {
      const n = node(s);
      const r = cli([
        '-h',
        n.ip,
        '-p',
        String(n.port),
        'SENTINEL',
        'SET',
        'mymaster',
        'down-after-milliseconds',
        '3000',
      ]);
      assert.equal(r.stdout.trim(), 'OK', r.stderr);
    }
    await eventually(() => views(w).some((v) => v.view.settings.downAfterMs === 3000), {
      timeoutMs: 5000,
      what: 'the view to show down-after 3000',
    });

    // Frozen and continued from outside: frozen, then running again, never just "unreachable".
    const r3 = node('redis-3');
    assert.ok(r3.pid);
    process.kill(r3.pid, 'SIGSTOP');
    await eventually(() => views(w).some((v) => v.view.redis['redis-3']?.state === 'frozen'), {
      timeoutMs: 5000,
      what: 'redis-3 frozen',
    });
    process.kill(r3.pid, 'SIGCONT');
    await eventually(() => views(w).at(-1)?.view.redis['redis-3']?.state === 'running', {
      timeoutMs: 5000,
      what: 'redis-3 running again',
    });

    // Killed from outside: exited with its signal; its public address refuses connections like a dead host.
    const r4 = node('redis-4');
    assert.ok(r4.pid);
    process.kill(r4.pid, 'SIGKILL');
    await eventually(
      () =>
        views(w).some(
          (v) => v.view.redis['redis-4']?.state === 'exited' && v.view.redis['redis-4']?.exit === 'SIGKILL',
        ),
      { timeoutMs: 5000, what: 'redis-4 exited (SIGKILL)' },
    );
    const refused = cli(['-h', r4.ip, '-p', String(r4.port), '-a', 'redis', '--no-auth-warning', 'PING']);
    assert.match(`${refused.stdout}${refused.stderr}`, /Connection refused/);
    // SHUTDOWN through redis-cli from outside: exited with its exit code.
    const r5 = node('redis-5');
    cli(['-h', r5.ip, '-p', String(r5.port), '-a', 'redis', '--no-auth-warning', 'SHUTDOWN', 'NOSAVE']);
    await eventually(
      () =>
        views(w).some((v) => v.view.redis['redis-5']?.state === 'exited' && v.view.redis['redis-5']?.exit === 'code 0'),
      { timeoutMs: 5000, what: 'redis-5 exited (code 0)' },
    );

    // `do` through the control socket: usage errors are exit 2, the action prints what it stands for.
    const bad = await runCli(['do', 'kill', 'redis-9'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown node "redis-9"/);
    const unknown = await runCli(['do', 'frobnicate'], env);
    assert.equal(unknown.code, 2);
    const kill = await runCli(['do', 'kill', 'redis-1', '--json'], env);
    assert.equal(kill.code, 0, kill.stderr);
    const done = DoResult.parse(JSON.parse(kill.stdout));
    assert.equal(done.ok, true);
    assert.match(done.equivalent, new RegExp(`^kill -9 ${node('redis-1').pid}`));

    // The failover record: the cause, each phase in ms since it, and the down-after in force when it began.
    const failover = WatchFailover.parse(
      JSON.parse(
        await w.waitLine(
          (l) => l.includes('"type":"failover"') && l.includes('"status":"completed"'),
          FAILOVER_WAIT_MS,
        ),
      ),
    ).failover;
    assert.equal(failover.cause, 'kill redis-1');
    assert.equal(failover.oldMaster, 'redis-1');
    assert.equal(failover.settings.downAfterMs, 3000);
    const sdownMs = failover.phasesMs.sdown;
    assert.ok(sdownMs !== undefined && sdownMs >= 2900, `SDOWN after down-after 3000 (was ${sdownMs} ms)`);
    assert.ok((failover.phasesMs['switch-master'] ?? 0) > sdownMs);

    // `up` stops: watch says `detached` and exits 0 within 2 s.
    up.child.kill('SIGINT');
    const t0 = Date.now();
    const detached = WatchDetached.parse(JSON.parse(await w.waitLine((l) => l.includes('"type":"detached"'), 5000)));
    assert.match(detached.reason, /stopping|gone/);
    assert.equal((await w.exited).code, 0);
    const endedMs = Date.now() - t0;
    t.diagnostic(
      `watch detached and exited ${endedMs} ms after SIGINT to up; SDOWN at ${sdownMs} ms (down-after 3000)`,
    );
    assert.ok(endedMs < 2000, `watch ended ${endedMs} ms after up was told to stop`);
    assert.equal((await up.exited).code, 0);
    UpStopped.parse(JSON.parse(up.lines.at(-1) ?? '{}'));
    watchRecords(w);
    assert.deepEqual(readdirSync(env.RSL_RUN_ROOT), []);
  });

  it('watch picks the lab asked for, refuses to guess among several, and Ctrl+C ends it within 1 s', async (t) => {
    const env = { RSL_RUN_ROOT: join(root, 'two') };
    const [b1, b2] = [await freeBase(), await freeBase()];
    const up1 = startCli(['up', '--json', '--base-port', String(b1)], env);
    const r1 = UpReady.parse(JSON.parse(await up1.waitLine((l) => l.includes('"event":"ready"'), 60_000)));
    const up2 = startCli(['up', '--json', '--base-port', String(b2)], env);
    const r2 = UpReady.parse(JSON.parse(await up2.waitLine((l) => l.includes('"event":"ready"'), 60_000)));

    const several = await runCli(['watch', '--json'], env);
    assert.equal(several.code, 1);
    assert.equal(several.stdout, '', 'nothing on stdout but the requested output');
    assert.match(several.stderr, /Several labs/);
    assert.ok(several.stderr.includes(`run ${r1.runId}  base port ${b1}`));
    assert.ok(several.stderr.includes(`run ${r2.runId}  base port ${b2}`));
    const doSeveral = await runCli(['do', 'failover'], env);
    assert.equal(doSeveral.code, 1);
    const noSuch = await runCli(['do', 'failover', '--run', 'no-such-run'], env);
    assert.equal(noSuch.code, 1);
    assert.match(noSuch.stderr, /No running lab of yours has run no-such-run/);

    for (const [args, want] of [
      [['--base-port', String(b2)], r2],
      [['--run', r1.runId], r1],
    ] as const) {
      const w = startCli(['watch', '--json', ...args], env);
      const s = WatchStatus.parse(JSON.parse(await w.waitLine((l) => l.includes('"type":"status"'), 20_000)));
      assert.equal(s.runId, want.runId);
      assert.equal(s.basePort, want.basePort);
      await w.waitLine((l) => l.includes('"type":"view"'), 20_000);
      const t0 = Date.now();
      w.child.kill('SIGINT');
      assert.equal((await w.exited).code, 0);
      const ms = Date.now() - t0;
      t.diagnostic(`SIGINT ended an attached watch in ${ms} ms`);
      assert.ok(ms < 1000, `SIGINT ended watch in ${ms} ms`);
    }
    up1.child.kill('SIGINT');
    up2.child.kill('SIGINT');
    assert.equal((await up1.exited).code, 0);
    assert.equal((await up2.exited).code, 0);
  });
});
