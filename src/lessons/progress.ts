// Lesson progress (steps and lessons completed), saved as JSON in the user's config directory. Writes are atomic
// (temp file + rename); a corrupt file is set aside as `progress.json.corrupt-<timestamp>` and replaced, never fatal.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import envPaths from 'env-paths';
import { z } from 'zod';
import { UserError } from '../errors.js';

export const PROGRESS_FILE = 'progress.json';

/** A learner's answer to a step's prediction (predict-then-observe). */
const PredictionSchema = z.object({
  /** Index into the step's choices (0-based). */
  choice: z.int().min(0).max(3),
  /** Whether the choice was marked correct when it was given (the lesson pane recomputes it from the lesson). */
  correct: z.boolean(),
  answeredAt: z.string(),
});

const LessonProgressSchema = z.object({
  completedSteps: z.array(z.string()),
  completed: z.boolean(),
  updatedAt: z.string(),
  /**
   * Prediction answers by step id. Optional, so files written before predictions existed still load; an unreadable
   * entry is dropped rather than making the whole file count as corrupt.
   */
  predictions: z
    .record(z.string(), z.unknown())
    .transform((r) => {
      const out: Record<string, z.infer<typeof PredictionSchema>> = {};
      for (const [step, v] of Object.entries(r)) {
        const p = PredictionSchema.safeParse(v);
        if (p.success) out[step] = p.data;
      }
      return out;
    })
    .optional()
    .catch(undefined),
});

const ProgressSchema = z.object({
  format: z.literal(1),
  lessons: z.record(z.string(), LessonProgressSchema),
});

export type LessonProgress = z.infer<typeof LessonProgressSchema>;
export type SavedPredictionRecord = z.infer<typeof PredictionSchema>;
export type Progress = z.infer<typeof ProgressSchema>;

export interface ProgressOptions {
  /** Directory holding progress.json; default `RSL_CONFIG_DIR`, else the platform config dir. */
  dir?: string;
  /** Clock for `updatedAt` and backup names (tests). */
  now?: () => Date;
}

export interface ProgressRead {
  progress: Progress;
  /** Set when the saved file was unreadable and was replaced ("progress was reset; the old file is …"). */
  notice?: string;
}

const APP = 'redis-sentinel-lab';

/**
 * The user's home: $HOME when it is an absolute path, else the OS account's home directory. HOME="" (or a relative
 * HOME) used to put `.config/` into whatever directory the lab was started from.
 */
export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.HOME;
  if (fromEnv && isAbsolute(fromEnv)) return fromEnv;
  if (fromEnv === undefined && isAbsolute(homedir())) return homedir();
  let account: string | undefined;
  try {
    account = userInfo().homedir;
  } catch {
    account = undefined;
  }
  if (account && isAbsolute(account)) return account;
  throw new UserError(
    `Cannot find your home directory: HOME is ${fromEnv === undefined ? 'unset' : JSON.stringify(fromEnv)} and your account has none.`,
    { hint: 'Set HOME to your home directory, or RSL_CONFIG_DIR to where lesson progress should be kept.' },
  );
}

/** The platform config directory (env-paths), always absolute. */
function platformConfigDir(): string {
  const p = envPaths(APP, { suffix: '' }).config;
  // env-paths joins $HOME (and XDG_CONFIG_HOME) as they are: an empty or relative one gives a relative path. The XDG
  // spec says to ignore a relative XDG_CONFIG_HOME; a bad HOME is replaced by the account's home.
  if (isAbsolute(p)) return p;
  if (process.platform === 'darwin') return join(homeDir(), 'Library', 'Preferences', APP);
  const xdg = process.env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homeDir(), '.config'), APP);
}

/** Directory of progress.json (absolute): opts.dir, RSL_CONFIG_DIR, else the platform config directory. */
export function progressDir(opts: ProgressOptions = {}): string {
  const explicit = opts.dir ?? process.env.RSL_CONFIG_DIR;
  return explicit ? resolve(explicit) : platformConfigDir();
}

export function progressPath(opts: ProgressOptions = {}): string {
  return join(progressDir(opts), PROGRESS_FILE);
}

export function emptyProgress(): Progress {
  return { format: 1, lessons: {} };
}

/** Reads progress; a missing file is empty progress, a corrupt one is backed up and replaced with a notice. */
export async function loadProgress(opts: ProgressOptions = {}): Promise<ProgressRead> {
  const path = progressPath(opts);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { progress: emptyProgress() };
    return {
      progress: emptyProgress(),
      notice: `Could not read ${path} (${(err as Error).message}); progress starts empty.`,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const valid = ProgressSchema.safeParse(parsed);
  if (valid.success) return { progress: valid.data };
  const stamp = (opts.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const backup = `${path}.corrupt-${stamp}`;
  const progress = emptyProgress();
  try {
    await rename(path, backup);
    await saveProgress(progress, opts);
  } catch (err) {
    return {
      progress,
      notice: `${path} is corrupt and could not be replaced (${(err as Error).message}); progress starts empty.`,
    };
  }
  return {
    progress,
    notice: `Your lesson progress file was unreadable; it was saved as ${backup} and progress starts empty.`,
  };
}

/** Writes progress atomically: a temp file in the same directory, flushed, then renamed over the old one. */
export async function saveProgress(progress: Progress, opts: ProgressOptions = {}): Promise<void> {
  const dir = progressDir(opts);
  const path = join(dir, PROGRESS_FILE);
  try {
    await writeAtomically(dir, path, progress);
  } catch (err) {
    throw asUserError(err, dir, path);
  }
}

/** Failures that are the user's to fix (a directory in the way, no permission, a full disk), with the path named. */
function asUserError(err: unknown, dir: string, path: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') {
    return new UserError(`Cannot save lesson progress: ${path} is a directory, not a file.`, {
      hint: `Move it out of the way (mv ${JSON.stringify(path)} ${JSON.stringify(`${path}.old`)}), or point RSL_CONFIG_DIR at another directory.`,
      cause: err,
    });
  }
  if (code && ['ENOTDIR', 'EACCES', 'EROFS', 'EPERM', 'ENOSPC', 'EEXIST', 'ELOOP', 'ENAMETOOLONG'].includes(code)) {
    return new UserError(`Cannot write lesson progress under ${dir}: ${(err as Error).message}`, {
      hint: 'Make that directory writable, or point RSL_CONFIG_DIR at one that is.',
      cause: err,
    });
  }
  return err;
}

async function writeAtomically(dir: string, path: string, progress: Progress): Promise<void> {
  await mkdir(dir, { recursive: true });
  const text = `${JSON.stringify(progress, null, 2)}\n`;
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    // Never leave a half-written temp file behind; the previous progress.json is untouched.
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** Records a completed step (and optionally the whole lesson); returns the saved progress. */
export async function recordStep(
  lessonId: string,
  stepId: string,
  opts: ProgressOptions & { lessonCompleted?: boolean } = {},
): Promise<ProgressRead> {
  const read = await loadProgress(opts);
  const prev = read.progress.lessons[lessonId];
  const steps = new Set(prev?.completedSteps ?? []);
  steps.add(stepId);
  const progress: Progress = {
    ...read.progress,
    lessons: {
      ...read.progress.lessons,
      [lessonId]: {
        ...prev,
        completedSteps: [...steps],
        completed: (prev?.completed ?? false) || (opts.lessonCompleted ?? false),
        updatedAt: (opts.now?.() ?? new Date()).toISOString(),
      },
    },
  };
  await saveProgress(progress, opts);
  return { progress, ...(read.notice ? { notice: read.notice } : {}) };
}

/** Records the learner's answer to a step's prediction (a later answer to the same step replaces it). */
export async function recordPrediction(
  lessonId: string,
  stepId: string,
  answer: { choice: number; correct: boolean },
  opts: ProgressOptions = {},
): Promise<ProgressRead> {
  const read = await loadProgress(opts);
  const prev = read.progress.lessons[lessonId];
  const at = (opts.now?.() ?? new Date()).toISOString();
  const progress: Progress = {
    ...read.progress,
    lessons: {
      ...read.progress.lessons,
      [lessonId]: {
        completedSteps: prev?.completedSteps ?? [],
        completed: prev?.completed ?? false,
        updatedAt: at,
        predictions: {
          ...prev?.predictions,
          [stepId]: { choice: answer.choice, correct: answer.correct, answeredAt: at },
        },
      },
    },
  };
  await saveProgress(progress, opts);
  return { progress, ...(read.notice ? { notice: read.notice } : {}) };
}

/** A lesson's saved answers in the runner's shape (SavedPrediction: choice and time in ms), by step id. */
export function savedPredictions(p: LessonProgress | undefined): Record<string, { choice: number; at: number }> {
  const out: Record<string, { choice: number; at: number }> = {};
  for (const [step, a] of Object.entries(p?.predictions ?? {})) {
    const at = Date.parse(a.answeredAt);
    out[step] = { choice: a.choice, at: Number.isFinite(at) ? at : 0 };
  }
  return out;
}

/** Forgets one lesson's progress, or everything when no id is given. */
export async function resetProgress(lessonId?: string, opts: ProgressOptions = {}): Promise<ProgressRead> {
  const read = await loadProgress(opts);
  const lessons = { ...read.progress.lessons };
  if (lessonId === undefined) for (const k of Object.keys(lessons)) delete lessons[k];
  else delete lessons[lessonId];
  const progress: Progress = { format: 1, lessons };
  await saveProgress(progress, opts);
  return { progress, ...(read.notice ? { notice: read.notice } : {}) };
}

/** The progress as pretty JSON (for `lesson progress --export`). */
export async function exportProgress(opts: ProgressOptions = {}): Promise<string> {
  const { progress } = await loadProgress(opts);
  return `${JSON.stringify(progress, null, 2)}\n`;
}
