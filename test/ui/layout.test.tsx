import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BREAKPOINTS,
  breakpointFor,
  calculateLayout,
  LESSON_COLUMNS,
  lessonShownFull,
  MIN_SIZE,
  type PaneId,
  paneInnerHeight,
  paneInnerSize,
} from '../../src/ui/layout.js';

const sizes: Array<[number, number]> = [
  [80, 24],
  [100, 30],
  [119, 40],
  [120, 30],
  [120, 35],
  [159, 45],
  [160, 39],
  [160, 45],
  [200, 60],
  [220, 60],
];

describe('calculateLayout', () => {
  it('names the breakpoints by size', () => {
    assert.equal(breakpointFor(79, 24), 'too-small');
    assert.equal(breakpointFor(80, 23), 'too-small');
    assert.equal(breakpointFor(MIN_SIZE.columns, MIN_SIZE.rows), 'compact');
    assert.equal(breakpointFor(BREAKPOINTS.medium.columns, BREAKPOINTS.medium.rows), 'medium');
    assert.equal(breakpointFor(160, 39), 'medium');
    assert.equal(breakpointFor(BREAKPOINTS.wide.columns, BREAKPOINTS.wide.rows), 'wide');
    assert.equal(breakpointFor(200, 29), 'compact');
  });

  it('reports too-small with the current size', () => {
    assert.deepEqual(calculateLayout({ columns: 60, rows: 20, sandbox: false }), {
      kind: 'too-small',
      columns: 60,
      rows: 20,
    });
  });

  const CLUSTER: PaneId[] = ['topology', 'lag', 'events', 'client', 'node', 'actions'];
  const modes: Array<{ name: string; sandbox: boolean; lessonFull?: boolean }> = [
    { name: 'sandbox', sandbox: true },
    { name: 'lesson', sandbox: false },
    { name: 'lesson, full', sandbox: false, lessonFull: true },
    { name: 'lesson, beside the cluster', sandbox: false, lessonFull: false },
  ];
  for (const [columns, rows] of sizes) {
    for (const mode of modes) {
      it(`fills exactly ${columns}x${rows} (${mode.name})`, () => {
        const l = calculateLayout({ columns, rows, ...mode });
        assert.equal(l.kind, 'panes');
        if (l.kind !== 'panes') return;
        assert.equal(l.headerHeight + l.bodyHeight + l.statusHeight + l.footerHeight, rows);
        assert.equal(
          l.body.reduce((n, c) => n + c.width, 0),
          columns,
        );
        for (const c of l.body) {
          assert.equal(
            c.slots.reduce((n, s) => n + s.height, 0),
            l.bodyHeight,
          );
          for (const s of c.slots) assert.ok(s.height >= 5, `slot ${s.panes.join('+')} too short: ${s.height}`);
          assert.ok(c.width >= 30, `column too narrow: ${c.width}`);
        }
        assert.equal(new Set(l.focusOrder).size, l.focusOrder.length);
        if (mode.sandbox) for (const p of CLUSTER) assert.ok(l.focusOrder.includes(p), `${p} reachable`);
      });
    }
    it(`reaches every pane at ${columns}x${rows} with a lesson, in one view or the other (L toggles)`, () => {
      const seen = new Set<PaneId>();
      for (const lessonFull of [true, false]) {
        const l = calculateLayout({ columns, rows, sandbox: false, lessonFull });
        if (l.kind === 'panes') for (const p of l.focusOrder) seen.add(p);
      }
      for (const p of [...CLUSTER, 'lesson' as const]) assert.ok(seen.has(p), p);
    });
  }

  it('uses three columns when wide in the sandbox, two otherwise', () => {
    const wide = calculateLayout({ columns: 160, rows: 45, sandbox: true });
    const narrow = calculateLayout({ columns: 80, rows: 24, sandbox: true });
    assert.equal(wide.kind === 'panes' && wide.breakpoint, 'wide');
    assert.equal(wide.kind === 'panes' && wide.body.length, 3);
    assert.equal(narrow.kind === 'panes' && narrow.body.length, 2);
    // In the narrow layout the right column is one tabbed slot.
    assert.ok(narrow.kind === 'panes' && (narrow.body[1]?.slots[0]?.panes.length ?? 0) > 1);
  });

  it('keeps the lesson slot as a key cheat-sheet only when wide in the sandbox', () => {
    const wide = calculateLayout({ columns: 160, rows: 45, sandbox: true });
    const medium = calculateLayout({ columns: 120, rows: 35, sandbox: true });
    assert.ok(wide.kind === 'panes' && wide.focusOrder.includes('lesson'));
    assert.ok(medium.kind === 'panes' && !medium.focusOrder.includes('lesson'));
  });

  it('gives paging the inner height of the pane', () => {
    const l = calculateLayout({ columns: 160, rows: 45, sandbox: true });
    assert.equal(paneInnerHeight(l, 'events'), 28);
    assert.deepEqual(paneInnerSize(l, 'lesson'), { width: 47, height: 19 });
    assert.equal(paneInnerSize(calculateLayout({ columns: 120, rows: 35, sandbox: true }), 'lesson'), undefined);
  });
});

/** What a lesson gets at the sizes the product is checked at (issue #11). */
describe('lesson layouts', () => {
  const at = (columns: number, rows: number, lessonFull?: boolean) => {
    const l = calculateLayout({ columns, rows, sandbox: false, lessonFull });
    assert.equal(l.kind, 'panes');
    if (l.kind !== 'panes') throw new Error('unreachable');
    return l;
  };
  const size = (l: ReturnType<typeof at>, p: PaneId) => paneInnerSize(l, p);

  it('80x24: the lesson alone at full width first; L shows the cluster alone', () => {
    const l = at(80, 24);
    assert.equal(l.view, 'lesson');
    assert.deepEqual(l.focusOrder, ['lesson']);
    assert.deepEqual(size(l, 'lesson'), { width: 78, height: 19 });
    const c = at(80, 24, false);
    assert.equal(c.view, 'cluster');
    assert.ok(!c.focusOrder.includes('lesson'));
    assert.deepEqual(c.body[1]?.slots[0]?.panes, ['events', 'client', 'node', 'actions']);
  });

  it('120x35: the lesson in a full-height column of 66, the topology one line per node', () => {
    const l = at(120, 35);
    assert.equal(l.view, 'split');
    assert.deepEqual(size(l, 'lesson'), { width: 64, height: 30 });
    assert.equal(l.body[1]?.slots.length, 1, 'nothing shares the lesson column');
    // 8 nodes and 2 spare rows for warnings: below the 13 rows the host-by-host view needs.
    assert.equal(size(l, 'topology')?.height, 10);
    assert.deepEqual(l.body[0]?.slots[2]?.panes, ['events', 'client', 'node', 'actions']);
  });

  it('160x45: a lesson column of 81 holds the widest lesson diagram (77 columns + indent)', () => {
    const l = at(160, 45);
    assert.equal(l.view, 'split');
    assert.deepEqual(size(l, 'lesson'), { width: 79, height: 30 });
    assert.equal(size(l, 'topology')?.height, 15, 'host by host');
    assert.equal(size(l, 'events')?.height, 14);
    assert.equal(l.modalColumn, 0, 'pickers cover the cluster column, the lesson stays readable');
  });

  it('200x60: half the width for the lesson, the other half for the cluster', () => {
    const l = at(200, 60);
    assert.deepEqual(size(l, 'lesson'), { width: 98, height: 43 });
    assert.equal(size(l, 'topology')?.width, 98);
    assert.equal(size(l, 'events')?.height, 29);
  });

  it('L shows the lesson alone at any size, and back beside the cluster', () => {
    for (const [columns, rows] of [
      [120, 35],
      [160, 45],
      [200, 60],
    ] as const) {
      const full = at(columns, rows, true);
      assert.equal(full.view, 'lesson');
      assert.deepEqual(size(full, 'lesson'), { width: columns - 2, height: rows - 5 });
      assert.equal(at(columns, rows, false).view, 'split');
    }
    assert.equal(lessonShownFull({ columns: 80, rows: 24, sandbox: false }), true);
    assert.equal(lessonShownFull({ columns: 120, rows: 35, sandbox: false }), false);
    assert.equal(lessonShownFull({ columns: 80, rows: 24, sandbox: true, lessonFull: true }), false);
  });

  it('the lesson column is never narrower than LESSON_COLUMNS for its breakpoint', () => {
    for (let columns = 120; columns <= 240; columns += 7) {
      for (const rows of [30, 35, 40, 45, 60]) {
        const l = at(columns, rows);
        const w = l.body.find((c) => c.slots.some((s) => s.panes.includes('lesson')))?.width ?? 0;
        const min = l.breakpoint === 'wide' ? LESSON_COLUMNS.wide : LESSON_COLUMNS.medium;
        assert.ok(w >= min, `${columns}x${rows}: lesson ${w} < ${min}`);
        assert.ok(columns - w >= 50, `${columns}x${rows}: cluster column ${columns - w}`);
      }
    }
  });
});
