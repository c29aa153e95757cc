// `redis-sentinel-lab lesson …`: list, check (validate; --run replays every solution against real Redis),
// run one headless, reset and export progress.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import type { ServerBinary } from '../cluster/process/binaries.js';
import type { TopologyShape } from '../cluster/topology.js';
import { Lab } from '../engine/lab.js';
import { UserError } from '../errors.js';
import { type LessonReport, runLessonHeadless } from '../lessons/headless.js';
import { formatProblem } from '../lessons/issues.js';
import { checkAllLessons, LessonValidationError, loadAllLessons, loadLesson } from '../lessons/loader.js';
import { exportProgress, loadProgress, resetProgress } from '../lessons/progress.js';
import type { Lesson } from '../lessons/schema.js';
import { EXIT } from './exit.js';
import type { LessonCheck, LessonEntry, LessonReport as LessonReportJson } from './json-schemas.js';
import { guardLab, STOP_SIGNALS, type StopReason } from './lifecycle.js';
import { type CommonOptions, findBinary } from './options.js';
import { onOutputClosed, out } from './output.js';
import { SCHEMA_VERSION } from './schema-version.js';

/** The exit code after a stop: 0 when the reader of the output went away (nothing failed), 130 after a signal. */
const exitFor = (why: StopReason) => (why === 'output-closed' ? EXIT.ok : EXIT.interrupted);

export async function lessonList(opts: { json?: boolean }): Promise<number> {
  const lessons = await loadAllLessons();
  const { progress, notice } = await loadProgress();
  if (notice) process.stderr.write(`${notice}\n`);
  if (opts.json) {
    for (const l of lessons) {
      const p = progress.lessons[l.id];
      out(
        `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, type: 'lesson-entry', id: l.id, folder: l.folder, title: l.title, summary: l.summary, steps: l.steps.length, completed: p?.completed ?? false, completedSteps: p?.completedSteps.length ?? 0 } satisfies z.input<typeof LessonEntry>)}\n`,
      );
    }
    return 0;
  }
  // One column for the folders, as wide as the longest (05-replica-selection is 20).
  const width = Math.max(0, ...lessons.map((l) => l.folder.length));
  for (const l of lessons) {
    const p = progress.lessons[l.id];
    const mark = p?.completed ? '✓' : p?.completedSteps.length ? '…' : ' ';
    out(`${mark} ${l.folder.padEnd(width)}  ${l.title}  (${l.steps.length} steps)\n    ${l.summary}\n`);
  }
  out('\nOpen one with: redis-sentinel-lab --lesson <id>\n');
  return 0;
}

/**
 * Tracks one headless command's stop signals outside any lab: between two lessons of `lesson check --run` no lab
 * (and so no guardLab handler) is running, and a signal there used to end the process without its cleanup.
 */
interface Interrupts {
  /** The first stop signal received (or the output's reader gone), if any. */
  signal?: StopReason;
  /** A lab is being created or runs: its guard (or the starter) handles the signal. */
  busy: boolean;
}

/**
 * The lab a headless lesson uses: its own run directory, removed afterwards, signals handled. It runs `binary` when
 * given (resolved once for many lessons), else the server `opts` name.
 */
function headlessStarter(opts: CommonOptions, interrupts: Interrupts = { busy: false }, binary?: ServerBinary) {
  return async (shape: TopologyShape) => {
    interrupts.busy = true;
    let lab: Lab;
    try {
      lab = await Lab.create({
        binary: binary ?? (await findBinary(opts)),
        shape,
        basePort: opts.basePort,
        // A block asked for by --base-port is used or refused, never silently moved (as in `up`).
        strictPorts: opts.basePort !== undefined,
        keep: opts.keep,
        flushMs: 50,
      });
    } catch (err) {
      interrupts.busy = false;
      if (interrupts.signal) process.exit(exitFor(interrupts.signal));
      throw err;
    }
    const guard = guardLab(lab);
    const stop = async (why: StopReason) => {
      await lab.shutdown();
      process.exit(exitFor(why));
    };
    void guard.signalled.then(stop);
    // A signal that came while the lab was being created, before its guard existed.
    if (interrupts.signal) await stop(interrupts.signal);
    try {
      await lab.start();
    } catch (err) {
      guard.dispose();
      await lab.shutdown();
      interrupts.busy = false;
      throw err;
    }
    return {
      store: lab.store,
      perform: (a: Parameters<Lab['perform']>[0]) => lab.perform(a),
      shutdown: async () => {
        await lab.shutdown();
        guard.dispose();
        interrupts.busy = false;
        if (interrupts.signal) process.exit(exitFor(interrupts.signal));
      },
    };
  };
}

/**
 * Stop-signal handlers for a whole headless command, and a process-exit hook that removes `tempDir` (a signal ends
 * the process with process.exit, which skips `finally` blocks but not 'exit' listeners). Returns the uninstaller.
 */
function guardCommand(interrupts: Interrupts, tempDir: string): () => void {
  const remove = () => rmSync(tempDir, { recursive: true, force: true });
  const onSignal = (sig: StopReason) => {
    interrupts.signal ??= sig;
    if (!interrupts.busy) process.exit(exitFor(sig));
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  const offOutput = onOutputClosed(() => onSignal('output-closed'));
  process.on('exit', remove);
  return () => {
    offOutput();
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
    process.off('exit', remove);
    remove();
  };
}

function printReport(r: LessonReport, lesson: Lesson, json: boolean): void {
  if (json) {
    out(
      `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, type: 'lesson', ...r } satisfies z.input<typeof LessonReportJson>)}\n`,
    );
    return;
  }
  out(`${r.passed ? '✓' : '✗'} ${lesson.folder} ${lesson.title}  (${(r.ms / 1000).toFixed(1)} s)\n`);
  for (const s of r.steps) {
    out(
      `    ${s.skipped ? '-' : s.passed ? '✓' : '✗'} ${s.id.padEnd(22)} ${(s.ms / 1000).toFixed(1).padStart(5)} s  ${s.detail}\n`,
    );
    if (s.events) {
      out(`        Sentinel events since the step started:${s.events.length ? '' : ' none'}\n`);
      for (const line of s.events) out(`          ${line}\n`);
    }
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
  let lessons: Lesson[];
  if (opts.only) {
    // Just that lesson (by id, folder or number); an unknown one is a usage error that lists the lessons.
    try {
      lessons = [await loadLesson(opts.only)];
    } catch (err) {
      if (!(err instanceof LessonValidationError)) throw err;
      for (const p of err.problems) process.stderr.write(`${formatProblem(p)}\n`);
      process.stderr.write(`\n${err.problems.length} problem(s) in the lesson.\n`);
      return 1;
    }
  } else {
    const checked = await checkAllLessons();
    if (checked.problems.length) {
      for (const p of checked.problems) process.stderr.write(`${formatProblem(p)}\n`);
      process.stderr.write(`\n${checked.problems.length} problem(s) in the lessons.\n`);
      return 1;
    }
    lessons = checked.lessons;
  }
  if (!opts.run) {
    if (opts.json) {
      const rec: z.input<typeof LessonCheck> = {
        schemaVersion: SCHEMA_VERSION,
        type: 'check',
        ok: true,
        lessons: lessons.map((l) => l.id),
      };
      out(`${JSON.stringify(rec)}\n`);
    } else if (opts.only) out(`Lesson ${lessons[0]?.folder ?? opts.only} is valid.\n`);
    else out(`All ${lessons.length} lessons are valid.\n`);
    return 0;
  }
  // Replaying against real Redis: a private progress dir, so proofs never touch the user's progress. It is removed
  // on every way out, a stop signal included.
  const cfg = mkdtempSync(join(tmpdir(), 'rsl-lessons-'));
  process.env.RSL_CONFIG_DIR ??= cfg;
  const interrupts: Interrupts = { busy: false };
  const unguard = guardCommand(interrupts, cfg);
  let failed = 0;
  let server = 'real Redis';
  try {
    // Named up front, so a log says which server the proofs ran against (Redis or Valkey, and which build).
    const binary = await findBinary(opts);
    server = `real ${binary.flavor === 'valkey' ? 'Valkey' : 'Redis'} ${binary.version}`;
    if (!opts.json)
      out(`Replaying ${lessons.length} lesson(s) against ${binary.flavor} ${binary.version} (${binary.path}).\n\n`);
    for (const lesson of lessons) {
      const r = await runLessonHeadless(lesson, { startLab: headlessStarter(opts, interrupts, binary) });
      printReport(r, lesson, Boolean(opts.json));
      if (!r.passed) failed++;
    }
  } finally {
    unguard();
  }
  if (!opts.json)
    out(failed ? `\n${failed} lesson(s) failed.\n` : `\nEvery lesson's solution works against ${server}.\n`);
  return failed ? 1 : 0;
}

export async function lessonReset(id: string | undefined): Promise<number> {
  // Any name `lesson list` shows or the TUI accepts (`05-replica-selection`, `replica-selection`, `5`) names the
  // lesson; progress is kept under the lesson's own id.
  const lessonId = id ? (await loadLesson(id)).id : undefined;
  // A progress.json in the way (a directory, no permission) is a UserError from progress.ts, path named.
  const r = await resetProgress(lessonId);
  if (r.notice) process.stderr.write(`${r.notice}\n`);
  out(lessonId ? `Progress of "${lessonId}" reset.\n` : 'All lesson progress reset.\n');
  return 0;
}

export async function lessonExport(): Promise<number> {
  out(await exportProgress());
  return 0;
}
