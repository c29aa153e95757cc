// Lessons were renumbered (02-noreplicas became 14-noreplicas, 08-events became 02-events, …). Progress is keyed by
// lesson id and ordering comes from the folder numbers, so progress saved under the old order still applies.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openLesson } from '../../src/commands/lesson-session.js';
import { loadAllLessons } from '../../src/lessons/loader.js';
import { loadProgress, PROGRESS_FILE } from '../../src/lessons/progress.js';
import { startLesson } from '../../src/lessons/runner.js';

const dir = mkdtempSync(join(tmpdir(), 'rsl-progress-order-'));
const savedEnv = process.env.RSL_CONFIG_DIR;

/** What a learner's progress.json looked like after tour, noreplicas (half) and failover under the old numbering. */
const OLD_PROGRESS = {
  format: 1,
  lessons: {
    tour: {
      completedSteps: ['look', 'write', 'read', 'replica-down', 'replica-back'],
      completed: true,
      updatedAt: '2026-11-01T10:00:00.000Z',
    },
    noreplicas: { completedSteps: ['guard', 'stop-three'], completed: false, updatedAt: '2026-11-01T10:10:00.000Z' },
    failover: {
      completedSteps: ['kill-master', 'old-master-returns', 'manual'],
      completed: true,
      updatedAt: '2026-11-01T10:20:00.000Z',
    },
  },
};

before(() => {
  process.env.RSL_CONFIG_DIR = dir;
  writeFileSync(join(dir, PROGRESS_FILE), `${JSON.stringify(OLD_PROGRESS, null, 2)}\n`);
});
after(() => {
  if (savedEnv === undefined) delete process.env.RSL_CONFIG_DIR;
  else process.env.RSL_CONFIG_DIR = savedEnv;
  rmSync(dir, { recursive: true, force: true });
});

describe('progress saved before the renumbering', () => {
  it('is read as it was, keyed by lesson id', async () => {
    const { progress, notice } = await loadProgress();
    assert.equal(notice, undefined);
    assert.deepEqual(progress, OLD_PROGRESS);
  });

  it('the lessons come in the new teaching order, taken from the folder numbers', async () => {
    const ids = (await loadAllLessons()).map((l) => l.id);
    const order = [
      'tour',
      'events',
      'failover',
      'quorum',
      'masterauth',
      'split-brain',
      'noreplicas',
      'bounded-loss',
      'timing',
      'tilt',
    ];
    // Other lessons may be inserted between these; these keep their relative order.
    assert.deepEqual(
      ids.filter((id) => order.includes(id)),
      order,
    );
  });

  it('the lab opens the first unfinished lesson of the new order: events, not noreplicas', async () => {
    const open = await openLesson(undefined);
    assert.equal(open?.lesson.id, 'events');
    assert.equal(open?.lesson.folder, '02-events');
  });

  it('a half-done lesson resumes at its first unfinished step, wherever its folder moved', async () => {
    const lessons = await loadAllLessons();
    const noreplicas = lessons.find((l) => l.id === 'noreplicas');
    assert.equal(noreplicas?.folder, '14-noreplicas');
    if (!noreplicas) return;
    const run = startLesson(noreplicas, OLD_PROGRESS.lessons.noreplicas.completedSteps);
    assert.equal(run.steps[run.stepIndex]?.id, 'read');
    assert.deepEqual(run.status.slice(0, 3), ['done', 'done', 'active']);
    // The tour gained a step (real discovery) after this progress was saved: the saved steps stay done, and the
    // tour resumes at the new one.
    const tour = lessons.find((l) => l.id === 'tour');
    assert.ok(tour);
    const again = startLesson(tour, OLD_PROGRESS.lessons.tour.completedSteps);
    assert.equal(again.completed, false);
    assert.equal(again.steps[again.stepIndex]?.id, 'discovery');
    assert.deepEqual(
      again.steps.filter((_, i) => again.status[i] === 'done').map((s) => s.id),
      OLD_PROGRESS.lessons.tour.completedSteps,
    );
  });
});
