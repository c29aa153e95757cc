// What the lab observes on real Redis, through Lab.perform as the keyboard would (the note's 1 master + 4 replicas
// + 3 Sentinels; down-after 2000 ms so a loaded box cannot cascade into a second failover):
// - a frozen replica ages past min-replicas-max-lag, the master's good-replica count drops and client A gets
//   NOREPLICAS; thaw restores it;
// - killing the master shows in the view within 1 s, and the store's Sentinel events and failover timeline hold the
//   whole pipeline in causal order per Sentinel.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SentinelEvent } from '../../src/cluster/events.js';
import { PHASE_ORDER } from '../../src/cluster/observe/failover-timeline.js';
import type { LocalLab } from '../../src/engine/lab.js';
import { selectGoodReplicas, selectMastership, selectSentinelMasters } from '../../src/state/selectors.js';
import { startTestLab } from '../helpers/lab.js';
import { guardLab, type LabGuard } from '../helpers/lab-guard.js';
import { failoverWaitMs } from '../helpers/wait.js';

let lab: LocalLab;
let cleanup: () => Promise<void>;
let guard: LabGuard;

before(async () => {
  ({ lab, cleanup } = await startTestLab({ redis: 5, sentinels: 3, sentinel: { downAfterMs: 2000 } }));
  guard = guardLab(lab);
});
after(async () => {
  await cleanup();
  await guard.assertNothingLeft();
});

const state = () => lab.store.getState();
const SENTINELS = ['sentinel-1', 'sentinel-2', 'sentinel-3'];

describe('observation of a real cluster', () => {
  it('a frozen replica ages out of min-replicas: good replicas drop, client A gets NOREPLICAS; thaw restores', async () => {
    const set = await lab.perform({ kind: 'min-replicas', toWrite: 4, maxLagSec: 3 });
    assert.ok(set.ok, set.text);
    await lab.waitFor(
      (s) => s.redis['redis-1']?.minReplicasToWrite === 4 && selectGoodReplicas(s, 'redis-1') === 4,
      10_000,
      'redis-1 guarded by min-replicas-to-write 4 with 4 good replicas',
    );
    const ok = await lab.perform({ kind: 'write', client: 'A', key: 'guarded', value: 'before' });
    assert.ok(ok.ok, ok.text);

    const frozenAt = Date.now();
    assert.ok((await lab.perform({ kind: 'freeze', node: 'redis-5' })).ok);
    // redis-5 stops ACKing; after max-lag (3 s, 1 s granularity) the master stops counting it.
    await lab.waitFor(
      (s) => (selectGoodReplicas(s, 'redis-1') ?? 4) < 4,
      15_000,
      "redis-1's good-replica count dropping below 4",
    );
    const agedMs = Date.now() - frozenAt;
    const entry = state().redis['redis-1']?.replication?.replicas.find((r) => r.nodeId === 'redis-5');
    console.log(`# freeze: good replicas ${selectGoodReplicas(state(), 'redis-1')} after ${agedMs} ms`);
    assert.ok(agedMs >= 2500, `not before max-lag (${agedMs} ms)`);
    assert.ok((entry?.ackAgeSec ?? 0) > 3, `redis-5's ACK aged past max-lag: ${JSON.stringify(entry)}`);

    const refused = await lab.perform({ kind: 'write', client: 'A', key: 'guarded', value: 'during' });
    assert.equal(refused.ok, false);
    assert.match(refused.text, /NOREPLICAS/);
    await lab.waitFor(
      (st) => st.clientResults.some((r) => r.client === 'A' && !r.ok && /NOREPLICAS/.test(r.text)),
      2000,
      "client A's NOREPLICAS in the client pane",
    );

    assert.ok((await lab.perform({ kind: 'thaw', node: 'redis-5' })).ok);
    await lab.waitFor((s) => selectGoodReplicas(s, 'redis-1') === 4, 15_000, 'four good replicas again');
    const again = await lab.perform({ kind: 'write', client: 'A', key: 'guarded', value: 'after' });
    assert.ok(again.ok, again.text);

    // Leave the guard off for the failover below (it would make the new master refuse writes, nothing else).
    assert.ok((await lab.perform({ kind: 'min-replicas', toWrite: 0 })).ok);
    await lab.waitFor((s) => s.redis['redis-1']?.minReplicasToWrite === 0, 10_000, 'the guard off');
    assert.equal(state().failovers.length, 0, 'freezing a replica started no failover');
  });

  it('kill the master: the view shows it within 1 s, events and the timeline hold the pipeline in order', async () => {
    const killedAt = Date.now();
    const k = await lab.perform({ kind: 'kill', node: 'redis-1' });
    assert.ok(k.ok, k.text);
    await lab.waitFor(
      (s) => s.processes['redis-1']?.state === 'exited' && s.redis['redis-1']?.reachable === false,
      Math.max(50, killedAt + 1000 - Date.now()),
      'redis-1 shown exited and unreachable within 1 s of the kill',
    );
    console.log(`# kill: view updated ${Date.now() - killedAt} ms after the kill`);

    await lab.waitFor(
      (s) => {
        const f = s.failovers[0];
        return f !== undefined && SENTINELS.every((id) => f.switchedBy[id] !== undefined) && f.done;
      },
      failoverWaitMs(lab.topology.sentinel),
      'every Sentinel switching and the leader ending the failover',
    );
    await lab.waitFor(
      (s) => {
        const m = selectMastership(s);
        return (
          m.basis === 'sole-claim' &&
          m.master !== 'redis-1' &&
          Object.values(selectSentinelMasters(s)).every((x) => x === m.master)
        );
      },
      15_000,
      'one new master that every Sentinel names',
    );
    const s = state();
    const newMaster = selectMastership(s).master!;

    // The timeline: caused by the kill, every phase up to failover-end reached, in pipeline order.
    const f = s.failovers[0]!;
    assert.equal(s.failovers.length, 1, 'exactly one failover (no cascade)');
    assert.equal(f.oldMasterId, 'redis-1');
    assert.equal(f.newMasterId, newMaster);
    assert.equal(f.cause, 'kill redis-1');
    assert.ok(f.leaderId && SENTINELS.includes(f.leaderId));
    const expected = [
      'fault',
      'sdown',
      'odown',
      'try-failover',
      'elected',
      'selected',
      'promoted',
      'switch-master',
      'failover-end',
    ] as const;
    for (const p of expected) assert.ok(f.phases[p] !== undefined, `phase ${p} reached: ${JSON.stringify(f.phases)}`);
    const reached = PHASE_ORDER.filter((p) => f.phases[p] !== undefined).map((p) => f.phases[p]!);
    assert.deepEqual(
      reached,
      [...reached].sort((a, b) => a - b),
      `phases in pipeline order: ${JSON.stringify(f.phases)}`,
    );
    assert.deepEqual(Object.keys(f.switchedBy).sort(), SENTINELS);
    assert.ok(
      (f.phases.sdown ?? 0) - killedAt >= lab.topology.sentinel.downAfterMs - 100,
      'SDOWN not before down-after',
    );
    console.log(
      `# kill: ${(['sdown', 'odown', 'elected', 'promoted', 'switch-master', 'failover-end'] as const)
        .map((p) => `${p} +${(f.phases[p] ?? 0) - killedAt} ms`)
        .join(', ')}; leader ${f.leaderId}, new master ${newMaster}`,
    );

    // Raw events, per Sentinel: the pipeline channels it emitted appear in causal order (seq and time agree).
    const events = s.events.filter((e) => e.at >= killedAt);
    const bySeq = [...events].sort((a, b) => a.seq - b.seq);
    for (let i = 1; i < bySeq.length; i++) assert.ok(bySeq[i]!.at >= bySeq[i - 1]!.at, 'seq order is time order');
    const masterDown = (e: SentinelEvent) =>
      (e.channel === '+sdown' || e.channel === '+odown') && e.instanceType === 'master' && e.subjectId === 'redis-1';
    const pipeline = [
      '+sdown',
      '+odown',
      '+try-failover',
      '+elected-leader',
      '+selected-slave',
      '+promoted-slave',
      '+switch-master',
    ];
    let odowns = 0;
    for (const id of SENTINELS) {
      const mine = bySeq.filter((e) => e.sentinelId === id && (pipeline.includes(e.channel) || masterDown(e)));
      const relevant = mine.filter((e) => (e.channel === '+sdown' || e.channel === '+odown' ? masterDown(e) : true));
      const firsts = pipeline
        .map((ch) => relevant.find((e) => e.channel === ch))
        .filter((e): e is SentinelEvent => e !== undefined);
      assert.ok(
        firsts.some((e) => e.channel === '+sdown'),
        `${id} reported +sdown of redis-1`,
      );
      assert.ok(
        firsts.some((e) => e.channel === '+switch-master'),
        `${id} reported +switch-master`,
      );
      const seqs = firsts.map((e) => e.seq);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
        `${id}: ${firsts.map((e) => e.channel).join(' ')} in pipeline order`,
      );
      if (firsts.some((e) => e.channel === '+odown')) odowns++;
    }
    assert.ok(odowns >= lab.topology.sentinel.quorum, `+odown from at least quorum Sentinels (${odowns})`);
    const leader = events.filter((e) => e.sentinelId === f.leaderId).map((e) => e.channel);
    for (const ch of pipeline) assert.ok(leader.includes(ch), `the leader ${f.leaderId} emitted ${ch}`);
    const sw = events.find((e) => e.channel === '+switch-master');
    assert.equal(sw?.fromId, 'redis-1');
    assert.equal(sw?.toId, newMaster);
  });
});
