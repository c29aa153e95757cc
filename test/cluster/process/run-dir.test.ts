// The run root and every directory the lab creates under it are proven ours (owner, mode 0700, no symlink) before
// use; the judges are pure, the effects are checked on real directories (as another uid when the tests run as root).
import assert from 'node:assert/strict';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  createRunDir,
  ensureRunRoot,
  inspectRunRoot,
  isKept,
  judgeAncestor,
  judgePrivateDir,
  judgePrivateFile,
  KEEP_MARKER,
  listRunDirs,
  myUid,
  proveNodeFiles,
  proveRunRoot,
  runRoot,
} from '../../../src/cluster/process/run-dir.js';
import { UserError } from '../../../src/errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'rsl-rundir-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const me = myUid();
const NOBODY = 65534;
const asRoot = me === 0;
const needsRoot = asRoot ? false : 'needs root (chown to another uid)';
const mode = (p: string) => lstatSync(p).mode & 0o777;
let n = 0;
const fresh = (name = 'case') => join(tmp, `${name}-${++n}`);

function refusal(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UserError, `a UserError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('judging a path (pure)', () => {
  const dir = (uid: number, m: number) => ({ kind: 'dir' as const, uid, mode: m });
  it('a directory: ours and 0700 is ok; readable by others is tightened; anything else is refused', () => {
    assert.deepEqual(judgePrivateDir(dir(1000, 0o700), 1000), { verdict: 'ok' });
    assert.deepEqual(judgePrivateDir(dir(1000, 0o755), 1000), { verdict: 'tighten' });
    assert.deepEqual(judgePrivateDir(dir(1000, 0o750), 1000), { verdict: 'tighten' });
    assert.match(String(Object(judgePrivateDir(dir(1000, 0o777), 1000)).problem), /other users \(mode 0777\)/);
    assert.match(String(Object(judgePrivateDir(dir(1000, 0o1733), 1000)).problem), /mode 01733/);
    assert.match(String(Object(judgePrivateDir(dir(65534, 0o700), 1000)).problem), /belongs to uid 65534/);
    assert.match(
      String(Object(judgePrivateDir({ kind: 'symlink', uid: 1000, mode: 0o777 }, 1000)).problem),
      /symbolic link/,
    );
    assert.match(String(Object(judgePrivateDir({ kind: 'file', uid: 1000, mode: 0o600 }, 1000)).problem), /not a dir/);
  });

  it('a config file: ours and not writable by others (Redis rewrites it 0644)', () => {
    assert.deepEqual(judgePrivateFile({ kind: 'file', uid: 7, mode: 0o600 }, 7), { verdict: 'ok' });
    assert.deepEqual(judgePrivateFile({ kind: 'file', uid: 7, mode: 0o644 }, 7), { verdict: 'ok' });
    assert.equal(judgePrivateFile({ kind: 'file', uid: 7, mode: 0o666 }, 7).verdict, 'refuse');
    assert.equal(judgePrivateFile({ kind: 'file', uid: 8, mode: 0o600 }, 7).verdict, 'refuse');
    assert.equal(judgePrivateFile({ kind: 'symlink', uid: 7, mode: 0o777 }, 7).verdict, 'refuse');
  });

  it('a directory above the root: root or us, and others may write only with the sticky bit (/tmp)', () => {
    assert.deepEqual(judgeAncestor(dir(0, 0o1777), 1000), { verdict: 'ok' });
    assert.deepEqual(judgeAncestor(dir(1000, 0o755), 1000), { verdict: 'ok' });
    assert.equal(judgeAncestor(dir(0, 0o777), 1000).verdict, 'refuse');
    assert.equal(judgeAncestor(dir(65534, 0o755), 1000).verdict, 'refuse');
  });
});

describe('the run root on disk', () => {
  it('is created 0700 with its missing parents, and RSL_RUN_ROOT is made absolute', () => {
    const root = join(fresh('parents'), 'a', 'b');
    ensureRunRoot(root);
    assert.equal(mode(root), 0o700);
    assert.equal(lstatSync(root).uid, me);
    assert.equal(runRoot({ RSL_RUN_ROOT: 'relative/runs' }), join(process.cwd(), 'relative/runs'));
  });

  it('ours with mode 0755 is tightened to 0700 (decided: nobody else could have written into it)', () => {
    const root = fresh('loose');
    mkdirSync(root, { mode: 0o755 });
    chmodSync(root, 0o755);
    assert.equal(inspectRunRoot(root).state, 'tighten');
    ensureRunRoot(root);
    assert.equal(mode(root), 0o700);
  });

  it('writable by others (0777) is refused, even when ours: someone may have planted files in it', () => {
    const root = fresh('open');
    mkdirSync(root);
    chmodSync(root, 0o777);
    refusal(() => ensureRunRoot(root), /run root .* can be changed by other users \(mode 0777\)/);
    refusal(() => proveRunRoot(root), /mode 0777/);
    assert.equal(mode(root), 0o777, 'left as it was');
  });

  it('a symlink is refused, even to a directory of ours', () => {
    const target = fresh('target');
    mkdirSync(target, { mode: 0o700 });
    const link = fresh('link');
    symlinkSync(target, link);
    refusal(() => ensureRunRoot(link), /is a symbolic link/);
    refusal(() => createRunDir(link, 'x'), /is a symbolic link/);
    assert.equal(existsSync(join(target, 'run-x')), false, 'nothing created through the link');
  });

  it('owned by another uid (the attack): refused with the path and the fix, nothing created', {
    skip: needsRoot,
  }, () => {
    const root = fresh('foreign');
    mkdirSync(root, { mode: 0o700 });
    chownSync(root, NOBODY, NOBODY);
    try {
      createRunDir(root, 'x');
      assert.fail('accepted a root owned by uid 65534');
    } catch (e) {
      assert.ok(e instanceof UserError);
      assert.match(e.message, new RegExp(`run root ${root} belongs to uid 65534, not to you \\(uid 0\\)`));
      assert.match(e.hint ?? '', /rm -rf/);
      assert.match(e.hint ?? '', /RSL_RUN_ROOT=/);
    }
    assert.equal(existsSync(join(root, 'run-x')), false);
  });

  it('inside a directory another uid owns (it could swap the root): refused', { skip: needsRoot }, () => {
    const parent = fresh('their-parent');
    mkdirSync(parent, { mode: 0o755 });
    chownSync(parent, NOBODY, NOBODY);
    const root = join(parent, 'runs');
    refusal(() => ensureRunRoot(root), /inside .*their-parent-\d+, which belongs to uid 65534/);
    assert.equal(existsSync(root), false, 'not created');
  });

  it('a missing root is "missing" to the reaper and clean (they create nothing)', () => {
    const root = fresh('absent');
    assert.equal(proveRunRoot(root), 'missing');
    assert.equal(existsSync(root), false);
  });
});

describe('run directories and node files', () => {
  it('a kept run is marked; listRunDirs skips symlinks and directories that are not ours', () => {
    const root = fresh('list');
    const kept = createRunDir(root, 'kept', { keep: true });
    const plain = createRunDir(root, 'plain');
    assert.equal(mode(kept), 0o700);
    assert.ok(isKept(kept));
    assert.match(readFileSync(join(kept, KEEP_MARKER), 'utf8'), /clean --all/);
    assert.equal(isKept(plain), false);
    const elsewhere = fresh('elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, join(root, 'run-link'));
    mkdirSync(join(root, 'run-open'));
    chmodSync(join(root, 'run-open'), 0o777);
    if (asRoot) {
      mkdirSync(join(root, 'run-theirs'), { mode: 0o700 });
      chownSync(join(root, 'run-theirs'), NOBODY, NOBODY);
    }
    assert.deepEqual(listRunDirs(root).sort(), [kept, plain].sort());
  });

  function nodeLayout() {
    const root = fresh('layout');
    const runDir = createRunDir(root, 'r');
    const nodeDir = join(runDir, 'redis-1');
    mkdirSync(nodeDir, { mode: 0o700 });
    const conf = join(nodeDir, 'redis.conf');
    writeFileSync(conf, 'port 1\n', { mode: 0o600 });
    return { root, runDir, nodeDir, conf };
  }

  it('the lab’s own layout passes (a config rewritten 0644 included)', () => {
    const { nodeDir, conf } = nodeLayout();
    chmodSync(conf, 0o644);
    proveNodeFiles(conf, nodeDir);
  });

  it('a node directory swapped for a symlink with a planted redis.conf is refused', () => {
    const { nodeDir, conf } = nodeLayout();
    const planted = fresh('planted');
    mkdirSync(planted, { mode: 0o700 });
    writeFileSync(join(planted, 'redis.conf'), 'requirepass attackerpw\n');
    renameSync(nodeDir, `${nodeDir}.old`);
    symlinkSync(planted, nodeDir);
    refusal(() => proveNodeFiles(conf, nodeDir), /node directory .*redis-1 is a symbolic link/);
  });

  it('a config file that is not ours, or a symlink, or world-writable, is refused', () => {
    const a = nodeLayout();
    chmodSync(a.conf, 0o666);
    refusal(() => proveNodeFiles(a.conf, a.nodeDir), /config file .* can be changed by other users/);
    const b = nodeLayout();
    rmSync(b.conf);
    symlinkSync('/etc/hostname', b.conf);
    refusal(() => proveNodeFiles(b.conf, b.nodeDir), /config file .* is a symbolic link/);
    if (asRoot) {
      const c = nodeLayout();
      chownSync(c.conf, NOBODY, NOBODY);
      refusal(() => proveNodeFiles(c.conf, c.nodeDir), /belongs to uid 65534/);
    }
  });

  it('a run directory or root opened up after the start is refused before the next restart', () => {
    const a = nodeLayout();
    chmodSync(a.runDir, 0o777);
    refusal(() => proveNodeFiles(a.conf, a.nodeDir), /run directory .* can be changed by other users/);
    const b = nodeLayout();
    chmodSync(b.root, 0o777);
    refusal(() => proveNodeFiles(b.conf, b.nodeDir), /run root .* \(mode 0777\)/);
  });
});
