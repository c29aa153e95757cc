// What the UI (and tests) may ask of the running lab. The UI never spawns processes or opens sockets itself.
import type { ActionOutcome, LabAction } from '../actions/catalog.js';
import type { MissingCapabilities } from '../deployments/deployment.js';
import type { LabStore } from './store.js';

export interface LessonControls {
  next(): void;
  previous(): void;
  hint(): void;
  /**
   * The learner's answer to the current step's prediction (`LessonStepView.predict`): `choiceIndex` is 0-based
   * (number key 1 is choice 0). It lands in `LessonRunState.predictions[stepIndex]` and in progress.json; ignored
   * when the step asks nothing, the index is out of range, or the outcome is already in (the answer is final then).
   */
  predict(choiceIndex: number): void;
  toggleSolution(): void;
  /** Performs the current step's solution actions, in order. */
  playSolution(): Promise<void>;
  /** Fresh configs, fresh Sentinel state: restarts the lesson's cluster. */
  reset(): Promise<void>;
}

export interface LabController {
  store: LabStore;
  /**
   * Capabilities the lab's deployment lacks, with the reason for each (deployments/deployment.ts): keys whose
   * actions need one are dimmed, and pressing them explains instead of failing.
   */
  unavailable: MissingCapabilities;
  /** Carries out an action; a failure comes back as {ok:false} and is already the action's own record. */
  perform(action: LabAction): Promise<ActionOutcome>;
  /**
   * The question to ask before a key carries out `action` (naming the deployment), or undefined to go ahead. Set on a
   * deployment the lab did not start, where every action it offers is confirmed first.
   */
  confirm?(action: LabAction): string | undefined;
  /** Present when a lesson (not the sandbox) is loaded. */
  lesson?: LessonControls;
  /** Export the run (history JSONL + Markdown report); resolves to the written paths. */
  exportRun(): Promise<{ jsonl: string; markdown: string }>;
  /** Clean up everything and resolve when the last process is gone. */
  quit(): Promise<void>;
}
