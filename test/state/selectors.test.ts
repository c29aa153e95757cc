// Selectors over hand-built LabState: answers, and stable references for zustand's useStore.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RedisObservation, SentinelObservation } from '../../src/cluster/observe/types.js';
import { buildTopology, type Topology } from '../../src/cluster/topology.js';
import {
  selectConverged,
  selectDisagreement,
  selectGoodReplicas,
  selectLags,
  selectMasters,
  selectMastership,
  selectSentinelMasters,
  selectSentinelsAgree,
} from '../../src/state/selectors.js';
import { initialLabState, type LabState } from '../../src/state/store.js';

// Hosts mode: redis-i on 127.0.2.i:(6378+i), sentinel-i on 127.0.2.i:(6478+i).
const topology: Topology = buildTopology({ redis: 3, sentinels: 3 }, 6379, 'hosts');
const port = (id: string) => topology.nodes.find((n) => n.id === id)?.port ?? 0;
const ip = (id: string) => `127.0.2.${id.split('-')[1]}`;

function masterObs(id: string, replicas: string[], extra: Partial<RedisObservation> = {}): RedisObservation {
  return {
    id,
    at: 1,
    reachable: true,
    replication: {
      role: 'master',
      masterReplOffset: 1000,
      connectedReplicas: replicas.length,
      replicas: replicas.map((r) => ({ ip: ip(r), port: port(r), state: 'online', ackOffset: 1000, ackAgeSec: 0 })),
    },
    ...extra,
  };
}

function replicaObs(id: string, master: string, link: 'up' | 'down' = 'up'): RedisObservation {
  return {
    id,
    at: 1,
    reachable: true,
    masterId: master,
    replication: {
      role: 'replica',
      masterReplOffset: 1000,
      connectedReplicas: 0,
      replicas: [],
      masterHost: ip(master),
      masterPort: port(master),
      masterLinkStatus: link,
      replicaOffset: 1000,
    },
  };
}

function sentinelObs(id: string, master: string | undefined): SentinelObservation {
  const o: SentinelObservation = { id, at: 1, reachable: true, replicas: [], sentinels: [] };
  if (master !== undefined) {
    o.masterAddr = { ip: ip(master), port: port(master) };
    o.masterId = master;
  }
  return o;
}

function running(s: LabState): LabState {
  const processes = { ...s.processes };
  for (const [id, p] of Object.entries(processes)) processes[id] = { ...p, state: 'running' };
  return { ...s, processes };
}

function healthy(): LabState {
  const s = running(initialLabState(topology));
  return {
    ...s,
    redis: {
      'redis-1': masterObs('redis-1', ['redis-2', 'redis-3']),
      'redis-2': replicaObs('redis-2', 'redis-1'),
      'redis-3': replicaObs('redis-3', 'redis-1'),
    },
    sentinels: {
      'sentinel-1': sentinelObs('sentinel-1', 'redis-1'),
      'sentinel-2': sentinelObs('sentinel-2', 'redis-1'),
      'sentinel-3': sentinelObs('sentinel-3', 'redis-1'),
    },
  };
}

describe('selectors on a healthy cluster', () => {
  const s = healthy();
  it('one master, every Sentinel agrees, converged', () => {
    assert.deepEqual(selectMasters(s), ['redis-1']);
    assert.deepEqual(selectMastership(s), {
      master: 'redis-1',
      basis: 'sole-claim',
      claims: ['redis-1'],
      answering: ['sentinel-1', 'sentinel-2', 'sentinel-3'],
      named: { 'sentinel-1': 'redis-1', 'sentinel-2': 'redis-1', 'sentinel-3': 'redis-1' },
      agree: true,
      reference: 'redis-1',
      dissenters: [],
      detail: 'redis-1 is the master',
    });
    assert.deepEqual(selectSentinelMasters(s), {
      'sentinel-1': 'redis-1',
      'sentinel-2': 'redis-1',
      'sentinel-3': 'redis-1',
    });
    assert.equal(selectSentinelsAgree(s), true);
    assert.equal(selectDisagreement(s), undefined);
    assert.deepEqual(selectConverged(s), {
      ok: true,
      detail: 'redis-1 is master; 3 Sentinels agree; 2 replicas linked',
    });
    assert.deepEqual(
      selectLags(s).map((l) => [l.replicaId, l.lagBytes, l.isGood]),
      [
        ['redis-2', 0, true],
        ['redis-3', 0, true],
      ],
    );
    assert.equal(selectGoodReplicas(s, 'redis-1'), 2);
    assert.equal(selectGoodReplicas(s, 'redis-2'), undefined, 'not a master');
  });

  it('prefers min_slaves_good_slaves when the guard is on', () => {
    const m = masterObs('redis-1', ['redis-2', 'redis-3']);
    if (m.replication) m.replication.goodReplicas = 1;
    assert.equal(selectGoodReplicas({ ...s, redis: { ...s.redis, 'redis-1': m } }, 'redis-1'), 1);
  });
});

describe('selectors mid-failover and in split brain', () => {
  it('master dead: no master, not converged', () => {
    const s = healthy();
    const next: LabState = {
      ...s,
      processes: {
        ...s.processes,
        'redis-1': { ...(s.processes['redis-1'] as LabState['processes'][string]), state: 'exited' },
      },
      redis: {
        ...s.redis,
        'redis-1': { id: 'redis-1', at: 2, reachable: false, error: 'connect ECONNREFUSED 127.0.1.1:6379' },
        'redis-2': replicaObs('redis-2', 'redis-1', 'down'),
      },
    };
    assert.deepEqual(selectMasters(next), []);
    assert.equal(selectMastership(next).master, undefined);
    assert.equal(selectMastership(next).detail, 'no reachable node reports role master');
    assert.deepEqual(selectConverged(next), { ok: false, detail: 'no reachable master' });
    assert.deepEqual(selectLags(next), []);
  });

  it('two masters (the old one came back before +convert-to-slave)', () => {
    const s = healthy();
    const next: LabState = {
      ...s,
      redis: {
        'redis-1': masterObs('redis-1', []),
        'redis-2': replicaObs('redis-2', 'redis-3'),
        'redis-3': masterObs('redis-3', ['redis-2']),
      },
      sentinels: {
        'sentinel-1': sentinelObs('sentinel-1', 'redis-3'),
        'sentinel-2': sentinelObs('sentinel-2', 'redis-3'),
        'sentinel-3': sentinelObs('sentinel-3', 'redis-1'),
      },
    };
    assert.deepEqual(selectMasters(next), ['redis-1', 'redis-3']);
    assert.equal(selectMastership(next).master, 'redis-3', 'two of the three Sentinels name redis-3');
    assert.equal(selectMastership(next).basis, 'sentinel-majority');
    assert.deepEqual(selectMastership(next).dissenters, ['sentinel-3']);
    assert.equal(selectSentinelsAgree(next), false);
    assert.equal(selectDisagreement(next), 'sentinel-3 still names redis-1; sentinel-1, sentinel-2 name redis-3');
    assert.deepEqual(selectConverged(next), { ok: false, detail: '2 masters: redis-1, redis-3' });
  });

  it('Sentinels disagree although there is one master: the stale one is named first', () => {
    const s = healthy();
    const next: LabState = {
      ...s,
      redis: {
        'redis-1': replicaObs('redis-1', 'redis-2'),
        'redis-2': masterObs('redis-2', ['redis-1', 'redis-3']),
        'redis-3': replicaObs('redis-3', 'redis-2'),
      },
      sentinels: {
        ...s.sentinels,
        'sentinel-1': sentinelObs('sentinel-1', 'redis-2'),
        'sentinel-2': sentinelObs('sentinel-2', 'redis-2'),
      },
    };
    assert.equal(selectMastership(next).master, 'redis-2');
    assert.deepEqual(selectMastership(next).dissenters, ['sentinel-3']);
    assert.equal(selectDisagreement(next), 'sentinel-3 still names redis-1; sentinel-1, sentinel-2 name redis-2');
    assert.deepEqual(selectConverged(next), {
      ok: false,
      detail: 'sentinel-3 still names redis-1; sentinel-1, sentinel-2 name redis-2',
    });
  });

  it('unreachable Sentinels do not vote; a Sentinel that names nothing is reported', () => {
    const s = healthy();
    const next: LabState = {
      ...s,
      sentinels: {
        'sentinel-1': sentinelObs('sentinel-1', 'redis-1'),
        'sentinel-2': {
          id: 'sentinel-2',
          at: 1,
          reachable: false,
          error: 'Command timed out',
          replicas: [],
          sentinels: [],
        },
        'sentinel-3': sentinelObs('sentinel-3', undefined),
      },
    };
    assert.deepEqual(selectSentinelMasters(next), {
      'sentinel-1': 'redis-1',
      'sentinel-2': undefined,
      'sentinel-3': undefined,
    });
    assert.equal(selectSentinelsAgree(next), false);
    assert.equal(selectDisagreement(next), 'sentinel-3 names no master; sentinel-1 names redis-1');
    const withoutS3 = {
      ...next,
      sentinels: {
        ...next.sentinels,
        'sentinel-3': { ...next.sentinels['sentinel-3'], reachable: false } as SentinelObservation,
      },
    };
    assert.equal(selectSentinelsAgree(withoutS3), true);
    assert.equal(selectConverged(withoutS3).ok, true);
    const none = { ...next, sentinels: {} };
    assert.equal(selectSentinelsAgree(none), false);
    assert.deepEqual(selectConverged(none), { ok: false, detail: 'no Sentinel reachable' });
  });

  it('an address no lab node has is shown as ip:port', () => {
    const s = healthy();
    const odd = { ...sentinelObs('sentinel-1', 'redis-1'), masterAddr: { ip: '10.0.0.9', port: 7000 } };
    delete odd.masterId;
    const next = { ...s, sentinels: { ...s.sentinels, 'sentinel-1': odd } };
    assert.equal(selectSentinelMasters(next)['sentinel-1'], '10.0.0.9:7000');
  });

  it('replica problems block convergence; stopped or frozen nodes are left out', () => {
    const s = healthy();
    const linkDown = { ...s, redis: { ...s.redis, 'redis-3': replicaObs('redis-3', 'redis-1', 'down') } };
    assert.deepEqual(selectConverged(linkDown), { ok: false, detail: "redis-3's link to redis-1 is down" });
    const wrongMaster = { ...s, redis: { ...s.redis, 'redis-3': replicaObs('redis-3', 'redis-2') } };
    assert.deepEqual(selectConverged(wrongMaster), {
      ok: false,
      detail: 'redis-3 replicates from redis-2, not redis-1',
    });
    const unreachable = { ...s, redis: { ...s.redis, 'redis-3': { id: 'redis-3', at: 1, reachable: false } } };
    assert.deepEqual(selectConverged(unreachable), { ok: false, detail: 'redis-3 is not reachable' });
    const p3 = s.processes['redis-3'] as LabState['processes'][string];
    const frozen = { ...unreachable, processes: { ...s.processes, 'redis-3': { ...p3, state: 'frozen' as const } } };
    assert.deepEqual(selectConverged(frozen), {
      ok: true,
      detail: 'redis-1 is master; 3 Sentinels agree; 1 replica linked',
    });
  });
});

describe('selectMastership', () => {
  const down = (id: string): RedisObservation => ({ id, at: 2, reachable: false, error: 'Command timed out' });
  const silent = (id: string): SentinelObservation => ({ id, at: 2, reachable: false, replicas: [], sentinels: [] });
  /** The partition of the design review: redis-1 and redis-3 both claim master, sentinel-2 cannot be reached. */
  function splitOneSentinelDown(): LabState {
    const s = healthy();
    return {
      ...s,
      redis: {
        'redis-1': masterObs('redis-1', []),
        'redis-2': replicaObs('redis-2', 'redis-3'),
        'redis-3': masterObs('redis-3', ['redis-2']),
      },
      sentinels: {
        'sentinel-1': sentinelObs('sentinel-1', 'redis-3'),
        'sentinel-2': silent('sentinel-2'),
        'sentinel-3': sentinelObs('sentinel-3', 'redis-1'),
      },
    };
  }

  it('split brain with one Sentinel unreachable: nothing settles it, nobody is singled out', () => {
    const m = selectMastership(splitOneSentinelDown());
    assert.equal(m.master, undefined);
    assert.equal(m.basis, 'unsettled');
    assert.deepEqual(m.claims, ['redis-1', 'redis-3']);
    assert.deepEqual(m.answering, ['sentinel-1', 'sentinel-3']);
    assert.deepEqual(m.named, { 'sentinel-1': 'redis-3', 'sentinel-3': 'redis-1' });
    assert.equal(m.agree, false);
    assert.equal(m.reference, undefined, 'a 1-1 tie names no reference');
    assert.deepEqual(m.dissenters, []);
    assert.equal(m.detail, 'redis-1 and redis-3 all claim master and no Sentinel majority settles it');
    assert.equal(
      m.disagreement,
      'sentinel-1 names redis-3; sentinel-3 names redis-1',
      'no "still": nobody is known behind',
    );
  });

  it('map insertion order decides nothing', () => {
    const s = splitOneSentinelDown();
    const reversed: LabState = {
      ...s,
      redis: Object.fromEntries(Object.entries(s.redis).reverse()),
      sentinels: Object.fromEntries(Object.entries(s.sentinels).reverse()),
    };
    const a = selectMastership(s);
    const b = selectMastership(reversed);
    assert.deepEqual(b, a);
    assert.deepEqual(Object.keys(b.named), ['sentinel-1', 'sentinel-3']);
  });

  it('a majority of ALL Sentinels settles a split; answering agreement alone does not', () => {
    const s = splitOneSentinelDown();
    const two: LabState = { ...s, sentinels: { ...s.sentinels, 'sentinel-2': sentinelObs('sentinel-2', 'redis-3') } };
    const m = selectMastership(two);
    assert.equal(m.master, 'redis-3');
    assert.equal(m.detail, 'redis-3 is the master (named by 2 of 3 Sentinels; redis-1 also claims master)');
    assert.deepEqual(m.dissenters, ['sentinel-3']);
    assert.equal(m.disagreement, 'sentinel-3 still names redis-1; sentinel-1, sentinel-2 name redis-3');

    const lonely: LabState = { ...s, sentinels: { ...s.sentinels, 'sentinel-3': silent('sentinel-3') } };
    const l = selectMastership(lonely);
    assert.equal(l.agree, true, 'the one answering Sentinel agrees with itself');
    assert.equal(l.master, undefined, '1 of 3 is no majority');
    assert.equal(l.reference, 'redis-3');
    assert.deepEqual(l.dissenters, []);
  });

  it('a stale Sentinel: the one claim is the master, and the Sentinel still naming the old one dissents', () => {
    const s = healthy();
    const next: LabState = {
      ...s,
      redis: {
        'redis-1': down('redis-1'),
        'redis-2': masterObs('redis-2', ['redis-3']),
        'redis-3': replicaObs('redis-3', 'redis-2'),
      },
      sentinels: { ...s.sentinels, 'sentinel-1': sentinelObs('sentinel-1', 'redis-2') },
    };
    const m = selectMastership(next);
    assert.equal(m.master, 'redis-2');
    assert.equal(m.basis, 'sole-claim', 'the Sentinels do not outvote the only node that claims master');
    assert.equal(m.reference, 'redis-2');
    assert.deepEqual(m.dissenters, ['sentinel-2', 'sentinel-3']);
    assert.equal(m.disagreement, 'sentinel-2, sentinel-3 still name redis-1; sentinel-1 names redis-2');
  });

  it('no claim: the plurality of answering Sentinels is the reference; a tie has none', () => {
    const s = healthy();
    const dead: LabState = {
      ...s,
      redis: { ...s.redis, 'redis-1': down('redis-1') },
      sentinels: { ...s.sentinels, 'sentinel-3': sentinelObs('sentinel-3', 'redis-2') },
    };
    const m = selectMastership(dead);
    assert.equal(m.master, undefined);
    assert.equal(m.reference, 'redis-1');
    assert.deepEqual(m.dissenters, ['sentinel-3']);
    assert.equal(m.disagreement, 'sentinel-3 names redis-2; sentinel-1, sentinel-2 name redis-1');
    const tie: LabState = { ...dead, sentinels: { ...dead.sentinels, 'sentinel-1': silent('sentinel-1') } };
    const t = selectMastership(tie);
    assert.equal(t.reference, undefined);
    assert.deepEqual(t.dissenters, []);
    assert.equal(t.disagreement, 'sentinel-2 names redis-1; sentinel-3 names redis-2');
  });
});

describe('memoisation', () => {
  it('returns the same reference while the inputs are the same objects', () => {
    const s = healthy();
    assert.equal(selectMasters(s), selectMasters(s));
    assert.equal(selectLags(s), selectLags(s));
    assert.equal(selectSentinelMasters(s), selectSentinelMasters(s));
    assert.equal(selectConverged(s), selectConverged(s));
  });

  it('returns the previous reference when new inputs give an equal result', () => {
    const s = healthy();
    const masters = selectMasters(s);
    const lags = selectLags(s);
    const converged = selectConverged(s);
    const sm = selectSentinelMasters(s);
    // A new probe round with identical content: new objects everywhere.
    const again: LabState = { ...s, redis: structuredClone(s.redis), sentinels: structuredClone(s.sentinels) };
    assert.equal(selectMasters(again), masters);
    assert.equal(selectLags(again), lags);
    assert.equal(selectConverged(again), converged);
    assert.equal(selectSentinelMasters(again), sm);
  });

  it('returns a new reference when the answer changes', () => {
    const s = healthy();
    const lags = selectLags(s);
    const m = masterObs('redis-1', ['redis-2', 'redis-3']);
    if (m.replication) m.replication.masterReplOffset = 1014;
    const next = { ...s, redis: { ...s.redis, 'redis-1': m } };
    const lags2 = selectLags(next);
    assert.notEqual(lags2, lags);
    assert.equal(lags2[0]?.lagBytes, 14);
  });

  it('is cheap: 10,000 calls on unchanged state are instant', () => {
    const s = healthy();
    const t = performance.now();
    for (let i = 0; i < 10_000; i++) {
      selectMasters(s);
      selectMastership(s);
      selectSentinelsAgree(s);
      selectConverged(s);
      selectLags(s);
    }
    assert.ok(performance.now() - t < 500);
  });
});
