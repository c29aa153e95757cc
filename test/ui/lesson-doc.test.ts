// The lesson document (pure): sections in reading order, wrapping instead of truncation, scroll maths.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import stringWidth from 'string-width';
import { redisCliLine } from '../../src/cluster/topology.js';
import type { LessonRunState } from '../../src/lessons/types.js';
import { calculateLayout } from '../../src/ui/layout.js';
import {
  cachedLessonDocument,
  docText,
  LESSON_TEXT_MAX,
  lessonColumns,
  lessonDocument,
  lessonTextWidth,
  lessonWindow,
  maxScroll,
  paneLessonDocument,
  revealScroll,
} from '../../src/ui/lib/lesson-doc.js';
import { lessonState } from '../fixtures/ui-states.js';

function lesson(patch: Partial<LessonRunState> = {}): LessonRunState {
  const l = lessonState().lesson;
  assert.ok(l);
  return { ...l, ...patch };
}

describe('lessonDocument', () => {
  it('puts head, prose, goal, explanation, hints and solution in reading order', () => {
    const doc = lessonDocument(lesson(), 60);
    const order = Object.entries(doc.sections)
      .sort((a, b) => a[1].start - b[1].start)
      .map(([id]) => id);
    assert.deepEqual(order, ['head', 'prose', 'goal', 'explain', 'hints', 'solution']);
    const text = docText(doc.lines);
    assert.match(text, /^Step 2\/3: Kill the master ✓✓·\nWhat happens when the master dies/);
    assert.match(text, /Goal: the master is no longer redis-1 ✓ met\n {2}sentinel-1 and sentinel-2 name redis-3/);
    assert.match(text, /Hint 1: The master is the node marked \[M\]\.\n1 more hint: press i/);
    assert.match(text, /Solution \(P plays it\):\n {2}1\. kill redis-1/);
  });

  it('wraps the goal, its detail, hints and the solution instead of cutting them', () => {
    const long = lesson({
      goalDetail: 'sentinel-3 still names redis-1 while sentinel-1 and sentinel-2 name redis-3 after the failover',
      goalMet: false,
    });
    for (const width of [20, 33, 47]) {
      const doc = lessonDocument(long, width);
      for (const l of doc.lines) assert.ok(stringWidth(l.map((s) => s.text).join('')) <= width);
      const flat = docText(doc.lines).replace(/\s+/g, ' ');
      assert.ok(flat.includes('Goal: the master is no longer redis-1 ✗ not yet'), `@${width}: ${flat}`);
      assert.ok(flat.includes(long.goalDetail), `@${width}`);
      assert.ok(flat.includes('Hint 1: The master is the node marked [M].'), `@${width}`);
      assert.ok(!flat.includes('Sentinel promoted'), 'no explanation before the goal is met');
    }
  });

  it('ends with the status lines and the completion line', () => {
    const done = lessonDocument(
      lesson({ playingSolution: true, solutionError: 'redis-1 did not stop', completed: true }),
      80,
    );
    const text = docText(done.lines);
    assert.match(
      text,
      /⟳ playing the solution…\n✗ solution stopped: redis-1 did not stop\n\n✓ Lesson complete\. e exports/,
    );
    const quiet = docText(lessonDocument(lesson({ completed: true }), 80, { completionHint: '' }).lines);
    assert.ok(quiet.endsWith('✓ Lesson complete.'));
  });

  it('takes extra sections (a prediction) before the goal by default, or before a named section', () => {
    const predict = { id: 'predict', lines: [[{ text: 'What will happen? 1 2 3', style: 'title' as const }]] };
    const doc = lessonDocument(lesson(), 60, { extra: [predict] });
    assert.ok((doc.sections.predict?.start ?? 0) < (doc.sections.goal?.start ?? 0));
    assert.ok((doc.sections.predict?.start ?? 0) > (doc.sections.prose?.start ?? 0));
    const late = lessonDocument(lesson(), 60, { extra: [{ ...predict, before: 'solution' }] });
    assert.ok((late.sections.predict?.start ?? 0) > (late.sections.hints?.start ?? 0));
  });

  it('says when a code line had to continue on a marked line', () => {
    const wide = lesson({
      steps: lesson().steps.map((s) => ({ ...s, prose: `\`\`\`\n${'x'.repeat(70)}\n\`\`\`` })),
    });
    assert.equal(lessonDocument(wide, 60).wrappedCode, true);
    assert.equal(lessonDocument(wide, 80).wrappedCode, false);
  });

  it('remembers the document per lesson state, widths and topology', () => {
    const l = lesson();
    const { topology } = lessonState();
    assert.equal(cachedLessonDocument(l, 50), cachedLessonDocument(l, 50));
    assert.notEqual(cachedLessonDocument(l, 50), cachedLessonDocument(l, 51));
    assert.notEqual(cachedLessonDocument(l, 50), cachedLessonDocument({ ...l }, 50));
    assert.notEqual(cachedLessonDocument(l, 50), cachedLessonDocument(l, 50, { blockWidth: 60 }));
    const withTopology = cachedLessonDocument(l, 50, { topology });
    assert.equal(cachedLessonDocument(l, 50, { topology }), withTopology);
    assert.notEqual(cachedLessonDocument(l, 50, { topology: { ...topology } }), withTopology);
  });

  it('shows placeholders filled from the running topology, in every part of the step', () => {
    const state = lessonState();
    const base = lesson();
    const step = base.steps[base.stepIndex];
    assert.ok(step);
    const filled = {
      ...step,
      prose: 'Connect with:\n\n```\n{{cli redis-1}}\n```\n\nThe master listens on {{addr redis-1}}.',
      goalText: 'redis-1 on port {{port redis-1}} is down',
      hints: ['Run {{cli sentinel-2}} SENTINEL MASTERS.'],
      explain: 'Its address was {{ip redis-1}}.',
    };
    const l = lesson({ steps: base.steps.map((s, i) => (i === base.stepIndex ? filled : s)), hintsShown: 1 });
    const raw = docText(lessonDocument(l, 100).lines);
    assert.ok(raw.includes('{{cli redis-1}}'), 'without a topology the text is as written');
    const text = docText(lessonDocument(l, 100, { topology: state.topology }).lines);
    assert.ok(!text.includes('{{'), text);
    const n1 = state.topology.nodes.find((n) => n.id === 'redis-1');
    assert.ok(n1);
    assert.ok(text.includes(redisCliLine(state.topology, 'redis-1')), text);
    assert.ok(text.includes(redisCliLine(state.topology, 'sentinel-2')), text);
    assert.match(text, new RegExp(`redis-1 on port ${n1.port} is down`));
    assert.match(text, /The master listens on 127\.\d+\.\d+\.\d+:\d+\./);
    assert.match(text, /Its address was 127\.\d+\.\d+\.\d+\./);
  });

  it('lets code blocks and tables use the block width, prose only the text width', () => {
    const wideCode = `${'y'.repeat(20)} ${'z'.repeat(54)}`;
    const l = lesson({
      steps: lesson().steps.map((s) => ({
        ...s,
        prose: `${'word '.repeat(40)}\n\n\`\`\`\n${wideCode}\n\`\`\`\n\n| a | b |\n|---|---|\n| ${'c'.repeat(30)} | ${'d'.repeat(36)} |`,
      })),
    });
    const doc = lessonDocument(l, 60, { blockWidth: 80 });
    const lines = doc.lines.map((x) => x.map((s) => s.text).join(''));
    const prose = doc.sections.prose;
    assert.ok(prose);
    const proseLines = lines.slice(prose.start, prose.end);
    assert.ok(
      proseLines.some((x) => x.trim() === wideCode),
      'the code line whole, past the text width',
    );
    assert.ok(
      proseLines.some((x) => x.includes(`${'c'.repeat(30)} │ ${'d'.repeat(36)}`)),
      'the table row on one line',
    );
    assert.equal(doc.wrappedCode, false);
    for (const x of proseLines.filter((x) => x.startsWith('word'))) assert.ok(stringWidth(x) <= 60, x);
    for (const x of lines) assert.ok(stringWidth(x) <= 80, x);
    assert.equal(lessonDocument(l, 60).wrappedCode, true, 'without the block width the code line continues');
  });
});

describe('lesson scrolling maths', () => {
  it('bounds the offset by the document', () => {
    assert.equal(maxScroll(10, 30), 0);
    assert.equal(maxScroll(50, 30), 20);
  });

  it('reveals a range with the smallest move, its start when it is taller than the window', () => {
    assert.equal(revealScroll(0, { start: 5, end: 10 }, 20), 0, 'already visible');
    assert.equal(revealScroll(0, { start: 25, end: 30 }, 20), 10, 'scrolls just enough');
    assert.equal(revealScroll(20, { start: 5, end: 10 }, 20), 5, 'back up to it');
    assert.equal(revealScroll(0, { start: 25, end: 60 }, 20), 25, 'taller: its start');
  });

  it('lays the text out no wider than LESSON_TEXT_MAX, centred by the pane; blocks reach its right edge', () => {
    assert.equal(lessonTextWidth(64), 64);
    assert.equal(lessonTextWidth(158), LESSON_TEXT_MAX);
    assert.deepEqual(lessonColumns(64), { text: 64, pad: 0, block: 64 });
    assert.deepEqual(lessonColumns(118), { text: LESSON_TEXT_MAX, pad: 9, block: 109 });
    for (const inner of [0, 1, 64, 99, 100, 101, 118, 158, 198]) {
      const c = lessonColumns(inner);
      assert.ok(c.pad + c.text <= inner && c.pad + c.block === inner && c.block >= c.text, `${inner}`);
    }
  });

  it('computes the window from the layout, as the pane draws it', () => {
    const l = lesson();
    const { topology } = lessonState();
    const layout = calculateLayout({ columns: 120, rows: 35, sandbox: false });
    const w = lessonWindow({ lesson: l, topology }, layout, 999);
    assert.ok(w);
    assert.equal(w.rows, 30);
    assert.equal(w.doc, paneLessonDocument(l, topology, 64));
    assert.equal(w.doc, cachedLessonDocument(l, 64, { topology, blockWidth: 64 }));
    assert.equal(w.top, w.max, 'a stale offset is clamped');
    assert.equal(lessonWindow({ lesson: undefined, topology }, layout, 0), undefined);
    assert.equal(
      lessonWindow(
        { lesson: l, topology },
        calculateLayout({ columns: 80, rows: 24, sandbox: false, lessonFull: false }),
        0,
      ),
      undefined,
    );
    const full = lessonWindow(
      { lesson: l, topology },
      calculateLayout({ columns: 160, rows: 45, sandbox: false, lessonFull: true }),
      0,
    );
    assert.equal(full?.doc, cachedLessonDocument(l, LESSON_TEXT_MAX, { topology, blockWidth: 129 }));
  });
});

describe('the catch-up notice', () => {
  it('comes right under the step title, where the step opens, however long the step (80 columns)', () => {
    const long = lesson({
      stepIndex: 1,
      catchingUp: 'catching up: replaying step 1 (Look at the healthy cluster) · now step 2: Kill the master…',
    });
    const prose = Array.from({ length: 40 }, (_, i) => `Line ${i + 1} of a long step text.`).join('\n\n');
    const withProse = { ...long, steps: long.steps.map((s, i) => (i === 1 ? { ...s, prose } : s)) };
    const lines = docText(lessonDocument(withProse, 76).lines).split('\n');
    const at = lines.findIndex((l) => l.includes('⟳ catching up: replaying step 1'));
    assert.ok(at >= 1 && at <= 2, `line ${at}:\n${lines.slice(0, 5).join('\n')}`);
    assert.match(lines[0] ?? '', /^Step 2\/\d+: Kill the master/);
  });
});
