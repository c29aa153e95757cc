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
      // The lesson is shown at once, so the learner reads its first step while the cluster starts (the tour's
      // Sentinels take ~2 s to discover each other); its steps are entered once the cluster is ready.
      let ready!: () => void;
      const clusterReady = new Promise<void>((resolve) => {
        ready = resolve;
      });
      let started = false;
      if (notice) lab.notice('warning', notice);
      const session = startLessonSession(
        chosen,
        {
          store: lab.store,
          use: (fold) => lab.use(fold),
          perform: (a) => lab.perform(a),
          resetLab: () => lab.reset(),
          onNotice: (level, text) => lab.notice(level, text),
          clusterReady,
        },
        { completedSteps, predictions },
      );
      const controls: LessonControls = {
        next: () => session.next(),
        previous: () => session.previous(),
        hint: () => session.hint(),
        predict: (choiceIndex: number) => session.predict(choiceIndex),
        toggleSolution: () => session.toggleSolution(),
        // Waits for the step to be entered, so a P pressed during the start plays once the cluster is ready.
        playSolution: () => session.playSolution(),
        // A cluster still starting has nothing to reset.
        reset: async () => {
          if (started) await session.reset();
        },
      };
      return {
        controls,
        started() {
          started = true;
          ready();
        },
        dispose() {
          session.dispose();
        },
      };
    },
  };
}
