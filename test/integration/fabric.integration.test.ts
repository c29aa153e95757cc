// The fabric's one-way faults on real Redis, through Lab.perform as the keyboard would. Three hosts, redis-i and
// sentinel-i on host-i, master redis-1 on host-1; client B sits on host-1 pinned to redis-1.
// 3. A one-way cut host-1 -> host-2 starves the replica redis-2 while its own ACKs still reach the master.
// 4. 500 ms of latency between host-1 and host-2 makes redis-2's replication lag visible next to redis-3's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MasterReplicaEntry } from '../../src/cluster/observe/types.js';
import type { LocalLab } from '../../src/engine/lab.js';
import { selectConverged, selectLags, selectMasters } from '../../src/state/selectors.js';
import type { LabState } from '../../src/state/store.js';
import { startTestLab } from '../helpers/lab.js';
import { guardLab, type LabGuard } from '../helpers/lab-guard.js';

let lab: LocalLab;
let cleanup: () => Promise<void>;
let guard: LabGuard;

before(async () => {
  ({ lab, cleanup } = await startTestLab({ redis: 3, sentinels: 3, sentinel: { downAfterMs: 2000 } }));
  guard = guardLab(lab);
});
after(async () => {
  await cleanup();
  await guard.assertNothingLeft();
});

const state = () => lab.store.getState();
const masterOffset = (s: LabState) => s.redis['redis-1']?.replication?.masterReplOffset ?? 0;
/** redis-2 as the master redis-1 lists it (`slaveN:…,offset=<acked>,lag=<seconds since ACK>`). */
const entryOf = (s: LabState, id: string): MasterReplicaEntry | undefined =>
  s.redis['redis-1']?.replication?.replicas.find((r) => r.nodeId === id);
const lagOf = (s: LabState, id: string) => selectLags(s).find((l) => l.replicaId === id);

describe('fabric faults against real replication', () => {
  it('starts with redis-1 master, B on host-1 pinned to it, both replicas linked', () => {
    assert.deepEqual(selectMasters(state()), ['redis-1']);
    assert.deepEqual(lab.topology.clients.B, { host: 'host-1', target: { kind: 'node', node: 'redis-1' } });
    assert.ok(selectConverged(state()).ok, selectConverged(state()).detail);
  });

  it('a one-way cut host-1 -> host-2 starves redis-2 while its ACKs still reach the master; heal restores it', async () => {
    // What is true of the real system: the replication stream flows master -> replica (host-1 -> host-2), the
    // replica's REPLCONF ACKs flow back (host-2 -> host-1). With only the first direction cut, the master keeps
    // hearing redis-2 every second (ack age stays ~0 s, it still counts as a good replica) although redis-2 has not
    // received a byte since the cut: its acknowledged offset freezes while the master's offset grows. Only redis-2
    // can notice, and only after repl-timeout (5 s) of silence from the master does it declare its link down.
    // redis-3 on host-3, fed by the same master, is the control.
    const cut = await lab.perform({ kind: 'cut', from: 'host-1', to: 'host-2', mode: 'drop' });
    assert.ok(cut.ok, cut.text);
    const cutAt = Date.now();
    const before = masterOffset(state());
    const big = 'x'.repeat(200_000);
    const w = await lab.perform({ kind: 'write', client: 'B', key: 'oneway', value: big });
    assert.ok(w.ok, w.text);

    // Within repl-timeout: the master has redis-2 online with fresh ACKs but 200 KB behind; redis-3 has it all.
    let written = 0;
    await lab.waitFor(
      (s) => {
        written = masterOffset(s);
        const e2 = entryOf(s, 'redis-2');
        const e3 = entryOf(s, 'redis-3');
        return (
          written >= before + big.length &&
          e2?.state === 'online' &&
          e2.ackAgeSec <= 2 &&
          written - e2.ackOffset >= big.length &&
          e3 !== undefined &&
          e3.ackOffset >= before + big.length
        );
      },
      4500,
      'redis-2 acknowledging every second yet 200 KB behind, while redis-3 caught up',
    );
    const starved = lagOf(state(), 'redis-2');
    assert.ok(starved && starved.lagBytes >= big.length, `redis-2 lag ${JSON.stringify(starved)}`);
    assert.ok((lagOf(state(), 'redis-3')?.lagBytes ?? Infinity) < big.length, 'redis-3 is not behind');
    console.log(`# one-way cut: redis-2 ${starved.lagBytes} bytes behind with ack age ${starved.ackAgeSec} s`);

    // redis-2 itself: its offset never moved past the write, and after repl-timeout its link is down.
    await lab.waitFor(
      (s) => s.redis['redis-2']?.replication?.masterLinkStatus === 'down',
      20_000,
      'redis-2 declaring its link to redis-1 down (repl-timeout)',
    );
    const downAfter = Date.now() - cutAt;
    console.log(`# one-way cut: redis-2's link down ${downAfter} ms after the cut`);
    assert.ok(downAfter >= 4000, `not before repl-timeout (${downAfter} ms)`);
    assert.ok((state().redis['redis-2']?.replication?.replicaOffset ?? 0) < before + big.length);
    // No failover: sentinel-2 alone cannot hear redis-1, and a quorum of 2 is not reached.
    assert.deepEqual(selectMasters(state()), ['redis-1']);

    const healed = await lab.perform({ kind: 'heal-all' });
    assert.ok(healed.ok, healed.text);
    const healAt = Date.now();
    await lab.waitFor(
      (s) => {
        const r = s.redis['redis-2']?.replication;
        const lag = lagOf(s, 'redis-2');
        return (
          r?.masterLinkStatus === 'up' &&
          (r.replicaOffset ?? 0) >= written &&
          lag !== undefined &&
          lag.lagBytes < 1000 &&
          selectConverged(s).ok
        );
      },
      30_000,
      'redis-2 linked again and caught up with the write',
    );
    console.log(`# one-way cut: redis-2 caught up ${Date.now() - healAt} ms after heal`);
    assert.equal(state().events.filter((e) => e.channel === '+switch-master').length, 0, 'no failover happened');
  });

  it('500 ms latency host-1 <-> host-2 makes redis-2 lag visibly behind redis-3; heal removes it', async () => {
    await lab.waitFor((s) => selectConverged(s).ok, 20_000, 'a converged cluster');
    const f = await lab.perform({ kind: 'latency', from: 'host-1', to: 'host-2', latencyMs: 500 });
    assert.ok(f.ok, f.text);
    const w = await lab.perform({ kind: 'workload-start', client: 'B', ratePerSec: 100 });
    assert.ok(w.ok, w.text);

    // Both replicas ACK once a second, so even redis-3 shows up to ~1 s of writes as lag. redis-2's ACK reports
    // data that left the master ≥ 500 ms earlier and arrives 500 ms late: it is always ≥ 1 s of writes behind.
    await lab.waitFor((s) => (lagOf(s, 'redis-2')?.lagBytes ?? 0) > 0, 10_000, 'redis-2 lag visible');
    const during = await sampleLags(5000);
    console.log(`# latency: ${fmt(during)}`);
    assert.ok(during.n >= 5, `enough samples (${during.n})`);
    assert.ok(during.min2 > 0, 'redis-2 is behind in every sample');
    // Expected ≈ 1.5 s vs ≈ 0.5 s of writes (3×); 1.5× leaves room for a loaded box's bursty workload.
    assert.ok(during.mean2 > 1.5 * during.mean3, 'redis-2 lags clearly more than redis-3');

    const healed = await lab.perform({ kind: 'heal-all' });
    assert.ok(healed.ok, healed.text);
    // Bytes already delayed still drain (≤ 500 ms each way): sample once redis-2 has acknowledged them.
    const atHeal = masterOffset(state());
    await lab.waitFor(
      (s) => (entryOf(s, 'redis-2')?.ackOffset ?? 0) >= atHeal,
      5000,
      'redis-2 acknowledging what was sent before heal',
    );
    const healedLag = await sampleLags(5000);
    console.log(`# after heal: ${fmt(healedLag)}`);
    // Compared relative to redis-3: the workload's pace (and so every replica's lag) varies with machine load.
    const ratio = (x: LagSamples) => x.mean2 / Math.max(1, x.mean3);
    assert.ok(ratio(healedLag) < ratio(during) * 0.67, 'redis-2 lag fell, relative to redis-3, once healed');
    assert.ok(healedLag.mean2 < 1.5 * healedLag.mean3 + 500, 'redis-2 lags like redis-3 again');

    const stop = await lab.perform({ kind: 'workload-stop' });
    assert.ok(stop.ok, stop.text);
    // Idle, the stream still carries replica pings and Sentinel hellos (a few hundred bytes between ACKs), so
    // "caught up" means below one such burst — far below the kilobytes of the workload above.
    await lab.waitFor(
      (s) => (lagOf(s, 'redis-2')?.lagBytes ?? Infinity) < 1000 && (lagOf(s, 'redis-3')?.lagBytes ?? Infinity) < 1000,
      10_000,
      'no lag once writes stop',
    );
  });
});

interface LagSamples {
  n: number;
  mean2: number;
  mean3: number;
  min2: number;
  max3: number;
}

/** Every master observation for `ms`: redis-2's and redis-3's lag as selectLags computes it. */
async function sampleLags(ms: number): Promise<LagSamples> {
  const two: number[] = [];
  const three: number[] = [];
  let lastMaster: unknown;
  const take = (s: LabState) => {
    const m = s.redis['redis-1'];
    if (m === lastMaster) return;
    lastMaster = m;
    const l2 = lagOf(s, 'redis-2');
    const l3 = lagOf(s, 'redis-3');
    if (!l2 || !l3) return;
    two.push(l2.lagBytes);
    three.push(l3.lagBytes);
  };
  const unsubscribe = lab.store.subscribe(take);
  // A fixed observation window: the scenario needs time to pass while writes stream.
  await new Promise((r) => setTimeout(r, ms));
  unsubscribe();
  const mean = (a: number[]) => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : 0);
  return {
    n: two.length,
    mean2: mean(two),
    mean3: mean(three),
    min2: two.length ? Math.min(...two) : 0,
    max3: three.length ? Math.max(...three) : 0,
  };
}

const fmt = (l: LagSamples) =>
  `${l.n} samples, redis-2 mean ${l.mean2.toFixed(0)} B (min ${l.min2}), redis-3 mean ${l.mean3.toFixed(0)} B (max ${l.max3})`;
