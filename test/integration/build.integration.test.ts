// The published shape: `npm run build` bundles dist/cli.js (scripts/bundle.mjs), which runs under Node >= 22.12
// and, under an older Node, prints a friendly message before importing anything that would crash there (execa 10, Ink 8).
// The bundle is built into a temporary copy of what the package publishes (package.json's `files`), never into the
// repository's own dist/, and run from there: what it needs at run time must be in that file set.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  engines: { node: string };
  files: string[];
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
  // A copy of the published files (no src/, no node_modules), with dist/ bundled into it.
  let base = '';
  let published = '';
  let cli = '';
  /** The built CLI, run from outside the repository with config and cache homes of its own (its compile cache). */
  const runBuilt = (args: string[], node = process.execPath) =>
    spawnSync(node, [cli, ...args], {
      encoding: 'utf8',
      cwd: base,
      env: { ...process.env, XDG_CONFIG_HOME: join(base, 'config'), XDG_CACHE_HOME: join(base, 'cache') },
    });
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'rsl-build-'));
    published = join(base, 'package');
    for (const entry of ['package.json', ...pkg.files.filter((f) => f !== 'dist')])
      cpSync(join(root, entry), join(published, entry), { recursive: true });
    cli = join(published, 'dist/cli.js');
  });
  after(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('declares engines, a bin of its own name and the files it runs from', () => {
    assert.equal(pkg.bin['redis-sentinel-lab'], 'dist/cli.js');
    assert.match(pkg.engines.node, />=22/);
    assert.deepEqual([...pkg.files].sort(), ['README.md', 'dist', 'lessons']);
  });

  it('builds and the built CLI runs from the published files alone', () => {
    // `npm run build` is the typecheck (`npm run typecheck` covers it) and then this bundle: the published dist/.
    execFileSync(process.execPath, [join(root, 'scripts/bundle.mjs'), '--outdir', join(published, 'dist')], {
      cwd: root,
    });
    assert.ok(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node'), 'keeps its shebang');
    const r = runBuilt(['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), pkg.version);
    const list = runBuilt(['lesson', 'check']);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /lessons are valid/);
    // One JSON line per lesson shipped in lessons/.
    const lessons = runBuilt(['lesson', 'list', '--json']);
    assert.equal(lessons.status, 0, lessons.stderr);
    const entries = lessons.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; id: string });
    const shipped = readdirSync(join(root, 'lessons'), { withFileTypes: true }).filter((d) => d.isDirectory());
    assert.equal(entries.filter((e) => e.type === 'lesson-entry').length, shipped.length);
  });

  it('under an older Node it explains the requirement instead of crashing', (t) => {
    const old = olderNode();
    if (!old) {
      t.skip('no Node older than 22 on this machine');
      return;
    }
    if (!existsSync(cli))
      execFileSync(process.execPath, [join(root, 'scripts/bundle.mjs'), '--outdir', join(published, 'dist')], {
        cwd: root,
      });
    const r = runBuilt(['up'], old);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /needs Node\.js 22\.12 or newer/);
    assert.match(r.stderr, /npm start/);
    assert.doesNotMatch(r.stderr, /TypeError|at .*node_modules/);
  });
});
