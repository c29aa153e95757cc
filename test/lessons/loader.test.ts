// The loader over the shipped lessons and over temporary lesson folders (missing files, escaping symlinks, bad ids).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { buildTopology } from '../../src/cluster/topology.js';
import { UserError } from '../../src/errors.js';
import { evaluateGoal, markStep } from '../../src/lessons/checks.js';
import { formatProblem } from '../../src/lessons/issues.js';
import {
  checkAllLessons,
  defaultLessonsRoot,
  LessonValidationError,
  loadAllLessons,
  loadLesson,
} from '../../src/lessons/loader.js';
import { lessonShape } from '../../src/lessons/shape.js';
import { healthy, PREDICT } from './fixtures.js';

describe('shipped lessons', async () => {
  const lessons = await loadAllLessons();

  it('all load and cross-validate, at least ten, sorted by folder', () => {
    assert.ok(lessons.length >= 10, `only ${lessons.length} lessons`);
    const folders = lessons.map((l) => l.folder);
    assert.deepEqual(folders, [...folders].sort());
    assert.equal(new Set(lessons.map((l) => l.id)).size, lessons.length);
    assert.equal(lessons[0]?.folder, '01-tour');
  });

  it('every step has prose, a goal text source and a solution or an alreadySolved goal', () => {
    for (const l of lessons) {
      for (const s of l.steps) {
        assert.ok(s.prose.trim().startsWith('#'), `${l.folder}/${s.text} should start with a heading`);
        assert.ok(s.solution.length > 0 || s.alreadySolved, `${l.folder} ${s.id} has no solution`);
        assert.ok(s.hints.length > 0, `${l.folder} ${s.id} has no hints`);
        assert.ok(s.explain, `${l.folder} ${s.id} has no explain`);
      }
    }
  });

  it('every topology builds', () => {
    for (const l of lessons) assert.doesNotThrow(() => buildTopology(lessonShape(l.topology), 6379, 'hosts'), l.folder);
  });

  it("each first step's goal is unmet on a fresh, healthy cluster (met when alreadySolved)", () => {
    for (const l of lessons) {
      const shape = lessonShape(l.topology);
      const state = healthy(shape, shape.master ?? 'redis-1');
      const step = l.steps[0]!;
      const r = evaluateGoal(step.goal, { state, now: 0, since: markStep(state, 0) });
      assert.equal(r.met, step.alreadySolved, `${l.folder} ${step.id}: ${r.detail}`);
    }
  });

  it('can be found by id, folder or number', async () => {
    assert.equal((await loadLesson('noreplicas')).folder, '14-noreplicas');
    assert.equal((await loadLesson('14-noreplicas')).id, 'noreplicas');
    assert.equal((await loadLesson('14')).id, 'noreplicas');
    assert.equal((await loadLesson('2')).id, 'events');
    assert.equal((await loadLesson(join(defaultLessonsRoot(), '19-tilt'))).id, 'tilt');
    await assert.rejects(
      loadLesson('nope'),
      (err: unknown) => err instanceof UserError && /^no lesson "nope"$/.test(err.message),
    );
  });
});

describe('lesson folders on disk', () => {
  const root = mkdtempSync(join(tmpdir(), 'rsl-lessons-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  const doc = (id: string, text = 'step.md') => ({
    format: 1,
    id,
    title: 'T',
    summary: 'S',
    topology: { redis: 3, sentinels: 3 },
    steps: [
      {
        id: 'one',
        title: 'One',
        text,
        goal: { masterIs: 'redis-2' },
        hints: ['h'],
        solution: [{ kind: 'kill', node: 'redis-1' }],
        predict: PREDICT,
      },
    ],
  });
  const write = (folder: string, body: object, files: Record<string, string> = { 'step.md': '# Step\nredis-2\n' }) => {
    mkdirSync(join(root, folder), { recursive: true });
    writeFileSync(join(root, folder, 'lesson.yaml'), stringify(body));
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(root, folder, name, '..'), { recursive: true });
      writeFileSync(join(root, folder, name), content);
    }
  };

  it('loads prose from subfolders', async () => {
    write('01-good', doc('good', 'steps/one.md'), { 'steps/one.md': '# One\nHello redis-2' });
    const l = await loadLesson('good', root);
    assert.equal(l.steps[0]?.prose, '# One\nHello redis-2');
    assert.equal(l.dir, join(root, '01-good'));
  });

  it('reports a missing Markdown file', async () => {
    write('02-missing', doc('missing', 'gone.md'), {});
    await assert.rejects(loadLesson('missing', root), (err: unknown) => {
      assert.ok(err instanceof LessonValidationError);
      assert.deepEqual(err.problems.map(formatProblem), [
        '02-missing/lesson.yaml: steps[0].text: file "gone.md" does not exist in 02-missing/',
      ]);
      return true;
    });
  });

  it('refuses a symlink that leads outside the lesson folder', async () => {
    writeFileSync(join(root, 'secret.md'), '# secret');
    write('03-escape', doc('escape', 'link.md'), {});
    symlinkSync(join(root, 'secret.md'), join(root, '03-escape', 'link.md'));
    await assert.rejects(loadLesson('escape', root), (err: unknown) => {
      assert.ok(err instanceof LessonValidationError);
      assert.deepEqual(err.problems.map(formatProblem), [
        '03-escape/lesson.yaml: steps[0].text: "link.md" resolves outside the lesson folder',
      ]);
      return true;
    });
  });

  it('checks every folder, reports all problems, and ignores folders without a number', async () => {
    write('04-wrong-id', doc('other'));
    write('notes', doc('notes'));
    const r = await checkAllLessons(root);
    assert.deepEqual(
      r.lessons.map((l) => l.folder),
      ['01-good'],
    );
    assert.deepEqual(r.problems.map(formatProblem), [
      '02-missing/lesson.yaml: steps[0].text: file "gone.md" does not exist in 02-missing/',
      '03-escape/lesson.yaml: steps[0].text: "link.md" resolves outside the lesson folder',
      '04-wrong-id/lesson.yaml: id: id "other" must match the folder name "04-wrong-id" without its number ("wrong-id")',
    ]);
    await assert.rejects(loadAllLessons(root), LessonValidationError);
  });

  it('reports a missing lesson.yaml', async () => {
    mkdirSync(join(root, '05-empty'));
    const r = await checkAllLessons(root);
    assert.ok(r.problems.map(formatProblem).includes('05-empty/lesson.yaml: cannot read lesson.yaml'));
  });
});
