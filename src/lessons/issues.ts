// Turns zod issues into one readable line each: `02-noreplicas/lesson.yaml: steps[3].goal.roleOf.node: unknown node
// "redis-9"`. Union failures are resolved against the raw YAML, so a bad action reports its own field, not "Invalid input".
import type { z } from 'zod';

export interface LessonProblem {
  /** Lesson file relative to the lessons folder, e.g. `02-noreplicas/lesson.yaml`. */
  file: string;
  /** Field path inside the file, e.g. `steps[3].goal.roleOf.node`; empty for the whole file. */
  path: string;
  message: string;
}

export function formatProblem(p: LessonProblem): string {
  return p.path ? `${p.file}: ${p.path}: ${p.message}` : `${p.file}: ${p.message}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

type Issue = z.core.$ZodIssue;

/** Every issue of a failed parse as problems, with the raw input used to pick the union branch that was meant. */
export function zodProblems(error: z.ZodError, raw: unknown, file: string): LessonProblem[] {
  const out: Array<{ path: PropertyKey[]; message: string }> = [];
  collect(error.issues, [], raw, out);
  // A typo'd predicate key yields "unknown field" and "needs exactly one predicate"; the first says it all.
  const unknownAt = new Set(
    out.filter((p) => p.message.startsWith('unknown field')).map((p) => formatPath(p.path.slice(0, -1))),
  );
  const seen = new Set<string>();
  const problems: LessonProblem[] = [];
  for (const p of out) {
    const path = formatPath(p.path);
    if (p.message.startsWith('a goal needs exactly one predicate') && unknownAt.has(path)) continue;
    const key = `${path}\0${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ file, path, message: p.message });
  }
  return problems;
}

function collect(
  issues: readonly Issue[],
  prefix: PropertyKey[],
  root: unknown,
  out: Array<{ path: PropertyKey[]; message: string }>,
): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    const value = valueAt(root, path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) out.push({ path: [...path, key], message: `unknown field "${key}"` });
        break;
      case 'invalid_union': {
        if (isDiscriminatorMiss([issue])) {
          const options = ('options' in issue ? (issue.options ?? []) : []).map(String);
          const expected = options.length ? ` (expected one of: ${options.join(', ')})` : '';
          out.push({
            path,
            message:
              value === undefined
                ? `missing kind${expected}`
                : `unknown action kind ${JSON.stringify(value)}${expected}`,
          });
          break;
        }
        const branch = pickBranch(issue.errors, value);
        if (branch) collect(branch, path, root, out);
        else out.push({ path, message: unionMessage(issue, value) });
        break;
      }
      case 'invalid_type':
        out.push({ path, message: value === undefined ? 'missing required field' : typeMessage(issue, value) });
        break;
      case 'invalid_value':
        out.push({ path, message: valueMessage(issue, value) });
        break;
      default:
        out.push({ path, message: issue.message });
    }
  }
}

/** Setup/solution entries are `{kind: …}` actions or `{waitFor: …}` waits: choose the branch the author meant. */
function pickBranch(branches: readonly (readonly Issue[])[], value: unknown): readonly Issue[] | undefined {
  if (!isRecord(value)) return undefined;
  const wantsWait = 'waitFor' in value;
  const wantsAction = 'kind' in value;
  if (wantsWait === wantsAction) return undefined;
  const rejects = (issues: readonly Issue[], key: string) =>
    issues.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0 && i.keys.includes(key));
  // The branch meant is the one that does not reject the author's distinguishing key as unknown.
  return branches.find((b) => !rejects(b, wantsWait ? 'waitFor' : 'kind') && !(wantsWait && isDiscriminatorMiss(b)));
}

function isDiscriminatorMiss(issues: readonly Issue[]): boolean {
  // A discriminated union whose `kind` matched no option reports the discriminator and no branch errors.
  return issues.some((i) => i.code === 'invalid_union' && i.discriminator !== undefined && i.errors.length === 0);
}

function unionMessage(issue: Issue, value: unknown): string {
  if (isRecord(value) && 'waitFor' in value && 'kind' in value)
    return 'an entry is either an action (kind) or a waitFor, not both';
  if (isRecord(value)) return 'must be an action ({kind: …}) or a wait ({waitFor: <goal>, timeoutMs})';
  return issue.message === 'Invalid input' ? `invalid value ${JSON.stringify(value)}` : issue.message;
}

function typeMessage(issue: Extract<Issue, { code: 'invalid_type' }>, value: unknown): string {
  // Custom messages (e.g. "must be a whole number of milliseconds") are kept; zod's generic one is reworded.
  if (!issue.message.startsWith('Invalid input')) return issue.message;
  return `expected ${issue.expected}, got ${describe(value)}`;
}

function valueMessage(issue: Extract<Issue, { code: 'invalid_value' }>, value: unknown): string {
  if (!issue.message.startsWith('Invalid input')) return issue.message;
  const options = issue.values.map((v) => JSON.stringify(v)).join(', ');
  return `must be one of ${options}, got ${JSON.stringify(value) ?? 'nothing'}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (Array.isArray(v) && typeof key === 'number') v = v[key];
    else if (isRecord(v)) v = v[key as string];
    else return undefined;
  }
  return v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
