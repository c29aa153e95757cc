// `do <action>` against a real lab (`up`, real redis-server): what a script sees when it asks for something that is
// already done (a dead node killed again, a workload stopped twice), and the positional forms `do --help` documents.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { reapStaleRuns } from '../../src/cluster/process/reaper.js';
import { DoResult, UpReady } from '../../src/commands/json-schemas.js';
import { type CliChild, killAllClis, runCli, startCli } from '../helpers/cli.js';
import { freeBase } from '../helpers/wait.js';

const root = mkdtempSync(join(tmpdir(), 'rsl-do-int-'));
const env = { RSL_RUN_ROOT: root };
let up: CliChild | undefined;
let base = 0;

const doCli = (...args: string[]) => runCli(['do', ...args, '--base-port', String(base)], env);

before(async () => {
  base = await freeBase();
  up = startCli(['up', '--json', '--base-port', String(base)], env);
  UpReady.parse(JSON.parse(await up.waitLine((l) => l.includes('"event":"ready"'), 60_000)));
});
after(async () => {
  up?.child.kill('SIGINT');
  await up?.exited;
  killAllClis();
  for (const sub of readdirSync(root)) reapStaleRuns(join(root, sub), { includeLive: true });
  rmSync(root, { recursive: true, force: true });
});

describe('do against a running lab', () => {
  it('refuses to kill, stop or remove a node that is not running, as freeze does', async () => {
    const first = await doCli('kill', 'redis-5');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /✓ kill redis-5: redis-5 killed/);
    for (const kind of ['kill', 'stop', 'decommission']) {
      const again = await doCli(kind, 'redis-5', '--json');
      assert.equal(again.code, 1, `${kind}: ${again.stdout}${again.stderr}`);
      const rec = DoResult.parse(JSON.parse(again.stdout));
      assert.equal(rec.ok, false, kind);
      assert.equal(rec.result, 'redis-5 is not running', kind);
    }
    const freeze = await doCli('freeze', 'redis-5');
    assert.equal(freeze.code, 1);
    assert.match(freeze.stdout, /✗ freeze redis-5: redis-5 is not running \(it is exited\)/);
    const restart = await doCli('restart', 'redis-5');
    assert.equal(restart.code, 0, restart.stderr);
  });

  it('takes the mode after the partition groups, and refuses a Sentinel password the cluster lacks', async () => {
    const r = await doCli('partition', 'host-1', 'host-2', 'reject', '--json');
    assert.equal(r.code, 0, r.stderr);
    const rec = DoResult.parse(JSON.parse(r.stdout));
    assert.equal(rec.title, 'partition {host-1} | {host-2} (reject)');
    assert.equal((await doCli('heal')).code, 0);
    const pw = await doCli('sentinel-password', 'sentinel-3', 'true');
    assert.equal(pw.code, 1);
    assert.equal(pw.stdout, '✗ refused: the Sentinels of this cluster have no password');
  });

  it('says no workload is running when it was stopped already', async () => {
    assert.equal((await doCli('workload-start', 'A', '50')).code, 0);
    const stopped = await doCli('workload-stop');
    assert.equal(stopped.code, 0, stopped.stderr);
    const again = await doCli('workload-stop');
    assert.equal(again.code, 1, again.stdout);
    assert.match(again.stdout, /✗ stop workload: no workload is running/);
  });
});
