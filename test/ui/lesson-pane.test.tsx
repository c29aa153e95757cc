// The lesson pane in the real App: scroll keys and their footer hints, what scrolls into view by itself, and
// the L toggle between the lesson alone and the lesson beside the cluster.
import assert from 'node:assert/strict';
import { afterEach, before, describe, it } from 'node:test';
import { redisCliLine } from '../../src/cluster/topology.js';
import { loadAllLessons } from '../../src/lessons/loader.js';
import { startLesson } from '../../src/lessons/runner.js';
import type { LessonRunState } from '../../src/lessons/types.js';
import { revealsOnChange, type Seen } from '../../src/ui/components/LessonAutoScroll.js';
import { calculateLayout } from '../../src/ui/layout.js';
import { lessonWindow } from '../../src/ui/lib/lesson-doc.js';
import { healthyState } from '../fixtures/ui-states.js';
import { renderApp } from './setup.js';

let tour: LessonRunState;
before(async () => {
  const lesson = (await loadAllLessons()).find((l) => l.id === 'tour');
  assert.ok(lesson, 'the tour lesson, found by id');
  // The tour's first step has the longest prose (a table, a code block): taller than the pane at 120x35.
  tour = { ...startLesson(lesson), entered: true, goalDetail: 'redis-1 is the master' };
});

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

function app(lesson: LessonRunState, opts: Parameters<typeof renderApp>[1] = {}) {
  const state = healthyState();
  state.lesson = lesson;
  const r = renderApp(state, { columns: 120, rows: 35, ...opts });
  cleanup.push(() => r.tui.unmount());
  return r;
}

const footer = (f: string) => f.split('\n').at(-1) ?? '';
const topOf = (f: string) => Number(/▲(\d+)/.exec(f.split('\n')[1] ?? '')?.[1] ?? 0);

describe('lesson pane', () => {
  it('pages with PgUp/PgDn from the topology, and the footer says which way there is more', async () => {
    const { tui } = app(tour);
    let f = await tui.waitForFrame(`Step 1/${tour.steps.length}`);
    assert.match(f.split('\n')[1] ?? '', /Lesson: .* ▼\d+ /, 'the pane shows how much is below');
    assert.match(footer(f), /PgDn lesson ▼/);
    assert.doesNotMatch(footer(f), /PgUp lesson ▲/);
    await tui.press('pagedown');
    f = await tui.waitFor((x) => topOf(x) > 0);
    const w = lessonWindow(
      { lesson: tour, topology: healthyState().topology },
      calculateLayout({ columns: 120, rows: 35, sandbox: false }),
      0,
    );
    assert.ok(w && w.max > 0);
    const page = w.rows - 2;
    assert.equal(topOf(f), Math.min(page, w.max), 'a page is the pane height less two rows of overlap');
    assert.match(footer(f), /PgUp lesson ▲/);
    // However long the step's text is: page to its end, then back to its top, a page at a time.
    for (let i = 0; i < 50 && /▼\d/.test(f.split('\n')[1] ?? ''); i++) {
      const before = topOf(f);
      await tui.press('pagedown');
      f = await tui.waitFor((x) => topOf(x) !== before);
      assert.equal(topOf(f), Math.min(before + page, w.max));
    }
    assert.equal(topOf(f), w.max);
    assert.doesNotMatch(footer(f), /PgDn lesson/, 'nothing more below');
    assert.ok(f.includes('press i'), 'the end of the step is reachable');
    for (let i = 0; i < 50 && topOf(f) > 0; i++) {
      const before = topOf(f);
      await tui.press('pageup');
      f = await tui.waitFor((x) => topOf(x) !== before);
      assert.equal(topOf(f), Math.max(0, before - page));
    }
    assert.equal(topOf(f), 0);
    assert.doesNotMatch(footer(f), /PgUp lesson/, 'nothing more above');
  });

  it('leaves PgUp/PgDn to a focused pane that scrolls itself', async () => {
    const { tui, uiStore } = app(tour);
    await tui.waitForFrame(`Step 1/${tour.steps.length}`);
    uiStore.setState({ focus: 'events', recent: ['events'] });
    const f = await tui.waitFor((x) => !footer(x).includes('lesson ▼'));
    await tui.press('pagedown');
    assert.equal(uiStore.getState().scroll.lesson ?? 0, 0);
    assert.equal(topOf(tui.lastFrame()), 0, f);
  });

  it('scrolls a line with ↓/j and ↑/k while focused, without moving the node selection', async () => {
    const { tui, uiStore } = app(tour);
    await tui.waitForFrame(`Step 1/${tour.steps.length}`);
    uiStore.setState({ focus: 'lesson', recent: ['lesson'] });
    const f = await tui.waitFor((x) => /↓\/j scroll/.test(footer(x)));
    assert.doesNotMatch(footer(f), /select/, 'the arrows are the lesson’s while it is focused');
    const status = (x: string) => x.split('\n').at(-2) ?? '';
    assert.match(status(f), /^↑\/↓ scroll the lesson; Tab moves to the cluster panes/);
    const selected = uiStore.getState().selectedNode;
    await tui.press('down');
    await tui.press('j');
    await tui.waitFor((x) => topOf(x) === 2);
    await tui.press('k');
    await tui.waitFor((x) => topOf(x) === 1);
    assert.equal(uiStore.getState().selectedNode, selected);
    uiStore.setState({ focus: 'topology' });
    await tui.waitFor((x) => /^Select a node with ↑\/↓/.test(status(x)));
    await tui.press('down');
    assert.notEqual(uiStore.getState().selectedNode, selected, 'elsewhere the arrows select nodes');
  });

  it('in the sandbox, the focused key cheat-sheet leaves the arrows to node selection', async () => {
    const { tui, uiStore } = renderApp(healthyState(), { columns: 160, rows: 45 });
    cleanup.push(() => tui.unmount());
    await tui.waitForFrame('Sandbox: no lesson');
    uiStore.setState({ focus: 'lesson', recent: ['lesson'] });
    const selected = uiStore.getState().selectedNode;
    await tui.press('down');
    assert.notEqual(uiStore.getState().selectedNode, selected);
  });

  it('brings a revealed hint and the explanation into view, and starts a new step at its top', async () => {
    const { tui, store } = app(tour);
    await tui.waitForFrame(`Step 1/${tour.steps.length}`);
    const hint = tour.steps[0]?.hints[0];
    assert.ok(hint);
    store.setState({ lesson: { ...tour, hintsShown: 1 } });
    let f = await tui.waitFor((x) => x.includes('Hint 1:'));
    assert.ok(topOf(f) > 0, 'scrolled down to the hint');
    store.setState({ lesson: { ...tour, hintsShown: 1, goalMet: true } });
    f = await tui.waitFor((x) => x.includes('✓ met'));
    assert.ok(f.includes('Goal:'), 'the goal line is in view with its verdict');
    store.setState({ lesson: { ...tour, stepIndex: 1, hintsShown: 0 } });
    f = await tui.waitFor((x) => x.includes(`Step 2/${tour.steps.length}`));
    assert.equal(topOf(f), 0);
  });

  it('a goal met as its step is entered (the cluster just ready) reveals nothing; met later, it does', () => {
    const seen: Seen = {
      lessonId: 'tour',
      step: 0,
      entered: false,
      hints: 0,
      met: false,
      solution: false,
      played: false,
    };
    assert.deepEqual(revealsOnChange(seen, { ...seen, entered: true, met: true }), [], 'entered and met at once');
    const entered = { ...seen, entered: true };
    assert.deepEqual(revealsOnChange(entered, { ...entered, met: true })[0]?.at(-1), ['goal'], 'met while reading');
    assert.deepEqual(revealsOnChange(seen, { ...seen, hints: 1 }), [[['goal', 'played', 'hints'], ['hints']]]);
  });

  it('starts a new step at its top even while the 80x24 cluster view hides the lesson', async () => {
    const { tui, store, uiStore } = app(tour, { columns: 80, rows: 24 });
    await tui.waitForFrame(`Step 1/${tour.steps.length}`);
    await tui.press('pagedown');
    await tui.waitFor((x) => topOf(x) > 0);
    await tui.press('L');
    const cluster = await tui.waitForFrame('Topology');
    assert.match(cluster.split('\n').at(-2) ?? '', /^↑\/↓ select a node, x\/s\/z break it; L shows the lesson/);
    store.setState({ lesson: { ...tour, stepIndex: 1 } });
    await tui.waitFor(() => (uiStore.getState().scroll.lesson ?? 0) === 0);
    await tui.press('L');
    const f = await tui.waitForFrame(`Step 2/${tour.steps.length}`);
    assert.equal(topOf(f), 0);
  });

  it('L shows the lesson alone, full width, and L again brings the cluster back', async () => {
    const { tui, uiStore } = app(tour);
    let f = await tui.waitForFrame('Topology');
    assert.match(footer(f), /L lesson\/cluster/);
    await tui.press('L');
    f = await tui.waitFor((x) => !x.includes('Topology'));
    // The tour's node table at its natural width: the prose column stops at 100, the table runs on to the
    // pane's edge, so no column wraps at 118 columns.
    assert.match(
      f,
      /sentinel-1 … sentinel-3 │ Sentinels +│ 6479–6481 +│ redis-sentinel sentinel-6479\.conf --sentinel/,
    );
    // The commands the step shows are the running lab's, ready to paste.
    const { topology } = healthyState();
    assert.ok(!f.includes('{{'), 'no raw placeholder');
    assert.ok(f.includes(redisCliLine(topology, 'redis-1')), f);
    // In this view the arrows scroll the lesson: the status line says so, not "Select a node with ↑/↓".
    const status = f.split('\n').at(-2) ?? '';
    assert.match(status, /↑\/↓ or PgUp\/PgDn scroll the lesson; L shows the cluster/);
    assert.doesNotMatch(status, /[Ss]elect a node/);
    await tui.press('L');
    await tui.waitForFrame('Topology');
    assert.equal(uiStore.getState().focus, 'topology', 'the arrows select nodes again');
  });
});
