// Real Redis: a fault-free run reports no loss (no false alarms), and writes acknowledged by a master that is
// then made a replica of an empty node are all reported lost, attributed to that master. The workload's verdict
// (its compact recorder) equals the set checker's over the history file it wrote.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClientActor } from '../../../src/cluster/clients/client-actor.js';
import { Workload } from '../../../src/cluster/clients/workload.js';
import type { HistoryOp } from '../../../src/cluster/events.js';
import { checkLedger } from '../../../src/ledger/check.js';
import { connectedAdmin, freePorts, info, PASSWORD, type Proc, startRedis, stopAll, waitFor } from './redis-harness.js';

const procs: Proc[] = [];
let ports: number[] = [];
let dir = '';

before(async () => {
  ports = await freePorts(27300, 27339, 3);
  dir = mkdtempSync(join(tmpdir(), 'rsl-workload-'));
});
after(async () => {
  await stopAll(procs);
  rmSync(dir, { recursive: true, force: true });
});

function pinned(nodeId: string, port: number, onOp?: (op: HistoryOp) => void): ClientActor {
  return new ClientActor({
    name: 'A',
    password: PASSWORD,
    target: { kind: 'node', host: '127.0.0.1', port, nodeId },
    resolveNode: () => undefined,
    process: 'workload',
    ...(onOp ? { onOp } : {}),
  });
}

describe('Workload against real Redis', { timeout: 40_000 }, () => {
  it('(a) no fault: >= 10,000 acknowledged writes, replicated, 0 lost', async () => {
    const [mPort, rPort] = ports as [number, number, number];
    const master = await startRedis('wl-master', mPort);
    procs.push(master);
    procs.push(await startRedis('wl-replica', rPort, ['--replicaof', '127.0.0.1', String(mPort)]));
    const m = await connectedAdmin(mPort);
    const r = await connectedAdmin(rPort);
    let countsSeen = 0;
    const w = new Workload({
      actor: pinned('redis-1', mPort),
      runTag: 'noFault',
      ratePerSec: 'max',
      onCounts: () => countsSeen++,
      history: { file: join(dir, 'noFault.jsonl') },
    });
    try {
      await waitFor('replica link up', async () => (await info(r, 'replication')).master_link_status === 'up');
      w.start();
      await waitFor('10,000 acknowledged writes', () => w.stats().ok >= 10_000, 20_000, 20);
      await w.stop();
      const stats = w.stats();
      assert.equal(w.counts().ok, stats.ok);
      assert.equal(w.counts().invoked, stats.issued);
      assert.ok(countsSeen >= 1, 'onCounts fired');
      // Final read on the replica once it has caught up: replication itself must not look like loss.
      const scard = await m.scard('rsl:ledger');
      await waitFor('replica caught up', async () => (await r.scard('rsl:ledger')) === scard, 5000);
      const verdict = await w.finalCheck(async () => ({ node: 'redis-2', members: await r.smembers('rsl:ledger') }));
      assert.ok(verdict.acknowledged >= 10_000, `acknowledged ${verdict.acknowledged}`);
      assert.equal(verdict.lost, 0);
      assert.equal(verdict.unexpected, 0);
      assert.equal(verdict.survived, verdict.acknowledged);
      assert.equal(verdict.valid, true);
      assert.equal(verdict.finalMaster, 'redis-2');
      const history = await w.history();
      assert.equal(history.at(-1)?.f, 'final-read');
      assert.equal(history.filter((op) => op.type === 'invoke').length, stats.issued);
      assert.equal(statSync(join(dir, 'noFault.jsonl')).mode & 0o777, 0o600);
      // The same verdict from the history file and the list checker.
      const members = await r.smembers('rsl:ledger');
      assert.deepEqual(verdict, checkLedger(history, { node: 'redis-2', members, at: verdict.at }));
    } finally {
      await w.close();
      m.disconnect();
      r.disconnect();
    }
  });

  it('(b) acknowledged writes on a master demoted onto an empty node are all reported lost, by that node', async () => {
    const [, , yPort] = ports as [number, number, number];
    const xPort = ports[0] as number; // reuse the master of (a) as "redis-x": fresh key below
    const y = await startRedis('wl-y', yPort);
    procs.push(y);
    const x = await connectedAdmin(xPort);
    const yc = await connectedAdmin(yPort);
    await x.replicaof('NO', 'ONE');
    await x.del('rsl:loss');
    const history: HistoryOp[] = [];
    const onX = new Workload({
      actor: pinned('redis-x', xPort),
      runTag: 'onX',
      setKey: 'rsl:loss',
      ratePerSec: 1000,
      history: 'memory',
    });
    const onY = new Workload({
      actor: pinned('redis-y', yPort),
      runTag: 'onY',
      setKey: 'rsl:loss',
      ratePerSec: 1000,
      history: { file: join(dir, 'onY.jsonl') },
    });
    try {
      onX.start();
      onY.start();
      await waitFor('writes on both', () => onX.stats().ok >= 200 && onY.stats().ok >= 200, 10_000, 20);
      await Promise.all([onX.stop(), onY.stop()]);
      history.push(...(await onX.history()), ...(await onY.history()));
      // What Sentinel does to an old master after a partition heals: make it a replica of the new one.
      await x.replicaof('127.0.0.1', yPort);
      await waitFor('x synced from y', async () => {
        const i = await info(x, 'replication');
        return i.role === 'slave' && i.master_link_status === 'up';
      });
      const members = await x.smembers('rsl:loss');
      const verdict = checkLedger(history, { node: 'redis-x', members, at: Date.now() });
      const ackedX = onX.stats().ok;
      const ackedY = onY.stats().ok;
      assert.equal(verdict.acknowledged, ackedX + ackedY);
      assert.equal(verdict.lost, ackedX);
      assert.equal(verdict.survived, ackedY);
      assert.equal(verdict.valid, false);
      assert.ok(verdict.lossWindows.length >= 1);
      assert.ok(verdict.lossWindows.every((lw) => lw.node === 'redis-x'));
      assert.equal(
        verdict.lossWindows.reduce((n, lw) => n + lw.count, 0),
        ackedX,
      );
      assert.ok(verdict.lostSample.every((e) => e.startsWith('onX-')));
      // The per-workload view agrees: everything onX acknowledged is gone.
      const own = await onX.finalCheck(async () => ({ node: 'redis-x', members }));
      assert.equal(own.lost, ackedX);
      assert.equal(own.lossRate, 1);
      assert.equal(own.anomalies?.foreignMembers, members.length);
      const ownHistory = await onX.history();
      const ownMembers = members.filter((m) => m.startsWith('onX-'));
      assert.deepEqual(
        own,
        checkLedger(
          ownHistory,
          { node: 'redis-x', members: ownMembers, at: own.at },
          { foreignMembers: members.length },
        ),
      );
    } finally {
      await Promise.all([onX.close(), onY.close()]);
      await x.replicaof('NO', 'ONE').catch(() => undefined);
      x.disconnect();
      yc.disconnect();
    }
  });

  it('rate mode: about ratePerSec adds per second; notes land in the same history', async () => {
    const port = ports[2] as number;
    const ops: HistoryOp[] = [];
    const w = new Workload({
      actor: {
        name: 'A',
        password: PASSWORD,
        target: { kind: 'node', host: '127.0.0.1', port, nodeId: 'redis-y' },
        resolveNode: () => undefined,
      },
      runTag: 'rate',
      setKey: 'rsl:rate',
      ratePerSec: 200,
      onOp: (op) => ops.push(op),
      history: { file: join(dir, 'rate.jsonl') },
    });
    try {
      w.start();
      const t0 = Date.now();
      await waitFor('a few adds', () => w.stats().ok >= 10, 5000, 10);
      w.note({ process: 'nemesis', type: 'info', f: 'fault', value: 'partition host-3 | rest' });
      await waitFor('one second', () => Date.now() - t0 >= 1000, 2000, 10);
      await w.stop();
      const { issued, ok } = w.stats();
      const elapsed = (w.stats().stoppedAt ?? 0) - (w.stats().startedAt ?? 0);
      const expected = (200 * elapsed) / 1000;
      assert.ok(Math.abs(issued - expected) <= 0.1 * expected + 5, `issued ${issued} in ${elapsed} ms`);
      assert.equal(ok, issued);
      assert.ok(
        ops.every((op) => op.process === 'workload'),
        'an owned actor records as process "workload"',
      );
      assert.equal(ops.length, 2 * issued);
      const history = await w.history();
      const fault = history.findIndex((op) => op.f === 'fault');
      assert.ok(fault > 0 && fault < history.length - 1, 'the fault sits between client ops');
      assert.equal(history.length, ops.length + 1, 'every client op and the note, in the file');
    } finally {
      await w.close();
    }
  });

  it('recording: false runs the same loop and keeps nothing', async () => {
    const port = ports[2] as number;
    const plain = new Workload({
      actor: pinned('redis-y', port),
      runTag: 'plain',
      setKey: 'rsl:plain',
      ratePerSec: 'max',
      recording: false,
    });
    try {
      plain.start();
      await waitFor('some adds', () => plain.stats().ok >= 1000, 5000, 10);
      await plain.stop();
      assert.equal((await plain.history()).length, 0);
      assert.equal(plain.counts().invoked, 0);
    } finally {
      await plain.close();
    }
    // Throughput and the recording overhead are figures of `npm run bench` (scripts/bench-workload.ts), not tests.
  });
});
