// The lesson pane's content as one document of styled lines: the step's prose, then the goal with its live
// state and detail, the explanation once met, hints, solution and the completion line. Pure, so the pane and
// the scroll keys compute the same lines, and tests can check every lesson at every width without a screen.
//
// Everything wraps to the width (nothing is truncated) and the document scrolls as a whole, so whatever a step
// shows is always reachable. Sections are named so the pane can bring new content into view (a hint just
// revealed, the explanation when the goal is met) and later sections (a prediction before the decisive action,
// an export hint) slot in by id.
import type { Topology } from '../../cluster/topology.js';
import { describeEntry } from '../../lessons/describe.js';
import { fillPlaceholders, fillStepText } from '../../lessons/placeholders.js';
import { predictionOpen } from '../../lessons/runner.js';
import type { LessonRunState } from '../../lessons/types.js';
import type { LabState } from '../../state/store.js';
import { type Layout, paneInnerSize } from '../layout.js';
import { inlineSpans, lineText, type MdLine, renderInline, renderMarkdown, type Span, wrapSpans } from './markdown.js';
import { type SolutionNote, type SolutionRun, solutionNote } from './solution-note.js';

const STEP_MARK = { pending: '·', active: '▶', met: '✓', done: '✓' } as const;

export type SectionId =
  | 'head'
  | 'prose'
  | 'predict'
  | 'goal'
  | 'explain'
  | 'hints'
  | 'solution'
  | 'status'
  | 'complete'
  | (string & {});

export interface DocSection {
  id: SectionId;
  lines: MdLine[];
  /** Named parts of the section, as line ranges within it (the prediction's numbered choices). */
  parts?: Record<string, { start: number; end: number }>;
}

export interface LessonDoc {
  lines: MdLine[];
  /** First line and end (exclusive) of each non-empty section. */
  sections: Record<string, { start: number; end: number }>;
  /**
   * First line and end (exclusive) of named parts of sections: `choices`, the open prediction's numbered choices
   * (what a number key picks from; the prompt under them may be cut off by the window).
   */
  parts: Record<string, { start: number; end: number }>;
  /** A code line was wider than the pane and continues on the next line (marked ↪). */
  wrappedCode: boolean;
}

export interface LessonDocOptions {
  /**
   * The running lab's topology: lesson text names addresses only it knows (`{{cli redis-1}}`), filled in here so
   * the text shows real commands even before the runner has filled the step in (it does so once the step's setup
   * is done; src/lessons/placeholders.ts).
   */
  topology?: Topology;
  /** Width code blocks and tables may use, when more than the text width (see renderMarkdown). */
  blockWidth?: number;
  /** Shown after "✓ Lesson complete." (e.g. "e exports the run, q quits."). */
  completionHint?: string;
  /** Extra sections (e.g. a prediction), placed before the section named in `before` (default: the goal). */
  extra?: Array<DocSection & { before?: SectionId }>;
  /** The solution played to its end without meeting the goal: why, under the goal (lib/solution-note.ts). */
  played?: SolutionNote;
}

const span = (text: string, style: Span['style']): Span => ({ text, style });
const INDENT: Span[] = [span('  ', 'plain')];

/** The sections of the current step, in reading order; empty sections are left out. */
export function lessonSections(lesson: LessonRunState, width: number, opts: LessonDocOptions = {}): DocSection[] {
  const raw = lesson.steps[lesson.stepIndex];
  if (!raw) return [];
  const topology = opts.topology;
  const step = topology ? { ...fillStepText(raw, topology), title: fillPlaceholders(raw.title, topology) } : raw;
  const md = { blockWidth: opts.blockWidth };
  const marks = lesson.status.map((st) => STEP_MARK[st]).join('');
  const head = wrapSpans(
    [span(`Step ${lesson.stepIndex + 1}/${lesson.steps.length}: ${step.title}`, 'title'), span(` ${marks}`, 'muted')],
    width,
  );
  // Right under the title, where a step opens: what the cluster is doing before the step can start (the text below
  // describes the state the catch-up builds, not the one on screen yet).
  if (lesson.catchingUp) head.push(...wrapSpans([span(`⟳ ${lesson.catchingUp}`, 'warn')], width, { rest: INDENT }));
  const out: DocSection[] = [
    { id: 'head', lines: head },
    { id: 'prose', lines: renderMarkdown(step.prose, width, md) },
  ];
  const predict = predictLines(lesson, step, width, md);
  if (predict.lines.length) out.push({ id: 'predict', ...predict });
  // The verdict ends the goal sentence, whole (no-break spaces), on the next line when it does not fit there.
  const verdict = lesson.goalMet ? span('✓\u00a0met', 'ok') : span('✗\u00a0not\u00a0yet', 'error');
  // A goal names the outcome the step waits for, which is the answer to its open question: it shows once the
  // learner has answered (or the outcome is in), and the question comes first.
  const goalLines = awaitingPrediction(lesson)
    ? wrapSpans([span('shown once you have predicted (it would give the answer away)', 'muted')], width, {
        first: [span('Goal: ', 'title')],
        rest: INDENT,
      })
    : wrapSpans([...inlineSpans(step.goalText), span(' ', 'plain'), verdict], width, {
        first: [span('Goal: ', 'title')],
        rest: INDENT,
      });
  if (lesson.goalDetail && !awaitingPrediction(lesson))
    goalLines.push(...wrapSpans([span(lesson.goalDetail, 'muted')], width, { first: INDENT, rest: INDENT }));
  out.push({ id: 'goal', lines: goalLines });
  if (opts.played) {
    const played = wrapSpans([span(`⚠ ${opts.played.headline}`, 'warn')], width, { rest: INDENT });
    for (const r of opts.played.refused)
      played.push(...wrapSpans([span(`✗ ${r}`, 'error')], width, { first: INDENT, rest: [span('    ', 'plain')] }));
    out.push({ id: 'played', lines: played });
  }
  if (lesson.goalMet && step.explain) out.push({ id: 'explain', lines: renderMarkdown(step.explain, width, md) });

  const hints: MdLine[] = [];
  for (const [i, hint] of step.hints.slice(0, lesson.hintsShown).entries()) {
    hints.push(...renderInline(hint, width, { first: [span(`Hint ${i + 1}: `, 'info')], rest: INDENT }));
  }
  const more = step.hints.length - lesson.hintsShown;
  if (more > 0) hints.push(...wrapSpans([span(`${more} more hint${more > 1 ? 's' : ''}: press i`, 'muted')], width));
  if (hints.length) out.push({ id: 'hints', lines: hints });

  if (lesson.solutionShown) {
    const sol: MdLine[] = wrapSpans([span('Solution (P plays it):', 'title')], width);
    for (const [i, entry] of step.solution.entries()) {
      const n = `${i + 1}. `;
      sol.push(
        ...wrapSpans([span(describeEntry(entry), 'code')], width, {
          first: [span(`  ${n}`, 'plain')],
          rest: [span(' '.repeat(2 + n.length), 'plain')],
        }),
      );
    }
    if (!step.solution.length) sol.push(...wrapSpans([span('  (nothing to do: watch and wait)', 'muted')], width));
    out.push({ id: 'solution', lines: sol });
  }

  const status: MdLine[] = [];
  if (lesson.playingSolution) status.push(...wrapSpans([span('⟳ playing the solution…', 'warn')], width));
  if (lesson.solutionError) {
    status.push(...wrapSpans([span(`✗ solution stopped: ${lesson.solutionError}`, 'error')], width, { rest: INDENT }));
  }
  if (status.length) out.push({ id: 'status', lines: status });
  if (lesson.completed) {
    const hint = opts.completionHint ?? 'e exports the run, q quits.';
    out.push({
      id: 'complete',
      lines: wrapSpans([span(`✓ Lesson complete.${hint ? ` ${hint}` : ''}`, 'ok')], width, { rest: INDENT }),
    });
  }

  for (const x of opts.extra ?? []) {
    const at = out.findIndex((s) => s.id === (x.before ?? 'goal'));
    out.splice(at < 0 ? out.length : at, 0, { id: x.id, lines: x.lines, ...(x.parts ? { parts: x.parts } : {}) });
  }
  return out.filter((s) => s.lines.length > 0);
}

/** The current step asks a question nobody has answered yet, and its outcome is not in. */
function awaitingPrediction(lesson: LessonRunState): boolean {
  const i = lesson.stepIndex;
  return predictionOpen(lesson) && !lesson.goalMet && lesson.predictions[i] === undefined;
}

/** Keys that answer a prediction with `n` choices: "1–3". */
export function predictKeys(n: number): string {
  return n <= 1 ? '1' : `1–${n}`;
}

/**
 * Predict, then observe (the step's `predict` block): before the outcome, the question and numbered choices (the
 * learner's pick marked); once the goal is met, what they said beside what happened (the goal check's words at that
 * moment) and the explanation.
 */
function predictLines(
  lesson: LessonRunState,
  step: LessonRunState['steps'][number],
  width: number,
  md: { blockWidth?: number },
): { lines: MdLine[]; parts?: DocSection['parts'] } {
  const p = step.predict;
  if (!p) return { lines: [] };
  const i = lesson.stepIndex;
  const answer = lesson.predictions[i];
  const outcomeIn = lesson.goalMet || lesson.status[i] === 'met' || answer?.resolved === true;
  const lines: MdLine[] = [];
  const choiceText = (n: number) => p.choices[n]?.text ?? '';
  if (!outcomeIn) {
    lines.push(...renderInline(p.question, width, { first: [span('Predict first: ', 'title')], rest: INDENT }));
    const first = lines.length;
    for (const [n, c] of p.choices.entries()) {
      const picked = answer?.choice === n;
      const mark = `${picked ? '▸' : ' '} ${n + 1}  `;
      lines.push(
        ...renderInline(picked ? `${c.text}  ← your prediction` : c.text, width, {
          first: [span(mark, picked ? 'info' : 'title')],
          rest: [span(' '.repeat(mark.length), 'plain')],
        }),
      );
    }
    const choices = { start: first, end: lines.length };
    const keys = predictKeys(p.choices.length);
    const prompt = answer
      ? `You predicted ${answer.choice + 1}. Now do the step and see.`
      : `Press ${keys} for what you expect, then do the step and see.`;
    lines.push(...wrapSpans([span(prompt, answer ? 'muted' : 'warn')], width, { rest: INDENT }));
    return { lines, parts: { choices } };
  }
  lines.push(...renderInline(p.question, width, { first: [span('Prediction: ', 'title')], rest: INDENT }));
  const right = p.choices.filter((c) => c.correct).map((c) => c.text);
  if (answer) {
    // Judged against the question's answer, not against this run: a run can differ from the typical case the answer
    // states (a failover slowed by split votes), and the Observed line under it gives this run's own figures.
    const verdict = answer.correct ? span('✓ right', 'ok') : span('✗ not the answer', 'error');
    lines.push(
      ...wrapSpans([...inlineSpans(choiceText(answer.choice)), span(' — ', 'plain'), verdict], width, {
        first: [span('You said: ', 'info')],
        rest: INDENT,
      }),
    );
  } else {
    lines.push(...wrapSpans([span('You did not predict this one.', 'muted')], width, { rest: INDENT }));
  }
  const observed = answer?.outcome ?? lesson.goalDetail;
  if (observed) {
    lines.push(...wrapSpans([span(observed, 'plain')], width, { first: [span('Observed: ', 'info')], rest: INDENT }));
  }
  if (!answer?.correct && right.length) {
    lines.push(...renderInline(right.join(' / '), width, { first: [span('Answer: ', 'info')], rest: INDENT }));
  }
  lines.push(...renderMarkdown(p.explain, width, md));
  return { lines };
}

/** Sections joined into one document, one blank line between sections (none between head and prose). */
export function lessonDocument(lesson: LessonRunState, width: number, opts: LessonDocOptions = {}): LessonDoc {
  const lines: MdLine[] = [];
  const sections: LessonDoc['sections'] = {};
  const parts: LessonDoc['parts'] = {};
  for (const s of lessonSections(lesson, width, opts)) {
    if (lines.length && s.id !== 'prose') lines.push([]);
    sections[s.id] = { start: lines.length, end: lines.length + s.lines.length };
    for (const [id, r] of Object.entries(s.parts ?? {}))
      parts[id] = { start: lines.length + r.start, end: lines.length + r.end };
    lines.push(...s.lines);
  }
  const wrappedCode = lines.some((l) => l[0]?.style === 'mark' && l[0].text.startsWith('↪'));
  return { lines, sections, parts, wrappedCode };
}

interface CachedDoc {
  topology: Topology | undefined;
  doc: LessonDoc;
}

const docs = new WeakMap<LessonRunState, Map<string, CachedDoc>>();

/**
 * lessonDocument, remembered per lesson state, topology and widths: the pane, the footer and the scroll keys all
 * ask for the same document, and the lesson state object changes only when the lesson does.
 */
export function cachedLessonDocument(lesson: LessonRunState, width: number, opts: LessonDocOptions = {}): LessonDoc {
  if (opts.extra || opts.played) return lessonDocument(lesson, width, opts);
  let byKey = docs.get(lesson);
  if (!byKey) {
    byKey = new Map();
    docs.set(lesson, byKey);
  }
  const key = `${width}\u0000${opts.blockWidth ?? width}\u0000${opts.completionHint ?? ''}`;
  const hit = byKey.get(key);
  if (hit && hit.topology === opts.topology) return hit.doc;
  const doc = lessonDocument(lesson, width, opts);
  byKey.set(key, { topology: opts.topology, doc });
  return doc;
}

/**
 * Lines longer than this are hard to follow, so a wider pane (the full-width lesson view) centres a column of
 * this width for the prose; code blocks and tables may run on to the pane's right edge (LessonColumns.block).
 */
export const LESSON_TEXT_MAX = 100;

/** Where the lesson document goes in a pane whose inside is `innerWidth` columns wide. */
export interface LessonColumns {
  /** Width of the prose column. */
  text: number;
  /** Blank columns left of it (the prose column is centred). */
  pad: number;
  /** Width code blocks and tables may use, from the prose column's left edge to the pane's right edge. */
  block: number;
}

export function lessonColumns(innerWidth: number): LessonColumns {
  const inner = Math.max(0, Math.floor(innerWidth));
  const text = Math.min(inner, LESSON_TEXT_MAX);
  const pad = Math.floor((inner - text) / 2);
  return { text, pad, block: inner - pad };
}

/** Width the lesson prose is laid out at in a pane whose inside is `innerWidth` columns. */
export function lessonTextWidth(innerWidth: number): number {
  return lessonColumns(innerWidth).text;
}

/** The lesson document a pane of this inner width shows (the same object for the pane, the footer and the keys). */
export function paneLessonDocument(
  lesson: LessonRunState,
  topology: Topology | undefined,
  innerWidth: number,
  played?: SolutionNote,
): LessonDoc {
  const c = lessonColumns(innerWidth);
  return cachedLessonDocument(lesson, c.text, { topology, blockWidth: c.block, ...(played ? { played } : {}) });
}

export interface LessonWindow {
  doc: LessonDoc;
  /** Rows the pane shows. */
  rows: number;
  /** First line shown (the stored offset, clamped to the document). */
  top: number;
  max: number;
}

/** The lesson document as the layout shows it, or undefined when no lesson is open or the layout hides it. */
export function lessonWindow(
  lab: Pick<LabState, 'lesson' | 'topology'> & Partial<Pick<LabState, 'actions' | 'clientResults'>>,
  layout: Layout,
  scroll: number,
  run?: SolutionRun,
): LessonWindow | undefined {
  const size = paneInnerSize(layout, 'lesson');
  const lesson = lab.lesson;
  if (!lesson || !size) return undefined;
  const doc = paneLessonDocument(lesson, lab.topology, size.width, solutionNote(lab, run));
  const max = maxScroll(doc.lines.length, size.height);
  return { doc, rows: size.height, top: Math.max(0, Math.min(scroll, max)), max };
}

/** Largest scroll offset (first shown line) for a document of `total` lines in `rows` rows. */
export function maxScroll(total: number, rows: number): number {
  return Math.max(0, total - Math.max(1, rows));
}

/**
 * The smallest scroll change that shows lines [start, end) in a window of `rows` rows starting at `top`;
 * when the range is taller than the window, its start is shown.
 */
export function revealScroll(top: number, range: { start: number; end: number }, rows: number): number {
  if (range.end - range.start >= rows || range.start < top) return range.start;
  if (range.end > top + rows) return range.end - rows;
  return top;
}

/** Plain text of a document (for tests and headless output). */
export function docText(lines: readonly MdLine[]): string {
  return lines.map(lineText).join('\n');
}
