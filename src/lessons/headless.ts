// Headless lesson check (`lesson check --run`): start the lesson's cluster, and for each step perform its setup,
// require that the goal does NOT hold yet, play the solution, and require the goal (with holdMs) within a timeout.
// A step with `attempts` (its outcome decided by a race) is tried again after the lesson's reset when it misses.
// The same replay (replayStep) brings a live lesson's cluster up to a step entered out of order (session.ts).
import type { ActionOutcome, LabAction } from '../actions/catalog.js';
import { appendToGroups } from '../cluster/observe/event-groups.js';
import type { TopologyShape } from '../cluster/topology.js';
import { errorMessage } from '../errors.js';
import type { LabStore } from '../state/store.js';
import { evaluateGoal, markStep } from './checks.js';
import type { Measurement } from './measured.js';
import { DEFAULT_POLL_MS, type PlayTarget, playEntries, waitForGoal } from './play.js';
import { DEFAULT_STEP_TIMEOUT_MS, type Lesson, type LessonStep, startsWithReset } from './schema.js';
import { lessonShape } from './shape.js';
import type { StepMark } from './types.js';

/** What the headless checker needs from a running lab; the engine's Lab satisfies it. */
export interface HeadlessLab {
  store: LabStore;
  perform(action: LabAction): Promise<ActionOutcome>;
  shutdown(): Promise<void>;
}

export interface HeadlessDeps {
  startLab(shape: TopologyShape): Promise<HeadlessLab>;
  now?: () => number;
}

export interface HeadlessOptions {
  /** Timeout for steps that set none, when the lesson sets no stepTimeoutMs either. @default 60000 */
  stepTimeoutMs?: number;
  /** Store polling period. @default 100 */
  pollMs?: number;
  onStep?(report: StepReport): void;
}

export interface StepReport {
  id: string;
  passed: boolean;
  /** Time from the start of the step's setup to its verdict. */
  ms: number;
  detail: string;
  /** What the step's goal measured at its verdict (numbers next to `detail`; absent when the goal was not reached). */
  measured?: Measurement[];
  /** Not run because an earlier step failed. */
  skipped?: boolean;
  /** How many times the step was tried, when more than once (a step with `attempts`; the detail names each miss). */
  attempts?: number;
  /**
   * A failed step's Sentinel events since the step started, one line per event (the same event from several
   * Sentinels within 1.5 s is one line naming them all), oldest first; at most STEP_EVENT_LINES, the newest kept.
   */
  events?: string[];
}

/** How many event lines a failed step's report keeps. */
export const STEP_EVENT_LINES = 60;

/**
 * The Sentinel events of a step, briefly: `+4.2 s  +slave-reconf-sent redis-1  (sentinel-3)`, the time counted
 * from the step's start. What a failed `lesson check --run` prints, so a failure on a CI machine can be read.
 */
export function stepEventLines(store: LabStore, since: StepMark, limit = STEP_EVENT_LINES): string[] {
  const events = store.getState().events.filter((e) => e.seq > since.eventSeq);
  const groups = appendToGroups([], events, { windowMs: 1500, limit: Number.MAX_SAFE_INTEGER });
  const lines = groups.map((g) => {
    const t = ((g.firstAt - since.at) / 1000).toFixed(1);
    const about = g.subjectId ?? g.payload;
    return `+${t} s  ${g.channel}${about ? ` ${about}` : ''}  (${g.sentinelIds.join(', ')})`;
  });
  if (lines.length <= limit) return lines;
  return [`… ${lines.length - limit + 1} earlier event(s) left out`, ...lines.slice(lines.length - limit + 1)];
}

export interface LessonReport {
  lessonId: string;
  passed: boolean;
  ms: number;
  steps: StepReport[];
  /** The lab failed to start or shut down. */
  error?: string;
}

export async function runLessonHeadless(
  lesson: Lesson,
  deps: HeadlessDeps,
  opts: HeadlessOptions = {},
): Promise<LessonReport> {
  const now = deps.now ?? Date.now;
  const t0 = now();
  const steps: StepReport[] = [];
  const finish = (error?: string): LessonReport => {
    for (const s of lesson.steps.slice(steps.length)) {
      steps.push({ id: s.id, passed: false, ms: 0, detail: 'not run: an earlier step failed', skipped: true });
    }
    const passed = !error && steps.every((s) => s.passed);
    return { lessonId: lesson.id, passed, ms: now() - t0, steps, ...(error ? { error } : {}) };
  };

  let lab: HeadlessLab;
  try {
    lab = await deps.startLab(lessonShape(lesson.topology));
  } catch (err) {
    return finish(`the lab did not start: ${errorMessage(err)}`);
  }
  let error: string | undefined;
  try {
    for (const step of lesson.steps) {
      const timeoutMs = stepTimeoutMs(lesson, step, opts.stepTimeoutMs);
      const report = await runAttempts(step, lab, {
        now,
        timeoutMs,
        pollMs: opts.pollMs ?? DEFAULT_POLL_MS,
        requireUnmet: true,
      });
      steps.push(report);
      opts.onStep?.(report);
      if (!report.passed) break;
    }
  } catch (err) {
    error = `unexpected error: ${errorMessage(err)}`;
  } finally {
    try {
      await lab.shutdown();
    } catch (err) {
      error ??= `shutdown failed: ${errorMessage(err)}`;
    }
  }
  return finish(error);
}

/** A step's time limit: its own, else the lesson's, else `fallback`, else DEFAULT_STEP_TIMEOUT_MS. */
export function stepTimeoutMs(
  lesson: Pick<Lesson, 'stepTimeoutMs'>,
  step: Pick<LessonStep, 'timeoutMs'>,
  fallback?: number,
): number {
  return step.timeoutMs ?? lesson.stepTimeoutMs ?? fallback ?? DEFAULT_STEP_TIMEOUT_MS;
}

/** How a step is run: the clock, the step's time limit and how often its goal is checked. */
export interface StepRunOptions {
  now: () => number;
  timeoutMs: number;
  pollMs: number;
  /**
   * The check's rule: the goal must not hold before the solution (unless the step says `alreadySolved`). A replay
   * that only brings the cluster somewhere leaves it out.
   */
  requireUnmet: boolean;
  /** Stops the step between entries and while waiting (a report that fails with "stopped"). */
  signal?: AbortSignal;
  /**
   * The step's setup already ran, and the step started at this mark: the first try plays only the solution (a
   * further attempt starts afresh, with the setup).
   */
  setupPlayedAt?: StepMark;
}

/**
 * Brings the cluster through one step as `lesson check --run` does: its setup, its solution, then its goal within
 * the step's time limit (with `attempts`, again on a fresh cluster after a miss). What session.ts plays for each
 * earlier step when a learner enters a step out of order (a resumed lesson, `n` on a step not met, `b`).
 */
export function replayStep(step: LessonStep, lab: PlayTarget, o: StepRunOptions): Promise<StepReport> {
  return runAttempts(step, lab, o);
}

/**
 * runStep, and for a step with `attempts` (its outcome decided by a race) again on a fresh cluster after each miss:
 * the lesson's reset, unless the step's own setup starts with one. The report names every miss.
 */
async function runAttempts(step: LessonStep, lab: PlayTarget, o: StepRunOptions): Promise<StepReport> {
  const start = o.now();
  let report = await runStep(step, lab, o);
  const misses: string[] = [];
  for (let attempt = 2; !report.passed && attempt <= step.attempts && !o.signal?.aborted; attempt++) {
    if (!startsWithReset(step)) {
      const reset = await lab.perform({ kind: 'reset' });
      if (!reset.ok) {
        report = { ...report, detail: `${report.detail}; the reset before attempt ${attempt} failed: ${reset.text}` };
        break;
      }
    }
    misses.push(`attempt ${attempt - 1}: ${report.detail}`);
    report = await runStep(step, lab, { ...o, setupPlayedAt: undefined });
  }
  if (!misses.length) return report;
  const tried = misses.length + 1;
  return {
    ...report,
    ms: o.now() - start,
    attempts: tried,
    detail: report.passed
      ? `${report.detail} (on attempt ${tried} of ${step.attempts}; ${misses.join('; ')})`
      : `attempt ${tried}: ${report.detail} (missed ${tried} times; ${misses.join('; ')})`,
  };
}

async function runStep(step: LessonStep, lab: PlayTarget, o: StepRunOptions): Promise<StepReport> {
  const start = o.now();
  const report = (passed: boolean, detail: string, measured?: Measurement[]): StepReport => ({
    id: step.id,
    passed,
    ms: o.now() - start,
    detail,
    ...(measured ? { measured } : {}),
  });

  const signal = o.signal;
  let mark = o.setupPlayedAt;
  if (!mark) {
    const setup = await playEntries(step.setup, lab, {
      since: markStep(lab.store.getState(), start),
      now: o.now,
      pollMs: o.pollMs,
      signal,
    });
    if (!setup.ok) return report(false, `setup failed: ${setup.detail}`);
    mark = markStep(lab.store.getState(), o.now());
  }
  const since = mark;
  // The time limit counts from the solution's start: a step whose setup ran long ago still gets all of it.
  const solutionStart = o.setupPlayedAt ? o.now() : since.at;

  const before = evaluateGoal(step.goal, { state: lab.store.getState(), now: o.now(), since });
  if (o.requireUnmet && before.met && !step.alreadySolved) {
    return report(
      false,
      `the goal already holds before the solution (${before.detail}); fix the step or set alreadySolved: true`,
      before.measured,
    );
  }

  // A failed step says what the Sentinels did meanwhile: its detail names only the unmet part of the goal.
  const failed = (detail: string, measured?: Measurement[]): StepReport => ({
    ...report(false, detail, measured),
    events: stepEventLines(lab.store, since),
  });
  const played = await playEntries(step.solution, lab, { since, now: o.now, pollMs: o.pollMs, signal });
  if (!played.ok) return failed(`solution failed: ${played.detail}`);

  const remaining = Math.max(0, o.timeoutMs - (o.now() - solutionStart));
  const result = await waitForGoal(lab.store, step.goal, {
    since,
    now: o.now,
    pollMs: o.pollMs,
    timeoutMs: remaining,
    signal,
  });
  if (signal?.aborted && !result.met) return failed('stopped');
  if (!result.met) return failed(`goal not met within ${o.timeoutMs} ms: ${result.detail}`, result.measured);
  return report(true, result.detail, result.measured);
}
