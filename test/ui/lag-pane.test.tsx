// The replication pane's replica rows: every figure keeps a space to the next one, whatever its width
// ("152.6 KBack 0s" was a byte count of 8 columns in a 8-column field), at every terminal size the app supports.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import stringWidth from 'string-width';
import { calculateLayout, paneInnerSize } from '../../src/ui/layout.js';
import { formatBytes } from '../../src/ui/lib/format.js';
import { ackText, type LagRow, lagBytesText, lagColumns, lagRowWidth, lagTable } from '../../src/ui/panes/LagPane.js';
import { frozenReplicaState, healthyState, lessonState, replicaObs } from '../fixtures/ui-states.js';
import { renderApp } from './setup.js';

/**
 * redis-2 frozen: 152.6 KB behind, last ACK 123 s ago (the widest figures a row can show in practice);
 * redis-3 with its link down for 123 s, 147.5 KB behind.
 */
function wideFigures() {
  const s = frozenReplicaState();
  const m = s.redis['redis-1'];
  if (m?.replication?.role !== 'master') throw new Error('fixture: redis-1 is the master');
  m.replication = {
    ...m.replication,
    masterReplOffset: 157_655,
    replicas: m.replication.replicas.map((e) => (e.nodeId === 'redis-2' ? { ...e, ackAgeSec: 123 } : e)),
  };
  const r3 = replicaObs(s.topology, 'redis-3', 'redis-1');
  if (r3.replication?.role !== 'replica') throw new Error('fixture: redis-3 is a replica');
  r3.replication = { ...r3.replication, masterLinkStatus: 'down', masterLinkDownSinceSec: 123 };
  s.redis['redis-3'] = r3;
  return s;
}

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

describe('formatBytes', () => {
  it('never takes more than 8 columns, at any magnitude', () => {
    for (let e = 0; e <= 13; e++) {
      for (const k of [1, 1.5, 9.99949, 9.9995, 9.99999]) {
        const n = Math.floor(k * 10 ** e);
        const t = formatBytes(n);
        assert.ok(stringWidth(t) <= 8, `${n} -> "${t}"`);
      }
    }
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(152_600), '152.6 KB');
    assert.equal(formatBytes(999_999), '1.0 MB', 'not "1000.0 KB"');
    assert.equal(formatBytes(3_400_000), '3.4 MB');
  });
});

describe('lagColumns', () => {
  const row = (over: Partial<LagRow & { kind: 'lag' }>): LagRow => ({
    kind: 'lag',
    id: 'redis-2',
    masterId: 'redis-1',
    link: '✓ up',
    linkUp: true,
    bytes: '14 B',
    ack: 'ack 0s',
    ackLate: false,
    spark: '',
    good: true,
    ...over,
  });

  it('gives every column its longest text and a space; the sparkline what is left, up to 16', () => {
    const rows = [
      row({ bytes: '152.6 KB', ack: 'ack 123s' }),
      row({ id: 'redis-10', link: '✗ down 123s' }),
      { kind: 'none' as const, id: 'redis-11', token: 'status.muted' as const, text: '■ stopped · not replicating' },
    ];
    for (const cols of [44, 52, 60, 77, 98, 200]) {
      const c = lagColumns(cols, rows);
      assert.ok(c.id >= stringWidth('redis-10') + 1);
      assert.ok(c.link >= stringWidth('✗ down 123s') + 1);
      assert.ok(c.bytes >= stringWidth('152.6 KB') + 1);
      assert.ok(c.ack >= stringWidth('ack 123s') + 1);
      assert.equal(c.master > 0, cols >= 75);
      if (c.master) assert.ok(c.master >= stringWidth('⇐redis-1') + 1);
      assert.ok(c.spark === 0 || (c.spark >= 5 && c.spark <= 17), `spark ${c.spark}`);
      if (c.spark) assert.ok(lagRowWidth(c) <= cols, `@${cols}: ${lagRowWidth(c)}`);
    }
    assert.equal(lagColumns(200, rows).spark, 17);
  });
});

describe('replication pane rows', () => {
  for (const [columns, rows] of [
    [80, 24],
    [120, 35],
    [160, 45],
    [200, 60],
  ] as const) {
    for (const lesson of [false, true]) {
      it(`keep a space between figures at ${columns}x${rows}${lesson ? ' beside a lesson' : ''}`, async () => {
        const state = wideFigures();
        if (lesson) state.lesson = lessonState().lesson;
        // At 80x24 a lesson fills the screen by default; L (lessonFull false) shows the cluster.
        const { tui } = renderApp(state, { columns, rows, ...(lesson ? { lessonFull: false } : {}) });
        cleanup.push(() => tui.unmount());
        const f = await tui.waitForFrame('152.6 KB');
        if (process.env.SHOW_FRAMES) console.log(f);
        const lines = f.split('\n');
        const r2 = lines.find((l) => /│redis-2 /.test(l) && l.includes('152.6 KB')) ?? '';
        const r3 = lines.find((l) => /│redis-3 /.test(l) && l.includes('147.5 KB')) ?? '';
        const spark = '(?:[▁▂▃▄▅▆▇█]+ +)?';
        const master = '(?:⇐redis-1 +)?';
        assert.match(r2, new RegExp(`│redis-2 +${master}✓ up +152\\.6 KB +ack 123s +${spark}✗ not good`), f);
        // The down time goes first when the row is too narrow for it (the topology row shows it).
        assert.match(r3, new RegExp(`│redis-3 +${master}✗ down(?: 123s)? +147\\.5 KB +ack ≤1s +${spark}✓ good`), f);
        if (columns >= 120) assert.ok(r3.includes('✗ down 123s'), r3);
        // The columns line up: each figure starts in the same display column in both rows.
        const at = (l: string, needle: string) => stringWidth(l.slice(0, l.indexOf(needle)));
        assert.equal(at(r2, 'KB') - at(r2, 'redis-2'), at(r3, 'KB') - at(r3, 'redis-3'));
        assert.equal(at(r2, 'ack') - at(r2, 'redis-2'), at(r3, 'ack') - at(r3, 'redis-3'));
        assert.equal(at(r2, '✗ not good') - at(r2, 'redis-2'), at(r3, '✓ good') - at(r3, 'redis-3'));
        // The row laid out for the pane's inner width fits it (after giving up the down time if it must).
        const inner = paneInnerSize(calculateLayout({ columns, rows, sandbox: !lesson, lessonFull: false }), 'lag');
        assert.ok(inner);
        const table = lagTable(state, inner.width, 10, 'redis-1');
        assert.ok(lagRowWidth(table.columns) <= inner.width, `${lagRowWidth(table.columns)} > ${inner.width}`);
      });
    }
  }
});

describe('idle figures hold still', () => {
  it('lag under 4 KB reads "<4 KB" and an ACK of 0 or 1 s "ack ≤1s"; real lag and late ACKs are exact', () => {
    assert.equal(lagBytesText(0), '<4 KB');
    assert.equal(lagBytesText(402), '<4 KB');
    assert.equal(lagBytesText(3999), '<4 KB');
    assert.equal(lagBytesText(4000), '4.0 KB');
    assert.equal(lagBytesText(152_600), '152.6 KB');
    assert.equal(ackText(0), 'ack ≤1s');
    assert.equal(ackText(1), 'ack ≤1s');
    assert.equal(ackText(2), 'ack 2s');
    assert.equal(ackText(undefined), 'ack -');
  });

  it('an idle cluster whose offsets move by a Sentinel hello draws the same rows', () => {
    const a = lagTable(frozenReplicaState(), 60, 10, 'redis-1');
    const s = frozenReplicaState();
    const m = s.redis['redis-1'];
    if (m?.replication?.role !== 'master') throw new Error('fixture: redis-1 is the master');
    // redis-3 acknowledged 250 bytes less and one second later: the hello noise of an idle cluster.
    m.replication = {
      ...m.replication,
      replicas: m.replication.replicas.map((e) =>
        e.nodeId === 'redis-3' ? { ...e, ackOffset: e.ackOffset - 250, ackAgeSec: 1 } : e,
      ),
    };
    const b = lagTable(s, 60, 10, 'redis-1');
    assert.deepEqual(
      b.rows.find((r) => r.id === 'redis-3'),
      a.rows.find((r) => r.id === 'redis-3'),
    );
  });
});

describe('the write verdict needs a master the lab reaches', () => {
  it('a killed master that no failover replaced yet gets no "writes accepted"', async () => {
    const s = healthyState();
    s.redis['redis-1'] = { id: 'redis-1', at: Date.now(), reachable: false, error: 'connect ECONNREFUSED' };
    const { tui } = renderApp(s, { columns: 160, rows: 45 });
    cleanup.push(() => tui.unmount());
    const f = await tui.waitForFrame('✗ no master → nowhere to write');
    assert.doesNotMatch(f, /writes accepted/);
  });

  it('a reachable master keeps its verdict', async () => {
    const { tui } = renderApp(healthyState(), { columns: 160, rows: 45 });
    cleanup.push(() => tui.unmount());
    await tui.waitForFrame('→ writes accepted');
  });
});
