// Predict, then observe, in the shipped lessons: the text shown with an open question must not give its answer away.
// The goal line waits for the answer (src/ui/lib/lesson-doc.ts); the step's title and prose are shown with the
// question, so they must say what to do and what to watch, never what will happen (a tester's report: 16 steps did).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadAllLessons } from '../../src/lessons/loader.js';
import type { Lesson } from '../../src/lessons/schema.js';

let lessons: Lesson[] = [];
before(async () => {
  lessons = await loadAllLessons();
});

/** Sentences that announce an outcome: "Expect NOREPLICAS.", "The goal: … still names redis-1", "The answer is …". */
const ANNOUNCES = [/\bExpect\b/, /\bThe goal(?: expects)?:/, /\bThe goal expects\b/, /\bThe answer is\b/];

function predictSteps() {
  return lessons.flatMap((l) =>
    l.steps.flatMap((s) => (s.predict ? [{ where: `${l.id}/${s.id}`, step: s, predict: s.predict }] : [])),
  );
}

describe('the text shown with an open prediction', () => {
  it('every lesson asks at least one (the check below looks at something)', () => {
    assert.ok(predictSteps().length >= lessons.length, `${predictSteps().length} predictions`);
  });

  it('announces no outcome in the step text ("Expect …", "The goal: …", "The answer is …")', () => {
    const found = predictSteps().flatMap(({ where, step }) =>
      ANNOUNCES.filter((re) => re.test(step.prose)).map((re) => `${where}: ${re}`),
    );
    assert.deepEqual(found, []);
  });

  it('quotes no right choice in the title or text', () => {
    const norm = (s: string) => s.replace(/[`*"]/g, '').replace(/\s+/g, ' ').toLowerCase();
    const found = predictSteps().flatMap(({ where, step, predict }) =>
      predict.choices
        .filter((c) => c.correct)
        .flatMap((c) => {
          // The choice's own words up to its first ';' or ',' ("(error) READONLY; redis-1 demoted itself…").
          const head = norm(c.text.split(/[;,]/)[0] ?? '');
          if (head.length < 8) return [];
          const shown = norm(`${step.title}\n${step.prose}`);
          return shown.includes(head) ? [`${where}: "${head}"`] : [];
        }),
    );
    assert.deepEqual(found, []);
  });
});
