// A running lesson wired to a lab: implements the LessonControls the UI calls, and keeps LabState.lesson up to date by
// plugging the pure runner into the store's one writer (state/bind-lab.ts) as a fold: navigation and solution
// progress are its inputs, and it re-evaluates the step's goal after every batch of engine facts. The session plays
// setups and solutions, and saves progress when it sees a step become met in the store.
//
// A step assumes the cluster as the steps before it leave it (05-replica-selection's second step needs the priorities
// its first one set). The session keeps track of where the cluster is along the lesson (ClusterLine), and a step
// entered any other way than by meeting the previous step's goal in this cluster (a resumed lesson, `n` on a step not
// met, `b`) is caught up first: planEntry decides which earlier steps to replay, and each is played as `lesson check
// --run` plays it (headless.ts replayStep: setup, solution, goal), so the step starts where they leave the cluster.
import type { ActionOutcome, LabAction } from '../actions/catalog.js';
import { errorMessage } from '../errors.js';
import type { Fold, FoldChannel } from '../state/bind-lab.js';
import type { LessonControls } from '../state/controller.js';
import type { LabState, LabStore } from '../state/store.js';
import { markStep } from './checks.js';
import { replayStep, stepTimeoutMs } from './headless.js';
import { DEFAULT_POLL_MS, playEntries } from './play.js';
import { recordPrediction, recordStep } from './progress.js';
import { type LessonEvent, reduceLesson, type SavedPrediction } from './runner.js';
import { type Lesson, type LessonStep, startsWithReset } from './schema.js';
import type { LessonRunState, StepMark } from './types.js';

declare module '../state/store.js' {
  interface LabStateSlots {
    /** The loaded lesson's progress (lessons/runner.ts); undefined in sandbox mode. */
    lesson?: LessonRunState;
  }
}

declare module './types.js' {
  interface LessonRunState {
    /**
     * What the session is doing to the cluster before the step starts, when it brings it to where the earlier steps
     * leave it ("catching up: replaying steps 1–2 …"); the lesson pane shows it. Undefined otherwise.
     */
    catchingUp?: string;
  }
}

/** What the session tells the runner; the fold adds the lab state and the time where the runner needs them. */
export type LessonInput =
  | Exclude<LessonEvent, { type: 'step-entered' | 'tick' }>
  | { type: 'step-entered' }
  | { type: 'tick' }
  /** What the session does before the step starts ("catching up: replaying steps 1–2…"); undefined: done. */
  | { type: 'catching-up'; detail?: string };

/** Inputs that leave the step (or start it): a catch-up said before them no longer applies. */
const LEAVES: ReadonlySet<LessonInput['type']> = new Set(['step-entered', 'next', 'previous', 'goto', 'reset']);

/** The lesson runner as a fold of the lab store: inputs as they come, and a tick after every batch of facts. */
export const lessonFold: Fold<LessonInput> = {
  input(s: LabState, input: LessonInput, now: number): LabState {
    // A tick is the batch itself: afterBatch evaluates the goal once the input is folded.
    if (input.type === 'tick') return s;
    if (input.type === 'catching-up') {
      // Only while the step has not started.
      const l = s.lesson;
      if (!l || l.entered || l.catchingUp === input.detail) return s;
      const { catchingUp: _, ...rest } = l;
      return { ...s, lesson: input.detail === undefined ? rest : { ...rest, catchingUp: input.detail } };
    }
    const event: LessonEvent = input.type === 'step-entered' ? { type: 'step-entered', state: s, now } : input;
    const next = reduceLesson(s.lesson, event);
    if (next?.catchingUp !== undefined && LEAVES.has(input.type)) {
      const { catchingUp: _, ...rest } = next;
      return withLesson(s, rest);
    }
    return withLesson(s, next);
  },
  afterBatch(s: LabState, now: number): LabState {
    if (!s.lesson) return s;
    return withLesson(s, reduceLesson(s.lesson, { type: 'tick', state: s, now }));
  },
};

function withLesson(s: LabState, lesson: LessonRunState | undefined): LabState {
  return lesson === s.lesson ? s : { ...s, lesson };
}

/**
 * Where the lab's cluster is along the lesson: steps 0…done-1 were brought about in it, in order, since it was last
 * fresh (met by the learner, or replayed). `entered`: step `done`'s setup has been played too, and `touched`: the
 * learner has acted since (an action other than a read), so the cluster is somewhere inside that step.
 */
export interface ClusterLine {
  done: number;
  entered: boolean;
  touched?: boolean;
}

/** A fresh cluster: nothing played yet. */
export const FRESH: ClusterLine = { done: 0, entered: false };

/** What entering a step takes (planEntry). */
export interface EntryPlan {
  /** Reset the lab first (the Ctrl+R reset): the cluster is past the step, changed, or in an unknown state. */
  reset: boolean;
  /** Why the cluster is reset, for the learner. */
  resetWhy?: 'ahead' | 'changed' | 'unknown';
  /** Earlier steps to replay (setup, solution, goal), in order, before the step is entered. */
  replay: number[];
  /** replay[0]'s setup has already run (the cluster is inside that step, untouched): only its solution is played. */
  setupPlayed: boolean;
  /** Play the step's own setup; false when the cluster is already inside the step (back to it before it was left). */
  setup: boolean;
}

/**
 * What entering step `target` takes, given where the cluster is (`line`; undefined: unknown, say after a replay that
 * failed or was stopped half-way). The cluster must end up as steps 0…target-1 leave it:
 * - a step whose setup starts with `reset` starts afresh anyway: nothing before it matters;
 * - the cluster just left step target-1 met (`n` after the goal), or is fresh at step 0: just the setup;
 * - the cluster is behind (a resumed lesson, `n` on a step not met): replay the missing steps from where it is; from
 *   the step's setup when that step was entered and left untouched, only the solution then;
 * - otherwise (the cluster is past the step after `b`, the learner changed it in a step not met, or its state is
 *   unknown): start over, from the latest earlier step whose setup resets the lab, else from a reset and step 0.
 */
export function planEntry(
  steps: ReadonlyArray<Pick<LessonStep, 'setup'>>,
  target: number,
  line: ClusterLine | undefined,
): EntryPlan {
  const none = (setup: boolean): EntryPlan => ({ reset: false, replay: [], setupPlayed: false, setup });
  const step = steps[target];
  if (!step || startsWithReset(step)) return none(true);
  if (line && line.done === target) return none(!line.entered);
  let start = 0;
  for (let j = target - 1; j > 0; j--) {
    if (startsWithReset(steps[j] as Pick<LessonStep, 'setup'>)) {
      start = j;
      break;
    }
  }
  const range = (from: number) => Array.from({ length: target - from }, (_, i) => from + i);
  if (line && line.done < target) {
    // Behind a step that starts afresh: replay from that step, whose setup resets the lab.
    if (line.done < start) return { reset: false, replay: range(start), setupPlayed: false, setup: true };
    if (!(line.entered && line.touched)) {
      return { reset: false, replay: range(line.done), setupPlayed: line.entered, setup: true };
    }
  }
  const resetWhy = !line ? 'unknown' : line.done < target ? 'changed' : 'ahead';
  const reset = !startsWithReset(steps[start] as Pick<LessonStep, 'setup'>);
  return { reset, ...(reset ? { resetWhy } : {}), replay: range(start), setupPlayed: false, setup: true };
}

/** "steps 1–3", "step 2": the learner's 1-based numbers. */
function stepRange(replay: readonly number[]): string {
  const first = (replay[0] ?? 0) + 1;
  const last = (replay.at(-1) ?? 0) + 1;
  return first === last ? `step ${first}` : `steps ${first}–${last}`;
}

const RESET_WHY: Record<NonNullable<EntryPlan['resetWhy']>, string> = {
  ahead: 'the cluster is past this step',
  changed: 'the cluster was changed in a step not met',
  unknown: 'the cluster is not as any step leaves it',
};

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
  /**
   * Wall clock the lab stamps its action records with (ActionRecord.at), to tell the learner's actions in a step from
   * its setup's. @default Date.now
   */
  wallClock?: () => number;
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
  const wall = deps.wallClock ?? Date.now;
  let disposed = false;
  /** Bumped on every navigation, so a slow setup never starts a step the user has already left. */
  let entry = 0;
  /** The latest entry; entries run one after the other, each planned from where the one before left the cluster. */
  let entering: Promise<void> = Promise.resolve();
  /** Stops the running entry at once (reset, quit, or `b` to a step it is not needed for). */
  let stopEntry: AbortController | undefined;
  /** The step the running entry is replaying or setting up. */
  let working: number | undefined;
  let solution: AbortController | undefined;
  let playing: Promise<unknown> = Promise.resolve();
  /** Where the cluster is along the lesson; the lab starts (and resets) fresh. */
  let line: ClusterLine | undefined = FRESH;
  /** When the cluster entered step `line.done` (wall clock, as action records are stamped), and its mark. */
  let enteredAt = 0;
  let enteredMark: StepMark | undefined;

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
    if (before.status[i] !== 'met' && after.status[i] === 'met') {
      // Met in this cluster: it is now as this step leaves it, and `n` enters the next step without a catch-up.
      line = { done: i + 1, entered: false };
      void persist(i, after.completed);
    }
  });

  /** `line`, with `touched` filled in: an action other than a read since the cluster entered the step. */
  const observedLine = (): ClusterLine | undefined => {
    if (!line?.entered) return line;
    const touched = store.getState().actions.some((a) => a.at > enteredAt && a.kind !== 'read');
    return { ...line, touched };
  };
  const cameInto = (index: number) => {
    line = { done: index, entered: true };
    enteredAt = wall();
    enteredMark = markStep(store.getState(), now());
  };
  /** The step the learner is on now (navigation may have moved on while an entry runs). */
  const wanted = () => store.getState().lesson?.stepIndex ?? 0;

  /** Resets the lab and replays the plan's earlier steps; 'failed' (said in a notice) when one could not be. */
  const catchUp = async (
    plan: EntryPlan,
    target: number,
    signal: AbortSignal,
  ): Promise<'ok' | 'failed' | 'stopped'> => {
    const pollMs = deps.pollMs ?? DEFAULT_POLL_MS;
    const what = plan.replay.length ? stepRange(plan.replay) : '';
    const show = (detail: string) => send({ type: 'catching-up', detail });
    if (plan.reset) {
      const why = RESET_WHY[plan.resetWhy ?? 'unknown'];
      show(`catching up: ${why}, so it is reset${what ? ` and ${what} replayed` : ''} · now resetting the cluster…`);
      line = undefined;
      working = plan.replay[0] ?? target;
      try {
        await deps.resetLab();
      } catch (err) {
        if (signal.aborted) return 'stopped';
        notice('error', `Could not reset the cluster for step ${target + 1}: ${errorMessage(err)}`);
        return 'failed';
      }
      line = FRESH;
    }
    for (const [n, i] of plan.replay.entries()) {
      // The learner may have gone back meanwhile: a step they now want to do themselves is not replayed.
      if (signal.aborted || i >= wanted()) return 'stopped';
      const step = lesson.steps[i] as LessonStep;
      const leave = plan.replay.length > 1 ? 'they leave' : 'it leaves';
      show(
        `catching up: replaying ${what} so this step starts where ${leave} the cluster · now step ${i + 1}: ${step.title}…`,
      );
      const setupPlayedAt = n === 0 && plan.setupPlayed ? enteredMark : undefined;
      line = undefined;
      working = i;
      const r = await replayStep(step, deps, {
        now,
        pollMs,
        timeoutMs: stepTimeoutMs(lesson, step),
        requireUnmet: false,
        signal,
        ...(setupPlayedAt ? { setupPlayedAt } : {}),
      });
      if (signal.aborted) return 'stopped';
      if (!r.passed) {
        notice(
          'error',
          `Could not catch up to step ${target + 1}: replaying step ${i + 1} (${step.title}) failed: ${r.detail}. ` +
            `Step ${target + 1} starts anyway, on a cluster that is NOT as the steps before it leave it; ctrl+r starts the lesson over.`,
        );
        return 'failed';
      }
      line = { done: i + 1, entered: false };
    }
    return 'ok';
  };

  /** The notice after a catch-up: what was done to the cluster, so nothing it shows comes as a surprise. */
  const caughtUp = (plan: EntryPlan, target: number) => {
    const done = [
      ...(plan.reset ? [`reset the cluster (${RESET_WHY[plan.resetWhy ?? 'unknown']})`] : []),
      ...(plan.replay.length ? [`replayed ${stepRange(plan.replay)} (setup, solution, goal)`] : []),
    ];
    const from =
      plan.replay.length > 1
        ? 'where they leave the cluster'
        : plan.replay.length
          ? 'where it leaves the cluster'
          : 'on a fresh cluster';
    notice('info', `Caught up for step ${target + 1}: ${done.join(', then ')}; it starts ${from}.`);
  };

  const enterCurrent = (): Promise<void> => {
    const mine = ++entry;
    solution?.abort();
    // The entry still running stops at once when its work is of no use to the step now wanted (`b` past it); going
    // forward it finishes the step it is on (it is on the way), and this entry goes on from there.
    const target = store.getState().lesson?.stepIndex;
    if (working !== undefined && target !== undefined && target <= working) stopEntry?.abort();
    const previous = entering;
    const run = async () => {
      // One entry at a time, and never while a played solution still acts on the cluster.
      await previous;
      await playing;
      await deps.clusterReady;
      if (mine !== entry || disposed) return;
      const state = store.getState().lesson;
      const index = state?.stepIndex ?? 0;
      const step = state && lesson.steps[index];
      if (!step) return;
      const stop = new AbortController();
      stopEntry = stop;
      const stale = () => mine !== entry || disposed || stop.signal.aborted;
      try {
        const plan = planEntry(lesson.steps, index, observedLine());
        let caught: 'ok' | 'failed' | 'stopped' = 'ok';
        if (plan.reset || plan.replay.length) caught = await catchUp(plan, index, stop.signal);
        if (caught === 'stopped' || stale()) return;
        if (caught === 'ok' && (plan.reset || plan.replay.length)) caughtUp(plan, index);
        if (plan.setup) {
          working = index;
          line = undefined;
          send({ type: 'catching-up' });
          if (step.setup.length) {
            const r = await playEntries(step.setup, deps, {
              since: markStep(store.getState(), now()),
              now,
              pollMs: deps.pollMs,
              signal: stop.signal,
            });
            if (stop.signal.aborted) return;
            if (!r.ok) notice('error', `Step setup failed: ${r.detail}`);
          }
          // After a failed catch-up the cluster is not where the lesson thinks: the next entry starts over.
          if (caught === 'ok') cameInto(index);
        }
        if (stale()) return;
        send({ type: 'step-entered' });
      } finally {
        working = undefined;
        if (stopEntry === stop) stopEntry = undefined;
      }
    };
    entering = run().catch((err: unknown) => {
      line = undefined;
      if (!disposed) notice('error', `Step setup failed: ${errorMessage(err)}`);
    });
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
      const played = playEntries(step.solution, deps, { since, now, pollMs: deps.pollMs, signal: solution.signal });
      playing = played.catch(() => {});
      const r = await played;
      send({ type: 'solution-finished', ok: r.ok, ...(r.ok ? {} : { detail: r.detail }) });
    },
    async reset() {
      // Whatever is under way stops first (a catch-up, a played solution), so nothing of it lands on the fresh cluster;
      // and the reset is in the chain of entries, so a step entered meanwhile waits for it.
      solution?.abort();
      entry++;
      stopEntry?.abort();
      const previous = entering;
      const resetting = (async () => {
        await previous;
        await playing;
        line = undefined;
        await deps.resetLab();
        line = FRESH;
      })();
      entering = resetting.catch(() => {});
      await resetting;
      send({ type: 'reset' });
      await enterCurrent();
    },
    ready: () => entering,
    dispose() {
      disposed = true;
      stopEntry?.abort();
      solution?.abort();
      unsubscribe();
      channel.remove();
      clearInterval(timer);
    },
  };
}
