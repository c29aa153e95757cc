// Room to read (issue #11): every step of every lesson in lessons/, drawn by the real App at 120x35 and
// 160x45 (and the 80x24 fallback), paged through with PgDn as a learner would. The goal sentence and the first
// hint must be visible in full, no line may end in a cut word, and no raw Markdown table rule may show.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAllLessons } from '../../src/lessons/loader.js';
import { startLesson } from '../../src/lessons/runner.js';
import type { Lesson } from '../../src/lessons/schema.js';
import type { LessonRunState } from '../../src/lessons/types.js';
import { inlineSpans, lineText } from '../../src/ui/lib/markdown.js';
import { healthyState } from '../fixtures/ui-states.js';
import { cutWords, knownWords, lessonPane, RAW_TABLE_RULE, squash } from '../helpers/lesson-screen.js';
import { renderApp } from './setup.js';

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
          assert.ok(!RAW_TABLE_RULE.test(text), `${where}: raw table rule\n${text}`);
          assert.ok(!text.includes('`'), `${where}: raw code-span backticks`);

          // A line may end only after a whole word of the step (or of the pane's own wording).
          const known = knownWords(step, run.steps[index]?.goalText ?? '', state.topology, [DETAIL, lesson.title]);
          const cut = cutWords(doc, known);
          assert.deepEqual(cut, [], `${where}: ${cut.join('; ')}, not a word of the step\n${text}`);
          checkedSteps++;
        }
        tui.unmount();
      }
      assert.ok(checkedSteps >= 30, `checked ${checkedSteps} steps`);
    });
  });
}
