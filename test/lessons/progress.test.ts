// Progress persistence: atomic writes, recovery from a corrupt file, reset and export, all in a temp RSL_CONFIG_DIR.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import {
  exportProgress,
  loadProgress,
  PROGRESS_FILE,
  progressPath,
  recordPrediction,
  recordStep,
  resetProgress,
  savedPredictions,
  saveProgress,
} from '../../src/lessons/progress.js';

describe('lesson progress', () => {
  const base = mkdtempSync(join(tmpdir(), 'rsl-progress-'));
  const saved = process.env.RSL_CONFIG_DIR;
  let dir = '';
  let n = 0;
  const now = () => new Date('2026-11-26T10:00:00.000Z');

  beforeEach(() => {
    dir = join(base, `case-${++n}`);
    process.env.RSL_CONFIG_DIR = dir;
  });
  after(() => {
    if (saved === undefined) delete process.env.RSL_CONFIG_DIR;
    else process.env.RSL_CONFIG_DIR = saved;
    rmSync(base, { recursive: true, force: true });
  });

  it('lives in RSL_CONFIG_DIR when set', () => {
    assert.equal(progressPath(), join(dir, PROGRESS_FILE));
  });

  it('starts empty when there is no file', async () => {
    assert.deepEqual(await loadProgress(), { progress: { format: 1, lessons: {} } });
  });

  it('records steps and completed lessons, and reads them back', async () => {
    await recordStep('tour', 'look', { now });
    await recordStep('tour', 'write', { now });
    await recordStep('tour', 'write', { now, lessonCompleted: true });
    const { progress, notice } = await loadProgress();
    assert.equal(notice, undefined);
    assert.deepEqual(progress.lessons.tour, {
      completedSteps: ['look', 'write'],
      completed: true,
      updatedAt: '2026-11-26T10:00:00.000Z',
    });
  });

  it('writes atomically: no temp file is left and the JSON is complete', async () => {
    await saveProgress({ format: 1, lessons: { a: { completedSteps: ['x'], completed: false, updatedAt: 't' } } });
    assert.deepEqual(readdirSync(dir), [PROGRESS_FILE]);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, PROGRESS_FILE), 'utf8')).lessons.a.completedSteps, ['x']);
  });

  it('keeps the old file intact when a write fails half-way', async () => {
    await recordStep('tour', 'look', { now });
    const before = readFileSync(join(dir, PROGRESS_FILE), 'utf8');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await assert.rejects(saveProgress(circular as never));
    assert.equal(readFileSync(join(dir, PROGRESS_FILE), 'utf8'), before);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('.tmp-')),
      [],
    );
  });

  it('removes its temp file when the final rename fails', async () => {
    mkdirSync(join(dir, PROGRESS_FILE), { recursive: true });
    await assert.rejects(saveProgress({ format: 1, lessons: {} }));
    assert.deepEqual(readdirSync(dir), [PROGRESS_FILE], 'only the (directory) target remains');
  });

  for (const [what, content] of [
    ['not JSON', '{"format": 1, "lessons": {'],
    ['the wrong shape', '{"format": 7, "lessons": []}'],
  ] as const) {
    it(`backs up a corrupt file (${what}) and starts again, with a notice`, async () => {
      await saveProgress({ format: 1, lessons: {} });
      writeFileSync(join(dir, PROGRESS_FILE), content);
      const r = await loadProgress({ now });
      assert.deepEqual(r.progress, { format: 1, lessons: {} });
      const backup = `${PROGRESS_FILE}.corrupt-2026-11-26T10-00-00-000Z`;
      assert.match(r.notice ?? '', new RegExp(`saved as .*${backup.replace(/\./g, '\\.')}`));
      assert.deepEqual(readdirSync(dir).sort(), [PROGRESS_FILE, backup]);
      assert.equal(readFileSync(join(dir, backup), 'utf8'), content);
      assert.deepEqual(JSON.parse(readFileSync(join(dir, PROGRESS_FILE), 'utf8')), { format: 1, lessons: {} });
      const again = await recordStep('tour', 'look', { now });
      assert.equal(again.notice, undefined);
    });
  }

  it('resets one lesson or everything', async () => {
    await recordStep('tour', 'look', { now });
    await recordStep('noreplicas', 'guard', { now });
    assert.deepEqual(Object.keys((await resetProgress('tour')).progress.lessons), ['noreplicas']);
    assert.deepEqual((await resetProgress()).progress.lessons, {});
    assert.deepEqual((await loadProgress()).progress.lessons, {});
  });

  it('exports JSON', async () => {
    await recordStep('tour', 'look', { now });
    const exported = JSON.parse(await exportProgress());
    assert.deepEqual(exported.lessons.tour.completedSteps, ['look']);
  });

  it('keeps prediction answers per lesson and step, beside the completed steps', async () => {
    await recordPrediction('noreplicas', 'stop-three', { choice: 0, correct: false }, { now });
    await recordStep('noreplicas', 'guard', { now });
    await recordPrediction('noreplicas', 'stop-three', { choice: 1, correct: true }, { now });
    await recordStep('noreplicas', 'stop-three', { now });
    const { progress, notice } = await loadProgress();
    assert.equal(notice, undefined);
    assert.deepEqual(progress.lessons.noreplicas, {
      completedSteps: ['guard', 'stop-three'],
      completed: false,
      updatedAt: '2026-11-26T10:00:00.000Z',
      predictions: { 'stop-three': { choice: 1, correct: true, answeredAt: '2026-11-26T10:00:00.000Z' } },
    });
    assert.deepEqual(savedPredictions(progress.lessons.noreplicas), {
      'stop-three': { choice: 1, at: Date.parse('2026-11-26T10:00:00.000Z') },
    });
    assert.deepEqual(savedPredictions(undefined), {});
  });

  it('reads files written before predictions existed, and drops an unreadable answer without losing the rest', async () => {
    const old = { format: 1, lessons: { tour: { completedSteps: ['look'], completed: false, updatedAt: 't' } } };
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, PROGRESS_FILE), JSON.stringify(old));
    assert.deepEqual(await loadProgress(), { progress: old });
    const odd = {
      format: 1,
      lessons: {
        tour: {
          completedSteps: ['look'],
          completed: false,
          updatedAt: 't',
          predictions: { look: { choice: 'two' }, 'replica-down': { choice: 1, correct: true, answeredAt: 't' } },
        },
        events: { completedSteps: [], completed: false, updatedAt: 't', predictions: 'garbage' },
      },
    };
    writeFileSync(join(dir, PROGRESS_FILE), JSON.stringify(odd));
    const r = await loadProgress();
    assert.equal(r.notice, undefined, 'not treated as a corrupt file');
    assert.deepEqual(r.progress.lessons.tour?.predictions, {
      'replica-down': { choice: 1, correct: true, answeredAt: 't' },
    });
    assert.equal(r.progress.lessons.events?.predictions, undefined);
    assert.deepEqual(r.progress.lessons.tour?.completedSteps, ['look']);
  });

  it('accepts an explicit directory', async () => {
    const other = join(base, 'explicit');
    await recordStep('tour', 'look', { dir: other, now });
    assert.deepEqual(readdirSync(other), [PROGRESS_FILE]);
    assert.deepEqual((await loadProgress()).progress.lessons, {}, 'RSL_CONFIG_DIR untouched');
  });
});
