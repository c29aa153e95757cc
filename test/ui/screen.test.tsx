import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import stringWidth from 'string-width';
import { loadAllLessons } from '../../src/lessons/loader.js';
import { startLesson } from '../../src/lessons/runner.js';
import { actionEntries } from '../../src/ui/keymap/actions.js';
import { formatKeys } from '../../src/ui/keymap/keys.js';
import { calculateLayout } from '../../src/ui/layout.js';
import { healthyState, lessonState, masterKilledState, partitionedState } from '../fixtures/ui-states.js';
import { renderApp } from './setup.js';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

function app(...args: Parameters<typeof renderApp>) {
  const r = renderApp(...args);
  cleanup.push(() => r.tui.unmount());
  return r;
}

const lines = (f: string) => f.split('\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('layouts', () => {
  for (const [columns, rows] of [
    [80, 24],
    [120, 35],
    [160, 45],
    [200, 60],
  ] as const) {
    it(`fills ${columns}x${rows} exactly, no line wider than the terminal`, async () => {
      const { tui } = app(lessonState(), { columns, rows });
      const f = await tui.waitForFrame('? help');
      assert.equal(lines(f).length, rows);
      for (const l of lines(f)) assert.ok([...l].length <= columns, `line too wide (${[...l].length}): ${l}`);
      assert.ok(f.includes('redis-sentinel-lab'));
      assert.ok(f.includes('? help'), 'footer is generated from the registry');
    });
  }

  it('narrow 80x24 shows the lesson alone, L the cluster with tabs; wide 160x45 shows every pane at once', async () => {
    const narrow = app(lessonState(), { columns: 80, rows: 24 });
    const n = await narrow.tui.waitForFrame('Goal:');
    assert.ok(!n.includes('Topology'), 'the lesson fills the screen first');
    assert.match(n, /L lesson\/cluster/);
    await narrow.tui.press('L');
    const c = await narrow.tui.waitForFrame('Topology');
    assert.ok(c.includes('Replication'));
    assert.match(c, /\[Events\]│Client│Node│Actions/);
    assert.ok(!c.includes('Goal:'), 'the lesson is one L away');
    await narrow.tui.press('L');
    await narrow.tui.waitFor((f) => f.includes('Goal:') && !f.includes('Topology'));
    const wide = app(lessonState(), { columns: 160, rows: 45 });
    const w = await wide.tui.waitForFrame('Topology');
    for (const t of ['Sentinel events', 'Lesson: Kill the master', 'Client', 'Node', 'Actions', 'Replication'])
      assert.ok(w.includes(t), t);
  });

  it('Tab walks the panes; in a tabbed slot the focused pane is shown', async () => {
    const { tui } = app(lessonState(), { columns: 80, rows: 24, lessonFull: false });
    await tui.waitForFrame('Topology');
    await tui.press('tab'); // lag
    await tui.press('tab'); // events
    await tui.press('tab'); // client
    await tui.waitForFrame('[Client]');
    await tui.press('shift+tab'); // back to events
    await tui.waitFor((f) => f.includes('[Events]') && f.includes('+switch-master'));
  });

  it('PgUp/PgDn scroll the focused events pane', async () => {
    const state = masterKilledState();
    const base = state.eventGroups[0];
    for (let i = 0; i < 60 && base; i++) {
      state.eventGroups.push({ ...base, key: `extra-${i}`, channel: '+role-change', gloss: `extra event ${i}` });
    }
    const { tui } = app(state, { columns: 80, rows: 24 });
    await tui.press('tab');
    await tui.press('tab');
    await tui.waitForFrame('extra event 59');
    await tui.press('pageup');
    const f = await tui.waitForFrame('newer (End)');
    assert.ok(!f.includes('extra event 59'));
    await tui.press('end');
    await tui.waitForFrame('extra event 59');
  });

  it('resizes from wide to narrow and back', async () => {
    const { tui } = app(lessonState(), { columns: 160, rows: 45 });
    await tui.waitForFrame('Lesson: Kill the master');
    tui.resize(80, 24);
    const n = await tui.waitFor((f) => lines(f).length === 24 && f.includes('Goal:') && !f.includes('Topology'));
    assert.ok(lines(n).every((l) => [...l].length <= 80));
    tui.resize(160, 45);
    await tui.waitFor((f) => lines(f).length === 45 && f.includes('Lesson: Kill the master'));
  });

  it('too small: says what is needed, recovers on resize, q still quits', async () => {
    const { tui, calls } = app(healthyState(), { columns: 60, rows: 20 });
    await tui.waitForFrame('needs at least 80x24 (now 60x20) — enlarge the window');
    await tui.press('x');
    assert.equal(calls.length, 0, 'no lab action from an invisible screen');
    tui.resize(100, 30);
    await tui.waitForFrame('Topology');
    tui.resize(79, 30);
    await tui.waitForFrame('now 79x30');
    await tui.press('q');
    assert.deepEqual(
      calls.map((c) => c.method),
      ['quit'],
    );
  });
});

/** Display columns at which a frame line has a vertical border character. */
function borderColumns(line: string): Set<number> {
  const at = new Set<number>();
  let x = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(line)) {
    if ('│║'.includes(segment)) at.add(x);
    x += stringWidth(segment);
  }
  return at;
}

describe('columns never overlap', () => {
  // The noreplicas lesson's second step quotes the note in Chinese: wide characters must not push a border.
  const cases = [
    { name: 'sandbox', lessonId: undefined, lessonFull: undefined },
    { name: 'lesson beside the cluster', lessonId: 'noreplicas', lessonFull: false },
    { name: 'lesson alone', lessonId: 'noreplicas', lessonFull: true },
  ] as const;
  for (const [columns, rows] of [
    [80, 24],
    [120, 35],
    [160, 45],
    [200, 60],
  ] as const) {
    for (const c of cases) {
      it(`keeps every pane border in its column at ${columns}x${rows} (${c.name})`, async () => {
        const state = partitionedState();
        if (c.lessonId) {
          const lesson = (await loadAllLessons()).find((l) => l.id === c.lessonId);
          assert.ok(lesson);
          state.lesson = {
            ...startLesson(lesson),
            stepIndex: 1,
            entered: true,
            goalDetail: 'redis-3, redis-4 stopped',
          };
        }
        const { tui } = app(state, {
          columns,
          rows,
          ...(c.lessonFull === undefined ? {} : { lessonFull: c.lessonFull }),
        });
        const f = await tui.waitForFrame('? help');
        const layout = calculateLayout({ columns, rows, sandbox: !c.lessonId, lessonFull: c.lessonFull });
        assert.equal(layout.kind, 'panes');
        if (layout.kind !== 'panes') return;
        let x = 0;
        const edges: number[] = [];
        for (const col of layout.body) {
          edges.push(x, x + col.width - 1);
          x += col.width;
        }
        const body = lines(f).slice(layout.headerHeight, layout.headerHeight + layout.bodyHeight);
        for (const [y, l] of body.entries()) {
          assert.ok(stringWidth(l) <= columns, `row ${y} is ${stringWidth(l)} wide`);
          const at = borderColumns(l);
          // Top-border rows of panes carry titles; every other row has its side borders exactly at the edges.
          if (/[╭╔╰╚]/.test(l)) continue;
          for (const e of edges) assert.ok(at.has(e), `row ${y}: no border at column ${e}: "${l}"`);
        }
      });
    }
  }
});

describe('help overlay', () => {
  it('lists every registry action with its keys (scrolling through at 80x24)', async () => {
    const { tui } = app(lessonState(), { columns: 80, rows: 24 });
    await tui.press('?');
    await tui.waitForFrame('Esc or ? closes');
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      for (const l of lines(tui.lastFrame())) seen.add(l.replace(/^║|║$/g, '').trimEnd());
      if (tui.lastFrame().match(/rows \d+-(\d+) of \1\)/)) break;
      await tui.press('down');
    }
    const text = [...seen].join('\n');
    for (const [id, a] of actionEntries) {
      const keys = formatKeys(a.keys);
      const first = a.title.split(' ').slice(0, 3).join(' ');
      assert.ok(
        [...seen].some((l) => l.startsWith(keys) && l.includes(first)),
        `help lacks ${id}: "${keys}" "${first}"\n${text}`,
      );
    }
    await tui.press('escape');
    await tui.waitFor((f) => !f.includes('Esc or ? closes'));
  });

  it('fits at 200x60 without scrolling', async () => {
    const { tui } = app(healthyState(), { columns: 200, rows: 60 });
    await tui.press('?');
    const f = await tui.waitForFrame('Esc or ? closes');
    assert.ok(!f.includes('scroll (rows'));
    assert.ok(f.includes('Kill selected node (kill -9)'));
    assert.ok(f.includes('Yes, do it'));
  });
});

describe('rendering cost', () => {
  it('writes no new frames while the store does not change', async () => {
    const { tui } = app(partitionedState(), { columns: 160, rows: 45 });
    await tui.waitForFrame('Topology');
    await sleep(150);
    const before = tui.stdout.frames.length;
    await sleep(500);
    assert.equal(tui.stdout.frames.length, before);
  });

  it('an unrelated store change does not redraw; a relevant one does', async () => {
    const { tui, store } = app(healthyState(), { columns: 160, rows: 45 });
    await tui.waitForFrame('Topology');
    await sleep(100);
    const before = tui.stdout.frames.length;
    store.setState({ runId: 'other' });
    await sleep(100);
    assert.equal(tui.stdout.frames.length, before, 'runId is drawn nowhere');
    store.setState({ phase: 'degraded' });
    await tui.waitForFrame('⚠ degraded');
  });
});
