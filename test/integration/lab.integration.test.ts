// The engine against a real cluster: readiness, agreement, node faults, failover and the old master's return.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isAlive } from '../../src/cluster/process/proc.js';
import { pingOnce } from '../../src/cluster/process/readiness.js';
import { privateAddress } from '../../src/cluster/topology.js';
import type { LocalLab } from '../../src/engine/lab.js';
import { selectMasters, selectMastership, selectSentinelMasters } from '../../src/state/selectors.js';
import { startTestLab } from '../helpers/lab.js';
import { failoverWaitMs } from '../helpers/wait.js';

let lab: LocalLab;
let cleanup: () => Promise<void>;

before(async () => {
  ({ lab, cleanup } = await startTestLab());
});
after(async () => {
  const pids = lab.topology.nodes.map((n) => lab.nodePid(n.id)).filter((p): p is number => p !== undefined);
  await cleanup();
  for (const p of pids) assert.equal(isAlive(p), false, `pid ${p} left behind`);
});

const state = () => lab.store.getState();

describe('lab engine with the default topology', () => {
  it('is ready: one master, four online replicas, every Sentinel names redis-1', () => {
    const s = state();
    assert.ok((s.readyMs ?? 0) > 0);
    assert.deepEqual(selectMasters(s), ['redis-1']);
    assert.deepEqual(Object.values(selectSentinelMasters(s)), ['redis-1', 'redis-1', 'redis-1']);
    const online = s.redis['redis-1']?.replication?.replicas.filter((r) => r.state === 'online').map((r) => r.nodeId);
    assert.deepEqual(online?.sort(), ['redis-2', 'redis-3', 'redis-4', 'redis-5']);
  });

  it('freeze/thaw a replica: the process stays alive but silent, then answers again', async () => {
    const r = await lab.perform({ kind: 'freeze', node: 'redis-5' });
    assert.ok(r.ok, r.text);
    await lab.waitFor((s) => s.processes['redis-5']?.state === 'frozen', 1000, 'redis-5 shown frozen');
    const addr = privateAddress(lab.topology, 'redis-5');
    assert.equal(await pingOnce({ ...addr, password: 'redis', timeoutMs: 300 }), 'down');
    assert.ok((await lab.perform({ kind: 'thaw', node: 'redis-5' })).ok);
    assert.equal(await pingOnce({ ...addr, password: 'redis', timeoutMs: 1000 }), 'ready');
  });

  it('stop and restart a replica; the action log shows the real command', async () => {
    assert.ok((await lab.perform({ kind: 'stop', node: 'redis-4' })).ok);
    await lab.waitFor((s) => s.processes['redis-4']?.state === 'stopped', 5000);
    const a = state().actions.find((x) => x.title === 'stop redis-4');
    assert.match(a?.equivalent ?? '', /kill -TERM \d+/);
    assert.ok((await lab.perform({ kind: 'restart', node: 'redis-4' })).ok);
    await lab.waitFor(
      (s) =>
        s.redis['redis-1']?.replication?.replicas.some((r) => r.nodeId === 'redis-4' && r.state === 'online') ?? false,
      15_000,
      'redis-4 online again',
    );
  });

  it('kill the master: Sentinels fail over, and the restarted old master comes back as a replica', async () => {
    const killedAt = Date.now();
    assert.ok((await lab.perform({ kind: 'kill', node: 'redis-1' })).ok);
    await lab.waitFor((s) => s.processes['redis-1']?.state === 'exited', 2000, 'redis-1 exited');
    await lab.waitFor(
      (s) => {
        const m = selectMastership(s);
        return (
          m.basis === 'sole-claim' &&
          m.master !== 'redis-1' &&
          Object.values(selectSentinelMasters(s)).every((x) => x === m.master)
        );
      },
      failoverWaitMs(lab.topology.sentinel),
      'a new master named by every Sentinel',
    );
    const switched = state().events.filter((e) => e.channel === '+switch-master');
    assert.ok(switched.length >= 1, 'saw +switch-master');
    assert.ok(switched[0]!.at - killedAt >= lab.topology.sentinel.downAfterMs, 'not before down-after');
    assert.ok((await lab.perform({ kind: 'restart', node: 'redis-1' })).ok);
    // The master every Sentinel names then: usually the first failover's, but a promoted replica that stays
    // unanswered past down-after right after +switch-master is failed over again (lessons/03-failover).
    await lab.waitFor(
      (s) => {
        const m = selectMastership(s);
        return (
          m.agree &&
          m.master !== undefined &&
          m.master !== 'redis-1' &&
          s.redis['redis-1']?.replication?.role === 'replica' &&
          s.redis['redis-1']?.masterId === m.master
        );
      },
      failoverWaitMs(lab.topology.sentinel),
      'redis-1 a replica of the master every Sentinel names',
    );
    // A Sentinel converted it (+convert-to-slave), or the leader of a second failover repointed it with the other
    // replicas (+slave-reconf-sent, or -be at failover-timeout): what sentinel.c does either way.
    const repointed = ['+convert-to-slave', '+slave-reconf-sent', '+slave-reconf-sent-be'];
    assert.ok(state().events.some((e) => repointed.includes(e.channel) && e.subjectId === 'redis-1'));
  });
});
