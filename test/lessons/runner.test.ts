// The lesson runner reducer: navigation, step start marks, goal evaluation with holdMs, hints and solution state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type LessonEvent, predictionOpen, reduceLesson, startLesson } from '../../src/lessons/runner.js';
import type { LessonRunState } from '../../src/lessons/types.js';
import type { LabState } from '../../src/state/store.js';
import { down, edit, event, healthy, makeLesson, masterObs, replicaObs, sentinelObs, withEvents } from './fixtures.js';

const lesson = makeLesson([
  {
    goal: { masterIsNot: 'redis-1' },
    hints: ['Kill the master.', 'Use kill on redis-1.'],
    solution: [{ kind: 'kill', node: 'redis-1' }],
    explain: 'A replica was promoted.',
  },
  {
    goal: { eventSeen: { channel: '+convert-to-slave', subject: 'redis-1' } },
    setup: [{ kind: 'restart', node: 'redis-1' }],
  },
  { goal: { converged: true, holdMs: 3000 } },
]);

function failedOver(): LabState {
  return edit(healthy(), (s) => {
    s.processes['redis-1']!.state = 'exited';
    s.redis['redis-1'] = down('redis-1');
    s.redis['redis-2'] = masterObs('redis-2', ['redis-3', 'redis-4', 'redis-5']);
    for (const r of ['redis-3', 'redis-4', 'redis-5']) s.redis[r] = replicaObs(r, 'redis-2');
    for (const id of ['sentinel-1', 'sentinel-2', 'sentinel-3']) s.sentinels[id] = sentinelObs(id, 'redis-2');
  });
}

function run(state: LessonRunState | undefined, ...events: LessonEvent[]): LessonRunState {
  let s = state;
  for (const e of events) s = reduceLesson(s, e);
  assert.ok(s);
  return s;
}

describe('lesson runner', () => {
  it('stays in sandbox mode without a lesson', () => {
    assert.equal(reduceLesson(undefined, { type: 'tick', state: healthy(), now: 0 }), undefined);
    assert.equal(reduceLesson(undefined, { type: 'next' }), undefined);
  });

  it('loads at the first step and waits for step-entered before judging', () => {
    const s = run(undefined, { type: 'load', lesson });
    assert.equal(s.stepIndex, 0);
    assert.deepEqual(s.status, ['active', 'pending', 'pending']);
    assert.equal(s.entered, false);
    assert.equal(s.steps[0]?.goalText, 'the master is no longer redis-1');
    assert.equal(s.goalDetail, 'waiting for the lab…');
    assert.equal(
      reduceLesson(s, { type: 'tick', state: failedOver(), now: 1 }),
      s,
      'ticks before the step starts change nothing',
    );
  });

  it('evaluates on step-entered and on ticks, and latches once met', () => {
    let s = run(undefined, { type: 'load', lesson }, { type: 'step-entered', state: healthy(), now: 0 });
    assert.equal(s.goalMet, false);
    assert.equal(s.goalDetail, 'redis-1 is the master');
    assert.equal(reduceLesson(s, { type: 'tick', state: healthy(), now: 1 }), s, 'no change, same object');
    s = run(s, { type: 'tick', state: failedOver(), now: 2000 });
    assert.equal(s.goalMet, true);
    assert.deepEqual(s.status, ['met', 'pending', 'pending']);
    assert.equal(s.goalDetail, 'redis-2 is the master');
    s = run(s, { type: 'tick', state: healthy(), now: 3000 });
    assert.equal(s.goalMet, true, 'latched');
  });

  it('counts events only since the step started', () => {
    const before = withEvents(failedOver(), event('+convert-to-slave', { subjectId: 'redis-1' }));
    let s = run(startLesson(lesson), { type: 'goto', index: 1 });
    assert.equal(s.goalDetail, 'setting up the step…');
    s = run(s, { type: 'step-entered', state: before, now: 0 });
    assert.equal(s.goalMet, false);
    s = run(s, {
      type: 'tick',
      state: withEvents(before, event('+convert-to-slave', { subjectId: 'redis-1' })),
      now: 100,
    });
    assert.equal(s.goalMet, true);
  });

  it('requires holdMs of continuous truth', () => {
    let s = run(
      startLesson(lesson),
      { type: 'goto', index: 2 },
      { type: 'step-entered', state: failedOver(), now: 1000 },
    );
    assert.equal(s.goalMet, false);
    assert.equal(s.goalHeldSince, 1000);
    assert.match(s.goalDetail, /\(holding 0\.0\/3\.0 s\)$/);
    s = run(s, { type: 'tick', state: failedOver(), now: 2500 });
    assert.match(s.goalDetail, /\(holding 1\.5\/3\.0 s\)$/);
    const broken = edit(failedOver(), (d) => {
      d.redis['redis-4'] = replicaObs('redis-4', 'redis-2', false);
    });
    s = run(s, { type: 'tick', state: broken, now: 3000 });
    assert.equal(s.goalHeldSince, undefined, 'an interruption restarts the hold');
    s = run(s, { type: 'tick', state: failedOver(), now: 3500 }, { type: 'tick', state: failedOver(), now: 6000 });
    assert.equal(s.goalMet, false);
    s = run(s, { type: 'tick', state: failedOver(), now: 6500 });
    assert.equal(s.goalMet, true);
    assert.equal(s.completed, false, 'steps 1 and 2 are not done');
  });

  it('shows hints one at a time, up to the last', () => {
    let s = run(startLesson(lesson), { type: 'hint-requested' });
    assert.equal(s.hintsShown, 1);
    s = run(s, { type: 'hint-requested' }, { type: 'hint-requested' });
    assert.equal(s.hintsShown, 2);
  });

  it('tracks the solution panel and playback', () => {
    let s = run(startLesson(lesson), { type: 'solution-toggled' });
    assert.equal(s.solutionShown, true);
    s = run(s, { type: 'solution-toggled' }, { type: 'solution-started' });
    assert.equal(s.solutionShown, true);
    assert.equal(s.playingSolution, true);
    s = run(s, { type: 'solution-finished', ok: false, detail: 'kill redis-1 failed: unknown node' });
    assert.equal(s.playingSolution, false);
    assert.equal(s.solutionError, 'kill redis-1 failed: unknown node');
    s = run(s, { type: 'solution-started' }, { type: 'solution-finished', ok: true });
    assert.equal(s.solutionError, undefined);
  });

  it('moves between steps: met steps become done, skipped ones pending; completion needs every step', () => {
    let s = run(
      startLesson(lesson),
      { type: 'step-entered', state: healthy(), now: 0 },
      { type: 'tick', state: failedOver(), now: 1 },
    );
    s = run(s, { type: 'next' });
    assert.equal(s.stepIndex, 1);
    assert.deepEqual(s.status, ['done', 'active', 'pending']);
    assert.equal(s.entered, false);
    assert.equal(s.hintsShown, 0);
    s = run(s, { type: 'next' });
    assert.deepEqual(s.status, ['done', 'pending', 'active'], 'step 2 was skipped');
    s = run(s, { type: 'step-entered', state: failedOver(), now: 0 }, { type: 'tick', state: failedOver(), now: 3000 });
    assert.equal(s.completed, false);
    s = run(s, { type: 'previous' });
    assert.deepEqual(s.status, ['done', 'active', 'done']);
    const converted = withEvents(failedOver(), event('+convert-to-slave', { subjectId: 'redis-1' }));
    s = run(s, { type: 'step-entered', state: failedOver(), now: 0 }, { type: 'tick', state: converted, now: 1 });
    assert.equal(s.completed, true);
    s = run(s, { type: 'next' }, { type: 'next' });
    assert.equal(s.stepIndex, 2);
    assert.deepEqual(s.status, ['done', 'done', 'active']);
  });

  it('resumes after completed steps and resets to the first step', () => {
    let s = run(undefined, { type: 'load', lesson, completedSteps: ['step-1'] });
    assert.equal(s.stepIndex, 1);
    assert.deepEqual(s.status, ['done', 'active', 'pending']);
    s = run(s, { type: 'reset' });
    assert.equal(s.stepIndex, 0);
    assert.deepEqual(s.status, ['active', 'pending', 'pending']);
    assert.deepEqual(s.achieved, [true, false, false]);
    const all = run(undefined, { type: 'load', lesson, completedSteps: ['step-1', 'step-2', 'step-3'] });
    assert.equal(all.completed, true);
    assert.equal(all.stepIndex, 0);
  });

  it('ignores out-of-range navigation', () => {
    const s = startLesson(lesson);
    assert.equal(reduceLesson(s, { type: 'previous' }), s);
    assert.equal(reduceLesson(s, { type: 'goto', index: 7 }), s);
    assert.equal(reduceLesson(s, { type: 'next' })?.stepIndex, 1);
  });
});

describe('predictions', () => {
  const predicted = makeLesson([
    {
      goal: { masterIsNot: 'redis-1' },
      solution: [{ kind: 'kill', node: 'redis-1' }],
      predict: {
        question: 'You kill redis-1. What happens?',
        choices: [
          { text: 'Nothing' },
          { text: 'A replica is promoted', correct: true },
          { text: 'Two replicas are promoted' },
        ],
        explain: 'Sentinel promotes one replica.',
      },
    },
    { goal: { converged: true }, solution: [] },
  ]);

  it('asks when the step starts and records the answer, which is final (the goal line then shows the outcome)', () => {
    let s = startLesson(predicted);
    assert.deepEqual(s.predictions, [undefined, undefined]);
    assert.equal(predictionOpen(s), true, 'asked even while the step sets up');
    for (const choice of [-1, 3, 1.5]) {
      assert.equal(reduceLesson(s, { type: 'predicted', choice, at: 3 }), s, `choice ${choice} is refused`);
    }
    s = run(s, { type: 'predicted', choice: 0, at: 5 });
    assert.deepEqual(s.predictions[0], { choice: 0, correct: false, at: 5, resolved: false });
    assert.equal(predictionOpen(s), false);
    s = run(s, { type: 'step-entered', state: healthy(), now: 10 });
    for (const choice of [0, 1, 2]) {
      assert.equal(reduceLesson(s, { type: 'predicted', choice, at: 20 }), s, `no second answer (${choice})`);
    }
  });

  it('resolves the answer with the outcome when the goal is met, and keeps it final', () => {
    const s = run(
      startLesson(predicted),
      { type: 'step-entered', state: healthy(), now: 0 },
      { type: 'predicted', choice: 2, at: 1 },
      { type: 'tick', state: failedOver(), now: 2000 },
    );
    assert.equal(s.goalMet, true);
    assert.deepEqual(s.predictions[0], {
      choice: 2,
      correct: false,
      at: 1,
      resolved: true,
      outcome: 'redis-2 is the master',
    });
    assert.equal(predictionOpen(s), false);
    assert.equal(reduceLesson(s, { type: 'predicted', choice: 1, at: 3000 }), s, 'no changing it after the outcome');
  });

  it('re-entering a step (b, n, ctrl+r) is a fresh attempt: a resolved answer and its outcome go, and it asks again', () => {
    const resolved = run(
      startLesson(predicted),
      { type: 'step-entered', state: healthy(), now: 0 },
      { type: 'predicted', choice: 2, at: 1 },
      { type: 'tick', state: failedOver(), now: 2000 },
    );
    assert.equal(resolved.predictions[0]?.outcome, 'redis-2 is the master');
    for (const back of [
      [{ type: 'reset' }],
      [{ type: 'next' }, { type: 'previous' }],
      [{ type: 'next' }, { type: 'goto', index: 0 }],
    ] satisfies LessonEvent[][]) {
      let s = run(resolved, ...back);
      assert.deepEqual(s.predictions, [undefined, undefined], JSON.stringify(back));
      assert.equal(predictionOpen(s), true, 'the question is asked again');
      // The fresh cluster: the old outcome does not come back, and the new answer is resolved by the new outcome.
      s = run(s, { type: 'step-entered', state: healthy(), now: 5000 }, { type: 'predicted', choice: 1, at: 6000 });
      assert.deepEqual(s.predictions[0], { choice: 1, correct: true, at: 6000, resolved: false });
      s = run(s, { type: 'tick', state: failedOver(), now: 7000 });
      assert.equal(s.predictions[0]?.resolved, true);
    }
    // An answer the outcome has not resolved yet is still a prediction: it stays, final.
    const answered = run(
      startLesson(predicted),
      { type: 'step-entered', state: healthy(), now: 0 },
      { type: 'predicted', choice: 0, at: 1 },
    );
    for (const s of [run(answered, { type: 'reset' }), run(answered, { type: 'next' }, { type: 'previous' })]) {
      assert.deepEqual(s.predictions[0], { choice: 0, correct: false, at: 1, resolved: false });
      assert.equal(predictionOpen(s), false, 'and is not asked again');
    }
  });

  it('a master switch in the step: the outcome says how long it took in this run (split votes can take 40 s)', () => {
    const start = healthy();
    const slow = withEvents(
      edit(failedOver(), (d) => {
        d.actions = [
          { seq: 9001, at: 10_000, kind: 'kill', title: 'kill redis-1', equivalent: 'kill -9 4242', status: 'ok' },
        ];
      }),
      event('+switch-master', { at: 52_080, sentinelId: 'sentinel-2', toId: 'redis-2', subjectId: 'redis-2' }),
    );
    const s = run(
      startLesson(predicted),
      { type: 'step-entered', state: start, now: 0 },
      { type: 'predicted', choice: 1, at: 1 },
      { type: 'tick', state: slow, now: 53_000 },
    );
    assert.equal(
      s.predictions[0]?.outcome,
      'redis-2 is the master; clients were switched to redis-2 42.08 s after kill redis-1',
    );
    assert.equal(s.goalDetail, 'redis-2 is the master', 'the goal line keeps its own words');
  });

  it('leaves an unanswered question unanswered when the goal is met, and ignores answers on steps that ask none', () => {
    let s = run(
      startLesson(predicted),
      { type: 'step-entered', state: healthy(), now: 0 },
      { type: 'tick', state: failedOver(), now: 2000 },
    );
    assert.equal(s.goalMet, true);
    assert.deepEqual(s.predictions, [undefined, undefined]);
    assert.equal(predictionOpen(s), false, 'the outcome is in: too late to predict');
    s = run(s, { type: 'next' });
    assert.equal(predictionOpen(s), false);
    assert.equal(reduceLesson(s, { type: 'predicted', choice: 0, at: 1 }), s);
  });

  it('restores saved answers on load: resolved for steps already met, given (not asked again) otherwise, dropped when stale', () => {
    const met = startLesson(predicted, ['step-1'], { 'step-1': { choice: 1, at: 7 } });
    assert.deepEqual(met.predictions[0], { choice: 1, correct: true, at: 7, resolved: true });
    const open = run(undefined, {
      type: 'load',
      lesson: predicted,
      predictions: { 'step-1': { choice: 0, at: 7 }, 'step-2': { choice: 0, at: 8 } },
    });
    assert.deepEqual(open.predictions, [{ choice: 0, correct: false, at: 7, resolved: false }, undefined]);
    assert.equal(predictionOpen(open), false, 'an answer given is final');
    const stale = startLesson(predicted, [], { 'step-1': { choice: 3, at: 7 } });
    assert.deepEqual(stale.predictions, [undefined, undefined], 'a choice the lesson no longer has is dropped');
  });
});
