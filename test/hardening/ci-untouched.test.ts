// .ci/run fails when the tests (or the lesson proofs, or the soak) change the repository — e.g. a test that wrote a
// file named `--version` into the repository root, which then got committed. The check runs in a scratch git
// repository here, never in this one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const LIB = fileURLToPath(new URL('../../.ci/untouched.sh', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'rsl-hard-ci-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

function scratchRepo(): string {
  const dir = mkdtempSync(join(tmp, 'repo-'));
  git(dir, 'init', '-q');
  writeFileSync(join(dir, 'tracked.txt'), 'x\n');
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\ndist/\n*.log\n');
  mkdirSync(join(dir, 'node_modules'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', 'cli.js'), 'built\n');
  git(dir, 'add', 'tracked.txt', '.gitignore');
  git(dir, 'commit', '-q', '-m', 'init');
  return dir;
}

/**
 * Sources the CI helper, snapshots, runs `step` (shell), then checks — like .ci/run around `npm test`. Its time
 * marker goes to a temp directory of its own, checked empty afterwards (the EXIT trap removed it).
 */
function ci(cwd: string, step: string) {
  const markers = mkdtempSync(join(tmp, 'markers-'));
  const script = `set -euo pipefail; . '${LIB}'; untouched_snapshot; trap untouched_cleanup EXIT; ${step}; untouched_check "npm test"; echo passed`;
  const r = spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8', env: { ...process.env, TMPDIR: markers } });
  assert.deepEqual(readdirSync(markers), [], 'the marker is removed on exit');
  return r;
}

describe('.ci/run: the repository is untouched by the tests', () => {
  it('passes when nothing changed', () => {
    const r = ci(scratchRepo(), 'true');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /passed/);
  });

  it('fails, naming the file, when a test wrote into the repository', () => {
    const r = ci(scratchRepo(), "echo 'sentinel bogus-option' > ./--version");
    assert.equal(r.status, 1);
    assert.doesNotMatch(r.stdout, /passed/);
    assert.match(r.stderr, /ci: npm test changed the repository/);
    assert.match(r.stderr, /^> \?\? --version$/m);
  });

  it('fails when a tracked file was modified or deleted', () => {
    const dir = scratchRepo();
    assert.match(ci(dir, 'echo y >> tracked.txt').stderr, /^> {2}M tracked\.txt$/m);
    git(dir, 'checkout', '-q', '--', 'tracked.txt');
    assert.match(ci(dir, 'rm tracked.txt').stderr, /^> {2}D tracked\.txt$/m);
  });

  it('fails when an ignored path was written (a rebuilt dist/), but not for node_modules', () => {
    const rebuilt = ci(scratchRepo(), 'echo rebuilt > dist/cli.js');
    assert.equal(rebuilt.status, 1);
    assert.match(rebuilt.stderr, /ci: npm test wrote into the repository/);
    assert.match(rebuilt.stderr, /^\.\/dist\/cli\.js$/m);
    const logged = ci(scratchRepo(), 'echo x > debug.log');
    assert.equal(logged.status, 1, 'a new ignored file is reported too');
    assert.match(logged.stderr, /^\.\/debug\.log$/m);
    const deps = ci(scratchRepo(), 'mkdir -p node_modules/.cache && echo x > node_modules/.cache/y');
    assert.equal(deps.status, 0, deps.stderr);
    assert.match(deps.stdout, /passed/);
  });
});
