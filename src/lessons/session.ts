// A running lesson wired to a lab: implements the LessonControls the UI calls, and keeps LabState.lesson up to date by
// plugging the pure runner into the store's one writer (state/bind-lab.ts) as a fold: navigation and solution
// progress are its inputs, and it re-evaluates the step's goal after every batch of engine facts. The session plays
// setups and solutions, and saves progress when it sees a step become met in the store.
import type { ActionOutcome, LabAction } from '../actions/catalog.js';
import { errorMessage } from '../errors.js';
import type { Fold, FoldChannel } from '../state/bind-lab.js';
import type { LessonControls } from '../state/controller.js';
import type { LabState, LabStore } from '../state/store.js';
import { markStep } from './checks.js';
import { playEntries } from './play.js';
import { recordPrediction, recordStep } from './progress.js';
import { type LessonEvent, reduceLesson, type SavedPrediction } from './runner.js';
import type { Lesson } from './schema.js';
import type { LessonRunState } from './types.js';

declare module '../state/store.js' {
  interface LabStateSlots {
    /** The loaded lesson's progress (lessons/runner.ts); undefined in sandbox mode. */
    lesson?: LessonRunState;
  }
}

/** What the session tells the runner; the fold adds the lab state and the time where the runner needs them. */
export type LessonInput =
  | Exclude<LessonEvent, { type: 'step-entered' | 'tick' }>
  | { type: 'step-entered' }
  | { type: 'tick' };

/** The lesson runner as a fold of the lab store: inputs as they come, and a tick after every batch of facts. */
export const lessonFold: Fold<LessonInput> = {
  input(s: LabState, input: LessonInput, now: number): LabState {
    // A tick is the batch itself: afterBatch evaluates the goal once the input is folded.
    if (input.type === 'tick') return s;
    const event: LessonEvent = input.type === 'step-entered' ? { type: 'step-entered', state: s, now } : input;
    return withLesson(s, reduceLesson(s.lesson, event));
  },
  afterBatch(s: LabState, now: number): LabState {
    if (!s.lesson) return s;
    return withLesson(s, reduceLesson(s.lesson, { type: 'tick', state: s, now }));
  },
};

function withLesson(s: LabState, lesson: LessonRunState | undefined): LabState {
  return lesson === s.lesson ? s : { ...s, lesson };
}

export interface LessonSessionDeps {
  /** The lab store, and the way to plug the lesson fold into its writer (a Lab, or a bare bindLab in tests). */
  store: LabStore;
  use(fold: Fold<LessonInput>): FoldChannel<LessonInput>;
  perform(action: LabAction): Promise<ActionOutcome>;
  /** Fresh configs and Sentinel state for the lesson's cluster (the engine's reset). */
  resetLab(): Promise<void>;
  now?: () => number;
  /** Saves a met step; defaults to progress.ts. `false` disables saving (tests, --no-progress). */
  saveStep?: ((lessonId: string, stepId: string, lessonCompleted: boolean) => Promise<void>) | false;
  /**
   * Saves the learner's answer to a prediction. Defaults to progress.ts only while `saveStep` is left to its default
   * too, so a session told not to write progress (or to write it elsewhere) never writes answers to progress.json.
   */
  savePrediction?:
    | ((lessonId: string, stepId: string, answer: { choice: number; correct: boolean }) => Promise<void>)
    | false;
  /** Problems the UI should show as notices (a setup action failed, progress could not be saved). */
  onNotice?(level: 'info' | 'warning' | 'error', text: string): void;
  /**
   * Resolves when the lab's cluster is ready. Until then the lesson is shown but no step is entered: no setup is
   * played and no goal checked (the TUI opens the lesson while its cluster starts). @default already resolved
   */
  clusterReady?: Promise<unknown>;
  /** Re-evaluation period while a goal waits for its holdMs. @default 250 */
  tickMs?: number;
  pollMs?: number;
}

export interface LessonSession extends LessonControls {
  /** Resolves once the current step's setup has run and the step has started. */
  ready(): Promise<void>;
  dispose(): void;
}

export function startLessonSession(
  lesson: Lesson,
  deps: LessonSessionDeps,
  opts: { completedSteps?: readonly string[]; predictions?: Readonly<Record<string, SavedPrediction>> } = {},
): LessonSession {
  const now = deps.now ?? Date.now;
  const store = deps.store;
  const notice = deps.onNotice ?? (() => {});
  const save =
    deps.saveStep === false
      ? undefined
      : (deps.saveStep ??
        (async (lessonId: string, stepId: string, lessonCompleted: boolean) => {
          const r = await recordStep(lessonId, stepId, { lessonCompleted });
          if (r.notice) notice('warning', r.notice);
        }));
  const savePrediction =
    deps.savePrediction === false
      ? undefined
      : (deps.savePrediction ??
        (deps.saveStep === undefined
          ? async (lessonId: string, stepId: string, answer: { choice: number; correct: boolean }) => {
              const r = await recordPrediction(lessonId, stepId, answer);
              if (r.notice) notice('warning', r.notice);
            }
          : undefined));
  let disposed = false;
  /** Bumped on every navigation, so a slow setup never starts a step the user has already left. */
  let entry = 0;
  let entering: Promise<void> = Promise.resolve();
  let solution: AbortController | undefined;

  const channel = deps.use(lessonFold);
  const send = (input: LessonInput) => {
    if (!disposed) channel.send(input);
  };

  const persist = async (index: number, completed: boolean) => {
    const step = lesson.steps[index];
    if (!save || !step) return;
    try {
      await save(lesson.id, step.id, completed);
    } catch (err) {
      notice('warning', `Could not save lesson progress: ${errorMessage(err)}`);
    }
  };

  // Progress is saved when the store shows the current step turn met (once per step: a met goal is latched).
  const unsubscribe = store.subscribe((next, prev) => {
    const after = next.lesson;
    const before = prev.lesson;
    if (disposed || !after || before?.lessonId !== after.lessonId || after.stepIndex !== before.stepIndex) return;
    const i = after.stepIndex;
    if (before.status[i] !== 'met' && after.status[i] === 'met') void persist(i, after.completed);
  });

  const enterCurrent = (): Promise<void> => {
    const mine = ++entry;
    solution?.abort();
    const run = async () => {
      await deps.clusterReady;
      if (mine !== entry || disposed) return;
      const state = store.getState().lesson;
      const step = state && lesson.steps[state.stepIndex];
      if (!step) return;
      if (step.setup.length) {
        const r = await playEntries(step.setup, deps, {
          since: markStep(store.getState(), now()),
          now,
          pollMs: deps.pollMs,
        });
        if (!r.ok) notice('error', `Step setup failed: ${r.detail}`);
      }
      if (mine !== entry || disposed) return;
      send({ type: 'step-entered' });
    };
    entering = run().catch((err: unknown) => notice('error', `Step setup failed: ${errorMessage(err)}`));
    return entering;
  };

  // Ticks follow every batch of engine facts; this timer lets a held goal's holdMs elapse while the cluster is quiet.
  const timer = setInterval(() => {
    const s = store.getState();
    if (!disposed && s.lesson?.entered && s.lesson.goalHeldSince !== undefined && !s.lesson.goalMet) {
      send({ type: 'tick' });
    }
  }, deps.tickMs ?? 250);
  timer.unref?.();

  send({
    type: 'load',
    lesson,
    completedSteps: opts.completedSteps ?? [],
    ...(opts.predictions ? { predictions: opts.predictions } : {}),
  });
  void enterCurrent();

  const navigate = (input: LessonInput) => {
    const before = store.getState().lesson?.stepIndex;
    send(input);
    if (store.getState().lesson?.stepIndex !== before) void enterCurrent();
  };

  return {
    next: () => navigate({ type: 'next' }),
    previous: () => navigate({ type: 'previous' }),
    hint: () => send({ type: 'hint-requested' }),
    predict(choice: number) {
      const before = store.getState().lesson;
      send({ type: 'predicted', choice, at: now() });
      const after = store.getState().lesson;
      if (!after || after === before || !savePrediction) return;
      const i = after.stepIndex;
      const answer = after.predictions[i];
      const step = lesson.steps[i];
      // Saved as soon as it is given, so an answer survives a quit before the outcome.
      if (!answer || !step || answer === before?.predictions[i]) return;
      savePrediction(lesson.id, step.id, { choice: answer.choice, correct: answer.correct }).catch((err: unknown) =>
        notice('warning', `Could not save your prediction: ${errorMessage(err)}`),
      );
    },
    toggleSolution: () => send({ type: 'solution-toggled' }),
    async playSolution() {
      await entering;
      const state = store.getState().lesson;
      const step = state && lesson.steps[state.stepIndex];
      if (!state || !step || state.playingSolution) return;
      solution = new AbortController();
      send({ type: 'solution-started' });
      const since = state.since ?? markStep(store.getState(), now());
      const r = await playEntries(step.solution, deps, { since, now, pollMs: deps.pollMs, signal: solution.signal });
      send({ type: 'solution-finished', ok: r.ok, ...(r.ok ? {} : { detail: r.detail }) });
    },
    async reset() {
      solution?.abort();
      await deps.resetLab();
      send({ type: 'reset' });
      await enterCurrent();
    },
    ready: () => entering,
    dispose() {
      disposed = true;
      solution?.abort();
      unsubscribe();
      channel.remove();
      clearInterval(timer);
    },
  };
}
