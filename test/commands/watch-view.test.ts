// `watch` prints no view before every node was probed once: a view of a store whose nodes run but have not been
// probed yet would call every node unreachable (the first view of `watch --sentinel` did, on a healthy deployment).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LabEmitter } from '../../src/cluster/events.js';
import { streamLab } from '../../src/commands/watch.js';
import type { Lab } from '../../src/engine/lab.js';
import { everyNodeProbed, formatSummary, summarizeView } from '../../src/engine/view-summary.js';
import type { LabState } from '../../src/state/store.js';
import { healthyState } from '../fixtures/ui-states.js';
import { testLabStore } from '../helpers/store.js';

type States = Record<string, { state: string }>;

/** Every process running (as a deployment reports them when the lab starts observing), no probe answered yet. */
function attachedBeforeProbes(): LabState {
  const s = healthyState();
  return { ...s, redis: {}, sentinels: {}, failovers: [] };
}

describe('the first view waits for a complete probe round', () => {
  it('everyNodeProbed: only once every data node and every Sentinel has an observation, answering or not', () => {
    const healthy = healthyState();
    assert.equal(everyNodeProbed(healthy), true);
    assert.equal(everyNodeProbed(attachedBeforeProbes()), false);
    const { 'sentinel-3': _s3, ...twoSentinels } = healthy.sentinels;
    assert.equal(everyNodeProbed({ ...healthy, sentinels: twoSentinels }), false);
    const { 'redis-4': _r4, ...fourRedis } = healthy.redis;
    assert.equal(everyNodeProbed({ ...healthy, redis: fourRedis }), false);
    // A node that really does not answer counts as probed, and its view says so.
    const down = { ...healthy, redis: { ...healthy.redis, 'redis-3': { id: 'redis-3', at: 1, reachable: false } } };
    assert.equal(everyNodeProbed(down), true);
    assert.equal(summarizeView(down).redis['redis-3']?.state, 'unreachable');
  });

  it('streamLab prints the first view only after the first complete probe round, then each change', () => {
    const healthy = healthyState();
    const store = testLabStore(attachedBeforeProbes());
    const lab = { emitter: new LabEmitter(), store } as unknown as Lab;
    const views: States[] = [];
    const unsubscribe = streamLab(
      lab,
      (rec) => {
        if (rec.type === 'view') views.push({ ...rec.view.redis, ...rec.view.sentinels });
      },
      () => '00:00:00.000',
      { now: true },
    );
    assert.deepEqual(views, [], 'no view of nodes nobody probed yet');
    // The probes answer one by one: still no view until the last one has.
    const { 'redis-5': last, ...others } = healthy.redis;
    store.setState({ redis: others, sentinels: healthy.sentinels });
    assert.deepEqual(views, []);
    // redis-5 does not answer: the first view says so, and only of redis-5.
    store.setState({ redis: { ...others, 'redis-5': { id: 'redis-5', at: 2, reachable: false, error: 'timeout' } } });
    const notRunning = (v: States | undefined) =>
      Object.entries(v ?? {})
        .filter(([, x]) => x.state !== 'running')
        .map(([id, x]) => `${id}=${x.state}`);
    assert.equal(views.length, 1);
    assert.deepEqual(notRunning(views[0]), ['redis-5=unreachable']);
    assert.ok(last);
    store.setState({ redis: { ...others, 'redis-5': last } });
    assert.equal(views.length, 2);
    assert.deepEqual(notRunning(views[1]), []);
    unsubscribe();
  });
});

describe('a node that exited since its last probe', () => {
  it('shows as exited, not with the role its last probe answered', () => {
    const healthy = healthyState();
    const s: LabState = {
      ...healthy,
      processes: {
        ...healthy.processes,
        'redis-1': { ...healthy.processes['redis-1'], state: 'exited' } as LabState['processes'][string],
      },
    };
    const v = summarizeView(s);
    assert.equal(v.redis['redis-1']?.state, 'exited');
    assert.equal(v.redis['redis-1']?.role, undefined);
    assert.match(formatSummary(v), /(^| )redis-1=exited( |$)/);
  });
});
