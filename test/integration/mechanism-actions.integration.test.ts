// The actions the mechanism lessons add, against a real cluster whose Sentinels discovered everything themselves
// (no pre-seeded state): WAIT after a write on one connection, replica-priority as the Sentinels see it, SENTINEL
// RESET and rediscovery, and the data node's own FAILOVER.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LocalLab } from '../../src/engine/lab.js';
import { startTestLab } from '../helpers/lab.js';
import { guardLab, type LabGuard } from '../helpers/lab-guard.js';
import { eventually } from '../helpers/wait.js';

let lab: LocalLab;
let cleanup: () => Promise<void>;
let guard: LabGuard;

before(async () => {
  ({ lab, cleanup } = await startTestLab({ redis: 3, sentinels: 3, sentinel: { preseedState: false } }));
  guard = guardLab(lab);
});
after(async () => {
  await cleanup?.();
  await guard?.assertNothingLeft();
});

const state = () => lab.store.getState();

describe('mechanism actions on a cluster that discovered itself', () => {
  it('became ready with every Sentinel knowing both replicas and both peers from discovery alone', () => {
    for (const id of ['sentinel-1', 'sentinel-2', 'sentinel-3']) {
      const o = state().sentinels[id];
      assert.equal(o?.replicas.length, 2, id);
      assert.equal(o?.sentinels.length, 2, id);
    }
  });

  it('wait: SET then WAIT on one connection, and the client result carries the answer', async () => {
    const r = await lab.perform({ kind: 'wait', client: 'B', key: 'order', value: '1', replicas: 2, timeoutMs: 1000 });
    assert.ok(r.ok, r.text);
    const last = await eventually(() => state().clientResults.at(-1), { timeoutMs: 2000, what: 'the client result' });
    assert.equal(last.command, 'SET order 1; WAIT 2 1000');
    assert.equal(last.waitReplicas, 2);
    assert.equal(last.node, 'redis-1');
  });

  it('replica-priority: set on the node, read by every Sentinel at its next INFO', async () => {
    assert.ok((await lab.perform({ kind: 'replica-priority', node: 'redis-2', priority: 0 })).ok);
    await eventually(
      () =>
        Object.values(state().sentinels).every(
          (o) => o.replicas.find((r) => r.nodeId === 'redis-2')?.fields['slave-priority'] === '0',
        ),
      { timeoutMs: 20_000, what: 'every Sentinel listing redis-2 with slave-priority 0' },
    );
  });

  it('sentinel-reset: the Sentinel forgets and finds its peers again through hello messages', async () => {
    const since = Math.max(-1, ...state().events.map((e) => e.seq));
    assert.ok((await lab.perform({ kind: 'sentinel-reset', sentinel: 'sentinel-2' })).ok);
    const fromS2 = (channel: string) =>
      state().events.filter((e) => e.seq > since && e.sentinelId === 'sentinel-2' && e.channel === channel).length;
    await eventually(() => fromS2('+reset-master') === 1 && fromS2('+sentinel') === 2, {
      timeoutMs: 10_000,
      what: '+reset-master and two +sentinel from sentinel-2',
    });
    await eventually(() => fromS2('+slave') === 2, { timeoutMs: 15_000, what: 'two +slave from sentinel-2' });
  });

  it('server-failover: the master hands over to the replica named, and refuses writes at once', async () => {
    const r = await lab.perform({ kind: 'server-failover', node: 'redis-1', to: 'redis-3', timeoutMs: 5000 });
    assert.ok(r.ok, r.text);
    await eventually(
      () =>
        state().redis['redis-3']?.replication?.role === 'master' &&
        state().redis['redis-1']?.replication?.role === 'replica',
      { timeoutMs: 10_000, what: 'redis-3 master and redis-1 its replica' },
    );
    const w = await lab.perform({ kind: 'write', client: 'B', key: 'order', value: '2' });
    assert.equal(w.ok, false);
    assert.match(w.text, /READONLY/);
  });
});
