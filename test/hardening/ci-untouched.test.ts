// .ci/run fails when the tests (or the lesson proofs, or the soak) change the repository — e.g. a test that wrote a
// file named `--version` into the repository root, which then got committed. The check runs in a scratch git
// repository here, never in this one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  git(dir, 'add', 'tracked.txt');
  git(dir, 'commit', '-q', '-m', 'init');
  return dir;
}

/** Sources the CI helper, snapshots, runs `step` (shell), then checks — like .ci/run around `npm test`. */
function ci(cwd: string, step: string) {
  const script = `set -euo pipefail; . '${LIB}'; untouched_snapshot; ${step}; untouched_check "npm test"; echo passed`;
  return spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8' });
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
});
