// A step entered out of order (a resumed lesson, `n` on a step not met, `b`) first brings the cluster to where the
// earlier steps leave it: planEntry decides what to replay, and the session replays it (setup, solution, goal) while
// the lesson pane says so, then enters the step. The test plays the engine on a real store writer (bind-lab).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActionOutcome, LabAction } from '../../src/actions/catalog.js';
import { LabEmitter } from '../../src/cluster/events.js';
import { type ClusterLine, FRESH, planEntry, startLessonSession } from '../../src/lessons/session.js';
import { bindLab } from '../../src/state/bind-lab.js';
import type { LabState } from '../../src/state/store.js';
import { lessonSections } from '../../src/ui/lib/lesson-doc.js';
import { healthy, makeLesson } from './fixtures.js';

const plain = { setup: [] };
const resets = { setup: [{ kind: 'reset' }] };
const steps = (...s: Array<{ setup: unknown[] }>) => s as never[];

describe('planEntry: what entering a step takes', () => {
  const five = steps(plain, plain, plain, plain, plain);
  const none = { reset: false, replay: [], setupPlayed: false, setup: true };

  it('plays only the setup on the way the lesson is written (fresh cluster at step 1, or `n` after the goal)', () => {
    assert.deepEqual(planEntry(five, 0, FRESH), none);
    assert.deepEqual(planEntry(five, 2, { done: 2, entered: false }), none);
  });

  it('replays the steps a resumed lesson skipped, on its fresh cluster', () => {
    assert.deepEqual(planEntry(five, 2, FRESH), { reset: false, replay: [0, 1], setupPlayed: false, setup: true });
  });

  it('after `n` on a step not met and left alone, plays that step’s solution only (its setup ran)', () => {
    const line: ClusterLine = { done: 1, entered: true, touched: false };
    assert.deepEqual(planEntry(five, 2, line), { reset: false, replay: [1], setupPlayed: true, setup: true });
    assert.deepEqual(planEntry(five, 4, line), { reset: false, replay: [1, 2, 3], setupPlayed: true, setup: true });
  });

  it('starts over when the learner changed the cluster in a step not met, when it is past the step, or unknown', () => {
    const changed = { done: 1, entered: true, touched: true };
    assert.deepEqual(planEntry(five, 2, changed), {
      reset: true,
      resetWhy: 'changed',
      replay: [0, 1],
      setupPlayed: false,
      setup: true,
    });
    // `b` from step 4 (met) to step 2.
    assert.deepEqual(planEntry(five, 1, { done: 4, entered: false }), {
      reset: true,
      resetWhy: 'ahead',
      replay: [0],
      setupPlayed: false,
      setup: true,
    });
    assert.deepEqual(planEntry(five, 0, { done: 1, entered: true }), {
      reset: true,
      resetWhy: 'ahead',
      replay: [],
      setupPlayed: false,
      setup: true,
    });
    assert.deepEqual(planEntry(five, 3, undefined), {
      reset: true,
      resetWhy: 'unknown',
      replay: [0, 1, 2],
      setupPlayed: false,
      setup: true,
    });
  });

  it('goes back into the step the cluster is in without its setup again', () => {
    assert.deepEqual(planEntry(five, 2, { done: 2, entered: true, touched: true }), { ...none, setup: false });
  });

  it('never looks behind a step whose setup resets the lab', () => {
    const lesson = steps(plain, plain, resets, plain, plain);
    // That step itself starts afresh, whatever the cluster.
    assert.deepEqual(planEntry(lesson, 2, undefined), none);
    assert.deepEqual(planEntry(lesson, 2, { done: 4, entered: false }), none);
    // After it: replayed from it (its setup is the reset), never from step 1.
    for (const line of [undefined, FRESH, { done: 5, entered: false }, { done: 3, entered: true, touched: true }]) {
      assert.deepEqual(planEntry(lesson, 4, line), { reset: false, replay: [2, 3], setupPlayed: false, setup: true });
    }
    // Behind it but past it is not: the cluster goes on from where it is.
    assert.deepEqual(planEntry(lesson, 4, { done: 3, entered: false }), {
      reset: false,
      replay: [3],
      setupPlayed: false,
      setup: true,
    });
    // A first step that resets: no reset of its own is needed before replaying it.
    assert.deepEqual(planEntry(steps(resets, plain), 1, undefined), {
      reset: false,
      replay: [0],
      setupPlayed: false,
      setup: true,
    });
  });
});

// ── The session ───────────────────────────────────────────────────────────────────────────────────────────────────

const until = async (pred: () => boolean, what: string, timeoutMs = 3000): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** Step n (1-based) stops redis-(6-n) and its goal is that this node is stopped AND every earlier one still is. */
function chainLesson(n: number, opts: { setupWrite?: number[]; stepTimeoutMs?: number } = {}) {
  const nodes = Array.from({ length: n }, (_, i) => `redis-${5 - i}`);
  const lesson = makeLesson(
    nodes.map((node, i) => ({
      ...(opts.setupWrite?.includes(i) ? { setup: [{ kind: 'write', client: 'A', key: `k${i}`, value: '1' }] } : {}),
      goal: { all: nodes.slice(0, i + 1).map((x) => ({ processState: { node: x, state: 'stopped' } })) },
      solution: [{ kind: 'stop', node }],
    })),
  );
  return { ...lesson, stepTimeoutMs: opts.stepTimeoutMs ?? 2000 };
}

function harness(
  lesson: ReturnType<typeof makeLesson>,
  opts: {
    completedSteps?: string[];
    refuse?: (a: LabAction) => boolean;
    gate?: (a: LabAction) => Promise<void> | undefined;
    /** Holds ctrl+r's reset (the engine's lab.reset) until it resolves. */
    resetGate?: () => Promise<void>;
    clusterReady?: Promise<unknown>;
  } = {},
) {
  const emitter = new LabEmitter();
  const binding = bindLab(emitter, healthy(), { flushMs: 1 });
  const store = binding.store;
  const performed: string[] = [];
  const notices: string[] = [];
  const details: string[] = [];
  let resets = 0;
  let resetting = 0;
  let mostAtOnce = 0;
  let seq = 0;
  const setProcess = (node: string, state: 'running' | 'stopped') => {
    emitter.emit('node-state', { id: node, state, at: Date.now() });
    binding.flush();
  };
  /** An action record as the lab writes one (what the learner's keys leave in the store). */
  const learnerActs = async (kind: string) => {
    // A key pressed after the step started: stamped at least a millisecond later, as any real keypress is.
    const after = Date.now();
    await until(() => Date.now() > after, 'the clock to tick');
    emitter.emit('action', { seq: ++seq, at: Date.now(), kind, title: kind, equivalent: kind, status: 'ok' });
    binding.flush();
  };
  const resetCluster = () => {
    resets++;
    emitter.emit('cluster-reset');
    for (const p of Object.values(healthy().processes)) setProcess(p.id, 'running');
  };
  const unsubscribe = store.subscribe((s) => {
    const d = s.lesson?.catchingUp;
    if (d && d !== details.at(-1)) details.push(d);
  });
  const session = startLessonSession(
    lesson,
    {
      store,
      use: (fold) => binding.use(fold),
      async perform(a): Promise<ActionOutcome> {
        performed.push('node' in a ? `${a.kind} ${a.node}` : a.kind);
        await opts.gate?.(a);
        if (opts.refuse?.(a)) return { ok: false, text: 'refused' };
        if (a.kind === 'stop') setProcess(a.node, 'stopped');
        if (a.kind === 'reset') resetCluster();
        return { ok: true, text: 'done' };
      },
      async resetLab() {
        performed.push('(ctrl+r reset)');
        mostAtOnce = Math.max(mostAtOnce, ++resetting);
        await opts.resetGate?.();
        resetting--;
        resetCluster();
      },
      saveStep: false,
      onNotice: (_, text) => notices.push(text),
      tickMs: 10,
      pollMs: 5,
      ...(opts.clusterReady ? { clusterReady: opts.clusterReady } : {}),
    },
    { completedSteps: opts.completedSteps ?? [] },
  );
  const lessonState = () => store.getState().lesson;
  const stopped = (s: LabState = store.getState()) =>
    Object.values(s.processes)
      .filter((p) => p.state === 'stopped')
      .map((p) => p.id)
      .sort();
  return {
    store,
    session,
    performed,
    notices,
    details,
    resets: () => resets,
    /** The most resets of the lab under way at the same time. */
    mostResetsAtOnce: () => mostAtOnce,
    learnerActs,
    setProcess,
    lessonState,
    stopped,
    done() {
      unsubscribe();
      session.dispose();
      binding.dispose();
    },
  };
}

describe('lesson session: a step entered out of order', () => {
  it('a resumed lesson replays the earlier steps, says so meanwhile, then enters the step with its goal unmet', async () => {
    const t = harness(chainLesson(3, { setupWrite: [1] }), { completedSteps: ['step-1', 'step-3'] });
    await t.session.ready();
    assert.equal(t.lessonState()?.stepIndex, 1, 'resumed at the first step not done');
    assert.deepEqual(t.performed, ['stop redis-5', 'write'], 'step 1 replayed, then step 2’s setup');
    assert.ok(
      t.details.some((d) => d.startsWith('catching up: replaying step 1 ')),
      `the pane said so: ${t.details.join(' | ')}`,
    );
    assert.equal(t.lessonState()?.entered, true);
    assert.equal(t.lessonState()?.catchingUp, undefined, 'said no longer once the step has started');
    // The lesson pane shows it right under the step's title, where the step opens.
    const during = { ...(t.lessonState() as NonNullable<ReturnType<typeof t.lessonState>>), catchingUp: t.details[0] };
    const head = lessonSections(during, 200).find((x) => x.id === 'head');
    assert.match(
      head?.lines.map((l) => l.map((x) => x.text).join('')).join(' ') ?? '',
      /⟳ catching up: replaying step 1/,
    );
    assert.equal(t.lessonState()?.goalMet, false, 'step 2 is still to do');
    assert.deepEqual(t.stopped(), ['redis-5'], 'the cluster is as step 1 leaves it');
    assert.deepEqual(t.lessonState()?.status, ['done', 'active', 'done'], 'a replayed step is not marked as met');
    assert.match(t.notices.join('\n'), /Caught up for step 2: replayed step 1/);
    await t.session.playSolution();
    assert.equal(t.lessonState()?.goalMet, true, 'step 2’s solution meets its goal');
    t.done();
  });

  it('`n` on a step not met plays its solution (not its setup again); `n` after the goal plays nothing', async () => {
    const t = harness(chainLesson(4, { setupWrite: [0] }));
    await t.session.ready();
    assert.deepEqual(t.performed, ['write']);
    t.session.next();
    await t.session.ready();
    assert.deepEqual(t.performed, ['write', 'stop redis-5'], 'step 1’s solution only');
    assert.equal(t.lessonState()?.goalMet, false);
    await t.session.playSolution();
    assert.equal(t.lessonState()?.goalMet, true);
    t.session.next();
    await t.session.ready();
    assert.deepEqual(t.performed, ['write', 'stop redis-5', 'stop redis-4'], 'nothing replayed after a met step');
    assert.equal(t.lessonState()?.stepIndex, 2);
    assert.equal(t.resets(), 0);
    t.done();
  });

  it('`n` after the learner changed the cluster in a step not met starts over: reset, then every earlier step', async () => {
    const t = harness(chainLesson(3));
    await t.session.ready();
    t.session.next();
    await t.session.ready();
    assert.equal(t.lessonState()?.stepIndex, 1);
    // The learner restarts redis-5 by hand, and skips step 2 without meeting it.
    t.setProcess('redis-5', 'running');
    await t.learnerActs('restart');
    t.session.next();
    await t.session.ready();
    assert.deepEqual(t.performed, ['stop redis-5', '(ctrl+r reset)', 'stop redis-5', 'stop redis-4']);
    assert.deepEqual(t.stopped(), ['redis-4', 'redis-5']);
    assert.equal(t.lessonState()?.goalMet, false);
    assert.match(t.notices.join('\n'), /reset the cluster \(the cluster was changed in a step not met\)/);
    t.done();
  });

  it('a read is not a change: `n` then replays the step’s solution on the cluster as it is', async () => {
    const t = harness(chainLesson(2));
    await t.session.ready();
    await t.learnerActs('read');
    t.session.next();
    await t.session.ready();
    assert.deepEqual(t.performed, ['stop redis-5']);
    t.done();
  });

  it('`b` brings the cluster back to where the earlier steps leave it (reset, replay), and `n` forward again', async () => {
    const t = harness(chainLesson(3), { completedSteps: ['step-1', 'step-2'] });
    await t.session.ready();
    assert.deepEqual(t.stopped(), ['redis-4', 'redis-5']);
    t.session.previous();
    await t.session.ready();
    assert.equal(t.lessonState()?.stepIndex, 1);
    assert.deepEqual(t.stopped(), ['redis-5'], 'as step 1 leaves it, not as step 2 did');
    assert.equal(t.lessonState()?.goalMet, false, 'step 2 is not met just because the cluster had been past it');
    assert.deepEqual(t.performed.slice(2), ['(ctrl+r reset)', 'stop redis-5']);
    t.done();
  });

  it('says so when an earlier step cannot be replayed, and still enters the step', async () => {
    const t = harness(chainLesson(3), { completedSteps: ['step-1'], refuse: (a) => a.kind === 'stop' });
    await t.session.ready();
    assert.equal(t.lessonState()?.stepIndex, 1);
    assert.equal(t.lessonState()?.entered, true);
    const said = t.notices.join('\n');
    assert.match(said, /Could not catch up to step 2: replaying step 1 \(Step 1\) failed: solution failed: stop/);
    assert.match(said, /NOT as the steps before it leave it/);
    assert.doesNotMatch(said, /Caught up/);
    t.done();
  });

  it('a catch-up waits for the cluster to be ready, and quitting stops it between two actions', async () => {
    let ready = () => {};
    const clusterReady = new Promise<void>((r) => {
      ready = r;
    });
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const t = harness(chainLesson(4), {
      completedSteps: ['step-1', 'step-2', 'step-3'],
      clusterReady,
      gate: (a) => (a.kind === 'stop' && a.node === 'redis-5' ? held : undefined),
    });
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(t.performed, [], 'nothing before the cluster is ready');
    ready();
    await until(() => t.performed.length === 1, 'the first replayed action');
    t.session.dispose();
    release();
    await t.session.ready();
    assert.deepEqual(t.performed, ['stop redis-5'], 'no action after quit');
    assert.equal(t.lessonState()?.entered, false);
    t.done();
  });

  it('ctrl+r during a catch-up stops it, resets once it has stopped, and starts at step 1', async () => {
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const t = harness(chainLesson(3), {
      completedSteps: ['step-1', 'step-2'],
      gate: (a) => (a.kind === 'stop' && a.node === 'redis-5' ? held : undefined),
    });
    await until(() => t.performed.length === 1, 'the first replayed action');
    const reset = t.session.reset();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(t.performed, ['stop redis-5'], 'the reset waits for the action under way');
    release();
    await reset;
    assert.deepEqual(t.performed, ['stop redis-5', '(ctrl+r reset)']);
    assert.equal(t.lessonState()?.stepIndex, 0);
    assert.equal(t.lessonState()?.entered, true);
    assert.deepEqual(t.stopped(), []);
    t.done();
  });

  it('a step entered while ctrl+r resets the lab waits for that reset (never a second one beside it)', async () => {
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const t = harness(chainLesson(3), { resetGate: () => held });
    await t.session.ready();
    const reset = t.session.reset();
    await until(() => t.performed.includes('(ctrl+r reset)'), 'the reset under way');
    t.session.next();
    await new Promise((r) => setTimeout(r, 20));
    release();
    await reset;
    await t.session.ready();
    assert.equal(t.mostResetsAtOnce(), 1);
    assert.deepEqual(t.performed, ['(ctrl+r reset)'], 'the step the reset brings back to is entered, nothing more');
    assert.equal(t.lessonState()?.stepIndex, 0);
    assert.equal(t.lessonState()?.entered, true);
    t.done();
  });

  it('`n` pressed during a catch-up goes on from where it is; `b` stops the replay of a step the learner wants', async () => {
    const gates = new Map<string, () => void>();
    const gate = (a: LabAction) =>
      a.kind === 'stop' && a.node === 'redis-4'
        ? new Promise<void>((r) => {
            gates.set(a.node, r);
          })
        : undefined;
    const t = harness(chainLesson(4), { completedSteps: ['step-1', 'step-2'], gate });
    await until(() => gates.has('redis-4'), 'step 2 being replayed');
    t.session.next(); // to step 4: steps 1–3 are needed, the replay goes on
    gates.get('redis-4')?.();
    await t.session.ready();
    assert.equal(t.lessonState()?.stepIndex, 3);
    assert.deepEqual(t.performed, ['stop redis-5', 'stop redis-4', 'stop redis-3'], 'nothing played twice');
    assert.equal(t.resets(), 0);
    t.done();

    gates.clear();
    const b = harness(chainLesson(4), { completedSteps: ['step-1', 'step-2', 'step-3'], gate });
    await until(() => gates.has('redis-4'), 'step 2 being replayed');
    b.session.previous(); // to step 3
    b.session.previous(); // to step 2: the one being replayed
    gates.get('redis-4')?.();
    await b.session.ready();
    assert.equal(b.lessonState()?.stepIndex, 1);
    assert.deepEqual(b.stopped(), ['redis-5'], 'as step 1 leaves it');
    assert.equal(b.lessonState()?.goalMet, false);
    b.done();
  });
});
