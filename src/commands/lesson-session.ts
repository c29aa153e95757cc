// Chooses the lesson the TUI opens (the one asked for, else the first not yet completed) and attaches it to a lab.
import type { TopologyShape } from '../cluster/topology.js';
import type { Lab } from '../engine/lab.js';
import { loadAllLessons, loadLesson } from '../lessons/loader.js';
import { loadProgress, savedPredictions } from '../lessons/progress.js';
import type { Lesson } from '../lessons/schema.js';
import { startLessonSession } from '../lessons/session.js';
import { lessonShape } from '../lessons/shape.js';
import type { LessonControls } from '../state/controller.js';

export interface OpenLesson {
  lesson: Lesson;
  shape: TopologyShape;
  attach(lab: Lab): { controls: LessonControls; started(): void; dispose(): void };
}

/** `ref` given: that lesson. Otherwise the first lesson not completed yet; undefined (sandbox) when all are done. */
export async function openLesson(ref: string | undefined): Promise<OpenLesson | undefined> {
  const { progress, notice } = await loadProgress();
  let lesson: Lesson | undefined;
  if (ref) lesson = await loadLesson(ref);
  else lesson = (await loadAllLessons()).find((l) => !progress.lessons[l.id]?.completed);
  if (!lesson) return undefined;
  const chosen = lesson;
  const completedSteps = progress.lessons[chosen.id]?.completedSteps ?? [];
  const predictions = savedPredictions(progress.lessons[chosen.id]);
  return {
    lesson: chosen,
    shape: lessonShape(chosen.topology),
    attach(lab) {
      let session: ReturnType<typeof startLessonSession> | undefined;
      const pending: Array<() => void> = [];
      const later =
        <A extends unknown[]>(fn: (s: ReturnType<typeof startLessonSession>, ...a: A) => unknown) =>
        (...a: A) => {
          // Keys pressed before the cluster is ready take effect once the lesson has started.
          if (session) return fn(session, ...a);
          pending.push(() => fn(session!, ...a));
          return undefined;
        };
      if (notice) lab.notice('warning', notice);
      const controls: LessonControls = {
        next: later((s) => s.next()),
        previous: later((s) => s.previous()),
        hint: later((s) => s.hint()),
        predict: later((s, choiceIndex: number) => s.predict(choiceIndex)),
        toggleSolution: later((s) => s.toggleSolution()),
        playSolution: async () => {
          await (session ? session.playSolution() : Promise.resolve(later((s) => s.playSolution())()));
        },
        reset: async () => {
          await (session ? session.reset() : Promise.resolve());
        },
      };
      return {
        controls,
        started() {
          session = startLessonSession(
            chosen,
            {
              store: lab.store,
              use: (fold) => lab.use(fold),
              perform: (a) => lab.perform(a),
              resetLab: () => lab.reset(),
              onNotice: (level, text) => lab.notice(level, text),
            },
            { completedSteps, predictions },
          );
          for (const f of pending.splice(0)) f();
        },
        dispose() {
          session?.dispose();
        },
      };
    },
  };
}
