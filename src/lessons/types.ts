// The lesson runner's view state, as stored in LabState.lesson and drawn by the lesson pane.
import type { Goal, PredictDoc, SolutionEntry } from './schema.js';

/** pending: not reached (or skipped) · active: current, goal not met yet · met: current, goal met · done: met and left. */
export type StepStatus = 'pending' | 'active' | 'met' | 'done';

export interface LessonStepView {
  id: string;
  title: string;
  /** Markdown prose shown for the step. */
  prose: string;
  /** Plain-language statement of the goal ("redis-1 is a replica again"). */
  goalText: string;
  /** The goal itself; the runner evaluates it on every tick. */
  goal: Goal;
  /** Actions (and waits) the controller performs when the step is entered, before `step-entered`. */
  setup: SolutionEntry[];
  hints: string[];
  /** The same actions the keyboard triggers, plus `{waitFor, timeoutMs}` waits; see play.ts. */
  solution: SolutionEntry[];
  /** Prose shown once the goal is met: what happened and why. */
  explain?: string;
  /** Asked when the step starts, before the learner acts; the goal's outcome answers it. */
  predict?: PredictDoc;
}

/** The learner's answer to a step's `predict` question. */
export interface PredictionAnswer {
  /** Index into the step's `predict.choices` (0-based: number key 1 is choice 0). */
  choice: number;
  /** Whether that choice is marked correct. */
  correct: boolean;
  /** When it was given (runner clock), or when it was saved (progress, ms since the epoch). */
  at: number;
  /**
   * The outcome is in: the step's goal was met after the answer (this run or a saved one). A resolved answer is
   * final; before that the learner may change it.
   */
  resolved: boolean;
  /** What the goal check said when it was met ("redis-1 refuses writes: NOREPLICAS …"), shown beside the answer. */
  outcome?: string;
}

/**
 * What the lab looked like when a step started. "Since the step started" predicates count only records newer than
 * this, compared by sequence numbers and snapshots rather than clocks, so engine time and runner time never mix.
 */
export interface StepMark {
  /** Runner time the step started. */
  at: number;
  /** Highest Sentinel event seq at step start (-1 when none). */
  eventSeq: number;
  /** Highest client result seq at step start (-1 when none). */
  clientSeq: number;
  /** Highest action record seq at step start (-1 when none). */
  actionSeq: number;
  /** `at` of the newest notification-script line at step start (-1 when none). */
  notificationAt: number;
  /** Failover timelines already complete at step start. */
  completedFailovers: string[];
  /** Failover timelines that had already switched master at step start. */
  switchedFailovers: string[];
  /** `at` of the ledger verdict present at step start, if any. */
  verdictAt?: number;
  /** Workload counts at step start (the workload pane's live counts). */
  workloadOk: number;
  workloadErrors: Record<string, number>;
}

export interface LessonRunState {
  lessonId: string;
  title: string;
  summary: string;
  steps: LessonStepView[];
  stepIndex: number;
  status: StepStatus[];
  /** Steps met at least once (this run or a saved one); a met step left behind shows as done. */
  achieved: boolean[];
  /**
   * False between navigating to a step and the controller reporting `step-entered` (setup done); goals are not
   * evaluated meanwhile.
   */
  entered: boolean;
  /** Set by `step-entered`. */
  since?: StepMark;
  /** Current step's goal right now (latched true once met). */
  goalMet: boolean;
  /** What is still missing, or why it passed ("sentinel-3 still names redis-1"). */
  goalDetail: string;
  /** Since when the goal has held continuously (for holdMs). */
  goalHeldSince?: number;
  hintsShown: number;
  solutionShown: boolean;
  playingSolution: boolean;
  /** Why the last solution run stopped early, if it did. */
  solutionError?: string;
  /** Each step's prediction answer (undefined: not answered, or the step asks none), by step index. */
  predictions: Array<PredictionAnswer | undefined>;
  /** Every step has been met. */
  completed: boolean;
}
