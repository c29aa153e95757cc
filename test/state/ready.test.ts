// Readiness, pure: the gaps a start waits on, in the order the start goes through them; the line the TUI shows while
// it waits (ui/lib/startup.ts); what a start that timed out says was still missing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SentinelInstanceInfo } from '../../src/cluster/observe/types.js';
import { isClusterReady, missingForReady, readinessGaps } from '../../src/state/ready.js';
import type { LabState } from '../../src/state/store.js';
import { startupWaitText } from '../../src/ui/lib/startup.js';
import { edit, healthy, replicaObs } from '../lessons/fixtures.js';

/** Sentinels that know the master only, as in a lesson that starts them without known-replica/known-sentinel. */
function sentinelsKnowOnlyTheMaster(s: LabState): LabState {
  return edit(s, (d) => {
    for (const o of Object.values(d.sentinels)) {
      o.replicas = [];
      o.sentinels = [];
    }
  });
}

const instance = (nodeId: string, flag: string): SentinelInstanceInfo => ({
  name: nodeId,
  ip: '127.0.2.1',
  port: 6379,
  nodeId,
  flags: [flag],
  fields: {},
});

function sentinelsSeeEveryone(s: LabState): LabState {
  return edit(s, (d) => {
    for (const o of Object.values(d.sentinels)) {
      o.replicas = ['redis-2', 'redis-3', 'redis-4', 'redis-5'].map((r) => instance(r, 'slave'));
      o.sentinels = ['sentinel-1', 'sentinel-2', 'sentinel-3']
        .filter((p) => p !== o.id)
        .map((p) => instance(p, 'sentinel'));
    }
  });
}

describe('readiness', () => {
  it('a healthy cluster whose Sentinels know everyone is ready; none of it missing', () => {
    const s = sentinelsSeeEveryone(healthy());
    assert.deepEqual(readinessGaps(s), []);
    assert.equal(isClusterReady(s), true);
    assert.equal(startupWaitText(readinessGaps(s), s.topology), undefined);
    assert.equal(missingForReady(readinessGaps(s)), undefined);
  });

  it('Sentinels that know only the master: waiting for them to find the replicas (INFO), then each other (hello)', () => {
    const s = sentinelsKnowOnlyTheMaster(healthy());
    const gaps = readinessGaps(s);
    assert.deepEqual(
      gaps.map((g) => `${g.kind} ${g.node}`),
      [
        'sentinel-replicas sentinel-1',
        'sentinel-replicas sentinel-2',
        'sentinel-replicas sentinel-3',
        'sentinel-peers sentinel-1',
        'sentinel-peers sentinel-2',
        'sentinel-peers sentinel-3',
      ],
      'by kind, in the order the start goes through them',
    );
    assert.equal(
      startupWaitText(gaps, s.topology),
      "all 3 Sentinels finding the replicas: a Sentinel reads redis-1's INFO when it connects, then every 10 s",
    );
    // Replicas found by two of them; every Sentinel still alone.
    const later = edit(sentinelsSeeEveryone(healthy()), (d) => {
      d.sentinels['sentinel-2']!.replicas = [];
      for (const o of Object.values(d.sentinels)) o.sentinels = [];
    });
    assert.equal(
      startupWaitText(readinessGaps(later), later.topology),
      "sentinel-2 finding the replicas: a Sentinel reads redis-1's INFO when it connects, then every 10 s",
    );
    const alone = edit(sentinelsSeeEveryone(healthy()), (d) => {
      for (const o of Object.values(d.sentinels)) o.sentinels = [];
    });
    assert.equal(
      startupWaitText(readinessGaps(alone), alone.topology),
      'all 3 Sentinels finding each other: each Sentinel says hello every 2 s on __sentinel__:hello',
    );
    const lonely = edit(sentinelsSeeEveryone(healthy()), (d) => {
      d.sentinels['sentinel-3']!.sentinels = [];
    });
    assert.equal(
      startupWaitText(readinessGaps(lonely), lonely.topology),
      'sentinel-3 finding the other Sentinels: each Sentinel says hello every 2 s on __sentinel__:hello',
    );
  });

  it('earlier stages first: processes, then the master, then the replicas syncing', () => {
    const s = sentinelsKnowOnlyTheMaster(healthy());
    const starting = edit(s, (d) => {
      d.processes['sentinel-2']!.state = 'starting';
    });
    assert.equal(startupWaitText(readinessGaps(starting), starting.topology), 'starting sentinel-2');
    const syncing = edit(s, (d) => {
      d.redis['redis-3'] = replicaObs('redis-3', 'redis-1', false);
      d.redis['redis-4'] = replicaObs('redis-4', 'redis-1', false);
    });
    assert.equal(
      startupWaitText(readinessGaps(syncing), syncing.topology),
      'redis-3, redis-4 syncing with redis-1 (a full sync, then the link is up)',
    );
  });

  it('a start that timed out names what was still missing, the first three and how many more', () => {
    const s = sentinelsKnowOnlyTheMaster(healthy());
    assert.equal(
      missingForReady(readinessGaps(s)),
      'Still missing: sentinel-1 sees 0/4 replicas; sentinel-2 sees 0/4 replicas; sentinel-3 sees 0/4 replicas and 3 more.',
    );
  });
});
