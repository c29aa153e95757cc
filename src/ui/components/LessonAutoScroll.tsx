// Keeps the lesson's scroll position meaningful, whether or not the lesson pane is on screen: a new step starts
// at its top; what just appeared is brought into view (a revealed hint, the goal with its explanation when it is
// met, the solution when shown); an offset left beyond the end (after a resize) is pulled back. Draws nothing.
// It lives beside the panes rather than in the lesson pane so that a step changed while the 80x24 cluster view
// hides the lesson still opens at its top.
import { memo, useEffect, useRef } from 'react';
import { useLab, useLabView } from '../hooks/use-lab.js';
import { useUi, useUiStore } from '../hooks/use-ui.js';
import type { Layout } from '../layout.js';
import { lessonWindow, revealScroll } from '../lib/lesson-doc.js';
import { solutionNote } from '../lib/solution-note.js';
import { uiOps } from '../state/ui-store.js';

interface Seen {
  lessonId: string;
  step: number;
  hints: number;
  met: boolean;
  solution: boolean;
  /** The "solution ran, goal not met" note is shown. */
  played: boolean;
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
  useEffect(() => {
    if (!lesson) {
      seen.current = undefined;
      return;
    }
    const now: Seen = {
      lessonId: lesson.lessonId,
      step: lesson.stepIndex,
      hints: lesson.hintsShown,
      met: lesson.goalMet,
      solution: lesson.solutionShown,
      played,
    };
    const before = seen.current;
    seen.current = now;
    if (before && (before.lessonId !== now.lessonId || before.step !== now.step)) {
      if (stored !== 0) uiOps.scrollTo(uiStore, 'lesson', 0);
      return;
    }
    const w = lessonWindow({ lesson, topology, clientResults, actions }, layout, stored, run);
    if (!w) return;
    let next = w.top;
    if (before) {
      const { predict, goal, explain, hints, solution } = w.doc.sections;
      // Met: the outcome beside the prediction (when the step asked one), the goal and the explanation.
      if (now.met && !before.met && goal) {
        next = revealScroll(next, { start: predict?.start ?? goal.start, end: explain?.end ?? goal.end }, w.rows);
      }
      if (now.played && !before.played && w.doc.sections.played) {
        next = revealScroll(next, { start: goal?.start ?? 0, end: w.doc.sections.played.end }, w.rows);
      }
      if (now.hints > before.hints && hints) next = revealScroll(next, hints, w.rows);
      if (now.solution && !before.solution && solution) next = revealScroll(next, solution, w.rows);
    }
    next = Math.max(0, Math.min(next, w.max));
    if (next !== stored) uiOps.scrollTo(uiStore, 'lesson', next);
  }, [lesson, topology, layout, stored, uiStore, run, played, clientResults, actions]);
  return null;
});
