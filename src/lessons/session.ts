// A running lesson wired to a lab: implements the LessonControls the UI calls, keeps LabState.lesson up to date by
// feeding the pure runner (setup -> step-entered -> ticks), plays solutions and saves progress when a step is met.
import type { ActionOutcome, LabAction } from '../actions/catalog.js';
import { errorMessage } from '../errors.js';
import type { LessonControls } from '../state/controller.js';
import type { LabStore } from '../state/store.js';
import { markStep } from './checks.js';
import { playEntries } from './play.js';
import { recordStep } from './progress.js';
import { type LessonEvent, reduceLesson } from './runner.js';
import type { Lesson } from './schema.js';

export interface LessonSessionDeps {
  store: LabStore;
  perform(action: LabAction): Promise<ActionOutcome>;
  /** Fresh configs and Sentinel state for the lesson's cluster (the engine's reset). */
  resetLab(): Promise<void>;
  now?: () => number;
  /** Saves a met step; defaults to progress.ts. `false` disables saving (tests, --no-progress). */
  saveStep?: ((lessonId: string, stepId: string, lessonCompleted: boolean) => Promise<void>) | false;
  /** Problems the UI should show as notices (a setup action failed, progress could not be saved). */
  onNotice?(level: 'info' | 'warning' | 'error', text: string): void;
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
  opts: { completedSteps?: readonly string[] } = {},
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
  let disposed = false;
  /** Bumped on every navigation, so a slow setup never starts a step the user has already left. */
  let entry = 0;
  let entering: Promise<void> = Promise.resolve();
  let solution: AbortController | undefined;

  /** True while we write LabState.lesson ourselves, so our own update does not count as an engine change. */
  let writing = false;
  const dispatch = (event: LessonEvent) => {
    const before = store.getState().lesson;
    const after = reduceLesson(before, event);
    if (after !== before) {
      writing = true;
      try {
        store.setState({ lesson: after });
      } finally {
        writing = false;
      }
    }
    if (after && before?.lessonId === after.lessonId && after.stepIndex === before.stepIndex) {
      const i = after.stepIndex;
      if (before.status[i] !== 'met' && after.status[i] === 'met') void persist(i, after.completed);
    }
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

  const enterCurrent = (): Promise<void> => {
    const mine = ++entry;
    solution?.abort();
    const run = async () => {
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
      dispatch({ type: 'step-entered', state: store.getState(), now: now() });
    };
    entering = run().catch((err: unknown) => notice('error', `Step setup failed: ${errorMessage(err)}`));
    return entering;
  };

  // Ticks: on every engine change (ignoring our own lesson updates), and on a timer so holdMs can elapse.
  const unsubscribe = store.subscribe((next) => {
    if (disposed || writing) return;
    dispatch({ type: 'tick', state: next, now: now() });
  });
  const timer = setInterval(() => {
    const s = store.getState();
    if (!disposed && s.lesson?.entered && s.lesson.goalHeldSince !== undefined && !s.lesson.goalMet) {
      dispatch({ type: 'tick', state: s, now: now() });
    }
  }, deps.tickMs ?? 250);
  timer.unref?.();

  dispatch({ type: 'load', lesson, completedSteps: opts.completedSteps ?? [] });
  void enterCurrent();

  const navigate = (event: LessonEvent) => {
    const before = store.getState().lesson?.stepIndex;
    dispatch(event);
    if (store.getState().lesson?.stepIndex !== before) void enterCurrent();
  };

  return {
    next: () => navigate({ type: 'next' }),
    previous: () => navigate({ type: 'previous' }),
    hint: () => dispatch({ type: 'hint-requested' }),
    toggleSolution: () => dispatch({ type: 'solution-toggled' }),
    async playSolution() {
      await entering;
      const state = store.getState().lesson;
      const step = state && lesson.steps[state.stepIndex];
      if (!state || !step || state.playingSolution) return;
      solution = new AbortController();
      dispatch({ type: 'solution-started' });
      const since = state.since ?? markStep(store.getState(), now());
      const r = await playEntries(step.solution, deps, { since, now, pollMs: deps.pollMs, signal: solution.signal });
      if (!disposed) dispatch({ type: 'solution-finished', ok: r.ok, ...(r.ok ? {} : { detail: r.detail }) });
    },
    async reset() {
      solution?.abort();
      await deps.resetLab();
      dispatch({ type: 'reset' });
      await enterCurrent();
    },
    ready: () => entering,
    dispose() {
      disposed = true;
      solution?.abort();
      unsubscribe();
      clearInterval(timer);
    },
  };
}
