// Pure validation of one lesson file's text: YAML syntax, the zod schema, the folder/id rule and the cross-reference
// pass. No file system here; loader.ts adds the checks that need it (Markdown files exist inside the folder).
import { parseDocument } from 'yaml';
import { crossCheck } from './crossref.js';
import { type LessonProblem, zodProblems } from './issues.js';
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
  return validateLessonDoc(yaml.toJS({ maxAliasCount: 100 }), folder);
}

/** Validates already-parsed YAML (tests build these directly). */
export function validateLessonDoc(raw: unknown, folder: string): Validated {
  const file = `${folder}/${LESSON_FILE}`;
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
