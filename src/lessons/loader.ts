// The only reader of `lessons/**`: loads one lesson folder or all of them (sorted by folder name), validates each, and
// reads the Markdown its steps reference, refusing any file that resolves outside its lesson folder.
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { lessonContentProblems } from './content.js';
import { formatProblem, type LessonProblem } from './issues.js';
import type { Lesson, LessonDoc, LessonStep } from './schema.js';
import { controlCharProblem, FOLDER_NAME, LESSON_FILE, MAX_FILE_BYTES, validateLessonText } from './validate.js';

/** A lesson (or the lesson set) failed validation; `problems` lists every finding, one line each. */
export class LessonValidationError extends UserError {
  override name = 'LessonValidationError';
  readonly problems: readonly LessonProblem[];
  constructor(problems: readonly LessonProblem[]) {
    const shown = problems.slice(0, 20).map(formatProblem);
    const more = problems.length > shown.length ? `\n… and ${problems.length - shown.length} more` : '';
    super(`Invalid lesson${problems.length === 1 ? '' : 's'}:\n${shown.join('\n')}${more}`, {
      hint: 'The lesson format is described in docs/lessons.md.',
    });
    this.problems = problems;
  }
}

/** `lessons/` of this package: next to `src/` in development, next to `dist/` when installed. */
export function defaultLessonsRoot(): string {
  return join(packageRoot(), 'lessons');
}

export interface LessonCheck {
  lessons: Lesson[];
  problems: LessonProblem[];
}

/** Validates every lesson folder under `root` (the `lesson check` command). Never throws for content problems. */
export async function checkAllLessons(root = defaultLessonsRoot()): Promise<LessonCheck> {
  const folders = await lessonFolders(root);
  const lessons: Lesson[] = [];
  const problems: LessonProblem[] = [];
  for (const folder of folders) {
    const r = await readLesson(root, folder);
    if (r.lesson) lessons.push(r.lesson);
    problems.push(...r.problems);
  }
  const ids = new Map<string, string>();
  for (const l of lessons) {
    const other = ids.get(l.id);
    if (other)
      problems.push({
        file: `${l.folder}/${LESSON_FILE}`,
        path: 'id',
        message: `id "${l.id}" is also used by ${other}`,
      });
    ids.set(l.id, l.folder);
  }
  if (folders.length === 0) problems.push({ file: root, path: '', message: 'no lesson folders found' });
  return { lessons, problems };
}

/** Every lesson, sorted by folder name; throws LessonValidationError if any is invalid. */
export async function loadAllLessons(root = defaultLessonsRoot()): Promise<Lesson[]> {
  const { lessons, problems } = await checkAllLessons(root);
  if (problems.length) throw new LessonValidationError(problems);
  return lessons;
}

/**
 * One lesson by folder path, folder name (`02-noreplicas`), id (`noreplicas`) or number (`2`, `02`).
 * Throws UserError when nothing matches, LessonValidationError when it is invalid.
 */
export async function loadLesson(ref: string, root = defaultLessonsRoot()): Promise<Lesson> {
  let base = root;
  let folder: string | undefined;
  if (ref.includes('/') || ref.includes(sep)) {
    const abs = resolve(ref);
    base = dirname(abs);
    folder = basename(abs);
  } else {
    const folders = await lessonFolders(root);
    const n = /^\d{1,2}$/.test(ref) ? ref.padStart(2, '0') : undefined;
    folder = folders.find(
      (f) => f === ref || FOLDER_NAME.exec(f)?.[2] === ref || (n !== undefined && f.startsWith(`${n}-`)),
    );
    if (!folder) {
      throw new UserError(`no lesson "${ref}"`, {
        hint: folders.length ? `Lessons: ${folders.join(', ')}` : `No lessons found in ${root}`,
        exitCode: 2,
      });
    }
  }
  const r = await readLesson(base, folder);
  if (!r.lesson) throw new LessonValidationError(r.problems);
  return r.lesson;
}

async function lessonFolders(root: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (err) {
    throw new UserError(`cannot read the lessons folder ${root}`, { cause: err });
  }
  return entries
    .filter((e) => e.isDirectory() && FOLDER_NAME.test(e.name))
    .map((e) => e.name)
    .sort();
}

async function readLesson(root: string, folder: string): Promise<{ lesson?: Lesson; problems: LessonProblem[] }> {
  const file = `${folder}/${LESSON_FILE}`;
  const dir = join(root, folder);
  const text = await readLimited(join(dir, LESSON_FILE));
  if (typeof text !== 'string') return { problems: [{ file, path: '', message: text.error }] };
  const v = validateLessonText(text, folder);
  if (!v.doc) return { problems: v.problems };
  return readProse(v.doc, dir, folder);
}

/** Reads each step's Markdown; every file must exist and resolve (symlinks included) inside the lesson folder. */
async function readProse(
  doc: LessonDoc,
  dir: string,
  folder: string,
): Promise<{ lesson?: Lesson; problems: LessonProblem[] }> {
  const file = `${folder}/${LESSON_FILE}`;
  const problems: LessonProblem[] = [];
  const realDir = await realpath(dir);
  const steps: LessonStep[] = [];
  for (const [i, step] of doc.steps.entries()) {
    const path = `steps[${i}].text`;
    const target = join(dir, step.text);
    let real: string;
    try {
      real = await realpath(target);
    } catch {
      problems.push({ file, path, message: `file "${step.text}" does not exist in ${folder}/` });
      continue;
    }
    const rel = relative(realDir, real);
    if (rel.startsWith('..') || rel === '' || resolve(realDir, rel) !== real) {
      problems.push({ file, path, message: `"${step.text}" resolves outside the lesson folder` });
      continue;
    }
    const prose = await readLimited(real);
    if (typeof prose !== 'string') {
      problems.push({ file, path, message: prose.error });
      continue;
    }
    const control = controlCharProblem(prose, file);
    if (control) {
      problems.push({ ...control, path });
      continue;
    }
    steps.push({ ...step, prose });
  }
  if (problems.length) return { problems };
  const lesson: Lesson = { ...doc, folder, dir, steps };
  // Learner-facing rules (no traps, no references to material the learner lacks, valid placeholders).
  const content = lessonContentProblems(lesson);
  if (content.length) return { problems: content };
  return { lesson, problems };
}

async function readLimited(path: string): Promise<string | { error: string }> {
  try {
    const s = await stat(path);
    if (!s.isFile()) return { error: `${basename(path)} is not a file` };
    if (s.size > MAX_FILE_BYTES) return { error: `${basename(path)} is larger than ${MAX_FILE_BYTES / 1024} KB` };
    return await readFile(path, 'utf8');
  } catch {
    return { error: `cannot read ${basename(path)}` };
  }
}
