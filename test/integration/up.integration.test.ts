// The headless `up` command end to end: ready JSON, cleanup on SIGINT/SIGTERM, SIGKILL then `clean`.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isAlive } from '../../src/cluster/process/proc.js';
import { reapStaleRuns } from '../../src/cluster/process/reaper.js';
import { killAllClis, runCli, startCli } from '../helpers/cli.js';
import { eventually, freeBase } from '../helpers/wait.js';

const root = mkdtempSync(join(tmpdir(), 'rsl-up-'));
after(() => {
  killAllClis();
  // Whatever a failed test left behind is reaped before its directory goes.
  for (const sub of readdirSync(root)) reapStaleRuns(join(root, sub), { includeLive: true });
  rmSync(root, { recursive: true, force: true });
});

interface ReadyLine {
  event: 'ready';
  readyMs: number;
  runDir: string;
  nodes: Array<{ id: string; role: string; host: string; port: number; pid: number }>;
}

async function upUntilReady(runRoot: string) {
  const base = await freeBase();
  const c = startCli(['up', '--json', '--base-port', String(base)], { RSL_RUN_ROOT: runRoot });
  const line = await c.waitLine((l) => l.includes('"event":"ready"'), 60_000);
  return { c, ready: JSON.parse(line) as ReadyLine, base };
}

function assertAllGone(ready: ReadyLine) {
  for (const n of ready.nodes) assert.equal(isAlive(n.pid), false, `${n.id} (pid ${n.pid}) is still alive`);
  assert.equal(existsSync(ready.runDir), false, 'run directory removed');
}

describe('up (real redis-server processes)', () => {
  it('starts the note’s cluster, reports ready with every node, and SIGINT leaves nothing behind', async () => {
    const runRoot = join(root, 'a');
    const { c, ready, base } = await upUntilReady(runRoot);
    assert.equal(ready.nodes.length, 8);
    assert.deepEqual(
      ready.nodes.map((n) => `${n.id}:${n.role}:${n.port - base}`),
      [
        'redis-1:master:0',
        'redis-2:replica:1',
        'redis-3:replica:2',
        'redis-4:replica:3',
        'redis-5:replica:4',
        'sentinel-1:sentinel:100',
        'sentinel-2:sentinel:101',
        'sentinel-3:sentinel:102',
      ],
    );
    assert.ok(ready.readyMs > 0 && ready.readyMs < 30_000);
    for (const n of ready.nodes) assert.ok(isAlive(n.pid), `${n.id} alive`);
    c.child.kill('SIGINT');
    const r = await c.exited;
    assert.equal(r.code, 0);
    assert.ok(c.lines.some((l) => l.includes('"event":"stopped"')));
    assertAllGone(ready);
  });

  it('SIGTERM also cleans up everything (frozen nodes included)', async () => {
    const runRoot = join(root, 'b');
    const { c, ready } = await upUntilReady(runRoot);
    const replica = ready.nodes.find((n) => n.id === 'redis-2')!;
    process.kill(replica.pid, 'SIGSTOP');
    c.child.kill('SIGTERM');
    assert.equal((await c.exited).code, 0);
    assertAllGone(ready);
  });

  it('SIGINT before ready: the stopped record still comes, exit 0, nothing left', async () => {
    const runRoot = join(root, 'early');
    const c = startCli(['up', '--json', '--base-port', String(await freeBase())], { RSL_RUN_ROOT: runRoot });
    await eventually(() => c.stderr.some((l) => l.startsWith('Starting ')), { timeoutMs: 30_000, what: 'the start' });
    c.child.kill('SIGINT');
    assert.deepEqual(await c.exited, { code: 0, signal: null });
    assert.ok(!c.lines.some((l) => l.includes('"event":"ready"')), 'stopped before it was ready');
    assert.deepEqual(
      c.lines.map((l) => JSON.parse(l) as Record<string, unknown>),
      [{ schemaVersion: 1, event: 'stopped', signal: 'SIGINT' }],
    );
    assert.deepEqual(
      readdirSync(runRoot).filter((d) => d.startsWith('run-')),
      [],
    );
  });

  it('after SIGKILL of up, `clean` reaps every leftover process and the run directory', async () => {
    const runRoot = join(root, 'c');
    const { c, ready } = await upUntilReady(runRoot);
    c.child.kill('SIGKILL');
    await c.exited;
    for (const n of ready.nodes) assert.ok(isAlive(n.pid), `${n.id} survives its parent's SIGKILL`);
    const r = await runCli(['clean', '--json'], { RSL_RUN_ROOT: runRoot });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { killed: number[]; runs: string[] };
    assert.equal(report.killed.length, 8);
    await eventually(() => ready.nodes.every((n) => !isAlive(n.pid)), { timeoutMs: 5000, what: 'every node gone' });
    assert.deepEqual(readdirSync(runRoot), []);
  });

  it('the next start reaps a SIGKILLed lab’s leftovers by itself', async () => {
    const runRoot = join(root, 'd');
    const first = await upUntilReady(runRoot);
    first.c.child.kill('SIGKILL');
    await first.c.exited;
    const second = await upUntilReady(runRoot);
    for (const n of first.ready.nodes) assert.equal(isAlive(n.pid), false, `${n.id} of the first run reaped`);
    assert.equal(existsSync(first.ready.runDir), false);
    second.c.child.kill('SIGINT');
    assert.equal((await second.c.exited).code, 0);
    assertAllGone(second.ready);
  });
});

describe('up: bad input', () => {
  it('an unknown flag exits 2 with usage', async () => {
    const r = await runCli(['up', '--bogus']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--bogus'/);
  });
  it('a bad --base-port exits 2 and names the flag', async () => {
    const r = await runCli(['up', '--base-port', 'abc']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--base-port must be a whole number/);
  });
  it('a missing binary exits 1 with install instructions', async () => {
    const r = await runCli(['up', '--redis-server', '/nonexistent/redis-server']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not an executable file/);
    assert.match(r.stderr, /apt-get install redis-server/);
  });
});
