// The client pane: client A and client B side by side, each with its latest answer, its last error, since when it
// has been failing and when it recovered (src/ui/lib/client-status.ts), from the lab's client results.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { ClientResult, LabState } from '../../src/state/store.js';
import { clientStatus, clientStatuses } from '../../src/ui/lib/client-status.js';
import { uiOps } from '../../src/ui/state/ui-store.js';
import { healthyState, T0 } from '../fixtures/ui-states.js';
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
  s.heartbeat = { running: true, everyMs: 500, startedAt: T0 + 9000 };
  return s;
}

describe('client status', () => {
  it('a client that recovered: its last error, and when it recovered after how long', () => {
    const st = clientStatus(failoverState().clientResults, 'A', { host: 'host-2', target: { kind: 'sentinel' } });
    assert.equal(st.last?.text, 'OK');
    assert.equal(st.last?.node, 'redis-2');
    assert.match(st.lastError?.text ?? '', /^NOSENTINEL/);
    assert.equal(st.failingSince, undefined);
    assert.deepEqual(st.recovered, { at: T0 + 11_800, afterMs: 800, node: 'redis-2' });
  });

  it('a client still failing: since its first failure of the current run', () => {
    const st = clientStatus(failoverState().clientResults, 'B', {
      host: 'host-1',
      target: { kind: 'node', node: 'redis-1' },
    });
    assert.equal(st.last?.ok, false);
    assert.equal(st.failingSince, T0 + 20_000);
    assert.equal(st.recovered, undefined);
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
});
