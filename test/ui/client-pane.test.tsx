// The client pane: client A and client B side by side, each with its latest answer, its last error, since when it
// has been failing and when it recovered (src/ui/lib/client-status.ts), from what the store's writer recorded of
// every client result (src/state/client-runs.ts), not only the latest results it keeps.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { ClientResultEvent } from '../../src/cluster/events.js';
import { reduceBatch } from '../../src/state/bind-lab.js';
import { emptyClientRuns, recordClientResults } from '../../src/state/client-runs.js';
import { type ClientResult, type LabState, LIMITS } from '../../src/state/store.js';
import { ControllerContext, UiStoreContext } from '../../src/ui/contexts.js';
import { clientStatus, clientStatuses } from '../../src/ui/lib/client-status.js';
import { ClientPane } from '../../src/ui/panes/ClientPane.js';
import { createUiStore, uiOps } from '../../src/ui/state/ui-store.js';
import { healthyState, T0 } from '../fixtures/ui-states.js';
import { renderTui } from '../helpers/render-tui.js';
import { fakeController } from './fake-controller.js';
import { renderApp } from './setup.js';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

let seq = 100;
function r(client: 'A' | 'B', atSec: number, ok: boolean, text: string, node?: string): ClientResult {
  return {
    seq: seq++,
    at: T0 + atSec * 1000,
    client,
    command: `SET rsl:hb:${client} ${seq}`,
    op: 'write',
    ok,
    text,
    ...(node ? { node } : {}),
  };
}

/** A failover seen by both clients: A errs for 0.8 s and recovers on redis-2; B stays on redis-1, now a replica. */
function failoverState(): LabState {
  const s = healthyState();
  s.clientResults = [
    r('A', 10, true, 'OK', 'redis-1'),
    r('B', 10.1, true, 'OK', 'redis-1'),
    r('A', 11, false, 'CLOSED connection to redis-1 lost with the request in flight', 'redis-1'),
    r('A', 11.4, false, 'NOSENTINEL no Sentinel named the master of mymaster', 'redis-1'),
    r('A', 11.8, true, 'OK', 'redis-2'),
    r('B', 20, false, "READONLY You can't write against a read only replica.", 'redis-1'),
    r('B', 20.5, false, "READONLY You can't write against a read only replica.", 'redis-1'),
    r('A', 20.6, true, 'OK', 'redis-2'),
  ];
  s.clientRuns = recordClientResults(emptyClientRuns(), s.clientResults);
  s.heartbeat = { running: true, everyMs: 500, startedAt: T0 + 9000 };
  return s;
}

/** The state after the store's writer recorded `results`, one batch each, as the engine reports them. */
function recorded(s: LabState, results: readonly ClientResultEvent[]): LabState {
  let next = s;
  for (const res of results) next = reduceBatch(next, [{ kind: 'client-result', args: [res] }], { now: res.at });
  return next;
}

/** Both clients writing every 250 ms from `fromSec` for `n` rounds; `ok(client, i)` says whether a write succeeded. */
function rounds(fromSec: number, n: number, ok: (c: 'A' | 'B', i: number) => boolean): ClientResult[] {
  const out: ClientResult[] = [];
  for (let i = 0; i < n; i++) {
    for (const c of ['A', 'B'] as const) {
      const good = ok(c, i);
      out.push(
        r(c, fromSec + i / 4, good, good ? 'OK' : "READONLY You can't write against a read only replica.", 'redis-1'),
      );
    }
  }
  return out;
}

describe('client status', () => {
  it('a client that recovered: its last error, and when it recovered after how long', () => {
    const st = clientStatus(failoverState().clientRuns.A, 'A', { host: 'host-2', target: { kind: 'sentinel' } });
    assert.equal(st.last?.text, 'OK');
    assert.equal(st.last?.node, 'redis-2');
    assert.match(st.lastError?.text ?? '', /^NOSENTINEL/);
    assert.equal(st.failingSince, undefined);
    assert.deepEqual(st.recovered, { at: T0 + 11_800, afterMs: 800, failures: 2, node: 'redis-2' });
  });

  it('a client still failing: since its first failure of the current run', () => {
    const st = clientStatus(failoverState().clientRuns.B, 'B', {
      host: 'host-1',
      target: { kind: 'node', node: 'redis-1' },
    });
    assert.equal(st.last?.ok, false);
    assert.equal(st.failingSince, T0 + 20_000);
    assert.equal(st.failingCount, 2);
    assert.equal(st.recovered, undefined);
  });

  it('an outage longer than the results the store keeps: "failing since" stays at its first failure', () => {
    // B fails from +30 s for 75 s: 300 failures, three times LIMITS.clientResults with A's results in between.
    const s = recorded(
      healthyState(),
      rounds(30, 300, (c) => c === 'A'),
    );
    assert.equal(s.clientResults.length, LIMITS.clientResults, 'the store keeps only the latest results');
    const [a, b] = clientStatuses(s);
    assert.equal(b.failingSince, T0 + 30_000);
    assert.equal(b.failingCount, 300);
    assert.equal(a.failingSince, undefined);
  });

  it('a recovery keeps its time and length however many results come after it', () => {
    // B fails for 10 s (40 failures) and recovers at +20 s; both then write for 60 s more (480 results).
    const s = recorded(
      healthyState(),
      rounds(10, 280, (c, i) => c === 'A' || i < 0 || i >= 40),
    );
    const [, b] = clientStatuses(s);
    assert.equal(b.failingSince, undefined);
    assert.deepEqual(b.recovered, { at: T0 + 20_000, afterMs: 10_000, failures: 40, node: 'redis-1' });
    assert.equal(b.lastError?.at, T0 + 19_750, 'the last error too, long out of the kept results');
    assert.equal(s.clientRuns.B.failed, 40);
    assert.equal(s.clientRuns.B.ok, 240);
  });

  it('a client that never sent anything has no answers, and a client-target change shows its new target', () => {
    const s = healthyState();
    s.clientResults = [];
    s.clientTargets = { B: { kind: 'sentinel' } };
    const [a, b] = clientStatuses(s);
    assert.equal(a.last, undefined);
    assert.deepEqual(b.target, { kind: 'sentinel' });
  });
});

describe('client pane', () => {
  it('shows client A and client B side by side: latest answer, recovery, and the one still failing', async () => {
    const { tui, uiStore } = renderApp(failoverState(), { columns: 160, rows: 45 });
    cleanup.push(() => tui.unmount());
    uiOps.focus(uiStore, 'client');
    const f = await tui.waitForFrame('both writing every 500 ms');
    const row = (needle: string) => f.split('\n').find((l) => l.includes(needle)) ?? '';
    // The two clients in columns of one row each: A asks Sentinel, B is pinned to redis-1.
    assert.match(row('▶ client A'), /▶ client A \(Sentinel\)\s+│\s+client B \(pinned\)/);
    assert.match(row('recovered'), /recovered \+11\.8s \(0\.8s\)\s*│\s*failing since \+20\.0s/);
    assert.match(row('✓ OK @redis-2'), /✓ OK @redis-2 \+20\.6s\s*│\s*✗ READONLY/);
    // The full error text is below, in the recent replies.
    assert.match(f, /✗ READONLY You can't write against a read only/);
  });

  it('stacks the two clients when the pane is narrow', async () => {
    const { tui, uiStore } = renderApp(failoverState(), { columns: 80, rows: 40 });
    cleanup.push(() => tui.unmount());
    uiOps.focus(uiStore, 'client');
    const f = await tui.waitForFrame('client B (pinned');
    assert.ok(!f.split('\n').some((l) => l.includes('client A (') && l.includes('client B (')), 'stacked');
  });

  it('a wide pane says how long and how many failures, after the first of them left the kept results', async () => {
    // A fails from +10 s to +20 s (40 failures) and recovers; B then fails from +40 s for 75 s (300 failures).
    const s = recorded(healthyState(), [
      ...rounds(10, 120, (c, i) => c === 'B' || i >= 40),
      ...rounds(40, 300, (c) => c === 'A'),
    ]);
    const { controller } = fakeController(s);
    const tui = renderTui(
      <ControllerContext.Provider value={controller}>
        <UiStoreContext.Provider value={createUiStore({ selectedNode: 'redis-1' })}>
          <ClientPane width={100} height={12} focused={false} />
        </UiStoreContext.Provider>
      </ControllerContext.Provider>,
      { columns: 100, rows: 12 },
    );
    cleanup.push(() => tui.unmount());
    const f = await tui.waitForFrame('recovered');
    assert.match(f, /recovered \+20\.0s after 10\.0 s \(40 failed\)/);
    assert.match(f, /failing since \+40\.0s: 74\.8 s, 300 failed/);
  });
});
