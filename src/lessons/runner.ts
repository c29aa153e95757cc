// The lesson runner: a pure reducer from lesson events to LessonRunState. The controller feeds it navigation, ticks
// (a LabState snapshot and the time) and solution progress; no processes, no timers, no I/O. Sandbox = undefined state.
import type { LabState } from '../state/store.js';
import { evaluateGoal, holdingDetail, markStep, trackHold } from './checks.js';
import { describeGoal } from './describe.js';
import { fillStepText } from './placeholders.js';
import type { Goal, Lesson } from './schema.js';
import type { LessonRunState, LessonStepView, PredictionAnswer, StepStatus } from './types.js';

/** A prediction as progress.json keeps it (progress.ts): the choice, and when it was made. */
export interface SavedPrediction {
  choice: number;
  at: number;
}

export type LessonEvent =
  /**
   * Start a lesson; steps in `completedSteps` (from progress.ts) count as done, and it resumes at the first other.
   * `predictions` are the answers saved for it, by step id.
   */
  | {
      type: 'load';
      lesson: Lesson;
      completedSteps?: readonly string[];
      predictions?: Readonly<Record<string, SavedPrediction>>;
    }
  /** The controller performed the step's setup: the step starts now, and "since the step started" begins here. */
  | { type: 'step-entered'; state: LabState; now: number }
  /** A fresh snapshot: re-evaluate the goal (and its holdMs). */
  | { type: 'tick'; state: LabState; now: number }
  | { type: 'hint-requested' }
  /**
   * The learner's answer to the current step's prediction (`choice` 0-based). Taken until the outcome is in (the
   * goal is met); a later answer replaces an earlier one, and once resolved the answer is final.
   */
  | { type: 'predicted'; choice: number; at: number }
  | { type: 'solution-toggled' }
  | { type: 'solution-started' }
  | { type: 'solution-finished'; ok: boolean; detail?: string }
  | { type: 'next' }
  | { type: 'previous' }
  | { type: 'goto'; index: number }
  /** The cluster was reset: back to the first step (completed steps stay completed). */
  | { type: 'reset' };

export function stepViews(lesson: Lesson): LessonStepView[] {
  return lesson.steps.map((s) => ({
    id: s.id,
    title: s.title,
    prose: s.prose,
    goalText: s.goalText ?? describeGoal(s.goal),
    goal: s.goal,
    setup: s.setup,
    hints: s.hints,
    solution: s.solution,
    ...(s.explain === undefined ? {} : { explain: s.explain }),
    ...(s.predict === undefined ? {} : { predict: s.predict }),
  }));
}

export function startLesson(
  lesson: Lesson,
  completedSteps: readonly string[] = [],
  saved: Readonly<Record<string, SavedPrediction>> = {},
): LessonRunState {
  const done = new Set(completedSteps);
  const steps = stepViews(lesson);
  const achieved = steps.map((s) => done.has(s.id));
  // A saved answer counts only while it still names one of the step's choices (lessons change between versions).
  const predictions = steps.map((s, i): PredictionAnswer | undefined => {
    const a = Object.hasOwn(saved, s.id) ? saved[s.id] : undefined;
    const choice = a && s.predict?.choices[a.choice];
    if (!a || !choice) return undefined;
    return { choice: a.choice, correct: choice.correct, at: a.at, resolved: achieved[i] ?? false };
  });
  const first = achieved.indexOf(false);
  const base: LessonRunState = {
    lessonId: lesson.id,
    title: lesson.title,
    summary: lesson.summary,
    steps,
    stepIndex: 0,
    status: achieved.map((a): StepStatus => (a ? 'done' : 'pending')),
    achieved,
    entered: false,
    goalMet: false,
    goalDetail: '',
    hintsShown: 0,
    solutionShown: false,
    playingSolution: false,
    predictions,
    completed: achieved.every(Boolean),
  };
  return enter(base, Math.max(first, 0));
}

export function reduceLesson(state: LessonRunState | undefined, event: LessonEvent): LessonRunState | undefined {
  if (event.type === 'load') return startLesson(event.lesson, event.completedSteps, event.predictions);
  if (!state) return undefined;
  const step = state.steps[state.stepIndex];
  switch (event.type) {
    case 'step-entered': {
      // Lesson text may name addresses only the running lab knows ({{cli redis-1}}); fill them from its topology.
      const steps = fillSteps(state.steps, event.state);
      const entered = {
        ...state,
        steps,
        entered: true,
        since: markStep(event.state, event.now),
        goalHeldSince: undefined,
      };
      return evaluate(entered, event.state, event.now);
    }
    case 'tick':
      return evaluate(state, event.state, event.now);
    case 'hint-requested':
      return step && state.hintsShown < step.hints.length ? { ...state, hintsShown: state.hintsShown + 1 } : state;
    case 'predicted':
      return predict(state, event.choice, event.at);
    case 'solution-toggled':
      return { ...state, solutionShown: !state.solutionShown };
    case 'solution-started':
      return { ...state, playingSolution: true, solutionShown: true, solutionError: undefined };
    case 'solution-finished':
      return {
        ...state,
        playingSolution: false,
        solutionError: event.ok ? undefined : (event.detail ?? 'the solution stopped early'),
      };
    case 'next':
      if (state.stepIndex < state.steps.length - 1) return enter(state, state.stepIndex + 1);
      return finishLast(state);
    case 'previous':
      return state.stepIndex > 0 ? enter(state, state.stepIndex - 1) : state;
    case 'goto':
      return event.index >= 0 && event.index < state.steps.length && event.index !== state.stepIndex
        ? enter(state, event.index)
        : state;
    case 'reset':
      return enter(state, 0);
  }
}

/**
 * Whether the current step is waiting for the learner's prediction (asked, not answered, outcome not in yet). An
 * answer is final: the goal line shows once it is given, and the goal names the outcome, so a changed answer would
 * be scored against what the screen already said.
 */
export function predictionOpen(state: LessonRunState): boolean {
  const i = state.stepIndex;
  return state.steps[i]?.predict !== undefined && state.status[i] !== 'met' && state.predictions[i] === undefined;
}

function predict(state: LessonRunState, choice: number, at: number): LessonRunState {
  const i = state.stepIndex;
  const picked = state.steps[i]?.predict?.choices[choice];
  if (!picked || !Number.isInteger(choice) || !predictionOpen(state)) return state;
  const answer: PredictionAnswer = { choice, correct: picked.correct, at, resolved: false };
  return { ...state, predictions: state.predictions.map((p, j) => (j === i ? answer : p)) };
}

function fillSteps(steps: LessonStepView[], lab: LabState): LessonStepView[] {
  const filled = steps.map((s) => fillStepText(s, lab.topology));
  return filled.every((s, i) => s === steps[i]) ? steps : filled;
}

/** Leaves the current step (done if it was ever met, else pending) and waits for `step-entered` on `index`. */
function enter(state: LessonRunState, index: number): LessonRunState {
  const status = state.status.map((s, i): StepStatus => {
    if (i === index) return 'active';
    if (s === 'active' || s === 'met') return state.achieved[i] ? 'done' : 'pending';
    return s;
  });
  const next = state.steps[index];
  // Entering a step starts a fresh attempt at it (ctrl+r, b, n, a resumed lesson): an answer the outcome already
  // resolved belongs to the earlier attempt, and its "Observed" to a cluster that may no longer exist, so the question
  // is asked again. An answer still waiting for its outcome stays: nothing the learner saw has answered it.
  const predictions = state.predictions[index]?.resolved
    ? state.predictions.map((p, j) => (j === index ? undefined : p))
    : state.predictions;
  return {
    ...state,
    stepIndex: index,
    status,
    predictions,
    entered: false,
    since: undefined,
    goalMet: false,
    goalDetail: next && next.setup.length > 0 ? 'setting up the step…' : 'waiting for the lab…',
    goalHeldSince: undefined,
    hintsShown: 0,
    solutionShown: false,
    playingSolution: false,
    solutionError: undefined,
  };
}

/** `next` on the last step: mark it done if it was met. */
function finishLast(state: LessonRunState): LessonRunState {
  const i = state.stepIndex;
  if (state.status[i] !== 'met') return state;
  const status = state.status.map((s, j): StepStatus => (j === i ? 'done' : s));
  return { ...state, status };
}

/** Any +switch-master since the step started, timed from the fault (the failoverTook predicate's own measure). */
const SWITCH_TIMED: Goal = { failoverTook: { atLeastMs: 0 } };

/**
 * The outcome a prediction is answered with: the goal check's words, and, when the master switched in this step, how
 * long that took in this run. A timing question is answered by the typical case, and a run can take far longer
 * (split votes: no leader, and the next attempt only 2 × failover-timeout later; sentinel.c,
 * sentinelStartFailoverIfNeeded), so the learner sees the measured figure beside it.
 */
function withFailoverTime(detail: string, ctx: Parameters<typeof evaluateGoal>[1]): string {
  const took = evaluateGoal(SWITCH_TIMED, ctx);
  return took.met && !detail.includes(took.detail) ? `${detail}; ${took.detail}` : detail;
}

function evaluate(state: LessonRunState, lab: LabState, now: number): LessonRunState {
  const i = state.stepIndex;
  const step = state.steps[i];
  // Goals are latched once met, and not evaluated before the step has started.
  if (!step || !state.entered || !state.since || state.status[i] === 'met') return state;
  const result = evaluateGoal(step.goal, { state: lab, now, since: state.since });
  const holdMs = step.goal.holdMs ?? 0;
  const held = trackHold(state.goalHeldSince, result.met, now, holdMs);
  if (held.satisfied) {
    const achieved = state.achieved.map((a, j) => a || j === i);
    // The outcome answers the prediction: the answer becomes final, with what the check saw beside it.
    const answer = state.predictions[i];
    const outcome = withFailoverTime(result.detail, { state: lab, now, since: state.since });
    const predictions =
      answer && !answer.resolved
        ? state.predictions.map((p, j) => (j === i ? { ...answer, resolved: true, outcome } : p))
        : state.predictions;
    return {
      ...state,
      status: state.status.map((s, j): StepStatus => (j === i ? 'met' : s)),
      achieved,
      predictions,
      goalMet: true,
      goalDetail: result.detail,
      goalHeldSince: held.heldSince,
      completed: achieved.every(Boolean),
    };
  }
  const goalDetail = holdingDetail(result.detail, held, now, holdMs);
  if (!state.goalMet && state.goalDetail === goalDetail && state.goalHeldSince === held.heldSince) return state;
  return { ...state, goalMet: false, goalDetail, goalHeldSince: held.heldSince };
}
