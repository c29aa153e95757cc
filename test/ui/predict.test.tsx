// Predict, then observe, in the lesson pane: the question and numbered choices before the outcome, number keys that
// answer through the lesson controls (shown in the footer only while a prediction is open), and, once the goal is
// met, what the learner said beside what happened and why. Also: P's solution ran but the goal is not met: the pane
// says why (the goal's live detail and the refused commands).
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { markStep } from '../../src/lessons/checks.js';
import { predictionOpen } from '../../src/lessons/runner.js';
import type { LessonRunState, PredictionAnswer } from '../../src/lessons/types.js';
import type { LabState } from '../../src/state/store.js';
import { calculateLayout } from '../../src/ui/layout.js';
import { docText, lessonDocument, lessonWindow } from '../../src/ui/lib/lesson-doc.js';
import { solutionNote } from '../../src/ui/lib/solution-note.js';
import { healthyState, lessonState } from '../fixtures/ui-states.js';
import { renderApp } from './setup.js';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

const PREDICT = {
  question: 'You stop three of the four replicas. What does client A’s next write get?',
  choices: [
    { text: 'OK; the master itself is fine', correct: false },
    { text: '(error) NOREPLICAS', correct: true },
    { text: '(error) READONLY', correct: false },
  ],
  explain: 'A stopped replica closes its connection, so the master counts it out **at once**.',
};

/** A lesson on its step 2, which asks PREDICT; `answer` and `met` set where the learner is. */
function predictLesson(opts: { answer?: PredictionAnswer; met?: boolean } = {}): LabState {
  const s = lessonState();
  const l = s.lesson;
  assert.ok(l);
  const steps = l.steps.map((st, i) => (i === 1 ? { ...st, predict: PREDICT } : st));
  const lesson: LessonRunState = {
    ...l,
    steps,
    status: ['done', opts.met ? 'met' : 'active', 'pending'],
    goalMet: opts.met ?? false,
    goalDetail: opts.met
      ? 'client A: SET age 333 → NOREPLICAS Not enough good replicas to write.'
      : 'no refused write by client A yet',
    hintsShown: 0,
    solutionShown: false,
    predictions: [undefined, opts.answer, undefined],
  };
  return { ...s, lesson };
}

function app(state: LabState, opts: Parameters<typeof renderApp>[1] = {}) {
  const r = renderApp(state, { columns: 160, rows: 45, ...opts });
  cleanup.push(() => r.tui.unmount());
  return r;
}

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('the prediction in the lesson document', () => {
  it('before the outcome: the question and numbered choices, before the goal, with the keys to press', () => {
    const lesson = predictLesson().lesson;
    assert.ok(lesson);
    const doc = lessonDocument(lesson, 60);
    const order = Object.entries(doc.sections)
      .sort((a, b) => a[1].start - b[1].start)
      .map(([id]) => id);
    assert.deepEqual(order.slice(0, 4), ['head', 'prose', 'predict', 'goal']);
    const text = docText(doc.lines);
    assert.match(text, /Predict first: You stop three of the four replicas\./);
    assert.match(text, /^ {2}1 {2}OK; the master itself is fine$/m);
    assert.match(text, /^ {2}2 {2}\(error\) NOREPLICAS$/m);
    assert.match(text, /Press 1–3 for what you expect, then do the step and see\./);
    assert.doesNotMatch(text, /counts it out/, 'no explanation before the outcome');
  });

  it('the goal, which names the outcome, waits for the answer; the goal detail too', () => {
    const open = predictLesson().lesson;
    assert.ok(open);
    const goalText = open.steps[1]?.goalText ?? '';
    assert.ok(goalText.length > 0);
    const before = flat(docText(lessonDocument(open, 60).lines));
    assert.ok(!before.includes(goalText), before);
    assert.doesNotMatch(before, /no refused write by client A yet/);
    assert.match(before, /Goal: shown once you have predicted \(it would give the answer away\)/);
    const answered = predictLesson({ answer: { choice: 0, correct: false, at: 1, resolved: false } }).lesson;
    assert.ok(answered);
    const after = flat(docText(lessonDocument(answered, 60).lines));
    assert.ok(after.includes(`Goal: ${goalText} ✗ not yet`), after);
    assert.match(after, /no refused write by client A yet/);
  });

  it('answered: the pick is marked and final (the goal line, now shown, names the outcome)', () => {
    const lesson = predictLesson({ answer: { choice: 0, correct: false, at: 1, resolved: false } }).lesson;
    assert.ok(lesson);
    const text = docText(lessonDocument(lesson, 70).lines);
    assert.match(text, /^▸ 1 {2}OK; the master itself is fine ← your prediction$/m);
    assert.match(text, /You predicted 1\. Now do the step and see\.$/m);
    assert.doesNotMatch(text, /changes your answer/);
    assert.equal(predictionOpen(lesson), false, 'no second answer is taken');
  });

  it('after the outcome: what you said beside what happened, the right answer when yours was not, and why', () => {
    const outcome = 'client A: SET age 333 → NOREPLICAS Not enough good replicas to write.';
    const wrong = predictLesson({
      met: true,
      answer: { choice: 0, correct: false, at: 1, resolved: true, outcome },
    }).lesson;
    assert.ok(wrong);
    for (const width of [40, 66, 100]) {
      const text = flat(docText(lessonDocument(wrong, width).lines));
      assert.match(text, /Prediction: You stop three of the four replicas\./);
      assert.match(text, /You said: OK; the master itself is fine — ✗ not the answer/);
      assert.ok(text.includes(`Observed: ${outcome}`), text);
      assert.match(text, /Answer: \(error\) NOREPLICAS/);
      assert.match(text, /A stopped replica closes its connection, so the master counts it out at once\./);
      assert.doesNotMatch(text, /Press 1–3/);
    }
    const right = predictLesson({
      met: true,
      answer: { choice: 1, correct: true, at: 1, resolved: true, outcome },
    }).lesson;
    assert.ok(right);
    const text = flat(docText(lessonDocument(right, 66).lines));
    assert.match(text, /You said: \(error\) NOREPLICAS — ✓ right/);
    assert.doesNotMatch(text, /Answer:/);
  });

  it('met without an answer: says so and gives the answer', () => {
    const lesson = predictLesson({ met: true }).lesson;
    assert.ok(lesson);
    const text = flat(docText(lessonDocument(lesson, 66).lines));
    assert.match(text, /You did not predict this one\./);
    assert.match(text, /Observed: client A: SET age 333 → NOREPLICAS/);
    assert.match(text, /Answer: \(error\) NOREPLICAS/);
  });
});

describe('number keys answer the prediction', () => {
  it('1–3 call predict(0–2); the footer shows them only while the prediction is open', async () => {
    const { tui, calls } = app(predictLesson());
    const f = await tui.waitForFrame('Predict first');
    const footer = f.split('\n').at(-1) ?? '';
    assert.match(footer, /1–3 predict/);
    await tui.press('2');
    await tui.press('3');
    assert.deepEqual(
      calls.filter((c) => c.method === 'lesson.predict').map((c) => c.args[0]),
      [1, 2],
    );
    // 4 is no choice of this prediction: nothing is sent, and the status line says which keys answer.
    await tui.press('4');
    assert.equal(calls.filter((c) => c.method === 'lesson.predict').length, 2);
    await tui.waitForFrame('press 1–3');
  });

  it('a question below the window: the first key brings it into view, the next one answers', async () => {
    const state = predictLesson();
    const l = state.lesson;
    assert.ok(l);
    const long = Array.from({ length: 40 }, (_, i) => `Paragraph ${i + 1} of a long step.`).join('\n\n');
    state.lesson = { ...l, steps: l.steps.map((st, i) => (i === 1 ? { ...st, prose: long } : st)) };
    const { tui, calls } = app(state, { columns: 120, rows: 35 });
    let f = await tui.waitForFrame('Paragraph 1 of');
    assert.doesNotMatch(f, /Predict first: You stop/, 'the question starts out of view');
    await tui.press('2');
    f = await tui.waitForFrame('Predict first: You stop');
    assert.match(f, /here is the question; press 1–3 to answer/);
    assert.equal(calls.filter((c) => c.method === 'lesson.predict').length, 0, 'no answer to an unseen question');
    await tui.press('2');
    assert.deepEqual(
      calls.filter((c) => c.method === 'lesson.predict').map((c) => c.args[0]),
      [1],
    );
  });

  it('choices in view but the "Press 1–3" line below the fold (80x24): one key answers', async () => {
    const state = predictLesson();
    const l = state.lesson;
    assert.ok(l);
    const long = Array.from({ length: 20 }, (_, i) => `Paragraph ${i + 1} of a long step.`).join('\n\n');
    const lesson = { ...l, steps: l.steps.map((st, i) => (i === 1 ? { ...st, prose: long } : st)) };
    state.lesson = lesson;
    // The window whose last row is the last choice: the question and its choices show, the prompt under them not.
    const layout = calculateLayout({ columns: 80, rows: 24, sandbox: false });
    const w = lessonWindow(state, layout, 0);
    assert.ok(w);
    const choices = w.doc.parts.choices;
    assert.ok(choices, 'the open prediction names its choices');
    const top = choices.end - w.rows;
    assert.ok(top > 0 && top <= w.doc.sections.predict!.start, 'the whole question fits above the fold');
    const { tui, calls, uiStore } = app(state, { columns: 80, rows: 24 });
    await tui.waitForFrame('Paragraph 1 of');
    uiStore.setState({ scroll: { ...uiStore.getState().scroll, lesson: top } });
    const f = await tui.waitForFrame(/ 3 {2}\(error\) READONLY/);
    assert.doesNotMatch(f, /Press 1–3/, 'the prompt line is below the fold');
    assert.match(f, /Predict first: You stop/);
    await tui.press('2');
    assert.deepEqual(
      calls.filter((c) => c.method === 'lesson.predict').map((c) => c.args[0]),
      [1],
      'answered with the first key',
    );
    // One choice cut off: the key brings the question into view instead.
    uiStore.setState({ scroll: { ...uiStore.getState().scroll, lesson: top - 1 } });
    await tui.waitFor((fr) => !/ 3 {2}\(error\) READONLY/.test(fr));
    await tui.press('3');
    await tui.waitForFrame('here is the question; press 1–3 to answer');
    assert.equal(calls.filter((c) => c.method === 'lesson.predict').length, 1, 'no answer with a choice unseen');
  });

  it('the outcome in: no prediction keys in the footer, and 1 does nothing', async () => {
    const { tui, calls } = app(
      predictLesson({ met: true, answer: { choice: 1, correct: true, at: 1, resolved: true } }),
    );
    const f = await tui.waitForFrame('You said');
    assert.doesNotMatch(f.split('\n').at(-1) ?? '', /predict/);
    await tui.press('1');
    assert.equal(calls.filter((c) => c.method === 'lesson.predict').length, 0);
  });

  it('a step without a prediction and the sandbox have no number keys', async () => {
    const lessonApp = app(lessonState());
    const f = await lessonApp.tui.waitForFrame('Goal:');
    assert.doesNotMatch(f.split('\n').at(-1) ?? '', /predict/);
    const sandbox = app(healthyState());
    await sandbox.tui.press('1');
    assert.equal(sandbox.calls.filter((c) => c.method === 'lesson.predict').length, 0);
  });
});

describe('P played the solution and the goal is still not met', () => {
  it('the pane says so under the goal, with the goal detail and the refused commands since P', async () => {
    const state = predictLesson();
    state.clientResults = [{ seq: 7, at: 1, client: 'A', command: 'SET age 111', ok: false, text: 'READONLY old' }];
    const { tui, store, calls } = app(state);
    await tui.waitForFrame('Predict first');
    await tui.press('P');
    await tui.waitFor(() => calls.some((c) => c.method === 'lesson.playSolution'));
    // What the playback left behind: a refused write after P was pressed.
    store.setState({
      clientResults: [
        ...state.clientResults,
        {
          seq: 8,
          at: 2,
          client: 'A',
          command: 'SET age 333',
          ok: false,
          text: 'READONLY You can’t write against a read only replica.',
        },
      ],
    });
    const f = await tui.waitForFrame('✗ client A: SET age 333 → READONLY');
    assert.match(f, /⚠ The solution has run, but the goal is not met yet: no refused write by client/);
    assert.doesNotMatch(f, /✗ client A: SET age 111/, 'only what happened since P');
    // Met after all: the note goes.
    const lesson = store.getState().lesson;
    assert.ok(lesson);
    store.setState({ lesson: { ...lesson, goalMet: true, status: ['done', 'met', 'pending'] } });
    await tui.waitFor((fr) => !fr.includes('The solution has run'));
  });

  it('solutionNote: nothing before P finished, while playing, after an error, on another step or entry', () => {
    const s = predictLesson();
    const l = s.lesson;
    assert.ok(l);
    const enteredAt = l.since?.at;
    const run = { lessonId: 'kill-the-master', step: 1, enteredAt, actionSeq: -1, clientSeq: -1, finished: true };
    assert.ok(solutionNote(s, run));
    assert.equal(solutionNote(s, { ...run, finished: false }), undefined);
    assert.equal(solutionNote(s, { ...run, step: 0 }), undefined);
    // The same step entered again (ctrl+r resets to step 1, or b then n): the note was about the earlier entry.
    const again = { ...l, since: markStep(s, (enteredAt ?? 0) + 5000) };
    assert.equal(solutionNote({ ...s, lesson: again }, run), undefined);
    assert.equal(solutionNote({ ...s, lesson: { ...l, playingSolution: true } }, run), undefined);
    assert.equal(solutionNote({ ...s, lesson: { ...l, solutionError: 'kill failed' } }, run), undefined);
    assert.equal(solutionNote({ ...s, lesson: { ...l, goalMet: true } }, run), undefined);
  });
});
