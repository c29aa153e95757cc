// A lesson resumed at a later step, against real Redis: the session replays the earlier steps (lessons/session.ts
// catch-up) before it enters the step, so the step starts on the cluster the lesson text describes. Lesson 05's second
// step needs the priorities its first step sets; lesson 14's last step thaws replicas that its fifth step froze.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { resolveServerBinary } from '../../src/cluster/process/binaries.js';
import type { TopologyShape } from '../../src/cluster/topology.js';
import { Lab, type LocalLab } from '../../src/engine/lab.js';
import { errorMessage } from '../../src/errors.js';
import { evaluateGoal, markStep } from '../../src/lessons/checks.js';
import { loadLesson } from '../../src/lessons/loader.js';
import type { Lesson } from '../../src/lessons/schema.js';
import { type LessonSession, startLessonSession } from '../../src/lessons/session.js';
import { lessonShape } from '../../src/lessons/shape.js';
import { guardLab } from '../helpers/lab-guard.js';
import { eventually, failoverWaitMs } from '../helpers/wait.js';

/** Port blocks this file may use (a block spans about 110 ports); the first one free is taken. */
const BASES = [23200, 23350, 23500, 23650, 23800];

const runRoots: string[] = [];
after(() => {
  for (const r of runRoots) rmSync(r, { recursive: true, force: true });
});

async function createLab(shape: TopologyShape): Promise<LocalLab> {
  const binary = await resolveServerBinary({ env: process.env.REDIS_SERVER, pathEnv: process.env.PATH });
  const runRoot = mkdtempSync(join(tmpdir(), 'rsl-catch-up-'));
  runRoots.push(runRoot);
  let last: unknown;
  for (const basePort of BASES) {
    try {
      return await Lab.create({ binary, shape, basePort, strictPorts: true, runRoot, flushMs: 20 });
    } catch (err) {
      last = err;
    }
  }
  throw new Error(`no free port block among ${BASES.join(', ')}: ${errorMessage(last)}`);
}

/** The lesson on a real lab as the TUI opens it (commands/lesson-session.ts): the session first, then the start. */
async function resumed(
  lesson: Lesson,
  completedSteps: string[],
  body: (t: { lab: LocalLab; session: LessonSession; notices: string[] }) => Promise<void>,
): Promise<void> {
  const lab = await createLab(lessonShape(lesson.topology));
  const guard = guardLab(lab);
  const notices: string[] = [];
  const started = lab.start();
  const session = startLessonSession(
    lesson,
    {
      store: lab.store,
      use: (fold) => lab.use(fold),
      perform: (a) => lab.perform(a),
      resetLab: () => lab.reset(),
      saveStep: false,
      onNotice: (level, text) => notices.push(`${level}: ${text}`),
      clusterReady: started,
    },
    { completedSteps },
  );
  try {
    await started;
    await body({ lab, session, notices });
  } finally {
    session.dispose();
    await lab.shutdown();
    await guard.assertNothingLeft();
  }
}

function holds(lab: LocalLab, lesson: Lesson, index: number): { met: boolean; detail: string } {
  const state = lab.store.getState();
  const goal = lesson.steps[index]?.goal;
  assert.ok(goal);
  return evaluateGoal(goal, { state, now: Date.now(), since: markStep(state, Date.now()) });
}

describe('a lesson resumed at a later step (real Redis)', () => {
  it('05-replica-selection at step 2: step 1’s priorities are set again, and step 2’s solution meets its goal', async () => {
    const lesson = await loadLesson('05-replica-selection');
    await resumed(lesson, ['priorities', 'favourite'], async ({ lab, session, notices }) => {
      await session.ready();
      const s = lab.store.getState().lesson;
      assert.equal(s?.stepIndex, 1, 'resumed at "Kill the master"');
      assert.equal(s?.entered, true);
      const prio = holds(lab, lesson, 0);
      assert.ok(prio.met, `the priorities the step's question names are in place: ${prio.detail}`);
      assert.equal(s?.goalMet, false);
      assert.deepEqual(
        notices.filter((n) => !n.startsWith('info')),
        [],
      );
      assert.ok(notices.some((n) => n.includes('Caught up for step 2: replayed step 1')));

      await session.playSolution();
      await eventually(() => lab.store.getState().lesson?.goalMet, {
        // The goal waits for the failover to complete: every replica repointed, one at a time.
        timeoutMs: failoverWaitMs(lab.topology.sentinel) + 10_000,
        what: `step 2's goal (${lab.store.getState().lesson?.goalDetail})`,
      });
    });
  });

  it('14-noreplicas at "Thaw them": the replicas are frozen, and a write is refused until they are thawed', async () => {
    const lesson = await loadLesson('14-noreplicas');
    const thaw = lesson.steps.findIndex((s) => s.id === 'thaw');
    const done = lesson.steps.filter((s) => s.id !== 'thaw').map((s) => s.id);
    await resumed(lesson, done, async ({ lab, session, notices }) => {
      await session.ready();
      assert.equal(lab.store.getState().lesson?.stepIndex, thaw);
      assert.deepEqual(
        notices.filter((n) => !n.startsWith('info')),
        [],
      );
      for (const node of ['redis-3', 'redis-4', 'redis-5']) {
        assert.equal(lab.store.getState().processes[node]?.state, 'frozen', `${node} frozen by the replayed step 5`);
      }
      // The report's case: one write, nothing thawed. It must be refused, and the goal not met.
      const w = await lab.perform({ kind: 'write', client: 'A', key: 'age', value: '1' });
      assert.match(w.text, /NOREPLICAS/);
      assert.equal(lab.store.getState().lesson?.goalMet, false, lab.store.getState().lesson?.goalDetail);

      await session.playSolution();
      await eventually(() => lab.store.getState().lesson?.goalMet, {
        timeoutMs: 30_000,
        what: `the thaw step's goal (${lab.store.getState().lesson?.goalDetail})`,
      });
    });
  });
});
