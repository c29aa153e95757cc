// Every catalog channel with a realistic payload (public addresses 127.0.2.x as in the lab's hosts mode),
// plus the captured 7.0.15 failover stream.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  channelSpec,
  glossBody,
  parseInstanceDetails,
  parseSentinelEvent,
  parseSwitchMaster,
  SENTINEL_CHANNELS,
} from '../../../src/cluster/observe/sentinel-events.js';
import { buildTopology, nodeIdByAddress } from '../../../src/cluster/topology.js';
import { fixtureJson, type RecordedFailover } from '../../fixtures/fixtures.js';

const topology = buildTopology({ redis: 5, sentinels: 3 }, 6379, 'hosts');
const resolve = (ip: string, port: number) => nodeIdByAddress(topology, ip, port);
const S1 = '4657509d99515f2f28a0c6995148ee1b235bce41';
const S2 = 'df35875a4b1e1f0a2c3d4e5f60718293a4b5c6d7';
const S9 = '9999999999aaaaaaaaaabbbbbbbbbbcccccccccc';
const runIds: Record<string, string> = { [S1]: 'sentinel-1', [S2]: 'sentinel-2' };
const resolveRunId = (id: string) => runIds[id];

const M = 'master mymaster 127.0.2.1 6379';
const R3 = 'slave 127.0.2.3:6381 127.0.2.3 6381 @ mymaster 127.0.2.1 6379';
const R2 = 'slave 127.0.2.2:6380 127.0.2.2 6380 @ mymaster 127.0.2.1 6379';
const SEN1 = `sentinel ${S1} 127.0.2.1 6479 @ mymaster 127.0.2.1 6379`;

interface Case {
  channel: string;
  payload: string;
  gloss: string;
  subjectId?: string;
  instanceType?: string;
}

const cases: Case[] = [
  {
    channel: '+monitor',
    payload: `${M} quorum 2`,
    gloss: 'started monitoring master redis-1 (quorum 2)',
    subjectId: 'redis-1',
  },
  { channel: '-monitor', payload: M, gloss: 'stopped monitoring master redis-1' },
  {
    channel: '+set',
    payload: `${M} down-after-milliseconds 2000`,
    gloss: 'set down-after-milliseconds to 2000 for master redis-1',
  },
  {
    channel: '+reset-master',
    payload: M,
    gloss: 'reset master redis-1: forgot its replicas, Sentinels and failover state',
  },
  {
    channel: '+slave',
    payload: R2,
    gloss: 'discovered replica redis-2 of redis-1',
    subjectId: 'redis-2',
    instanceType: 'slave',
  },
  { channel: '+sentinel', payload: SEN1, gloss: 'discovered sentinel-1 watching redis-1', subjectId: 'sentinel-1' },
  {
    channel: '+sentinel-address-switch',
    payload: `${M} ip 127.0.2.2 port 6480 for ${S2}`,
    gloss: 'sentinel-2 now announces 127.0.2.2:6480',
    subjectId: 'sentinel-2',
    instanceType: 'sentinel',
  },
  {
    channel: '+sentinel-address-update',
    payload: `${SEN1} 1 additional matching instances`,
    gloss: 'updated the address of sentinel-1 for 1 other master(s)',
  },
  {
    channel: '+sentinel-invalid-addr',
    payload: `sentinel ${S9} 127.0.2.9 7000 @ mymaster 127.0.2.1 6379`,
    gloss: 'forgot Sentinel 99999999: another Sentinel now claims its address',
  },
  {
    channel: '+sdown',
    payload: M,
    gloss: 'thinks master redis-1 is down (SDOWN: no valid reply within down-after)',
    subjectId: 'redis-1',
    instanceType: 'master',
  },
  { channel: '-sdown', payload: R3, gloss: 'sees replica redis-3 answering again (SDOWN cleared)' },
  {
    channel: '+odown',
    payload: `${M} #quorum 2/2`,
    gloss: 'enough Sentinels (2 of quorum 2) agree redis-1 is down (ODOWN)',
    subjectId: 'redis-1',
  },
  { channel: '-odown', payload: M, gloss: 'redis-1 is no longer objectively down (ODOWN cleared)' },
  { channel: '+new-epoch', payload: '1', gloss: 'moved to epoch 1' },
  { channel: '+try-failover', payload: M, gloss: 'starts a failover of redis-1 and asks the others for votes' },
  {
    channel: '+vote-for-leader',
    payload: `${S1} 1`,
    gloss: 'votes for sentinel-1 as failover leader in epoch 1',
    subjectId: 'sentinel-1',
    instanceType: 'sentinel',
  },
  { channel: '+elected-leader', payload: M, gloss: 'won the election and will fail over redis-1' },
  {
    channel: '-failover-abort-not-elected',
    payload: M,
    gloss: 'gives up leading the failover of redis-1: not elected in time',
  },
  { channel: '+failover-state-select-slave', payload: M, gloss: 'choosing a replica of redis-1 to promote' },
  {
    channel: '-failover-abort-no-good-slave',
    payload: M,
    gloss: 'aborts the failover of redis-1: no replica is eligible for promotion',
  },
  { channel: '+selected-slave', payload: R3, gloss: 'selected redis-3 to become the new master', subjectId: 'redis-3' },
  { channel: '+failover-state-send-slaveof-noone', payload: R3, gloss: 'sends REPLICAOF NO ONE to redis-3' },
  { channel: '+failover-state-wait-promotion', payload: R3, gloss: 'waits for redis-3 to report role:master' },
  {
    channel: '-failover-abort-slave-timeout',
    payload: M,
    gloss: 'aborts the failover of redis-1: the promotion did not happen within failover-timeout',
  },
  { channel: '+promoted-slave', payload: R3, gloss: 'redis-3 now reports role:master (promoted)' },
  {
    channel: '+failover-state-reconf-slaves',
    payload: M,
    gloss: 'repoints the other replicas of redis-1 at the new master',
  },
  { channel: '+slave-reconf-sent', payload: R2, gloss: 'sent REPLICAOF <new master> to redis-2' },
  { channel: '+slave-reconf-inprog', payload: R2, gloss: 'redis-2 is syncing with the new master' },
  { channel: '+slave-reconf-done', payload: R2, gloss: 'redis-2 now replicates from the new master (link up)' },
  {
    channel: '-slave-reconf-sent-timeout',
    payload: R2,
    gloss: 'redis-2 made no progress within 10 s; treating it as reconfigured',
  },
  {
    channel: '+slave-reconf-sent-be',
    payload: R2,
    gloss: 'sent a best-effort REPLICAOF to redis-2 after failover-timeout',
  },
  {
    channel: '+failover-end-for-timeout',
    payload: M,
    gloss: 'ends the failover of redis-1 at failover-timeout; unreached replicas are fixed later',
  },
  { channel: '+failover-end', payload: M, gloss: 'finished the failover of redis-1' },
  {
    channel: '+switch-master',
    payload: 'mymaster 127.0.2.1 6379 127.0.2.3 6381',
    gloss: 'now names redis-3 as master "mymaster" (was redis-1)',
    subjectId: 'redis-3',
  },
  {
    channel: '+config-update-from',
    payload: SEN1,
    gloss: 'adopts the newer configuration announced by sentinel-1',
  },
  {
    channel: '+convert-to-slave',
    payload: 'slave 127.0.2.1:6379 127.0.2.1 6379 @ mymaster 127.0.2.3 6381',
    gloss: 'redis-1 reports role:master but should be a replica; sends REPLICAOF redis-3',
    subjectId: 'redis-1',
  },
  {
    channel: '+fix-slave-config',
    payload: 'slave 127.0.2.4:6382 127.0.2.4 6382 @ mymaster 127.0.2.3 6381',
    gloss: 'redis-4 replicates from the wrong master; repoints it at redis-3',
  },
  {
    channel: '+role-change',
    payload: 'slave 127.0.2.1:6379 127.0.2.1 6379 @ mymaster 127.0.2.3 6381 new reported role is slave',
    gloss: 'replica redis-1 now reports role slave (as expected)',
  },
  {
    channel: '-role-change',
    payload: `${R3} new reported role is master`,
    gloss: 'replica redis-3 now reports role master (not what this Sentinel expects)',
  },
  { channel: '+reboot', payload: R2, gloss: 'replica redis-2 restarted (new run id)' },
  {
    channel: '+tilt',
    payload: '#tilt mode entered',
    gloss: 'enters TILT mode: its timer stalled, so it will not act for 30 s',
  },
  { channel: '-tilt', payload: '#tilt mode exited', gloss: 'leaves TILT mode and acts again' },
  {
    channel: '-script-error',
    payload: '/tmp/lab/notify.sh 0 2',
    gloss: 'script /tmp/lab/notify.sh failed (signal 0, exit code 2)',
  },
  {
    channel: '-script-timeout',
    payload: '/tmp/lab/notify.sh 4242',
    gloss: 'script /tmp/lab/notify.sh (pid 4242) ran over 60 s and was killed',
  },
];

const parse = (channel: string, payload: string, sentinelId = 'sentinel-2') =>
  parseSentinelEvent({ channel, payload, sentinelId, at: 1000, seq: 7 }, resolve, resolveRunId);

describe('sentinel event catalog', () => {
  it('covers exactly the 44 published channels, each tested below', () => {
    assert.equal(SENTINEL_CHANNELS.length, 44);
    assert.deepEqual(cases.map((c) => c.channel).sort(), SENTINEL_CHANNELS.map((s) => s.channel).sort());
    assert.equal(new Set(SENTINEL_CHANNELS.map((s) => s.channel)).size, 44);
  });

  it('knows which channels reach the notification script (warning level, with an instance)', () => {
    const notifying = SENTINEL_CHANNELS.filter((s) => s.notifies).map((s) => s.channel);
    for (const ch of ['+sdown', '+odown', '+switch-master', '+new-epoch', '+vote-for-leader', '+failover-end']) {
      assert.ok(notifying.includes(ch), ch);
    }
    for (const ch of [
      '+tilt',
      '-tilt',
      '-script-error',
      '-script-timeout',
      '+slave',
      '+convert-to-slave',
      '-role-change',
    ]) {
      assert.ok(!notifying.includes(ch), ch);
    }
  });

  for (const c of cases) {
    it(`${c.channel} ${c.payload}`, () => {
      const e = parse(c.channel, c.payload);
      assert.equal(e.gloss, `sentinel-2: ${c.gloss}`);
      assert.equal(e.known, true);
      assert.equal(e.severity, channelSpec(c.channel)?.severity);
      assert.equal(e.channel, c.channel);
      assert.equal(e.payload, c.payload);
      assert.equal(e.sentinelId, 'sentinel-2');
      assert.equal(e.seq, 7);
      assert.equal(e.at, 1000);
      if (c.subjectId !== undefined) assert.equal(e.subjectId, c.subjectId);
      if (c.instanceType !== undefined) assert.equal(e.instanceType, c.instanceType);
    });
  }
});

describe('parseSentinelEvent details', () => {
  it('the ODOWN example from the brief', () => {
    const e = parseSentinelEvent(
      {
        channel: '+odown',
        payload: 'master mymaster 127.0.2.1 6379 #quorum 2/2',
        sentinelId: 'sentinel-2',
        at: 1,
        seq: 1,
      },
      resolve,
    );
    assert.equal(e.gloss, 'sentinel-2: enough Sentinels (2 of quorum 2) agree redis-1 is down (ODOWN)');
    assert.equal(e.severity, 'critical');
    assert.equal(e.instanceType, 'master');
  });

  it('+switch-master carries from/to ids; private addresses resolve too', () => {
    const e = parse('+switch-master', 'mymaster 127.0.1.1 6379 127.0.1.2 6380');
    assert.equal(e.fromId, 'redis-1');
    assert.equal(e.toId, 'redis-2');
    assert.equal(e.subjectId, 'redis-2');
    assert.equal(e.instanceType, undefined);
  });

  it('epochs from +new-epoch and +vote-for-leader', () => {
    assert.equal(parse('+new-epoch', '12').epoch, 12);
    const v = parse('+vote-for-leader', `${S9} 3`);
    assert.equal(v.epoch, 3);
    assert.equal(v.subjectId, undefined);
    assert.equal(v.gloss, 'sentinel-2: votes for Sentinel 99999999 as failover leader in epoch 3');
  });

  it('unknown addresses are shown as ip:port', () => {
    const e = parse('+sdown', 'slave 10.9.9.9:7000 10.9.9.9 7000 @ mymaster 10.9.9.1 7001');
    assert.equal(e.subjectId, undefined);
    assert.equal(e.gloss, 'sentinel-2: thinks replica 10.9.9.9:7000 is down (SDOWN: no valid reply within down-after)');
  });

  it('unknown channels are kept, raw', () => {
    const e = parse('+failover-detected', `${M} extra`);
    assert.equal(e.known, false);
    assert.equal(e.severity, 'info');
    assert.equal(e.gloss, `sentinel-2: +failover-detected ${M} extra`);
    assert.equal(e.subjectId, 'redis-1', 'instance details are still recognised');
    const hello = parse('__sentinel__:hello', '127.0.2.1,6479,abc,1,mymaster,127.0.2.1,6379,0');
    assert.equal(hello.known, false);
    assert.equal(hello.subjectId, undefined);
  });

  it('a known channel with a malformed payload falls back to the raw text', () => {
    const e = parse('+sdown', 'garbage');
    assert.equal(e.known, true);
    assert.equal(e.gloss, 'sentinel-2: +sdown garbage');
  });

  it('glossBody strips the reporting Sentinel', () => {
    assert.equal(glossBody(parse('+new-epoch', '2')), 'moved to epoch 2');
  });
});

describe('payload parsers', () => {
  it('instance details with and without the @ suffix', () => {
    assert.deepEqual(parseInstanceDetails(`${M} #quorum 2/3`), {
      type: 'master',
      name: 'mymaster',
      ip: '127.0.2.1',
      port: 6379,
      rest: ['#quorum', '2/3'],
    });
    assert.deepEqual(parseInstanceDetails(R3), {
      type: 'slave',
      name: '127.0.2.3:6381',
      ip: '127.0.2.3',
      port: 6381,
      master: { name: 'mymaster', ip: '127.0.2.1', port: 6379 },
      rest: [],
    });
    assert.equal(parseInstanceDetails('1'), undefined);
    assert.equal(parseInstanceDetails('master x 1.2.3.4 notaport'), undefined);
  });
  it('switch-master', () => {
    assert.deepEqual(parseSwitchMaster('mymaster 127.0.0.1 7379 127.0.0.1 7383'), {
      name: 'mymaster',
      oldIp: '127.0.0.1',
      oldPort: 7379,
      newIp: '127.0.0.1',
      newPort: 7383,
    });
    assert.equal(parseSwitchMaster('mymaster 127.0.0.1'), undefined);
  });
});

describe('captured 7.0.15 failover stream', () => {
  const rec = fixtureJson<RecordedFailover>('sentinel-events-failover.json');
  const byPort: Record<number, string> = {};
  for (const [id, port] of Object.entries(rec.ports)) byPort[port] = id;
  const res = (ip: string, port: number) => (ip === '127.0.0.1' ? byPort[port] : undefined);

  it('every recorded channel is in the catalog and every instance resolves', () => {
    for (const [i, r] of rec.events.entries()) {
      const e = parseSentinelEvent({ ...r, at: r.t, seq: i }, res);
      assert.equal(e.known, true, r.channel);
      assert.doesNotMatch(e.gloss, /\?|127\.0\.0\.1/, `${r.channel} ${r.payload} -> ${e.gloss}`);
      if (r.channel !== '+new-epoch' && r.channel !== '+vote-for-leader' && r.channel !== '+tilt') {
        assert.ok(e.subjectId, `${r.channel} ${r.payload}`);
      }
    }
  });
});
