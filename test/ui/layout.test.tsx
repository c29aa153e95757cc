import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BREAKPOINTS, breakpointFor, calculateLayout, MIN_SIZE, paneInnerHeight } from '../../src/ui/layout.js';

const sizes: Array<[number, number]> = [
  [80, 24],
  [100, 30],
  [119, 40],
  [120, 30],
  [120, 35],
  [159, 45],
  [160, 39],
  [160, 45],
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

  for (const [columns, rows] of sizes) {
    for (const sandbox of [false, true]) {
      it(`fills exactly ${columns}x${rows}${sandbox ? ' (sandbox)' : ''}`, () => {
        const l = calculateLayout({ columns, rows, sandbox });
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
        for (const p of ['topology', 'lag', 'events', 'client', 'node', 'actions'] as const) {
          assert.ok(l.focusOrder.includes(p), `${p} reachable at ${columns}x${rows}`);
        }
        assert.equal(new Set(l.focusOrder).size, l.focusOrder.length);
        if (!sandbox) assert.ok(l.focusOrder.includes('lesson'));
      });
    }
  }

  it('uses three columns when wide, two otherwise', () => {
    const wide = calculateLayout({ columns: 160, rows: 45, sandbox: false });
    const narrow = calculateLayout({ columns: 80, rows: 24, sandbox: false });
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
    const l = calculateLayout({ columns: 160, rows: 45, sandbox: false });
    assert.ok(paneInnerHeight(l, 'events') > 20);
  });
});
