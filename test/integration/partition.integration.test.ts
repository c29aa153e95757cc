// The note's experiment 2 on real Redis, driven through Lab.perform exactly as the keyboard would: three hosts
// (redis-i + sentinel-i on host-i), the master redis-3 and client B (pinned to it) on host-3, host-3 cut off.
// 1. Split brain: the majority fails over, B keeps getting OK from the isolated old master, and after heal those
//    acknowledged writes are gone (the ledger counts them, attributed to redis-3).
// 2. Bounded loss: with min-replicas-to-write 1 the old master refuses writes (NOREPLICAS) once its replicas time
//    out, so every lost write was acknowledged early in the partition (within min(max-lag, repl-timeout) + ≤1 s).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HistoryOp } from '../../src/cluster/events.js';
import type { TopologyShape } from '../../src/cluster/topology.js';
import type { LocalLab } from '../../src/engine/lab.js';
import type { LedgerVerdict } from '../../src/ledger/types.js';
import { selectSentinelMasters } from '../../src/state/selectors.js';
import type { LabState } from '../../src/state/store.js';
import { startTestLab } from '../helpers/lab.js';
import { guardLab, type LabGuard } from '../helpers/lab-guard.js';
import { failoverWaitMs } from '../helpers/wait.js';

// Two Sentinels elect the leader (sentinel-3 is cut off with host-3): the failover wait covers split votes.
const TIMING = { downAfterMs: 2000, failoverTimeoutMs: 10_000 };
const BASE_SHAPE: TopologyShape = {
  redis: 3,
  sentinels: 3,
  master: 'redis-3',
  sentinel: TIMING,
  replication: { replTimeoutSec: 5 },
};

/** How long host-3 stays cut off: long enough for the failover (~DA + 1.3 s) plus several seconds of split brain. */
const PARTITION_MS = 12_000;
const WORKLOAD_RATE = 50;

interface SplitBrainRun {
  partitionAt: number;
  /** When the majority's new master (named by sentinel-1 and -2) and the old one were both observed as masters. */
  splitAt: number;
  healAt: number;
  convertedAt: number;
  newMaster: string;
  /** Every op of the workload (client B), from the engine's own event stream. */
  ops: HistoryOp[];
  verdict: LedgerVerdict;
}

function splitBrainObserved(s: LabState): string | undefined {
  const named = selectSentinelMasters(s);
  const m = named['sentinel-1'];
  if (m !== 'redis-1' && m !== 'redis-2') return undefined;
  if (named['sentinel-2'] !== m || named['sentinel-3'] !== 'redis-3') return undefined;
  const isMaster = (id: string) => s.redis[id]?.reachable === true && s.redis[id]?.replication?.role === 'master';
  return isMaster(m) && isMaster('redis-3') ? m : undefined;
}

/** Workload as B, isolate host-3, hold, heal, wait for redis-3 to be converted, stop the workload (final read). */
async function runSplitBrain(lab: LocalLab): Promise<SplitBrainRun> {
  const ops: HistoryOp[] = [];
  const onOp = (op: HistoryOp) => {
    if (op.process === 'workload') ops.push(op);
  };
  lab.emitter.on('history-op', onOp);
  try {
    const started = await lab.perform({ kind: 'workload-start', client: 'B', ratePerSec: WORKLOAD_RATE });
    assert.ok(started.ok, started.text);
    await lab.waitFor((s) => s.workload.counts.ok >= 25, 15_000, 'client B acknowledged writes before the fault');

    const partitionAt = Date.now();
    const cut = await lab.perform({ kind: 'isolate', host: 'host-3', mode: 'drop' });
    assert.ok(cut.ok, cut.text);

    let newMaster: string | undefined;
    await lab.waitFor(
      (s) => {
        newMaster = splitBrainObserved(s);
        return newMaster !== undefined;
      },
      failoverWaitMs(TIMING),
      'sentinel-1 and sentinel-2 naming a new master on the majority side while sentinel-3 still names redis-3',
    );
    const splitAt = Date.now();
    assert.ok(newMaster);

    // The scenario needs time to pass: client B keeps writing into the isolated old master.
    const remaining = partitionAt + PARTITION_MS - Date.now();
    await new Promise((r) => setTimeout(r, Math.max(remaining, 3000)));

    const healAt = Date.now();
    const healed = await lab.perform({ kind: 'heal-all' });
    assert.ok(healed.ok, healed.text);
    const m = newMaster;
    await lab.waitFor(
      (s) => s.redis['redis-3']?.replication?.role === 'replica' && s.redis['redis-3']?.masterId === m,
      45_000,
      `redis-3 converted to a replica of ${m}`,
    );
    const convertedAt = Date.now();

    const stopped = await lab.perform({ kind: 'workload-stop' });
    assert.ok(stopped.ok, stopped.text);
    await lab.waitFor((s) => s.workload.verdict !== undefined, 5000, 'the ledger verdict in the store');
    const verdict = lab.store.getState().workload.verdict;
    assert.ok(verdict);
    return { partitionAt, splitAt, healAt, convertedAt, newMaster: m, ops, verdict };
  } finally {
    lab.emitter.off('history-op', onOp);
  }
}

const oks = (ops: HistoryOp[], from: number, to: number) =>
  ops.filter((o) => o.type === 'ok' && o.f === 'add' && o.at >= from && o.at < to);

function report(lab: LocalLab, name: string, r: SplitBrainRun): void {
  const v = r.verdict;
  const events = lab.store.getState().events;
  const attempts = events.filter((e) => e.channel === '+try-failover').length;
  const notElected = events.filter((e) => e.channel === '-failover-abort-not-elected').length;
  console.log(
    `# ${name}: failover observed ${r.splitAt - r.partitionAt} ms after the partition ` +
      `(${attempts} election attempt(s), ${notElected} not elected); redis-3 converted ` +
      `${r.convertedAt - r.healAt} ms after heal; acknowledged ${v.acknowledged}, lost ${v.lost}, windows ` +
      v.lossWindows.map((w) => `${w.node} +${w.firstAt - r.partitionAt}..+${w.lastAt - r.partitionAt} ms`).join(', '),
  );
  // A slow failover is real Sentinel behaviour (e.g. a retried election), but say what happened.
  if (r.splitAt - r.partitionAt > 10_000) {
    for (const e of events.filter((x) => x.at >= r.partitionAt && x.at <= r.splitAt)) {
      console.log(`#   +${e.at - r.partitionAt} ms ${e.sentinelId} ${e.channel} ${e.payload}`);
    }
  }
}

describe('split brain: host-3 (master redis-3 + client B) partitioned away', () => {
  let lab: LocalLab;
  let cleanup: () => Promise<void>;
  let guard: LabGuard;
  let run: SplitBrainRun;

  before(async () => {
    ({ lab, cleanup } = await startTestLab(BASE_SHAPE));
    guard = guardLab(lab);
  });
  after(async () => {
    await cleanup();
    await guard.assertNothingLeft();
  });

  it('places client B on host-3 pinned to redis-3, client A on the majority following Sentinel', () => {
    assert.deepEqual(lab.topology.clients.B, { host: 'host-3', target: { kind: 'node', node: 'redis-3' } });
    assert.deepEqual(lab.topology.clients.A, { host: 'host-1', target: { kind: 'sentinel' } });
  });

  it('fails over on the majority, B keeps getting OK from redis-3, and those writes are lost after heal', async () => {
    run = await runSplitBrain(lab);
    report(lab, 'split brain', run);
    const s = lab.store.getState();

    // Client B was acknowledged by the isolated old master during the partition, also after the failover.
    assert.ok(oks(run.ops, run.partitionAt, run.healAt).length > 0, 'B got OKs during the partition');
    const afterSplit = oks(run.ops, run.splitAt, run.healAt);
    assert.ok(afterSplit.length > 0, 'B got OKs while another master existed');
    assert.ok(
      afterSplit.every((o) => o.node === 'redis-3'),
      'those OKs came from redis-3',
    );

    // The failover timeline: caused by the isolate, redis-3 -> the new master, then redis-3 converted after heal.
    const f = s.failovers.find((t) => t.oldMasterId === 'redis-3' && t.newMasterId === run.newMaster);
    assert.ok(f, `a failover timeline redis-3 -> ${run.newMaster}: ${JSON.stringify(s.failovers)}`);
    // An election retried after -failover-abort-not-elected opens a second timeline; the first one has the cause.
    const first = s.failovers.find((t) => t.oldMasterId === 'redis-3');
    assert.match(f.cause ?? first?.cause ?? '', /isolate host-3/);
    assert.ok(f.switchedBy['sentinel-1'] !== undefined && f.switchedBy['sentinel-2'] !== undefined);
    assert.ok((f.switchedBy['sentinel-3'] ?? 0) >= run.healAt, 'sentinel-3 switched only once it could hear again');
    assert.ok((f.switchedBy['sentinel-1'] ?? 0) < run.healAt, 'the majority switched during the partition');
    assert.ok((f.phases.converted ?? 0) >= run.healAt, `+convert-to-slave of redis-3 after heal: ${JSON.stringify(f)}`);

    // The ledger: acknowledged writes lost, all of them acknowledged by redis-3.
    const v = run.verdict;
    assert.equal(v.finalMaster, run.newMaster);
    assert.ok(v.lost > 0, `acknowledged writes lost (verdict ${JSON.stringify(v)})`);
    assert.equal(v.valid, false);
    assert.ok(v.lossWindows.length > 0);
    for (const w of v.lossWindows) {
      assert.equal(w.node, 'redis-3', `loss attributed to redis-3: ${JSON.stringify(w)}`);
      assert.ok(w.firstAt >= run.partitionAt - 1000, 'nothing acknowledged well before the partition was lost');
    }
    assert.equal(v.failedPresent, 0, 'no refused write survived');
    assert.equal(v.unexpected, 0);
  });
});

describe('bounded loss: the same partition with min-replicas-to-write 1', () => {
  let lab: LocalLab;
  let cleanup: () => Promise<void>;
  let guard: LabGuard;

  const BOUND_MS = 12_000;

  before(async () => {
    ({ lab, cleanup } = await startTestLab({
      ...BASE_SHAPE,
      replication: { minReplicasToWrite: 1, minReplicasMaxLagSec: 10, replTimeoutSec: 5 },
    }));
    guard = guardLab(lab);
  });
  after(async () => {
    await cleanup();
    await guard.assertNothingLeft();
  });

  it('refuses B with NOREPLICAS once redis-3 has no good replica; every lost write was acknowledged early', async () => {
    const run = await runSplitBrain(lab);
    report(lab, 'bounded loss', run);
    const refused = run.ops.filter(
      (o) => o.type === 'fail' && /^NOREPLICAS\b/.test(o.error ?? '') && o.at >= run.partitionAt && o.at < run.healAt,
    );
    assert.ok(refused.length > 0, 'NOREPLICAS failures for B during the partition');
    assert.ok(refused.every((o) => o.node === 'redis-3'));
    assert.ok((lab.store.getState().workload.counts.errors.NOREPLICAS ?? 0) > 0, 'the live counts show NOREPLICAS');

    // The guard closes the window: min(max-lag 10, repl-timeout 5) + ≤ 1 s (+ probe/scheduling slack).
    const lastOk = oks(run.ops, run.partitionAt, run.healAt).at(-1);
    if (lastOk)
      console.log(`# bounded loss: last OK from redis-3 ${lastOk.at - run.partitionAt} ms into the partition`);
    const lateOks = oks(run.ops, run.partitionAt + BOUND_MS, run.convertedAt).filter((o) => o.node === 'redis-3');
    assert.deepEqual(lateOks, [], 'redis-3 acknowledged nothing late in the partition or after heal');

    const v = run.verdict;
    assert.equal(v.finalMaster, run.newMaster);
    assert.equal(v.failedPresent, 0, 'no refused write survived');
    assert.equal(v.unexpected, 0);
    for (const w of v.lossWindows) {
      assert.equal(w.node, 'redis-3');
      assert.ok(
        w.lastAt - run.partitionAt <= BOUND_MS,
        `lost writes acknowledged within ${BOUND_MS} ms of the partition (window ${JSON.stringify(w)})`,
      );
    }
  });
});
