// The lesson commands with hostile surroundings: progress.json is a directory, HOME is empty, an unknown --only.
// Each gives a clear error (exit 1 or 2, no stack trace) and writes nothing where it should not.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PROGRESS_FILE } from '../../src/lessons/progress.js';
import { CLI, runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'rsl-hard-lesson-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const REPO = fileURLToPath(new URL('../..', import.meta.url));
// `--import tsx` resolves from the current directory; these children run elsewhere.
const TSX = import.meta.resolve('tsx');
let n = 0;
const fresh = (name: string) => join(tmp, `${name}-${++n}`);

const noStack = (stderr: string) => {
  assert.doesNotMatch(stderr, /hit a bug/);
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
};

describe('lesson reset', () => {
  it('progress.json is a directory: exit 1, the path named, a hint; the directory left alone', async () => {
    const dir = fresh('cfg');
    mkdirSync(join(dir, PROGRESS_FILE), { recursive: true });
    writeFileSync(join(dir, PROGRESS_FILE, 'keep-me'), 'x');
    const r = await runCli(['lesson', 'reset'], { RSL_CONFIG_DIR: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`error: Cannot save lesson progress: ${join(dir, PROGRESS_FILE)} is a directory, not a file\\.`),
    );
    assert.match(r.stderr, /Move it out of the way \(mv .*\), or point RSL_CONFIG_DIR at another directory\./);
    noStack(r.stderr);
    assert.deepEqual(readdirSync(join(dir, PROGRESS_FILE)), ['keep-me']);
  });
});

describe('lesson reset <lesson>', () => {
  it('takes the name `lesson list` shows (05-replica-selection), its bare id and its number, and resets that lesson', async () => {
    for (const name of ['05-replica-selection', 'replica-selection', '5']) {
      const dir = fresh('cfg');
      mkdirSync(dir, { recursive: true });
      const step = { completedSteps: ['priorities'], completed: false, updatedAt: '2026-12-01T00:00:00.000Z' };
      const kept = { completedSteps: [], completed: false, updatedAt: '2026-12-01T00:00:00.000Z' };
      writeFileSync(
        join(dir, PROGRESS_FILE),
        JSON.stringify({ format: 1, lessons: { 'replica-selection': step, tour: kept } }),
      );
      const r = await runCli(['lesson', 'reset', name], { RSL_CONFIG_DIR: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Progress of "replica-selection" reset\./);
      const after = JSON.parse(readFileSync(join(dir, PROGRESS_FILE), 'utf8'));
      assert.deepEqual(Object.keys(after.lessons), ['tour'], `${name}: only that lesson's progress goes`);
    }
  });
});

/** Runs a snippet under the pinned Node with tsx, in `cwd`, with `env` replacing HOME-related variables. */
function inChild(code: string, cwd: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, ['--import', TSX, '--input-type=module', '-e', code], {
    cwd,
    env: { ...process.env, RSL_CONFIG_DIR: undefined, XDG_CONFIG_HOME: undefined, ...env },
    encoding: 'utf8',
  });
  return r;
}

describe('the config directory never depends on the current directory', () => {
  const progressModule = join(REPO, 'src/lessons/progress.ts');
  const code = `const m = await import(${JSON.stringify(progressModule)}); console.log(m.progressDir());`;

  for (const [what, home] of [
    ['HOME=""', ''],
    ['HOME relative', 'rel/home'],
    ['HOME unset', undefined],
  ] as const) {
    it(`${what}: the OS account's home, an absolute path`, () => {
      const cwd = fresh('cwd');
      mkdirSync(cwd);
      const r = inChild(code, cwd, { HOME: home });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), join(userInfo().homedir, '.config', 'redis-sentinel-lab'));
    });
  }

  it('a relative RSL_CONFIG_DIR is made absolute; a relative XDG_CONFIG_HOME is ignored (XDG spec)', () => {
    const cwd = fresh('cwd');
    mkdirSync(cwd);
    const a = inChild(code, cwd, { RSL_CONFIG_DIR: 'cfg' });
    assert.equal(a.stdout.trim(), join(cwd, 'cfg'));
    const b = inChild(code, cwd, { HOME: '', XDG_CONFIG_HOME: 'xdg' });
    assert.equal(b.stdout.trim(), join(userInfo().homedir, '.config', 'redis-sentinel-lab'));
  });

  const asRoot = process.getuid?.() === 0;
  const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;
  it('`lesson reset` with HOME="" never writes ./.config into the current directory', {
    skip:
      asRoot && hasSetpriv ? false : 'runs the CLI as uid 65534 (whose home cannot be written): needs root and setpriv',
  }, () => {
    // As nobody, whose account home (/nonexistent) cannot be written: the reset fails there, naming that absolute
    // path. Before the fix it wrote ./.config/redis-sentinel-lab/progress.json into the current directory.
    // Not under this file's 0700 temp dir: nobody must be able to reach it.
    const cwd = mkdtempSync(join(tmpdir(), 'rsl-hard-nobody-'));
    chmodSync(cwd, 0o777);
    try {
      const r = spawnSync(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', TSX, CLI, 'lesson', 'reset'],
        {
          cwd,
          env: { ...process.env, HOME: '', RSL_CONFIG_DIR: undefined, XDG_CONFIG_HOME: undefined, TMPDIR: cwd },
          encoding: 'utf8',
        },
      );
      const written = readdirSync(cwd).filter((f) => !f.startsWith('tsx-'));
      assert.deepEqual(written, [], 'nothing written into the current directory');
      assert.equal(r.status, 1, `${r.stdout}\n${r.stderr}`);
      // nobody's home (/nonexistent on Debian): an absolute path, not ./.config
      assert.match(r.stderr, /Cannot write lesson progress under \/\S*\/\.config\/redis-sentinel-lab: /);
      noStack(r.stderr);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('lesson list', () => {
  it('the titles start in one column, whatever the length of the folder names', async () => {
    const r = await runCli(['lesson', 'list'], { RSL_CONFIG_DIR: fresh('list') });
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.split('\n').filter((l) => /^. \d\d-/.test(l));
    assert.equal(rows.length, 19);
    // Where the title starts: after the mark, the folder name and the spaces that pad it.
    const starts = new Set(rows.map((l) => /^. \d\d-\S+\s+/.exec(l)?.[0].length));
    assert.equal(starts.size, 1, rows.join('\n'));
  });
});

describe('lesson check --only', () => {
  it('an unknown id: a usage error listing the lessons, with and without --run (nothing started)', async () => {
    for (const args of [
      ['lesson', 'check', '--only', 'nosuch'],
      ['lesson', 'check', '--run', '--only', 'nosuch'],
    ]) {
      const runRoot = fresh('runs');
      const r = await runCli(args, { RSL_RUN_ROOT: runRoot });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /error: no lesson "nosuch"/);
      assert.match(r.stderr, /Lessons: 01-tour, 02-events, .*14-noreplicas/);
      assert.equal(existsSync(runRoot), false, 'no cluster was started');
      noStack(r.stderr);
    }
  });

  it('without --run: checks just that lesson (by id or number)', async () => {
    const a = await runCli(['lesson', 'check', '--only', 'tour', '--json']);
    assert.equal(a.code, 0, a.stderr);
    assert.deepEqual(JSON.parse(a.stdout), { schemaVersion: 1, type: 'check', ok: true, lessons: ['tour'] });
    const b = await runCli(['lesson', 'check', '--only', '3']);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stdout.trim(), 'Lesson 03-failover is valid.');
  });

  it('without --run, an invalid lesson (by path) fails with its problems, though every shipped lesson is valid', async () => {
    const copy = join(fresh('lessons'), '01-tour');
    cpSync(join(REPO, 'lessons', '01-tour'), copy, { recursive: true });
    writeFileSync(join(copy, 'lesson.yaml'), 'id: tour\ntitle: broken\nsteps: 7\n');
    const r = await runCli(['lesson', 'check', '--only', copy]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^01-tour\/lesson\.yaml: /m);
    assert.match(r.stderr, /problem\(s\) in the lesson\./);
    const all = await runCli(['lesson', 'check']);
    assert.equal(all.code, 0, all.stderr);
  });
});
