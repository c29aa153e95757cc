// `--keep` keeps: a kept run directory survives the next `up` and `clean` (its processes are still reaped once its
// lab is gone), and `clean --all` removes it on request, saying what it removed.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { isAlive } from '../../src/cluster/process/proc.js';
import { reapStaleRuns } from '../../src/cluster/process/reaper.js';
import { KEEP_MARKER } from '../../src/cluster/process/run-dir.js';
import { runCli, startCli } from '../helpers/cli.js';
import { eventually } from '../helpers/wait.js';
import { freeBlock, type ReadyLine } from './support.js';

const tmp = mkdtempSync(join(tmpdir(), 'rsl-hard-keep-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let root: string | undefined;
afterEach(() => {
  if (root) reapStaleRuns(root, { includeLive: true, includeKept: true });
  root = undefined;
});

async function up(runRoot: string, extra: string[] = []) {
  const base = await freeBlock();
  const c = startCli(['up', '--json', '--base-port', String(base), ...extra], { RSL_RUN_ROOT: runRoot });
  const ready = JSON.parse(await c.waitLine((l) => l.includes('"event":"ready"'), 60_000)) as ReadyLine;
  return { c, ready };
}

interface CleanReport {
  event: 'cleaned';
  runs: string[];
  killed: number[];
  live: unknown[];
  kept: string[];
}

describe('--keep', () => {
  it('a kept run survives the next up and a plain clean; clean --all removes it and says so', async () => {
    root = mkdtempSync(join(tmp, 'runs-'));
    const first = await up(root, ['--keep']);
    const kept = first.ready.runDir;
    assert.ok(existsSync(join(kept, KEEP_MARKER)), 'marked as kept');
    first.c.child.kill('SIGINT');
    assert.equal((await first.c.exited).code, 0);
    assert.ok(existsSync(join(kept, 'redis-1', 'redis.conf')), 'configs kept after exit');
    assert.ok(existsSync(join(kept, 'redis-1', 'log.txt')), 'logs kept after exit');

    // The next start reaps stale runs: the kept one stays.
    const second = await up(root);
    assert.ok(existsSync(kept), 'the next up left the kept run alone');
    second.c.child.kill('SIGINT');
    assert.equal((await second.c.exited).code, 0);

    const plain = await runCli(['clean', '--json'], { RSL_RUN_ROOT: root });
    assert.equal(plain.code, 0, plain.stderr);
    const p = JSON.parse(plain.stdout) as CleanReport;
    assert.deepEqual(p.runs, []);
    assert.deepEqual(p.kept, [kept]);
    assert.ok(existsSync(kept));
    const text = await runCli(['clean'], { RSL_RUN_ROOT: root });
    assert.match(text.stdout, /Kept 1 run directory started with --keep \(remove them with `clean --all`\):/);

    const all = await runCli(['clean', '--all', '--json'], { RSL_RUN_ROOT: root });
    assert.equal(all.code, 0, all.stderr);
    const a = JSON.parse(all.stdout) as CleanReport;
    assert.deepEqual(a.runs, [kept], 'lists what it removed');
    assert.deepEqual(a.kept, []);
    assert.deepEqual(readdirSync(root), []);
  });

  it('a kept lab that was SIGKILLed: its processes are reaped, its directory is kept', async () => {
    root = mkdtempSync(join(tmp, 'runs-'));
    const { c, ready } = await up(root, ['--keep']);
    c.child.kill('SIGKILL');
    await c.exited;
    const r = await runCli(['clean', '--json'], { RSL_RUN_ROOT: root });
    const report = JSON.parse(r.stdout) as CleanReport;
    assert.equal(report.killed.length, ready.nodes.length, 'every node of the dead lab stopped');
    await eventually(() => ready.nodes.every((n) => !isAlive(n.pid)), { timeoutMs: 5000, what: 'every node gone' });
    assert.deepEqual(report.kept, [ready.runDir]);
    assert.ok(existsSync(join(ready.runDir, 'redis-1', 'log.txt')));
  });
});
