// Keeps the lesson's scroll position meaningful, whether or not the lesson pane is on screen: a new step starts
// at its top; what just appeared is brought into view (a revealed hint, the goal with its explanation when it is
// met, the solution when shown); an offset left beyond the end (after a resize) is pulled back. Draws nothing.
// A goal already met when its step is entered (the step's setup done, or the cluster just ready: the TUI shows the
// lesson while the cluster starts) is not something that happened while the learner read: the step stays where
// they are reading.
// It lives beside the panes rather than in the lesson pane so that a step changed while the 80x24 cluster view
// hides the lesson still opens at its top.
import { memo, useEffect, useRef } from 'react';
import { useLab, useLabView } from '../hooks/use-lab.js';
import { useUi, useUiStore } from '../hooks/use-ui.js';
import { type Layout, paneInnerSize } from '../layout.js';
import { type LessonDoc, lessonWindow, revealScroll, type SectionId } from '../lib/lesson-doc.js';
import { solutionNote } from '../lib/solution-note.js';
import { uiOps } from '../state/ui-store.js';

export interface Seen {
  lessonId: string;
  step: number;
  /** The step has started (setup done, goals judged): lessons/types.ts `entered`. */
  entered: boolean;
  hints: number;
  met: boolean;
  solution: boolean;
  /** The "solution ran, goal not met" note is shown. */
  played: boolean;
  /** The choice answering the step's prediction. */
  answer?: number;
}

/** Sections brought into view together: from the start of the first present one to the end of the last. */
type Reveal = readonly SectionId[];

/**
 * What a change on the same step brings into view, in order: each entry lists candidates, the first of which that
 * fits the window is shown. Pure.
 */
export function revealsOnChange(before: Seen, now: Seen): Reveal[][] {
  const out: Reveal[][] = [];
  // Met while the learner is on the step: the outcome beside the prediction (when the step asked one), the goal's
  // verdict, the explanation. Met as the step is entered: nothing happened while they read.
  if (now.met && !before.met && before.entered) {
    out.push([['predict', 'goal', 'explain'], ['predict', 'goal'], ['goal', 'explain'], ['goal']]);
  }
  if (now.played && !before.played) out.push([['goal', 'played']]);
  // An answer: the choices with the pick marked.
  if (now.answer !== before.answer && now.answer !== undefined) out.push([['predict']]);
  // A hint with the goal it helps with.
  if (now.hints > before.hints) out.push([['goal', 'played', 'hints'], ['hints']]);
  if (now.solution && !before.solution) out.push([['solution']]);
  return out;
}

/** Lines a reveal covers in this document (undefined when none of its sections is there). */
function rangeOf(doc: LessonDoc, reveal: Reveal): { start: number; end: number } | undefined {
  const present = reveal.map((id) => doc.sections[id]).filter((r) => r !== undefined);
  const first = present[0];
  const last = present.at(-1);
  return first && last ? { start: first.start, end: last.end } : undefined;
}

export const LessonAutoScroll = memo(function LessonAutoScroll({ layout }: { layout: Layout }) {
  const lesson = useLab((s) => s.lesson);
  const topology = useLab((s) => s.topology);
  const stored = useUi((s) => s.scroll.lesson ?? 0);
  const run = useUi((s) => s.solutionRun);
  const played = useLabView((s) => solutionNote(s, run) !== undefined);
  // Only while a played solution may need its note (they change with every command otherwise).
  const clientResults = useLab((s) => (run ? s.clientResults : undefined));
  const actions = useLab((s) => (run ? s.actions : undefined));
  const uiStore = useUiStore();
  const seen = useRef<Seen | undefined>(undefined);
  // The last thing brought into view, where that left the window, and at which pane size.
  const last = useRef<{ reveal: Reveal; top: number; size: string } | undefined>(undefined);
  useEffect(() => {
    if (!lesson) {
      seen.current = undefined;
      last.current = undefined;
      return;
    }
    const now: Seen = {
      lessonId: lesson.lessonId,
      step: lesson.stepIndex,
      entered: lesson.entered,
      hints: lesson.hintsShown,
      met: lesson.goalMet,
      solution: lesson.solutionShown,
      played,
      answer: lesson.predictions[lesson.stepIndex]?.choice,
    };
    const before = seen.current;
    seen.current = now;
    if (before && (before.lessonId !== now.lessonId || before.step !== now.step)) {
      last.current = undefined;
      if (stored !== 0) uiOps.scrollTo(uiStore, 'lesson', 0);
      return;
    }
    const w = lessonWindow({ lesson, topology, clientResults, actions }, layout, stored, run);
    if (!w) return;
    const size = `${paneInnerSize(layout, 'lesson')?.width}x${w.rows}`;
    let next = w.top;
    let reveal: Reveal | undefined;
    // The first of these that fits the window whole; when none does, the start of the first.
    const pick = (...candidates: Reveal[]) => {
      const present = candidates.filter((c) => rangeOf(w.doc, c) !== undefined);
      reveal =
        present.find((c) => {
          const r = rangeOf(w.doc, c);
          return r !== undefined && r.end - r.start <= w.rows;
        }) ?? present[0];
      const r = reveal && rangeOf(w.doc, reveal);
      if (r) next = revealScroll(next, r, w.rows);
    };
    if (before) for (const candidates of revealsOnChange(before, now)) pick(...candidates);
    if (reveal) {
      last.current = { reveal, top: Math.max(0, Math.min(next, w.max)), size };
    } else if (last.current && last.current.size !== size && last.current.top === stored) {
      // Resized (or the lesson moved to another pane) and not scrolled since: keep what was shown in view.
      const r = rangeOf(w.doc, last.current.reveal);
      if (r) next = revealScroll(0, r, w.rows);
      last.current = { ...last.current, top: Math.max(0, Math.min(next, w.max)), size };
    }
    next = Math.max(0, Math.min(next, w.max));
    if (next !== stored) uiOps.scrollTo(uiStore, 'lesson', next);
  }, [lesson, topology, layout, stored, uiStore, run, played, clientResults, actions]);
  return null;
});
