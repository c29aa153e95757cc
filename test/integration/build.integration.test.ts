// The published shape: `npm run build` bundles dist/cli.js (scripts/bundle.mjs), which runs under Node >= 22.12
// and, under an older Node, prints a friendly message before importing anything that would crash there (execa 10, Ink 8).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  engines: { node: string };
};

/** A Node binary other than the one running the tests, older than 22 (the system Node on this project's machines). */
function olderNode(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, 'node');
    if (!existsSync(p) || p.includes('node_modules')) continue;
    const v = spawnSync(p, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const major = Number(/^v(\d+)/.exec(v)?.[1] ?? 0);
    if (major > 0 && major < 22) return p;
  }
  for (const p of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (!existsSync(p)) continue;
    const v = spawnSync(p, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (Number(/^v(\d+)/.exec(v)?.[1] ?? 99) < 22) return p;
  }
  return undefined;
}

describe('published package', () => {
  it('declares engines and a bin of its own name', () => {
    assert.equal(pkg.bin['redis-sentinel-lab'], 'dist/cli.js');
    assert.match(pkg.engines.node, />=22/);
  });

  it('builds to dist/ and the built CLI runs', () => {
    // `npm run build` is the typecheck (`npm run typecheck` covers it) and then this bundle: the published dist/.
    execFileSync(process.execPath, [join(root, 'scripts/bundle.mjs')], { cwd: root });
    const cli = join(root, 'dist/cli.js');
    assert.ok(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node'), 'keeps its shebang');
    const r = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), pkg.version);
    const list = spawnSync(process.execPath, [cli, 'lesson', 'check'], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /lessons are valid/);
  });

  it('under an older Node it explains the requirement instead of crashing', (t) => {
    const old = olderNode();
    if (!old) {
      t.skip('no Node older than 22 on this machine');
      return;
    }
    if (!existsSync(join(root, 'dist/cli.js')))
      execFileSync(process.execPath, [join(root, 'scripts/bundle.mjs')], { cwd: root });
    const r = spawnSync(old, [join(root, 'dist/cli.js'), 'up'], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /needs Node\.js 22\.12 or newer/);
    assert.match(r.stderr, /npm start/);
    assert.doesNotMatch(r.stderr, /TypeError|at .*node_modules/);
  });
});
