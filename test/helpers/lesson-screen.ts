// Reading the lesson pane off a whole-screen text capture (an Ink frame in the UI tests, `tmux capture-pane` in the
// end-to-end test) the way a learner reads it: its inner lines, its scroll position, and the checks every step must
// pass: the goal and first hint in full, no raw Markdown table rule, no line that ends in a cut word.
import stringWidth from 'string-width';
import type { Topology } from '../../src/cluster/topology.js';
import { describeEntry } from '../../src/lessons/describe.js';
import { fillStepText } from '../../src/lessons/placeholders.js';
import type { LessonStep } from '../../src/lessons/schema.js';
import { calculateLayout } from '../../src/ui/layout.js';
import { inlineSpans, lineText } from '../../src/ui/lib/markdown.js';
import { graphemes } from '../../src/ui/lib/text-wrap.js';

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** Runs of CJK letters (not their punctuation, which stays glued to the word before it). */
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/u;

/** Display columns [from, to) of a screen line (wide characters count two). */
export function sliceColumns(line: string, from: number, to: number): string {
  let at = 0;
  let out = '';
  for (const g of graphemes(line)) {
    const w = stringWidth(g);
    if (at >= from && at + w <= to) out += g;
    at += w;
  }
  return out;
}

export interface PaneView {
  /** First document line shown (from the ▲ badge). */
  top: number;
  /** Document lines below the window (from the ▼ badge). */
  below: number;
  lines: string[];
}

/** The lesson pane's inner lines and scroll position, where the layout puts it; undefined when not on screen. */
export function findLessonPane(
  screen: string,
  columns: number,
  rows: number,
  lessonFull?: boolean,
): PaneView | undefined {
  const layout = calculateLayout({ columns, rows, sandbox: false, lessonFull });
  if (layout.kind !== 'panes') return undefined;
  const all = screen.split('\n');
  let x = 0;
  for (const col of layout.body) {
    let y = layout.headerHeight;
    for (const slot of col.slots) {
      if (slot.panes.includes('lesson')) {
        const border = sliceColumns(all[y] ?? '', x, x + col.width);
        if (!border.includes('Lesson: ')) return undefined;
        const lines = all.slice(y + 1, y + slot.height - 1).map((l) => sliceColumns(l, x + 1, x + col.width - 1));
        return {
          top: Number(/▲(\d+)/.exec(border)?.[1] ?? 0),
          below: Number(/▼(\d+)/.exec(border)?.[1] ?? 0),
          lines,
        };
      }
      y += slot.height;
    }
    x += col.width;
  }
  return undefined;
}

export function lessonPane(screen: string, columns: number, rows: number, lessonFull?: boolean): PaneView {
  const v = findLessonPane(screen, columns, rows, lessonFull);
  if (!v) throw new Error(`no lesson pane on the screen at ${columns}x${rows}:\n${screen}`);
  return v;
}

/** Words as a reader compares them: without surrounding punctuation and Markdown marks. */
export function bare(token: string): string {
  return token.replace(/^[`*_([{"'“‘<>]+/, '').replace(/[`*_)\]}"'”’.,:;!?<>]+$/, '');
}

export const squash = (s: string) => s.replace(/\s+/g, '');

/** Plain text of inline Markdown, as the pane shows it (`code` without backticks, **strong** without stars). */
export function plain(markdown: string): string {
  return lineText(inlineSpans(markdown));
}

/** The pane's own words around the lesson text (headings, labels, the prediction's frame). */
export const PANE_WORDS =
  'Step Goal: met not yet Hint more hints hint: press i Solution (P plays it): (nothing to do: watch and wait) ' +
  'Lesson complete. e exports the run, q quits. Predict first: Prediction: You said: right not the answer ' +
  'You did not predict this one. Observed: Answer: ← your prediction You predicted Now do the step and see ' +
  'Press for what you expect, then do the step and see. The solution has run, but the goal is ' +
  'not met yet: playing the solution… shown once you have predicted (it would give the answer away)';

/** Every word a line of this step may end in: its text (placeholders filled), its solution's words, `extra`. */
export function knownWords(
  step: LessonStep,
  goalText: string,
  topology: Topology,
  extra: readonly string[],
): Set<string> {
  const shown = fillStepText({ ...step, goalText }, topology);
  const sources = [
    shown.prose,
    shown.explain ?? '',
    ...shown.hints,
    shown.goalText,
    ...step.solution.map((e) => describeEntry(e)),
    shown.predict?.question ?? '',
    ...(shown.predict?.choices.map((c) => c.text) ?? []),
    shown.predict?.explain ?? '',
    PANE_WORDS,
    ...extra,
  ];
  const known = new Set<string>();
  // Code-span backticks and emphasis stars are Markdown, not text: the pane shows the words without them.
  // A line may also break between a CJK character and a Latin word ("…redis2是" / "slave。"), as Chinese
  // text breaks between characters: the Latin run beside CJK is a whole word too.
  for (const src of sources) {
    for (const t of src.replace(/[`*]/g, '').split(/[\s|]+/)) {
      known.add(bare(t));
      for (const part of t.split(CJK_RUN)) known.add(bare(part));
    }
  }
  return known;
}

/**
 * Lines that show the goal check's live words (the detail under the goal, "Observed:" beside a prediction): the
 * lab's words of the moment, not the lesson's, so no lesson word list covers them. Their wrapping is the same
 * wrapSpans as everywhere (test/ui/lesson-doc.test.ts checks the detail wraps instead of being cut).
 */
export function liveDetailLines(doc: readonly (string | undefined)[]): Set<number> {
  const out = new Set<number>();
  const indented = (i: number) => /^ {2}\S/.test(doc[i] ?? '');
  for (const [i, l] of doc.entries()) {
    if (l?.startsWith('Observed: ')) {
      out.add(i);
      for (let j = i + 1; indented(j); j++) out.add(j);
    }
    if (l?.startsWith('Goal: ')) {
      let j = i;
      while (j < doc.length && !/(✓ met|✗ not yet)$/.test(doc[j] ?? '')) j++;
      for (j++; indented(j); j++) out.add(j);
    }
  }
  return out;
}

/** Lines (of a document, by index) that end in a word that is not a whole word of the step: cut. */
export function cutWords(
  doc: readonly (string | undefined)[],
  known: ReadonlySet<string>,
  skip: ReadonlySet<number> = new Set(),
): string[] {
  const out: string[] = [];
  for (const [i, l] of doc.entries()) {
    if (l === undefined || skip.has(i)) continue;
    const last =
      l
        .split(/[\s|]+/)
        .filter(Boolean)
        .at(-1) ?? '';
    const w = bare(last);
    if (!w || CJK.test(w) || !/[A-Za-z0-9]/.test(w)) continue;
    if (doc[i + 1]?.trimStart().startsWith('↪')) continue; // code continues, marked
    if (/^\d+\/\d+:?$/.test(w) || /^[\d.]+$/.test(w)) continue;
    if (known.has(w) || [...known].some((k) => k.split(/\s/).includes(w))) continue;
    out.push(`line ${i} ends in "${last}"`);
  }
  return out;
}

/** A raw GFM table rule is `|---|---|`; the split-brain diagram's `|------+--` is a drawing, not a rule. */
export const RAW_TABLE_RULE = /\|\s*:?-{3,}:?\s*\|/;
