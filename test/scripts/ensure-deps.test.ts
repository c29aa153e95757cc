// `npm start` on a fresh clone: scripts/ensure-deps.mjs installs the lockfile quietly. Run against a temp copy of
// the script in a tiny project whose one dependency is a local folder (no registry needed) and whose engines field
// no Node satisfies, so npm warns EBADENGINE exactly as it does for the real project on Node 20.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../scripts/ensure-deps.mjs', import.meta.url));
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A project with a local dependency that provides a `node` bin (as the node@22 devDependency does). */
function project(opts: { brokenLock?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'rsl-ensure-deps-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(SCRIPT, join(dir, 'scripts', 'ensure-deps.mjs'));
  mkdirSync(join(dir, 'pinned'));
  writeFileSync(
    join(dir, 'pinned', 'package.json'),
    JSON.stringify({ name: 'pinned', version: '1.0.0', bin: { node: 'bin.js' }, engines: { node: '>=999' } }),
  );
  writeFileSync(join(dir, 'pinned', 'bin.js'), '#!/usr/bin/env node\n');
  const pkg = {
    name: 'tiny',
    version: '1.0.0',
    engines: { node: '>=999' },
    devDependencies: { pinned: 'file:pinned' },
  };
  // Out of sync: package.json asks for a package the lockfile does not have (npm ci refuses).
  const onDisk = opts.brokenLock ? { ...pkg, devDependencies: { ...pkg.devDependencies, absent: 'file:absent' } } : pkg;
  writeFileSync(join(dir, 'package.json'), JSON.stringify(onDisk, null, 2));
  const lock = {
    name: 'tiny',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': pkg,
      'node_modules/pinned': { resolved: 'pinned', link: true },
      pinned: { version: '1.0.0', bin: { node: 'bin.js' }, engines: { node: '>=999' }, dev: true },
    },
  };
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
  return dir;
}

function run(dir: string) {
  // The system npm, as `npm start` on a fresh clone runs it (the pinned Node's bin directory first, as npm scripts do).
  return spawnSync(process.execPath, [join(dir, 'scripts', 'ensure-deps.mjs')], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, npm_config_cache: join(dir, '.npm-cache'), npm_config_offline: 'true' },
    timeout: 120_000,
  });
}

describe('scripts/ensure-deps.mjs', () => {
  it('first run: one line while installing and one when done, none of npm’s warnings; then nothing at all', () => {
    const dir = project();
    const r = run(dir);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const lines = `${r.stdout}${r.stderr}`.split('\n').filter(Boolean);
    assert.deepEqual(
      lines.map((l) => l.replace(/[\d.]+ s$/, 'N s')),
      ['redis-sentinel-lab: installing dependencies… (first run)', 'redis-sentinel-lab: dependencies installed in N s'],
    );
    assert.doesNotMatch(r.stderr, /EBADENGINE|npm warn/i);
    // Installed: the second run finds everything in place and prints nothing.
    const again = run(dir);
    assert.equal(again.status, 0);
    assert.equal(`${again.stdout}${again.stderr}`, '');
  });

  it('a failed install shows npm’s output and exits non-zero', () => {
    const dir = project({ brokenLock: true });
    const r = run(dir);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /installing dependencies… \(first run\)/);
    assert.match(r.stderr, /npm (error|ERR)/i, 'npm’s own error is shown');
    assert.match(r.stderr, /`npm ci --no-audit --no-fund --no-update-notifier --loglevel=warn` failed \(exit \d+\)/);
  });
});
