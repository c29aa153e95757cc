// Room to read (issue #11): every step of every lesson in lessons/, drawn by the real App at 120x35 and
// 160x45 (and the 80x24 fallback), paged through with PgDn as a learner would. The goal sentence and the first
// hint must be visible in full, no line may end in a cut word, and no raw Markdown table rule may show.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import stringWidth from 'string-width';
import { describeEntry } from '../../src/lessons/describe.js';
import { loadAllLessons } from '../../src/lessons/loader.js';
import { fillStepText } from '../../src/lessons/placeholders.js';
import { startLesson } from '../../src/lessons/runner.js';
import type { Lesson } from '../../src/lessons/schema.js';
import type { LessonRunState } from '../../src/lessons/types.js';
import { calculateLayout } from '../../src/ui/layout.js';
import { inlineSpans, lineText } from '../../src/ui/lib/markdown.js';
import { graphemes } from '../../src/ui/lib/text-wrap.js';
import { healthyState } from '../fixtures/ui-states.js';
import { renderApp } from './setup.js';

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** Runs of CJK letters (not their punctuation, which stays glued to the word before it). */
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/u;
const DETAIL = 'sentinel-1, sentinel-2 and sentinel-3 name redis-2; redis-1 does not answer yet';

/** The step as a learner sees it with everything open: goal met (explanation shown), every hint, the solution. */
function stepState(lesson: Lesson, index: number): LessonRunState {
  const base = startLesson(lesson);
  const step = base.steps[index];
  assert.ok(step);
  return {
    ...base,
    stepIndex: index,
    status: base.steps.map((_, i) => (i < index ? 'done' : i === index ? 'met' : 'pending')),
    entered: true,
    goalMet: true,
    goalDetail: DETAIL,
    hintsShown: step.hints.length,
    solutionShown: true,
    completed: index === base.steps.length - 1,
  };
}

/** Display columns [from, to) of a frame line (wide characters count two). */
function sliceColumns(line: string, from: number, to: number): string {
  let at = 0;
  let out = '';
  for (const g of graphemes(line)) {
    const w = stringWidth(g);
    if (at >= from && at + w <= to) out += g;
    at += w;
  }
  return out;
}

interface PaneView {
  top: number;
  below: number;
  lines: string[];
}

/** The lesson pane's inner lines and its scroll position (from the ▲/▼ badge in its top border). */
function lessonPane(frame: string, columns: number, rows: number, lessonFull?: boolean): PaneView {
  const layout = calculateLayout({ columns, rows, sandbox: false, lessonFull });
  assert.equal(layout.kind, 'panes');
  if (layout.kind !== 'panes') throw new Error('unreachable');
  let x = 0;
  for (const col of layout.body) {
    let y = layout.headerHeight;
    for (const slot of col.slots) {
      if (slot.panes.includes('lesson')) {
        const all = frame.split('\n');
        const border = sliceColumns(all[y] ?? '', x, x + col.width);
        assert.match(border, /Lesson: /, 'the lesson pane is where the layout puts it');
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
  throw new Error('no lesson pane in the layout');
}

/** Words as a reader compares them: without surrounding punctuation and Markdown marks. */
function bare(token: string): string {
  return token.replace(/^[`*_([{"'“‘<>]+/, '').replace(/[`*_)\]}"'”’.,:;!?<>]+$/, '');
}

const squash = (s: string) => s.replace(/\s+/g, '');

let lessons: Lesson[] = [];
before(async () => {
  lessons = await loadAllLessons();
});

const cleanup: Array<() => void> = [];
after(() => {
  for (const c of cleanup) c();
});

for (const [columns, rows, lessonFull] of [
  [120, 35, undefined],
  [160, 45, undefined],
  [80, 24, undefined],
  // The lesson alone (L): prose centred at its reading width, code and tables out to the right edge.
  [120, 35, true],
] as const) {
  describe(`every lesson step at ${columns}x${rows}${lessonFull ? ', the lesson alone' : ''}`, () => {
    it('shows the goal and first hint in full, no cut word, no raw table rule', async () => {
      assert.ok(lessons.length > 0);
      let checkedSteps = 0;
      for (const lesson of lessons) {
        const state = healthyState();
        state.lesson = stepState(lesson, 0);
        const { tui, store } = renderApp(state, { columns, rows, ...(lessonFull === undefined ? {} : { lessonFull }) });
        cleanup.push(() => tui.unmount());
        for (const [index, step] of lesson.steps.entries()) {
          const where = `${lesson.id}/${step.id} at ${columns}x${rows}`;
          const run = stepState(lesson, index);
          store.setState({ lesson: run });
          const title = `Step ${index + 1}/${lesson.steps.length}: `;
          await tui.waitFor((f) => lessonPane(f, columns, rows, lessonFull).lines.some((l) => l.includes(title)));
          // Page down through the whole step, placing each page at its offset.
          const doc: string[] = [];
          let view = lessonPane(tui.lastFrame(), columns, rows, lessonFull);
          assert.equal(view.top, 0, `${where}: a new step starts at its top`);
          for (let page = 0; ; page++) {
            for (const [i, l] of view.lines.entries()) doc[view.top + i] = l.trimEnd();
            if (view.below === 0) break;
            assert.ok(page < 50, `${where}: endless paging`);
            const before = view.top;
            await tui.press('pagedown');
            await tui.waitFor((f) => lessonPane(f, columns, rows, lessonFull).top !== before);
            view = lessonPane(tui.lastFrame(), columns, rows, lessonFull);
          }
          assert.ok(
            doc.every((l) => l !== undefined),
            `${where}: a line was never shown`,
          );
          const text = doc.join('\n');
          const flat = squash(text);

          const goal = squash(lineText(inlineSpans(step.goalText ?? run.steps[index]?.goalText ?? '')));
          assert.ok(flat.includes(`Goal:${goal}✓met`), `${where}: goal not shown in full\n${text}`);
          const hint = step.hints[0];
          if (hint) {
            const h = squash(lineText(inlineSpans(hint)));
            assert.ok(flat.includes(`Hint1:${h}`), `${where}: first hint not shown in full\n${text}`);
          }
          assert.ok(!text.includes('{{'), `${where}: a placeholder shown unfilled\n${text}`);
          // A raw GFM table rule is `|---|---|`; the split-brain diagram's `|------+--` is a drawing, not a rule.
          assert.ok(!/\|\s*:?-{3,}:?\s*\|/.test(text), `${where}: raw table rule\n${text}`);
          assert.ok(!text.includes('`'), `${where}: raw code-span backticks`);

          // A line may end only after a whole word of the step (or of the pane's own wording).
          const known = new Set<string>();
          // The text as the pane shows it, placeholders filled from the lab's topology.
          const shown = fillStepText({ ...step, goalText: run.steps[index]?.goalText ?? '' }, state.topology);
          const sources = [
            shown.prose,
            shown.explain ?? '',
            ...shown.hints,
            shown.goalText,
            DETAIL,
            ...step.solution.map((e) => describeEntry(e)),
            // The prediction, answered or not, with the outcome beside it.
            shown.predict?.question ?? '',
            ...(shown.predict?.choices.map((c) => c.text) ?? []),
            shown.predict?.explain ?? '',
            'Predict first: Prediction: You said: as you said not what happened You did not predict this one. Observed: What happens:',
            `${lesson.title} Step Goal: met not yet Hint more hints hint: press i Solution (P plays it): (nothing to do: watch and wait) Lesson complete. e exports the run, q quits.`,
          ];
          // Code-span backticks and emphasis stars are Markdown, not text: the pane shows the words without them.
          // A line may also break between a CJK character and a Latin word ("…redis2是" / "slave。"), as Chinese
          // text breaks between characters: the Latin run beside CJK is a whole word too.
          for (const src of sources) {
            for (const t of src.replace(/[`*]/g, '').split(/[\s|]+/)) {
              known.add(bare(t));
              for (const part of t.split(CJK_RUN)) known.add(bare(part));
            }
          }
          for (const [i, l] of doc.entries()) {
            const last =
              l
                .split(/[\s|]+/)
                .filter(Boolean)
                .at(-1) ?? '';
            const w = bare(last);
            if (!w || CJK.test(w) || !/[A-Za-z0-9]/.test(w)) continue;
            if (doc[i + 1]?.trimStart().startsWith('↪')) continue; // code continues, marked
            if (/^\d+\/\d+:?$/.test(w) || /^[\d.]+$/.test(w)) continue;
            assert.ok(
              known.has(w) || [...known].some((k) => k.split(/[\s]/).includes(w)),
              `${where}: line ${i} ends in "${last}", not a word of the step\n${text}`,
            );
          }
          checkedSteps++;
        }
        tui.unmount();
      }
      assert.ok(checkedSteps >= 30, `checked ${checkedSteps} steps`);
    });
  });
}
