// The run root attack (issue: another user creates /tmp/redis-sentinel-lab-<uid> first and plants a redis.conf):
// reproduced as uid 65534 (CI runs as root) and with symlinks (any uid). The lab refuses without starting anything,
// `clean` and `doctor` refuse too, a restart never runs a planted config, and a normal start still works.
import assert from 'node:assert/strict';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { resolveServerBinary } from '../../src/cluster/process/binaries.js';
import { pingOnce } from '../../src/cluster/process/readiness.js';
import { reapStaleRuns } from '../../src/cluster/process/reaper.js';
import { myUid } from '../../src/cluster/process/run-dir.js';
import { privateAddress } from '../../src/cluster/topology.js';
import { Lab } from '../../src/engine/lab.js';
import { runCli, startCli } from '../helpers/cli.js';
import { freeBlock, leftovers, type ReadyLine } from './support.js';

const tmp = mkdtempSync(join(tmpdir(), 'rsl-hard-root-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const binary = await resolveServerBinary({ env: process.env.REDIS_SERVER, pathEnv: process.env.PATH });
const NOBODY = 65534;
const asRoot = myUid() === 0;
const needsRoot = asRoot ? false : 'needs root to create files as another uid (CI runs as root)';
const mode = (p: string) => statSync(p).mode & 0o777;

let cleanupRoot: string | undefined;
afterEach(() => {
  if (cleanupRoot) reapStaleRuns(cleanupRoot, { includeLive: true });
  cleanupRoot = undefined;
});

function chownTree(path: string, uid: number): void {
  chownSync(path, uid, uid);
  if (statSync(path).isDirectory()) for (const e of readdirSync(path)) chownTree(join(path, e), uid);
}

/** What another user would plant: a run directory with a redis.conf that sets their own password. */
function plant(root: string, port: number): string {
  const conf = join(root, 'run-planted', 'redis-1', 'redis.conf');
  mkdirSync(join(root, 'run-planted', 'redis-1'), { recursive: true });
  writeFileSync(conf, `port ${port}\nbind 127.0.0.1\nrequirepass attackerpw\nsave ""\n`);
  return conf;
}

describe('a run root someone else made', () => {
  it('the predictable default root, created first by uid 65534 with a planted redis.conf: refused, nothing runs', {
    skip: needsRoot,
  }, async () => {
    // TMPDIR moves <tmp>/redis-sentinel-lab-<uid> into this test's own directory (never the machine's real one).
    const tmpDir = mkdtempSync(join(tmp, 'tmpdir-'));
    const root = join(tmpDir, `redis-sentinel-lab-${myUid()}`);
    mkdirSync(root);
    const base = await freeBlock();
    const conf = plant(root, base);
    chownTree(root, NOBODY);
    chmodSync(root, 0o777);
    const env = { TMPDIR: tmpDir, RSL_RUN_ROOT: undefined };

    const r = await runCli(['up', '--json', '--base-port', String(base)], env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `^error: The lab's run root ${root} belongs to uid 65534, not to you \\(uid 0\\); the lab will not use it\\.$`,
        'm',
      ),
    );
    assert.match(r.stderr, /rm -rf/);
    assert.match(r.stderr, /RSL_RUN_ROOT=\/some\/private\/dir/);
    assert.doesNotMatch(r.stderr, /hit a bug/);
    assert.equal(r.stdout, '', 'no ready line');
    // Nothing started, nothing created, nothing of theirs touched.
    const left = await leftovers(root, base);
    assert.deepEqual(left.processes, []);
    assert.deepEqual(left.busy, [], 'every port of the block is still free');
    assert.deepEqual(readdirSync(root), ['run-planted']);
    assert.equal(readFileSync(conf, 'utf8').includes('requirepass attackerpw'), true);
    assert.equal(await pingOnce({ host: '127.0.0.1', port: base, password: 'attackerpw' }), 'down');

    // clean refuses to read, kill or delete anything under it; doctor shows the ✗ with the fix.
    const c = await runCli(['clean', '--json'], env);
    assert.equal(c.code, 1, c.stderr);
    assert.match(c.stderr, /belongs to uid 65534/);
    assert.ok(existsSync(conf), 'the planted files are left for their owner');
    const d = await runCli(['doctor', '--json'], env);
    const check = (
      JSON.parse(d.stdout) as { checks: Array<{ name: string; ok: boolean; detail: string; hint?: string }> }
    ).checks.find((ch) => ch.name === 'Run directory');
    assert.equal(check?.ok, false, d.stdout);
    assert.match(check?.detail ?? '', /belongs to uid 65534/);
    assert.match(check?.hint ?? '', /RSL_RUN_ROOT/);
    assert.equal(d.code, 1);
  });

  it('a root that is a symlink (to a directory of ours): refused, nothing created through it', async () => {
    const target = mkdtempSync(join(tmp, 'target-'));
    const link = join(tmp, 'link-root');
    symlinkSync(target, link);
    const base = await freeBlock();
    const r = await runCli(['up', '--json', '--base-port', String(base)], { RSL_RUN_ROOT: link });
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`error: The lab's run root ${link} is a symbolic link; the lab will not use it\\.`),
    );
    assert.deepEqual(readdirSync(target), []);
    const d = await runCli(['doctor', '--json'], { RSL_RUN_ROOT: link });
    assert.match(d.stdout, /"name":"Run directory","ok":false/);
  });

  it('a root of ours with mode 0755 is tightened to 0700, and a normal start works', async () => {
    const root = join(tmp, 'loose-root');
    mkdirSync(root);
    chmodSync(root, 0o755);
    cleanupRoot = root;
    const d = await runCli(['doctor', '--json'], { RSL_RUN_ROOT: root });
    assert.match(d.stdout, /"name":"Run directory","ok":true,"warning":true,"detail":"[^"]*tightens it to 0700/);
    assert.equal(mode(root), 0o755, 'doctor changes nothing');
    const base = await freeBlock();
    const c = startCli(['up', '--json', '--base-port', String(base)], { RSL_RUN_ROOT: root });
    const ready = JSON.parse(await c.waitLine((l) => l.includes('"event":"ready"'), 60_000)) as ReadyLine;
    assert.equal(mode(root), 0o700);
    assert.equal(mode(ready.runDir), 0o700);
    c.child.kill('SIGINT');
    assert.equal((await c.exited).code, 0);
    assert.deepEqual(await leftovers(root, base), { processes: [], busy: [], runDirs: [] });
  });
});

describe('a restart re-checks the node directory before it uses the config', () => {
  async function labWithKilledReplica() {
    const runRoot = mkdtempSync(join(tmp, 'lab-'));
    cleanupRoot = runRoot;
    const lab = await Lab.create({ binary, shape: { redis: 3, sentinels: 3 }, basePort: await freeBlock(), runRoot });
    await lab.start();
    const killed = await lab.perform({ kind: 'kill', node: 'redis-3' });
    assert.ok(killed.ok, killed.text);
    const nodeDir = join(lab.deployment.runDir, 'redis-3');
    const addr = privateAddress(lab.topology, 'redis-3');
    return { lab, nodeDir, addr };
  }

  /** The planted node directory: the same port, a password of the attacker's. */
  function plantedDir(path: string, port: number, host: string): void {
    mkdirSync(path, { mode: 0o700 });
    writeFileSync(
      join(path, 'redis.conf'),
      `port ${port}\nbind ${host}\nrequirepass attackerpw\nsave ""\ndir "${path}"\n`,
      { mode: 0o600 },
    );
  }

  it('the node directory swapped for a symlink to a planted config: R refuses, nothing listens', async () => {
    const { lab, nodeDir, addr } = await labWithKilledReplica();
    try {
      const planted = mkdtempSync(join(tmp, 'planted-'));
      rmSync(planted, { recursive: true });
      plantedDir(planted, addr.port, addr.host);
      renameSync(nodeDir, `${nodeDir}.orig`);
      symlinkSync(planted, nodeDir);
      const r = await lab.perform({ kind: 'restart', node: 'redis-3' });
      assert.equal(r.ok, false);
      assert.match(r.text, /node directory .*redis-3 is a symbolic link; the lab will not use it/);
      assert.equal(await pingOnce({ ...addr, password: 'attackerpw' }), 'down', 'the planted config never ran');
      assert.equal(lab.nodePid('redis-3'), undefined, 'redis-3 was not started');
      assert.equal(lab.aliveProcesses(), 5, 'the other five nodes run, nothing more');
      // Put ours back: the check passes and the restart works.
      rmSync(nodeDir);
      renameSync(`${nodeDir}.orig`, nodeDir);
      const again = await lab.perform({ kind: 'restart', node: 'redis-3' });
      assert.ok(again.ok, again.text);
      assert.equal(await pingOnce({ ...addr, password: 'redis' }), 'ready');
    } finally {
      await lab.shutdown();
    }
  });

  it('the node directory replaced by one uid 65534 owns, with its redis.conf: R refuses', {
    skip: needsRoot,
  }, async () => {
    const { lab, nodeDir, addr } = await labWithKilledReplica();
    try {
      renameSync(nodeDir, `${nodeDir}.orig`);
      plantedDir(nodeDir, addr.port, addr.host);
      chownTree(nodeDir, NOBODY);
      const r = await lab.perform({ kind: 'restart', node: 'redis-3' });
      assert.equal(r.ok, false);
      assert.match(r.text, /node directory .*redis-3 belongs to uid 65534, not to you/);
      assert.equal(await pingOnce({ ...addr, password: 'attackerpw' }), 'down', 'the planted config never ran');
    } finally {
      await lab.shutdown();
    }
  });
});
