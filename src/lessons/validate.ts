// Pure validation of one lesson file's text: YAML syntax, the zod schema, the folder/id rule and the cross-reference
// pass. No file system here; loader.ts adds the checks that need it (Markdown files exist inside the folder).
import { parseDocument } from 'yaml';
import { crossCheck } from './crossref.js';
import { formatPath, type LessonProblem, zodProblems } from './issues.js';
import { type LessonDoc, LessonSchema } from './schema.js';

/** `02-noreplicas`: two digits, a dash, the lesson id. */
export const FOLDER_NAME = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;
export const LESSON_FILE = 'lesson.yaml';
/** Lesson files and Markdown files larger than this are refused rather than parsed. */
export const MAX_FILE_BYTES = 256 * 1024;

export interface Validated {
  doc?: LessonDoc;
  problems: LessonProblem[];
}

/** Terminal control sequences (C0/C1 controls, DEL, bidi overrides) would reach the user's terminal via the TUI. */
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** A problem when `text` holds a control character, naming its line; lesson text is shown verbatim in the TUI. */
export function controlCharProblem(text: string, file: string): LessonProblem | undefined {
  const m = CONTROL.exec(text);
  if (!m) return undefined;
  const line = text.slice(0, m.index).split('\n').length;
  const code = m[0].codePointAt(0)?.toString(16).padStart(4, '0') ?? '?';
  return {
    file,
    path: '',
    message: `line ${line} contains the control character U+${code} (terminal escape sequences are not allowed)`,
  };
}

/** Validates the text of `<folder>/lesson.yaml`; `doc` is set only when there are no problems. */
export function validateLessonText(text: string, folder: string): Validated {
  const file = `${folder}/${LESSON_FILE}`;
  const yaml = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (yaml.errors.length) {
    return {
      problems: yaml.errors.map((e) => {
        const at = e.linePos?.[0];
        const where = at ? ` at line ${at.line}, column ${at.col}` : '';
        const what = firstLine(e.message).replace(/ at line \d+, column \d+:?$/, '');
        return { file, path: '', message: `YAML syntax error${where}: ${what}` };
      }),
    };
  }
  let raw: unknown;
  try {
    raw = yaml.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // e.g. "Excessive alias count": an alias bomb is a problem in the file, not a crash.
    return { problems: [{ file, path: '', message: `YAML could not be read: ${firstLine((err as Error).message)}` }] };
  }
  try {
    return validateLessonDoc(raw, folder);
  } catch (err) {
    if (err instanceof RangeError) {
      return { problems: [{ file, path: '', message: 'the lesson is nested too deeply to validate' }] };
    }
    throw err;
  }
}

const MAX_DEPTH = 40;

/** Walks every value: control characters in any string, and absurd nesting, named by their field path. */
function hostileValues(raw: unknown, file: string): LessonProblem[] {
  const out: LessonProblem[] = [];
  const walk = (v: unknown, path: PropertyKey[]): void => {
    if (out.length >= 20) return;
    if (path.length > MAX_DEPTH) {
      out.push({ file, path: formatPath(path.slice(0, 3)), message: `nested more than ${MAX_DEPTH} levels deep` });
      return;
    }
    if (typeof v === 'string') {
      const m = CONTROL.exec(v.replace(/[\n\t\r]/g, ' '));
      if (m) {
        const code = m[0].codePointAt(0)?.toString(16).padStart(4, '0') ?? '?';
        out.push({
          file,
          path: formatPath(path),
          message: `contains the control character U+${code} (terminal escape sequences are not allowed)`,
        });
      }
    } else if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, [...path, i]);
    } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(raw, []);
  return out;
}

/** Validates already-parsed YAML (tests build these directly). */
export function validateLessonDoc(raw: unknown, folder: string): Validated {
  const file = `${folder}/${LESSON_FILE}`;
  const hostile = hostileValues(raw, file);
  if (hostile.length) return { problems: hostile };
  const parsed = LessonSchema.safeParse(raw);
  if (!parsed.success) return { problems: zodProblems(parsed.error, raw, file) };
  const doc = parsed.data;
  const problems: LessonProblem[] = crossCheck(doc).map((p) => ({ file, ...p }));
  const m = FOLDER_NAME.exec(folder);
  if (!m) {
    problems.push({
      file,
      path: '',
      message: `folder name "${folder}" must look like "02-noreplicas" (two digits, a dash, the id)`,
    });
  } else if (m[2] !== doc.id) {
    problems.push({
      file,
      path: 'id',
      message: `id "${doc.id}" must match the folder name "${folder}" without its number ("${m[2]}")`,
    });
  }
  return problems.length ? { problems } : { doc, problems };
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
