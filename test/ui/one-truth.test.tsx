// One truth on screen: the header, the topology and the replication pane answer "who is the master" with
// selectMastership, also while two nodes claim it; the fault summary counts killed, stopped and frozen nodes as well
// as network faults; ↓/j visit the topology rows in the order they are drawn, at every supported size.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { LabState } from '../../src/state/store.js';
import { faultsText, masterSummary } from '../../src/ui/components/Header.js';
import { calculateLayout, paneInnerSize } from '../../src/ui/layout.js';
import { faultSummary, replicationFocus } from '../../src/ui/lib/cluster-view.js';
import { topologyPlan } from '../../src/ui/lib/topology-plan.js';
import { lagTable } from '../../src/ui/panes/LagPane.js';
import {
  frozenReplicaState,
  healthyState,
  lessonState,
  masterKilledState,
  partitionedState,
  sentinelObs,
  splitBrainState,
} from '../fixtures/ui-states.js';
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

const headerOf = (frame: string) => frame.split('\n')[0] ?? '';

/** The rows of the pane whose top border carries `title`, inside its borders (one column of the screen). */
function paneRows(frame: string, title: string): string[] {
  const lines = frame.split('\n');
  const top = lines.findIndex((l) => l.includes(title));
  if (top < 0) return [];
  const start = lines[top]?.indexOf(title) ?? 0;
  // The border corner left of the title.
  const left = Math.max(lines[top]?.lastIndexOf('╭', start) ?? -1, lines[top]?.lastIndexOf('╔', start) ?? -1);
  const out: string[] = [];
  for (let i = top + 1; i < lines.length; i++) {
    const l = lines[i] ?? '';
    const ch = l[left];
    if (ch === '╰' || ch === '╚') break;
    const end = l.indexOf(ch === '║' ? '║' : '│', left + 1);
    out.push(l.slice(left + 1, end < 0 ? undefined : end));
  }
  return out;
}

describe('fault summary', () => {
  it('counts killed, stopped and frozen nodes as well as network faults', () => {
    assert.equal(faultSummary(healthyState()).text, 'no faults');
    const killed = faultSummary(masterKilledState());
    assert.equal(killed.total, 1);
    assert.equal(killed.text, 'redis-1 killed');
    const frozen = faultSummary(frozenReplicaState());
    assert.equal(frozen.total, 3);
    assert.equal(frozen.text, 'redis-2 frozen · redis-4, redis-5 stopped');
    assert.equal(faultSummary(partitionedState()).text, 'isolate host-3 (drop)');
    const both = masterKilledState();
    both.faults = partitionedState().faults;
    assert.equal(faultSummary(both).text, 'redis-1 killed · isolate host-3 (drop)');
  });

  it('a node that is still starting, or the lab stopping, is no fault', () => {
    const s = masterKilledState();
    assert.equal(faultSummary({ ...s, phase: 'starting' }).total, 0);
    assert.equal(faultSummary({ ...s, phase: 'stopping' }).total, 0);
  });

  it('the header names what is broken, never "no faults" while a node is killed; the topology badge counts them', async () => {
    const { tui } = app(masterKilledState(), { columns: 160, rows: 45 });
    const f = await tui.waitForFrame('redis-1 killed');
    assert.doesNotMatch(headerOf(f), /no faults/);
    // A killed node is a node down, not a "fault": h/H heal network faults only, and would leave it counted.
    assert.match(f, /Topology.*1 down/);
    assert.doesNotMatch(f, /Topology.*fault/);
    const narrow = app(frozenReplicaState(), { columns: 80, rows: 24 });
    const n = await narrow.tui.waitForFrame('Topology');
    // At 80 columns the names do not fit beside the rest: how many, then.
    assert.match(headerOf(n), /╳ 3 nodes down/, headerOf(n));
    const both = partitionedState();
    const p1 = both.processes['redis-1'];
    if (p1) both.processes['redis-1'] = { ...p1, state: 'stopped' };
    assert.deepEqual(faultsText(faultSummary(both)).short, '╳ 1 node down · 1 fault');
  });
});

describe('the master, during a split brain', () => {
  it('selectMastership decides; the replication pane follows the master a Sentinel majority names', () => {
    const s = splitBrainState();
    assert.deepEqual(masterSummary({ master: 'redis-3', claims: ['redis-1', 'redis-3'] }), {
      text: '⚠ redis-1 and redis-3 claim master (Sentinels: redis-3)',
      split: true,
    });
    const focus = replicationFocus(s);
    assert.equal(focus.masterId, 'redis-3');
    assert.deepEqual(focus.others, ['redis-1']);
    assert.equal(
      `${focus.split}; ${focus.showing}`,
      'split: redis-1 and redis-3 claim master; showing redis-3 (named by 2 of 3 Sentinels)',
    );
    const table = lagTable(s, 70, 10, focus.masterId, focus.others);
    assert.deepEqual(
      table.rows.map((r) => r.id),
      ['redis-4', 'redis-5'],
      "only redis-3's replicas are rows under its header",
    );
    assert.deepEqual(table.elsewhere, [{ masterId: 'redis-1', replicas: ['redis-2'] }]);
  });

  it('with no Sentinel majority it shows the one most answering Sentinels name, and says it is no majority', () => {
    const s = splitBrainState();
    const t = s.topology;
    s.sentinels['sentinel-3'] = sentinelObs(t, 'sentinel-3', 'redis-3', { reachable: false });
    s.sentinels['sentinel-1'] = sentinelObs(t, 'sentinel-1', 'redis-1', { reachable: false });
    const focus = replicationFocus(s);
    assert.equal(focus.masterId, 'redis-3');
    assert.equal(focus.showing, 'showing redis-3 (named by 1 of 3 Sentinels, not a majority)');
    assert.equal(
      masterSummary({ claims: ['redis-1', 'redis-3'] }).text,
      '⚠ redis-1 and redis-3 claim master (no Sentinel majority)',
    );
  });

  for (const [columns, rows] of [
    [80, 24],
    [120, 35],
    [160, 45],
    [200, 60],
  ] as const) {
    it(`${columns}x${rows}: the header and the replication pane say so; no other master's replica under the header`, async () => {
      const { tui } = app(splitBrainState(), { columns, rows });
      const f = await tui.waitForFrame('Replication · master redis-3');
      assert.match(headerOf(f), /⚠ redis-1 and redis-3 claim master/);
      const lag = paneRows(f, 'Replication · master redis-3').join('\n');
      assert.match(lag, /split: redis-1 and redis-3 claim master/);
      // Never cut: why these rows, on the same line or the next.
      assert.match(
        lag,
        columns >= 120 ? /showing redis-3 \(named by 2 of 3 Sentinels\)/ : /showing redis-3 \(2\/3 Sentinels\)/,
      );
      assert.doesNotMatch(lag, /…/);
      assert.ok(!/^redis-2 +[✓✗⟳■◌●]/m.test(lag), `redis-2 (redis-1's replica) is no row here:\n${lag}`);
      assert.match(lag, /^redis-4 /m);
      assert.match(lag, /^redis-5 /m);
      if (rows >= 35) assert.match(lag, /redis-2 replicates from redis-1, the other master/);
    });
  }

  it('a healthy cluster has no split line and lists every replica of the master', async () => {
    const { tui } = app(healthyState(), { columns: 160, rows: 45 });
    const f = await tui.waitForFrame('Replication · master redis-1');
    const lag = paneRows(f, 'Replication · master redis-1').join('\n');
    assert.doesNotMatch(lag, /split/);
    for (const id of ['redis-2', 'redis-3', 'redis-4', 'redis-5']) assert.match(lag, new RegExp(`^${id} `, 'm'));
    assert.match(headerOf(f), /master redis-1/);
  });
});

describe('↓/j and ↑/k walk the topology rows in the order they are drawn', () => {
  const selectedRow = (frame: string) => {
    const lines = frame.split('\n');
    const i = lines.findIndex((l) => /▶ \[[MRS?]\] (redis|sentinel)-\d/.test(l));
    const id = /▶ \[[MRS?]\] ((?:redis|sentinel)-\d+)/.exec(lines[i] ?? '')?.[1];
    return { i, id };
  };

  const cases: Array<{ name: string; state: () => LabState; columns: number; rows: number; lessonFull?: boolean }> = [
    { name: 'sandbox', state: healthyState, columns: 80, rows: 24 },
    { name: 'sandbox', state: healthyState, columns: 120, rows: 35 },
    { name: 'sandbox', state: healthyState, columns: 160, rows: 45 },
    { name: 'sandbox', state: healthyState, columns: 200, rows: 60 },
    { name: 'sandbox, partitioned', state: partitionedState, columns: 120, rows: 35 },
    { name: 'lesson beside the cluster', state: lessonState, columns: 120, rows: 35 },
    { name: 'lesson beside the cluster', state: lessonState, columns: 160, rows: 45 },
    { name: 'lesson, cluster view', state: lessonState, columns: 80, rows: 24, lessonFull: false },
  ];
  for (const c of cases) {
    it(`${c.name} at ${c.columns}x${c.rows}: every node once, each ↓ one row further down`, async () => {
      const { tui } = app(c.state(), { columns: c.columns, rows: c.rows, lessonFull: c.lessonFull });
      let f = await tui.waitForFrame('▶ [');
      const seen: string[] = [];
      let last = selectedRow(f);
      assert.equal(last.id, 'redis-1');
      seen.push('redis-1');
      const nodes = c.state().topology.nodes.length;
      for (let k = 1; k < nodes; k++) {
        await tui.press(k % 2 ? 'down' : 'j');
        f = await tui.waitFor((fr) => selectedRow(fr).id !== last.id);
        const now = selectedRow(f);
        assert.ok(now.i > last.i, `${now.id} is drawn below ${last.id}\n${f}`);
        // No node row between the two.
        const between = f
          .split('\n')
          .slice(last.i + 1, now.i)
          .filter((l) => /\[[MRS?]\] (redis|sentinel)-\d/.test(l));
        assert.deepEqual(between, [], `↓ skipped a row between ${last.id} and ${now.id}`);
        seen.push(now.id ?? '?');
        last = now;
      }
      assert.equal(new Set(seen).size, nodes, `visited ${seen.join(', ')}`);
      await tui.press('down');
      f = await tui.waitFor((fr) => selectedRow(fr).id === 'redis-1');
      await tui.press('k');
      f = await tui.waitFor((fr) => selectedRow(fr).id === seen.at(-1));
    });
  }

  it('the order follows the pane: by host when the headings fit, data nodes then Sentinels when not', () => {
    const s = healthyState();
    const wide = topologyPlan(s, { width: 60, height: 20 });
    assert.equal(wide.roomy, true);
    assert.deepEqual(wide.order.slice(0, 4), ['redis-1', 'sentinel-1', 'redis-2', 'sentinel-2']);
    const short = topologyPlan(s, { width: 60, height: 10 });
    assert.equal(short.roomy, false);
    assert.deepEqual(short.order.slice(4, 6), ['redis-5', 'sentinel-1']);
    const layout = calculateLayout({ columns: 160, rows: 45, sandbox: true });
    assert.ok(paneInnerSize(layout, 'topology'));
  });
});
