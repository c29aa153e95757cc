// Keeps the lesson's scroll position meaningful, whether or not the lesson pane is on screen: a new step starts
// at its top; what just appeared is brought into view (a revealed hint, the goal with its explanation when it is
// met, the solution when shown); an offset left beyond the end (after a resize) is pulled back. Draws nothing.
// It lives beside the panes rather than in the lesson pane so that a step changed while the 80x24 cluster view
// hides the lesson still opens at its top.
import { memo, useEffect, useRef } from 'react';
import { useLab } from '../hooks/use-lab.js';
import { useUi, useUiStore } from '../hooks/use-ui.js';
import type { Layout } from '../layout.js';
import { lessonWindow, revealScroll } from '../lib/lesson-doc.js';
import { uiOps } from '../state/ui-store.js';

interface Seen {
  lessonId: string;
  step: number;
  hints: number;
  met: boolean;
  solution: boolean;
}

export const LessonAutoScroll = memo(function LessonAutoScroll({ layout }: { layout: Layout }) {
  const lesson = useLab((s) => s.lesson);
  const topology = useLab((s) => s.topology);
  const stored = useUi((s) => s.scroll.lesson ?? 0);
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
    };
    const before = seen.current;
    seen.current = now;
    if (before && (before.lessonId !== now.lessonId || before.step !== now.step)) {
      if (stored !== 0) uiOps.scrollTo(uiStore, 'lesson', 0);
      return;
    }
    const w = lessonWindow({ lesson, topology }, layout, stored);
    if (!w) return;
    let next = w.top;
    if (before) {
      const { goal, explain, hints, solution } = w.doc.sections;
      if (now.met && !before.met && goal) {
        next = revealScroll(next, { start: goal.start, end: explain?.end ?? goal.end }, w.rows);
      }
      if (now.hints > before.hints && hints) next = revealScroll(next, hints, w.rows);
      if (now.solution && !before.solution && solution) next = revealScroll(next, solution, w.rows);
    }
    next = Math.max(0, Math.min(next, w.max));
    if (next !== stored) uiOps.scrollTo(uiStore, 'lesson', next);
  }, [lesson, topology, layout, stored, uiStore]);
  return null;
});
