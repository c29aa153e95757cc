// A corrupt or hostile progress file is backed up and replaced, never a crash: through the progress API and the CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadProgress, PROGRESS_FILE, recordStep } from '../../src/lessons/progress.js';
import { runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'rsl-hard-progress-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function configDir(content?: string | Buffer): string {
  const dir = join(tmp, `cfg-${++n}`);
  mkdirSync(dir, { recursive: true });
  if (content !== undefined) writeFileSync(join(dir, PROGRESS_FILE), content);
  return dir;
}

const backups = (dir: string) => readdirSync(dir).filter((f) => f.startsWith(`${PROGRESS_FILE}.corrupt-`));

function assertReplaced(dir: string, original: string | Buffer, notice: string | undefined): void {
  const b = backups(dir);
  assert.equal(b.length, 1, `one backup in ${readdirSync(dir).join(', ')}`);
  assert.deepEqual(readFileSync(join(dir, b[0] ?? '')), Buffer.from(original), 'the backup holds the old bytes');
  assert.deepEqual(JSON.parse(readFileSync(join(dir, PROGRESS_FILE), 'utf8')), { format: 1, lessons: {} });
  assert.match(notice ?? '', /unreadable; it was saved as .*progress\.json\.corrupt-/);
}

describe('corrupt progress files (API)', () => {
  const corrupt: Array<[string, string | Buffer]> = [
    ['garbage text', 'garbage{'],
    ['an empty file', ''],
    ['binary bytes with NULs', Buffer.from([0, 255, 254, 0, 10, 13, 27, 91])],
    ['valid JSON of the wrong shape', '{"format":2,"lessons":[]}'],
    ['the right shape with wrong types', '{"format":1,"lessons":{"tour":{"completedSteps":"all","completed":1}}}'],
    ['a JSON array', '[1,2,3]'],
    ['JSON with a BOM-less UTF-16 payload', Buffer.from('{"format":1}', 'utf16le')],
  ];
  for (const [name, content] of corrupt) {
    it(`${name}: backed up, replaced, notice`, async () => {
      const dir = configDir(content);
      const r = await loadProgress({ dir });
      assert.deepEqual(r.progress, { format: 1, lessons: {} });
      assertReplaced(dir, content, r.notice);
      // The replacement is a normal progress file from now on.
      const again = await loadProgress({ dir });
      assert.equal(again.notice, undefined);
    });
  }

  it('__proto__ keys do not pollute Object.prototype', async () => {
    const text = '{"format":1,"lessons":{"__proto__":{"completedSteps":[],"completed":true,"updatedAt":"x"}}}';
    const dir = configDir(text);
    await loadProgress({ dir });
    assert.equal(({} as Record<string, unknown>).completed, undefined);
    await recordStep('tour', 'look', { dir });
    assert.equal(({} as Record<string, unknown>).completedSteps, undefined);
  });

  it('progress.json is a directory: a notice, never a crash; the directory is left alone', async () => {
    const dir = configDir();
    mkdirSync(join(dir, PROGRESS_FILE));
    writeFileSync(join(dir, PROGRESS_FILE, 'keep'), 'x');
    const r = await loadProgress({ dir });
    assert.deepEqual(r.progress, { format: 1, lessons: {} });
    assert.match(r.notice ?? '', /Could not read .*progress\.json/);
    assert.equal(readFileSync(join(dir, PROGRESS_FILE, 'keep'), 'utf8'), 'x');
  });

  it('progress.json is a symlink to a garbage file elsewhere: the link is moved aside, the target untouched', async () => {
    const outside = join(tmp, `outside-${++n}.txt`);
    writeFileSync(outside, 'precious, not JSON');
    const dir = configDir();
    symlinkSync(outside, join(dir, PROGRESS_FILE));
    const r = await loadProgress({ dir });
    assert.match(r.notice ?? '', /unreadable/);
    assert.equal(readFileSync(outside, 'utf8'), 'precious, not JSON');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, PROGRESS_FILE), 'utf8')), { format: 1, lessons: {} });
  });

  it('two readers of the same corrupt file at once: both get empty progress, one valid file remains', async () => {
    const dir = configDir('{{{');
    const [a, b] = await Promise.all([loadProgress({ dir }), loadProgress({ dir })]);
    assert.deepEqual(a.progress, { format: 1, lessons: {} });
    assert.deepEqual(b.progress, { format: 1, lessons: {} });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, PROGRESS_FILE), 'utf8')), { format: 1, lessons: {} });
    assert.equal(readdirSync(dir).filter((f) => f.includes('.tmp-')).length, 0, 'no temp files left behind');
  });

  it('a config dir under a regular file: reading gives a notice, not a crash', async () => {
    const file = join(tmp, `file-${++n}`);
    writeFileSync(file, 'x');
    const r = await loadProgress({ dir: join(file, 'cfg') });
    assert.deepEqual(r.progress, { format: 1, lessons: {} });
    assert.match(r.notice ?? '', /Could not read/);
  });
});

describe('corrupt progress files (CLI)', () => {
  const help = spawnSync(process.execPath, [
    '--import',
    'tsx',
    join(import.meta.dirname, '../../src/cli.ts'),
    'lesson',
    '--help',
  ]);
  const skip = help.status === 0 ? false : 'this build has no `lesson` command';

  it('`lesson list` with garbage progress.json: exit 0, a notice on stderr, the file backed up', { skip }, async () => {
    const dir = configDir('garbage{');
    const r = await runCli(['lesson', 'list', '--json'], { RSL_CONFIG_DIR: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Your lesson progress file was unreadable; it was saved as/);
    assert.ok(r.stdout.split('\n').length >= 1 && JSON.parse(r.stdout.split('\n')[0] ?? ''));
    assertReplaced(dir, 'garbage{', r.stderr);
  });

  it('`lesson export` with a binary progress.json: exit 0, empty progress', { skip }, async () => {
    const dir = configDir(Buffer.from([0, 1, 2, 3]));
    const r = await runCli(['lesson', 'export'], { RSL_CONFIG_DIR: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { format: 1, lessons: {} });
  });

  it('`lesson reset` with an unwritable RSL_CONFIG_DIR: exit 1 with a hint, not exit 70', { skip }, async () => {
    const file = join(tmp, `file-${++n}`);
    writeFileSync(file, 'x');
    const r = await runCli(['lesson', 'reset'], { RSL_CONFIG_DIR: join(file, 'cfg') });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /RSL_CONFIG_DIR/);
  });
});
