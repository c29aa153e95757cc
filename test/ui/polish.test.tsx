// Real-app polish, checked on fixture states: no double-width glyphs in fixed-width rows (the events pane's
// border broke on ⚡), the channel column fits long channels, glosses do not repeat the Sentinel column,
// narrow rows keep what matters, tab strips keep the active tab, and probes that change nothing do not redraw.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import stringWidth from 'string-width';
import type { LabState } from '../../src/state/store.js';
import { fitTabs } from '../../src/ui/components/Pane.js';
import { fitHeadline, fitPhases, TIMELINE_MARK, timelineHeadline } from '../../src/ui/lib/timeline.js';
import { eventRows, glossBody } from '../../src/ui/panes/EventsPane.js';
import { LAG_REFRESH_MS } from '../../src/ui/panes/LagPane.js';
import { compactLogLine } from '../../src/ui/panes/NodePane.js';
import { group, healthyState, masterKilledState, T0 } from '../fixtures/ui-states.js';
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
const line = (f: string, needle: string) => lines(f).find((l) => l.includes(needle)) ?? '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The failover finished: the reconfiguration events with the long channel names are on screen. */
function failoverDoneState(): LabState {
  const s = masterKilledState();
  const t = s.failovers[0];
  if (t) {
    s.failovers = [
      {
        ...t,
        done: true,
        phases: { ...t.phases, 'reconf-done': T0 + 23_100, 'failover-end': T0 + 25_400 },
        switchedBy: { 'sentinel-1': T0 + 22_150, 'sentinel-2': T0 + 22_190, 'sentinel-3': T0 + 22_230 },
        reconfigured: ['redis-2', 'redis-4', 'redis-5'],
      },
    ];
  }
  s.eventGroups.push(
    group('+slave-reconf-sent', 'sentinel-1: sent REPLICAOF <new master> to redis-2', 'notice', ['sentinel-1'], 22_300),
    group('+slave-reconf-inprog', 'sentinel-1: redis-2 is syncing with redis-3', 'notice', ['sentinel-1'], 22_400),
    group('+slave-reconf-done', 'sentinel-1: redis-2 now replicates redis-3', 'notice', ['sentinel-1'], 23_100),
    group(
      '+failover-state-send-slaveof-noone',
      'sentinel-1: tells redis-3 to stop replicating',
      'notice',
      ['sentinel-1'],
      23_200,
    ),
    group('+failover-end', 'sentinel-1: finished the failover', 'critical', ['sentinel-1'], 25_400),
  );
  return s;
}

const SIZES = [
  [80, 24],
  [120, 35],
  [160, 45],
] as const;

describe('fixed-width rows', () => {
  for (const [columns, rows] of SIZES) {
    it(`${columns}x${rows} with the failover timeline: every glyph one column wide, every border intact`, async () => {
      const { tui } = app(failoverDoneState(), { columns, rows });
      // Focus the events pane so it is the visible tab at 80x24 too.
      const f0 = await tui.waitForFrame('Topology');
      if (!f0.includes('Sentinel events')) {
        await tui.press('tab');
        await tui.press('tab');
      }
      const f = await tui.waitForFrame('Failover redis-1');
      assert.equal(lines(f).length, rows);
      for (const l of lines(f)) {
        // string-width is what Ink lays out with; a terminal draws these glyphs one column each.
        assert.equal(stringWidth(l), [...l].length, `a double-width glyph in: ${l}`);
        assert.ok([...l].length <= columns, `line too wide: ${l}`);
      }
      assert.ok(!f.includes('⚡'));
      // The events pane's title row (its top border) is there, above the timeline block.
      const title = lines(f).findIndex((l) => /[╭╔][─═] (Sentinel events|\[?Events)/.test(l));
      const head = lines(f).findIndex((l) => l.includes('Failover redis-1'));
      assert.ok(title >= 0 && head === title + 1, `title row ${title}, timeline ${head}:\n${f}`);
    });
  }
});

describe('events pane', () => {
  it('the channel column fits +slave-reconf-inprog; longer channels end in … and keep a space', async () => {
    for (const [columns, rows] of SIZES.slice(1)) {
      const { tui } = app(failoverDoneState(), { columns, rows });
      const f = await tui.waitForFrame('+slave-reconf-inprog');
      assert.match(line(f, 'is sync'), /\+slave-reconf-inprog +s1 +redis-2 is sync/);
      assert.match(line(f, 'now rep'), /\+slave-reconf-done +s1 +redis-2 now rep/);
      assert.match(line(f, '+failover-state'), /\+failover-state-\S*… s1 +tells redis-3/);
      tui.unmount();
    }
  });

  it("a reset draws a line between the old cluster's events and the fresh one's", async () => {
    const s = healthyState();
    const old = group('+sdown', 'sentinel-1: redis-4 looks down', 'warning', ['sentinel-1'], 9000);
    const fresh = group('+odown', 'sentinel-2: quorum agrees', 'warning', ['sentinel-2'], 20_000);
    s.eventGroups.push(old, fresh);
    s.resets = [{ at: T0 + 15_000, afterSeq: old.seqs[0] ?? 0 }];
    const { tui } = app(s, { columns: 160, rows: 45 });
    const f = await tui.waitForFrame('cluster reset');
    const at = (needle: string) => lines(f).findIndex((l) => l.includes(needle));
    assert.ok(at('redis-4 looks down') < at('cluster reset'), f);
    assert.ok(at('cluster reset') < at('quorum agrees'), f);
    assert.match(line(f, 'cluster reset'), /│── cluster reset: the events above are older ─+│/);
  });

  it('eventRows: a line only with events above it; resets with nothing between them share one', () => {
    const a = group('+sdown', 'a', 'warning', ['sentinel-1'], 1000);
    const b = group('+sdown', 'b', 'warning', ['sentinel-1'], 2000);
    const first = a.seqs[0] ?? 0;
    const kinds = (rows: ReturnType<typeof eventRows>) =>
      rows.map((r) => (r.kind === 'group' ? r.group.gloss : `reset@${r.at}`));
    assert.deepEqual(kinds(eventRows([a, b], [])), ['a', 'b']);
    assert.deepEqual(kinds(eventRows([a, b], [{ at: 1, afterSeq: 0 }])), ['a', 'b'], 'nothing above: no line');
    assert.deepEqual(
      kinds(
        eventRows(
          [a, b],
          [
            { at: 1, afterSeq: first },
            { at: 2, afterSeq: first },
          ],
        ),
      ),
      ['a', 'reset@2', 'b'],
    );
    assert.deepEqual(
      kinds(eventRows([a, b], [{ at: 3, afterSeq: b.seqs[0] ?? 0 }])),
      ['a', 'b', 'reset@3'],
      'no new event yet',
    );
  });

  it('the gloss does not repeat the Sentinels the row already names', async () => {
    const s = healthyState();
    s.eventGroups.push(
      group('+sdown', 'sentinel-2, sentinel-1: redis-4 looks down', 'warning', ['sentinel-2', 'sentinel-1'], 9000),
    );
    const { tui } = app(s, { columns: 160, rows: 45 });
    const f = await tui.waitForFrame('redis-4 looks down');
    assert.match(line(f, 'redis-4 looks down'), /\+sdown +s2,s1 +redis-4 looks down/);
    assert.ok(!f.includes('sentinel-2, sentinel-1:'));
    assert.equal(glossBody({ gloss: 'sentinel-3: x', sentinelIds: ['sentinel-3'] }), 'x');
    assert.equal(glossBody({ gloss: 'raw text', sentinelIds: ['sentinel-3'] }), 'raw text');
  });

  it('the pane counts its rows: 1 event, 2 events', async () => {
    const s = healthyState();
    s.eventGroups = [
      group('+monitor', 'started monitoring master redis-1 (quorum 2)', 'notice', ['sentinel-1', 'sentinel-2'], 400),
    ];
    const { tui, store } = app(s, { columns: 160, rows: 45 });
    let f = await tui.waitForFrame('started monitoring');
    assert.match(line(f, 'Sentinel events'), /─ 1 event ╮/);
    store.setState({
      eventGroups: [
        ...store.getState().eventGroups,
        group('+sdown', 'redis-4 looks down', 'warning', ['sentinel-1'], 9000),
      ],
    });
    f = await tui.waitForFrame('looks down');
    assert.match(line(f, 'Sentinel events'), /─ 2 events ╮/);
  });

  it('80x24: short rows say how many Sentinels reported, without their names twice', async () => {
    const s = healthyState();
    s.eventGroups.push(
      group('+sdown', 'sentinel-2, sentinel-1: redis-4 looks down', 'warning', ['sentinel-2', 'sentinel-1'], 9000),
      group('+odown', 'sentinel-1: quorum agrees', 'warning', ['sentinel-1'], 9100),
    );
    const { tui } = app(s, { columns: 80, rows: 24 });
    await tui.waitForFrame('Topology');
    await tui.press('tab');
    await tui.press('tab');
    const f = await tui.waitForFrame('looks down');
    assert.ok(line(f, 'looks down').includes('+sdown ×2 redis-4 looks down'));
    assert.ok(line(f, 'quorum agrees').includes('+odown s1 quorum agrees'));
  });

  it('the timeline headline and phases fit narrow panes and keep the telling phases', () => {
    const t = failoverDoneState().failovers[0];
    assert.ok(t);
    assert.equal(timelineHeadline(t), 'Failover redis-1 → redis-3 ✓ done');
    assert.equal(fitHeadline(t, 60), `${TIMELINE_MARK} Failover redis-1 → redis-3 ✓ done`);
    assert.equal(fitHeadline(t, 32), 'Failover redis-1→redis-3 ✓ done');
    const running = { ...t, done: false };
    assert.equal(fitHeadline(running, 32), 'Failover redis-1→redis-3 ⟳');
    assert.equal(fitHeadline(running, 20), 'redis-1→redis-3 ⟳');
    for (const [width, max] of [
      [32, 2],
      [56, 2],
      [47, 1],
    ] as const) {
      const got = fitPhases(t, width, max);
      assert.ok(got.length <= max, `${width}: ${got.join(' / ')}`);
      for (const l of got) assert.ok(l.length <= width, l);
      const all = got.join(' ');
      for (const must of ['sdown', 'odown']) assert.ok(all.includes(must), `${width}: ${all}`);
      if (max > 1) for (const must of ['switch', 'end']) assert.ok(all.includes(must), `${width}: ${all}`);
    }
    // Room for everything: nothing dropped.
    assert.equal(fitPhases(t, 200, 1)[0]?.split(' › ').length, 10);
  });
});

describe('compact layout (80x24) after the master was killed', () => {
  it('node rows show the link state in full: the state column shrinks to its symbol', async () => {
    const { tui } = app(masterKilledState(), { columns: 80, rows: 24 });
    const f = await tui.waitForFrame('Topology');
    assert.match(line(f, '[?] redis-1'), /✗ exited \(SIGKILL\)/);
    const replica = lines(f).find((l) => /\[R\] redis-\d +● ⇐ redis-1 ✗ down/.test(l));
    assert.ok(replica, f);
    assert.ok(!/✗ dow…/.test(f), 'link state cut off');
    // The guard line keeps its verdict and says the guard is off.
    assert.ok(f.includes('writes accepted (guard off)'), f);
  });

  it('tab strips: full names when they fit, else abbreviated inactive tabs; the active one never cut', () => {
    const panes = ['events', 'lesson', 'client', 'node', 'actions'] as const;
    const text = (p: ReturnType<typeof fitTabs>) => p.map((x) => x.text).join('');
    assert.equal(
      text(fitTabs({ panes: [...panes], active: 'events' }, 60)),
      'Events │ Lesson │ Client │ Node │ Actions',
    );
    assert.equal(
      text(fitTabs({ panes: [...panes.slice(0, 1), ...panes.slice(2)], active: 'events' }, 29)),
      'Events│Client│Node│Actions',
    );
    assert.equal(text(fitTabs({ panes: [...panes], active: 'actions' }, 29)), 'Evts│Lsn│Cli│Node│Actions');
  });
});

describe('node pane', () => {
  it('log lines that do not fit drop pid, role and date, keeping the time and the message', async () => {
    assert.equal(
      compactLogLine('15404:M 26 Nov 2026 08:21:49.226 * Ready to accept connections tcp'),
      '08:21:49 * Ready to accept connections tcp',
    );
    assert.equal(compactLogLine('not a redis line'), 'not a redis line');
    const { tui } = app(healthyState(), { columns: 160, rows: 45 });
    const f = await tui.waitForFrame('Node redis-1');
    assert.ok(f.includes('06:40:01 * Running mode=standalone'), f);
  });
});

describe('idle redraws', () => {
  it('a probe that replaces observations with equal ones does not redraw', async () => {
    const { tui, store } = app(healthyState(), { columns: 160, rows: 45 });
    await tui.waitForFrame('Topology');
    await sleep(LAG_REFRESH_MS + 100);
    const before = tui.stdout.frames.length;
    for (let i = 0; i < 5; i++) {
      const s = store.getState();
      store.setState({
        redis: Object.fromEntries(Object.entries(s.redis).map(([k, v]) => [k, { ...v, at: v.at + 250 }])),
        sentinels: Object.fromEntries(Object.entries(s.sentinels).map(([k, v]) => [k, { ...v, at: v.at + 250 }])),
      });
      await sleep(60);
    }
    await sleep(LAG_REFRESH_MS + 100);
    assert.equal(tui.stdout.frames.length, before, 'nothing visible changed, so no frame');
  });

  it('lag figures redraw at most once per second; a node state change shows at once', async () => {
    const { tui, store } = app(healthyState(), { columns: 160, rows: 45 });
    await tui.waitForFrame('Topology');
    await sleep(LAG_REFRESH_MS + 100);
    const before = tui.stdout.frames.length;
    const started = Date.now();
    // Ten probes in 500 ms, each with a different ACK age.
    for (let i = 1; i <= 10; i++) {
      const s = store.getState();
      const m = s.redis['redis-1'];
      const rep = m?.replication;
      if (!m || rep?.role !== 'master') throw new Error('fixture');
      store.setState({
        redis: {
          ...s.redis,
          'redis-1': { ...m, replication: { ...rep, replicas: rep.replicas.map((r) => ({ ...r, ackAgeSec: i })) } },
        },
      });
      await sleep(50);
    }
    await tui.waitForFrame('ack 10s');
    const frames = tui.stdout.frames.length - before;
    assert.ok(frames <= 2 + Math.floor((Date.now() - started) / LAG_REFRESH_MS), `${frames} frames`);
    const s = store.getState();
    const p = s.processes['redis-2'];
    if (p) store.setState({ processes: { ...s.processes, 'redis-2': { ...p, state: 'frozen' } } });
    await tui.waitForFrame('⏸ frozen', 150);
  });
});

describe('while the cluster starts', () => {
  it('the status row says what the start is waiting on; a result or a prompt takes the row', async () => {
    const s = healthyState();
    s.phase = 'starting';
    s.readyMs = undefined;
    for (const o of Object.values(s.sentinels)) o.replicas = [];
    const { tui, uiStore } = app(s, { columns: 160, rows: 45 });
    const f = await tui.waitForFrame('Starting:');
    assert.match(
      line(f, 'Starting:'),
      /^Starting: all 3 Sentinels finding the replicas: a Sentinel reads redis-1's INFO when it connects, then every 10 s/,
    );
    assert.match(lines(f)[0] ?? '', /starting the cluster…/);
    uiStore.setState({ lastResult: { ok: true, text: 'age = 222' } });
    await tui.waitFor((x) => x.includes('✓ age = 222') && !x.includes('Starting:'));
  });

  it('once ready, the idle hint again', async () => {
    const f = await app(healthyState(), { columns: 160, rows: 45 }).tui.waitForFrame('? help');
    assert.ok(!f.includes('Starting:'));
  });
});
