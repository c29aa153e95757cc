// Lesson text defects a tester reported, kept from coming back: a number derived from the lesson's own settings that
// did not match them, and a quotation the Markdown renderer split into pieces.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadAllLessons } from '../../src/lessons/loader.js';
import type { Lesson } from '../../src/lessons/schema.js';

let lessons: Lesson[] = [];
before(async () => {
  lessons = await loadAllLessons();
});

/** Every piece of learner-facing text of a lesson, each with where it comes from. */
function texts(l: Lesson): Array<{ where: string; text: string }> {
  const out = [{ where: `${l.id}: summary`, text: l.summary }];
  for (const s of l.steps) {
    const at = `${l.id}/${s.id}`;
    out.push({ where: `${at}: text`, text: s.prose });
    if (s.explain) out.push({ where: `${at}: explain`, text: s.explain });
    if (s.predict) out.push({ where: `${at}: predict.explain`, text: s.predict.explain });
    for (const [i, h] of (s.hints ?? []).entries()) out.push({ where: `${at}: hints[${i}]`, text: h });
  }
  return out;
}

describe('lesson text', () => {
  it('states the replica-selection cut-off (10 × down-after-milliseconds) for the lesson’s own down-after', () => {
    // sentinelSelectSlave (sentinel.c) leaves out a replica whose link has been down longer than
    // 10 × down-after-milliseconds plus the time the master has been down: "N s plus here".
    const wrong: string[] = [];
    let seen = 0;
    for (const l of lessons) {
      const expected = ((l.topology.downAfterMs ?? 1000) * 10) / 1000;
      for (const { where, text } of texts(l)) {
        for (const m of text.matchAll(/(\d+(?:\.\d+)?) s plus here/g)) {
          seen++;
          if (Number(m[1]) !== expected) wrong.push(`${where}: "${m[0]}", expected ${expected} s`);
        }
      }
    }
    assert.ok(seen > 0, 'no lesson states the cut-off any more; drop or adapt this test');
    assert.deepEqual(wrong, []);
  });

  it('nests no ASCII double quotes inside a CJK quotation (the renderer would split it into three lines)', () => {
    const nested = /"[^"\n]*\p{Script=Han}[^"\n]*"[^\s"]+"/u;
    const found = lessons.flatMap((l) =>
      texts(l).flatMap(({ where, text }) => {
        const m = nested.exec(text);
        return m ? [`${where}: ${m[0]}`] : [];
      }),
    );
    assert.deepEqual(found, []);
  });
});
