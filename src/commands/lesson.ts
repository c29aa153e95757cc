// `redis-sentinel-lab lesson …`: list, check (validate; --run replays every solution against real Redis),
// run one headless, reset and export progress.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TopologyShape } from '../cluster/topology.js';
import { Lab } from '../engine/lab.js';
import { UserError } from '../errors.js';
import { type LessonReport, runLessonHeadless } from '../lessons/headless.js';
import { formatProblem } from '../lessons/issues.js';
import { checkAllLessons, loadAllLessons, loadLesson } from '../lessons/loader.js';
import { exportProgress, loadProgress, progressDir, resetProgress } from '../lessons/progress.js';
import type { Lesson } from '../lessons/schema.js';
import { guardLab } from './lifecycle.js';
import { type CommonOptions, findBinary } from './options.js';

const out = (s: string) => process.stdout.write(s);

export async function lessonList(opts: { json?: boolean }): Promise<number> {
  const lessons = await loadAllLessons();
  const { progress, notice } = await loadProgress();
  if (notice) process.stderr.write(`${notice}\n`);
  if (opts.json) {
    for (const l of lessons) {
      const p = progress.lessons[l.id];
      out(
        `${JSON.stringify({ id: l.id, folder: l.folder, title: l.title, summary: l.summary, steps: l.steps.length, completed: p?.completed ?? false, completedSteps: p?.completedSteps.length ?? 0 })}\n`,
      );
    }
    return 0;
  }
  for (const l of lessons) {
    const p = progress.lessons[l.id];
    const mark = p?.completed ? '✓' : p?.completedSteps.length ? '…' : ' ';
    out(`${mark} ${l.folder.padEnd(18)} ${l.title}  (${l.steps.length} steps)\n    ${l.summary}\n`);
  }
  out('\nOpen one with: redis-sentinel-lab --lesson <id>\n');
  return 0;
}

/** The lab a headless lesson uses: its own run directory, removed afterwards, signals handled. */
function headlessStarter(opts: CommonOptions) {
  return async (shape: TopologyShape) => {
    const binary = await findBinary(opts);
    const lab = await Lab.create({ binary, shape, basePort: opts.basePort, keep: opts.keep, flushMs: 50 });
    const guard = guardLab(lab);
    void guard.signalled.then(async () => {
      await lab.shutdown();
      process.exit(130);
    });
    try {
      await lab.start();
    } catch (err) {
      guard.dispose();
      await lab.shutdown();
      throw err;
    }
    return {
      store: lab.store,
      perform: (a: Parameters<Lab['perform']>[0]) => lab.perform(a),
      shutdown: async () => {
        await lab.shutdown();
        guard.dispose();
      },
    };
  };
}

function printReport(r: LessonReport, lesson: Lesson, json: boolean): void {
  if (json) {
    out(`${JSON.stringify({ type: 'lesson', ...r })}\n`);
    return;
  }
  out(`${r.passed ? '✓' : '✗'} ${lesson.folder} ${lesson.title}  (${(r.ms / 1000).toFixed(1)} s)\n`);
  for (const s of r.steps) {
    out(
      `    ${s.skipped ? '-' : s.passed ? '✓' : '✗'} ${s.id.padEnd(22)} ${(s.ms / 1000).toFixed(1).padStart(5)} s  ${s.detail}\n`,
    );
  }
  if (r.error) out(`    error: ${r.error}\n`);
}

export async function lessonRun(id: string, opts: CommonOptions & { headless?: boolean }): Promise<number> {
  if (!opts.headless) {
    throw new UserError('`lesson run` needs --headless (to open a lesson in the full-screen lab: --lesson <id>)', {
      exitCode: 2,
    });
  }
  const lesson = await loadLesson(id);
  const r = await runLessonHeadless(lesson, { startLab: headlessStarter(opts) });
  printReport(r, lesson, Boolean(opts.json));
  return r.passed ? 0 : 1;
}

export async function lessonCheck(opts: CommonOptions & { run?: boolean; only?: string }): Promise<number> {
  const { lessons, problems } = await checkAllLessons();
  if (problems.length) {
    for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
    process.stderr.write(`\n${problems.length} problem(s) in the lessons.\n`);
    return 1;
  }
  if (!opts.run) {
    if (opts.json) out(`${JSON.stringify({ type: 'check', ok: true, lessons: lessons.map((l) => l.id) })}\n`);
    else out(`All ${lessons.length} lessons are valid.\n`);
    return 0;
  }
  // Replaying against real Redis: a private progress dir, so proofs never touch the user's progress.
  const cfg = mkdtempSync(join(tmpdir(), 'rsl-lessons-'));
  process.env.RSL_CONFIG_DIR ??= cfg;
  let failed = 0;
  try {
    for (const lesson of lessons.filter((l) => !opts.only || l.id === opts.only || l.folder === opts.only)) {
      const r = await runLessonHeadless(lesson, { startLab: headlessStarter(opts) });
      printReport(r, lesson, Boolean(opts.json));
      if (!r.passed) failed++;
    }
  } finally {
    rmSync(cfg, { recursive: true, force: true });
  }
  if (!opts.json)
    out(failed ? `\n${failed} lesson(s) failed.\n` : `\nEvery lesson's solution works against real Redis.\n`);
  return failed ? 1 : 0;
}

/** Progress lives in a directory the user controls: a failure to write it is theirs to fix, with the path named. */
async function withProgressDir<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code && ['ENOTDIR', 'EACCES', 'EROFS', 'EPERM', 'ENOSPC', 'EEXIST'].includes(code)) {
      throw new UserError(`Cannot write lesson progress under ${progressDir()}: ${(err as Error).message}`, {
        hint: 'Make that directory writable, or point RSL_CONFIG_DIR at one that is.',
        cause: err,
      });
    }
    throw err;
  }
}

export async function lessonReset(id: string | undefined): Promise<number> {
  if (id) await loadLesson(id);
  const r = await withProgressDir(() => resetProgress(id));
  if (r.notice) process.stderr.write(`${r.notice}\n`);
  out(id ? `Progress of "${id}" reset.\n` : 'All lesson progress reset.\n');
  return 0;
}

export async function lessonExport(): Promise<number> {
  out(await exportProgress());
  return 0;
}
