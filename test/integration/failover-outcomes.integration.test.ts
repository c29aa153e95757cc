// Failover records that end without a promotion, on real Redis: "no quorum" (only one Sentinel loses the master, the
// quorum is 2: never ODOWN) and "no majority" (quorum 1: ODOWN and an election nobody can win,
// -failover-abort-not-elected), whose retried election joins the same record instead of starting one with no cause.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { TopologyShape } from '../../src/cluster/topology.js';
import type { LocalLab } from '../../src/engine/lab.js';
import { startTestLab } from '../helpers/lab.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function lab(shape: TopologyShape): Promise<LocalLab> {
  const t = await startTestLab(shape);
  cleanups.push(t.cleanup);
  return t.lab;
}

describe('failovers that cannot happen say why', () => {
  it('no quorum: one Sentinel cut from the master, quorum 2', async () => {
    const l = await lab({ redis: 3, sentinels: 3, master: 'redis-3', sentinel: { downAfterMs: 1000, quorum: 2 } });
    assert.ok((await l.perform({ kind: 'cut', from: 'host-1', to: 'host-3' })).ok);
    await l.waitFor((s) => s.failovers.some((f) => f.outcome === 'no-quorum'), 15_000, 'a "no quorum" record');
    const f = l.store.getState().failovers.find((x) => x.outcome === 'no-quorum');
    assert.ok(f);
    assert.equal(f.oldMasterId, 'redis-3');
    assert.equal(f.cause, 'host-1 -/-> host-3 (drop)');
    assert.match(f.aborted ?? '', /only 1 of 3 Sentinels saw redis-3 down; the quorum is 2/);
    assert.equal(f.phases.odown, undefined);
  });

  it('no majority: ODOWN at quorum 1, nobody elected; the retry joins the same record', async () => {
    const l = await lab({
      redis: 3,
      sentinels: 3,
      master: 'redis-3',
      sentinel: { downAfterMs: 1000, quorum: 1, failoverTimeoutMs: 3000 },
    });
    assert.ok((await l.perform({ kind: 'isolate', host: 'host-1' })).ok);
    await l.waitFor(
      (s) => s.failovers.some((f) => (f.attempts ?? []).some((a) => a.outcome === 'no-majority')),
      40_000,
      'an election that failed and was retried',
    );
    const s = l.store.getState();
    const mine = s.failovers.filter((f) => f.oldMasterId === 'redis-3');
    assert.equal(mine.length, 1, 'one record for the one outage');
    const f = mine[0];
    assert.ok(f);
    assert.equal(f.cause, 'isolate host-1 (drop)');
    assert.equal(f.attempts?.[0]?.channel, '-failover-abort-not-elected');
    assert.ok(f.phases.odown !== undefined);
  });
});
