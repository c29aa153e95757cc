// The lesson runner's view state, as stored in LabState.lesson and drawn by the lesson pane.
import type { LabAction } from '../cluster/actions.js';

export type StepStatus = 'pending' | 'active' | 'met' | 'done';

export interface LessonStepView {
  id: string;
  title: string;
  /** Markdown prose shown for the step. */
  prose: string;
  /** Plain-language statement of the goal ("redis-1 is a replica again"). */
  goalText: string;
  hints: string[];
  solution: LabAction[];
  /** Prose shown once the goal is met: what happened and why. */
  explain?: string;
}

export interface LessonRunState {
  lessonId: string;
  title: string;
  summary: string;
  steps: LessonStepView[];
  stepIndex: number;
  status: StepStatus[];
  /** Current step's goal right now. */
  goalMet: boolean;
  /** What is still missing, or why it passed ("sentinel-3 still names redis-1"). */
  goalDetail: string;
  /** Since when the goal has held continuously (for holdMs). */
  goalHeldSince?: number;
  hintsShown: number;
  solutionShown: boolean;
  playingSolution: boolean;
  completed: boolean;
}
