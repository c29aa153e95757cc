// A lesson session over the real store writer (bind-lab) and a fake `perform`: setup before the step starts, ticks
// after every batch of engine facts and from the hold timer, progress saved once per met step, solutions played,
// navigation during setup. The test plays the engine: it reports facts on the event bus.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActionOutcome, LabAction } from '../../src/actions/catalog.js';
import { LabEmitter } from '../../src/cluster/events.js';
import { type LessonSessionDeps, startLessonSession } from '../../src/lessons/session.js';
import { bindLab } from '../../src/state/bind-lab.js';
import type { LabState } from '../../src/state/store.js';
import { down, edit, healthy, makeLesson, masterObs, replicaObs, sentinelObs } from './fixtures.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(pred: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await wait(5);
  }
}

function failedOver(s: LabState): LabState {
  return edit(s, (d) => {
    d.processes['redis-1']!.state = 'exited';
    d.redis['redis-1'] = down('redis-1');
    d.redis['redis-2'] = masterObs('redis-2', ['redis-3', 'redis-4', 'redis-5']);
    for (const r of ['redis-3', 'redis-4', 'redis-5']) d.redis[r] = replicaObs(r, 'redis-2');
    for (const id of ['sentinel-1', 'sentinel-2', 'sentinel-3']) d.sentinels[id] = sentinelObs(id, 'redis-2');
  });
}

/** Reports, as the engine would, the process states and observations that make the store show `s`. */
function reporter(emitter: LabEmitter, flush: () => void) {
  return (s: LabState) => {
    for (const p of Object.values(s.processes)) emitter.emit('node-state', { id: p.id, state: p.state, at: 1 });
    for (const o of Object.values(s.redis)) emitter.emit('redis-probed', o);
    for (const o of Object.values(s.sentinels)) emitter.emit('sentinel-probed', o);
    flush();
  };
}

function setup(
  steps: Array<Record<string, unknown>>,
  react: (a: LabAction, engine: Engine) => Promise<ActionOutcome | undefined> | ActionOutcome | undefined = () =>
    undefined,
  opts: Parameters<typeof startLessonSession>[2] = {},
  more: Pick<LessonSessionDeps, 'clusterReady'> = {},
) {
  const emitter = new LabEmitter();
  const binding = bindLab(emitter, healthy(), { flushMs: 1 });
  const store = binding.store;
  const engine: Engine = { report: reporter(emitter, binding.flush), state: () => store.getState() };
  const performed: string[] = [];
  const saved: string[] = [];
  const answers: string[] = [];
  const notices: string[] = [];
  let resets = 0;
  const session = startLessonSession(
    makeLesson(steps),
    {
      store,
      use: (fold) => binding.use(fold),
      async perform(a) {
        performed.push('node' in a ? `${a.kind} ${a.node}` : a.kind);
        return (await react(a, engine)) ?? { ok: true, text: 'done' };
      },
      async resetLab() {
        resets++;
        emitter.emit('cluster-reset');
        engine.report(healthy());
      },
      saveStep: async (lesson, step, completed) => {
        saved.push(`${lesson}/${step}${completed ? ' (lesson done)' : ''}`);
      },
      savePrediction: async (lesson, step, answer) => {
        answers.push(`${lesson}/${step}: ${answer.choice}${answer.correct ? ' (right)' : ''}`);
      },
      onNotice: (_, text) => notices.push(text),
      tickMs: 10,
      pollMs: 5,
      ...more,
    },
    opts,
  );
  return { store, engine, session, performed, saved, answers, notices, resets: () => resets, binding };
}

interface Engine {
  report(s: LabState): void;
  state(): LabState;
}

const kill = { goal: { masterIsNot: 'redis-1' }, solution: [{ kind: 'kill', node: 'redis-1' }] };

describe('lesson session', () => {
  it('runs the setup, then starts the step and judges it on every store change', async () => {
    const t = setup([{ ...kill, setup: [{ kind: 'write', client: 'A', key: 'age', value: '222' }] }, kill]);
    await t.session.ready();
    assert.deepEqual(t.performed, ['write']);
    const lesson = t.store.getState().lesson;
    assert.equal(lesson?.entered, true);
    assert.equal(lesson?.goalMet, false);
    t.engine.report(failedOver(t.engine.state()));
    assert.equal(t.store.getState().lesson?.goalMet, true);
    assert.deepEqual(t.store.getState().lesson?.status, ['met', 'pending']);
    await until(() => t.saved.length === 1);
    t.engine.report(t.engine.state());
    await wait(20);
    assert.deepEqual(t.saved, ['demo/step-1'], 'saved once');
    t.session.dispose();
  });

  it('lets holdMs elapse on its own timer', async () => {
    const t = setup([{ goal: { masterIsNot: 'redis-1', holdMs: 60 }, solution: [{ kind: 'kill', node: 'redis-1' }] }]);
    await t.session.ready();
    t.engine.report(failedOver(t.engine.state()));
    assert.equal(t.store.getState().lesson?.goalMet, false);
    await until(() => t.store.getState().lesson?.goalMet === true);
    await until(() => t.saved.length === 1);
    assert.deepEqual(t.saved, ['demo/step-1 (lesson done)']);
    t.session.dispose();
  });

  it('plays the solution and reports a failure', async () => {
    const t = setup([kill], (a, engine) => {
      if (a.kind === 'kill') engine.report(failedOver(engine.state()));
      return undefined;
    });
    await t.session.playSolution();
    assert.deepEqual(t.performed, ['kill redis-1']);
    assert.equal(t.store.getState().lesson?.goalMet, true);
    assert.equal(t.store.getState().lesson?.playingSolution, false);
    t.session.dispose();

    const f = setup([kill], () => ({ ok: false, text: 'boom' }));
    await f.session.playSolution();
    assert.equal(f.store.getState().lesson?.solutionError, 'kill redis-1 failed: boom');
    f.session.dispose();
  });

  it('only starts the step the user is on when setups are slow', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const t = setup([kill, { ...kill, setup: [{ kind: 'stop', node: 'redis-5' }] }], async (a, engine) => {
      if (a.kind === 'kill') engine.report(failedOver(engine.state()));
      if (a.kind === 'stop') await gate;
      return undefined;
    });
    await t.session.ready();
    await t.session.playSolution();
    assert.equal(t.store.getState().lesson?.goalMet, true);
    t.session.next();
    assert.equal(t.store.getState().lesson?.stepIndex, 1);
    assert.equal(t.store.getState().lesson?.entered, false);
    await until(() => t.performed.includes('stop redis-5'));
    t.session.previous();
    assert.equal(t.store.getState().lesson?.stepIndex, 0);
    await wait(20);
    // Step 1 waits for the setup action under way: the cluster must be brought back from it (lessons/session.ts).
    assert.equal(t.store.getState().lesson?.entered, false);
    release();
    await t.session.ready();
    assert.equal(t.store.getState().lesson?.stepIndex, 0, 'the late setup did not start step 2');
    assert.equal(t.store.getState().lesson?.entered, true);
    assert.equal(t.resets(), 1, 'the cluster was past step 1: reset');
    t.session.dispose();
  });

  it('shows the lesson while the cluster starts, and enters a step only once the cluster is ready', async () => {
    let ready: () => void = () => {};
    const clusterReady = new Promise<void>((r) => {
      ready = r;
    });
    const write = { kind: 'write', client: 'A', key: 'age', value: '222' };
    const t = setup(
      [
        { ...kill, setup: [write] },
        { ...kill, setup: [write] },
      ],
      undefined,
      {},
      { clusterReady },
    );
    // In the store at once (the pane shows the first step), not entered: no setup played, no goal judged.
    assert.equal(t.store.getState().lesson?.stepIndex, 0);
    assert.equal(t.store.getState().lesson?.entered, false);
    assert.equal(t.store.getState().lesson?.goalDetail, 'setting up the step…');
    t.engine.report(failedOver(t.engine.state()));
    await wait(30);
    assert.equal(t.store.getState().lesson?.goalMet, false, 'a goal true during the start is not judged');
    assert.deepEqual(t.performed, []);
    // Keys work meanwhile: the learner may move on before the cluster is ready.
    t.session.next();
    assert.equal(t.store.getState().lesson?.stepIndex, 1);
    await wait(30);
    assert.deepEqual(t.performed, [], 'no setup before the cluster is ready');
    ready();
    await t.session.ready();
    // Step 1 was skipped: it is replayed (setup, solution; its goal already holds), then step 2 is set up, once.
    assert.deepEqual(t.performed, ['write', 'kill redis-1', 'write'], 'step 1 replayed, step 2 set up once');
    assert.equal(t.store.getState().lesson?.entered, true);
    assert.equal(t.store.getState().lesson?.goalMet, true, 'judged on the state at entry');
    t.session.dispose();
  });

  it('hints, solution panel, reset', async () => {
    const t = setup([{ ...kill, hints: ['one', 'two'] }, kill], (a, engine) => {
      if (a.kind === 'kill') engine.report(failedOver(engine.state()));
      return undefined;
    });
    await t.session.ready();
    t.session.hint();
    t.session.toggleSolution();
    assert.equal(t.store.getState().lesson?.hintsShown, 1);
    assert.equal(t.store.getState().lesson?.solutionShown, true);
    t.session.next();
    await t.session.ready();
    assert.deepEqual(t.performed, ['kill redis-1'], 'step 1, not met, replayed before step 2');
    await t.session.reset();
    assert.equal(t.resets(), 1);
    assert.equal(t.store.getState().lesson?.stepIndex, 0);
    assert.equal(t.store.getState().lesson?.entered, true);
    t.session.dispose();
  });

  it('takes the prediction, saves it at once, and resolves it with the outcome', async () => {
    const predict = {
      question: 'What will happen?',
      choices: [{ text: 'Nothing' }, { text: 'A failover', correct: true }],
      explain: 'Sentinel fails over.',
    };
    const t = setup(
      [
        { ...kill, predict },
        { ...kill, predict },
      ],
      undefined,
      { predictions: { 'step-2': { choice: 0, at: 1 } } },
    );
    await t.session.ready();
    assert.deepEqual(t.store.getState().lesson?.predictions[1], { choice: 0, correct: false, at: 1, resolved: false });
    t.session.predict(7);
    t.session.predict(1);
    t.session.predict(1);
    t.session.predict(0);
    await until(() => t.answers.length === 1);
    await wait(20);
    assert.deepEqual(t.answers, ['demo/step-1: 1 (right)'], 'the first answer, saved once, and final');
    t.engine.report(failedOver(t.engine.state()));
    const p = t.store.getState().lesson?.predictions[0];
    assert.equal(p?.resolved, true);
    assert.equal(p?.choice, 1);
    assert.equal(p?.outcome, 'redis-2 is the master');
    t.session.predict(0);
    await wait(20);
    assert.equal(t.answers.length, 1, 'a resolved answer is final and not saved again');
    t.session.dispose();
  });

  it('stops ticking once disposed', async () => {
    const t = setup([kill]);
    await t.session.ready();
    t.session.dispose();
    t.engine.report(failedOver(t.engine.state()));
    assert.equal(t.store.getState().lesson?.goalMet, false);
  });
});
