// When P played a step's solution and the goal is still not met, the lesson pane says why: the goal check's live
// detail and the client commands of the solution that Redis refused. The lesson runner reports a solution that
// stopped on a failed action itself (solutionError); this covers the other case, a solution that ran to its end.
// Pure: it reads the lab state and what the UI remembered when P was pressed.
import type { LabState } from '../../state/store.js';

/** Remembered when P is pressed: where the step's records stood, and whether the playback has finished. */
export interface SolutionRun {
  lessonId: string;
  step: number;
  /** When that step was entered (its mark): a reset or p/n enters it again, and the note no longer applies. */
  enteredAt: number | undefined;
  /** Highest action record and client result seq before the solution started (-1: none). */
  actionSeq: number;
  clientSeq: number;
  finished: boolean;
}

export function highestSeq(items: ReadonlyArray<{ seq: number }>): number {
  return items.reduce((m, x) => Math.max(m, x.seq), -1);
}

export function solutionRunFor(lab: Pick<LabState, 'lesson' | 'actions' | 'clientResults'>): SolutionRun | undefined {
  const lesson = lab.lesson;
  if (!lesson) return undefined;
  return {
    lessonId: lesson.lessonId,
    step: lesson.stepIndex,
    enteredAt: lesson.since?.at,
    actionSeq: highestSeq(lab.actions),
    clientSeq: highestSeq(lab.clientResults),
    finished: false,
  };
}

/** At most this many refused commands are listed (the newest). */
const REFUSED_SHOWN = 3;

export interface SolutionNote {
  /** "The solution has run, but the goal is not met yet: …" */
  headline: string;
  /** "client A: SET age 333 → NOREPLICAS Not enough good replicas to write." (failed client commands, oldest first) */
  refused: string[];
}

/** What to say under the goal, or undefined when there is nothing to explain (not played, met, still playing). */
export function solutionNote(
  lab: Pick<LabState, 'lesson'> & Partial<Pick<LabState, 'actions' | 'clientResults'>>,
  run: SolutionRun | undefined,
): SolutionNote | undefined {
  const lesson = lab.lesson;
  if (!lesson || !run?.finished) return undefined;
  if (run.lessonId !== lesson.lessonId || run.step !== lesson.stepIndex) return undefined;
  if (run.enteredAt !== lesson.since?.at) return undefined;
  if (lesson.goalMet || lesson.playingSolution || lesson.solutionError !== undefined) return undefined;
  const refused = (lab.clientResults ?? [])
    .filter((r) => r.seq > run.clientSeq && !r.ok)
    .slice(-REFUSED_SHOWN)
    .map((r) => `client ${r.client}: ${r.command} → ${r.text}`);
  const failed = (lab.actions ?? [])
    .filter((a) => a.seq > run.actionSeq && a.status === 'failed')
    .slice(-REFUSED_SHOWN)
    .map((a) => `${a.title} → ${a.result ?? 'failed'}`);
  const detail = lesson.goalDetail || 'the check has not passed';
  return { headline: `The solution has run, but the goal is not met yet: ${detail}`, refused: [...failed, ...refused] };
}
