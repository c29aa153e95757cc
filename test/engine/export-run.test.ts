// Lab.exportRun over an in-memory deployment (no Redis) whose work directory is a temp dir: the facts reach the lab
// on its event bus, as the observer, the clients and the workload report them, and the workloads' history files are
// written as the workload writes them. The export holds the whole run (every workload, the faults, across a cluster
// reset), a ledger verdict per workload, every cluster's failovers in a timeline ordered by seq, and never replaces
// an existing file (an attached run's export is named after the run).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { HistoryOp, LabEmitter, SentinelEvent } from '../../src/cluster/events.js';
import { parseSentinelEvent } from '../../src/cluster/observe/sentinel-events.js';
import { buildTopology } from '../../src/cluster/topology.js';
import type { Capabilities, Deployment } from '../../src/deployments/deployment.js';
import { Lab } from '../../src/engine/lab.js';
import { checkLedger } from '../../src/ledger/check.js';
import { HistoryFile } from '../../src/ledger/history-file.js';
import { fixtureJson, type RecordedFailover } from '../fixtures/fixtures.js';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'rsl-export-run-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const labs: Lab[] = [];
afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.shutdown();
});

let dirs = 0;
async function freshDir(name: string): Promise<string> {
  const dir = join(root, `${name}-${++dirs}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function fakeDeployment(opts: { kind?: string; id?: string; workDir?: string; capabilities?: Capabilities }) {
  const topology = buildTopology({ redis: 3, sentinels: 3 }, 6379, 'hosts');
  return (_events: LabEmitter): Deployment => ({
    kind: opts.kind ?? 'local',
    id: opts.id ?? 'lx-test-1',
    label: 'a fake deployment',
    topology,
    addresses: {
      admin: () => ({ host: '127.0.0.1', port: 1 }),
      public: () => ({ host: '127.0.0.1', port: 1 }),
      nodeAt: () => undefined,
    },
    capabilities: opts.capabilities ?? {},
    missing: {},
    ...(opts.workDir ? { workDir: opts.workDir } : {}),
    start: async () => {},
    shutdown: async () => {},
    shutdownSync: () => {},
  });
}

async function open(make: (e: LabEmitter) => Deployment): Promise<Lab> {
  const lab = await Lab.open(make, { flushMs: 5 });
  labs.push(lab);
  return lab;
}

/** The lab's own sequence counter, which every fact of a real run takes its seq from. */
function seqOf(lab: Lab): () => number {
  const l = lab as unknown as { seq: number };
  return () => ++l.seq;
}

/** Lets the store fold what was emitted. */
const settle = (lab: Lab) => lab.waitFor(() => true, 1000);

/**
 * One workload as Clients and Workload run it: the 'workload' events, every op emitted on the bus and appended to
 * its own file `workload-<tag>.jsonl` in the work directory, a fault noted into that file while it runs (as Lab's
 * nemesis does), the final read, and the verdict.
 */
async function runWorkload(
  lab: Lab,
  workDir: string,
  tag: string,
  writes: number,
  during?: () => HistoryOp,
): Promise<{ ops: HistoryOp[] }> {
  const next = seqOf(lab);
  const file = new HistoryFile(join(workDir, `workload-${tag}.jsonl`));
  const t0 = Date.now();
  lab.emitter.emit('workload', { running: true, client: 'A', ratePerSec: 200, startedAt: t0 });
  const ops: HistoryOp[] = [];
  const members: string[] = [];
  const record = (op: HistoryOp) => {
    ops.push(op);
    file.append(op);
    lab.emitter.emit('history-op', op);
  };
  for (let i = 1; i <= writes; i++) {
    const value = `${tag}-${i}`;
    record({ seq: next(), at: t0 + i, process: 'workload', type: 'invoke', f: 'add', value, opId: i, node: 'redis-1' });
    record({ seq: next(), at: t0 + i + 1, process: 'workload', type: 'ok', f: 'add', value, opId: i, node: 'redis-1' });
    members.push(value);
    if (i === Math.floor(writes / 2) && during) {
      // Lab.history: emitted on the bus, and noted into the running workload's file.
      const op = during();
      lab.emitter.emit('history-op', op);
      file.append(op);
    }
  }
  lab.emitter.emit('workload', { running: false, client: 'A' });
  const at = t0 + writes + 10;
  const finalRead: HistoryOp = {
    seq: next(),
    at,
    process: 'workload',
    type: 'ok',
    f: 'final-read',
    node: 'redis-1',
    value: `${members.length} members`,
  };
  file.append(finalRead);
  ops.push(finalRead);
  const verdict = checkLedger(ops, { node: 'redis-1', members, at });
  lab.emitter.emit('workload', { running: false, client: 'A', verdict });
  await file.close();
  return { ops };
}

function nemesis(lab: Lab, f: 'fault' | 'heal', value: string): HistoryOp {
  return { seq: seqOf(lab)(), at: Date.now(), process: 'nemesis', type: 'info', f, value };
}

async function jsonl(path: string): Promise<Array<Record<string, unknown> & { seq: number }>> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe('exportRun: the whole run', () => {
  it('holds every workload (from their files), the faults and the reset in seq order, and each verdict', async () => {
    const work = await freshDir('work');
    const out = await freshDir('out');
    const lab = await open(fakeDeployment({ workDir: work }));
    const emit = (op: HistoryOp) => lab.emitter.emit('history-op', op);
    // isolate host-3, heal it: before any workload.
    emit(nemesis(lab, 'fault', 'isolate host-3'));
    emit(nemesis(lab, 'heal', 'isolate host-3'));
    // A client command of its own.
    const next = seqOf(lab);
    emit({ seq: next(), at: Date.now(), process: 'client-A', type: 'invoke', f: 'write', value: 'k=v', opId: 1 });
    emit({ seq: next(), at: Date.now(), process: 'client-A', type: 'ok', f: 'write', value: 'k=v', opId: 1 });
    // The first workload (more ops than the store keeps), with a fault while it runs.
    const first = await runWorkload(lab, work, 'w1', 1500, () => nemesis(lab, 'fault', 'latency host-1 host-2 100ms'));
    // The cluster is reset (its own record), then a second workload.
    lab.emitter.emit('cluster-reset');
    const second = await runWorkload(lab, work, 'w2', 1200);
    await settle(lab);
    assert.ok(lab.store.getState().history.length < first.ops.length + second.ops.length, 'the store keeps fewer');

    const paths = await lab.exportRun(out);
    const lines = await jsonl(paths.jsonl);
    const seqs = lines.map((l) => l.seq);
    for (let i = 1; i < seqs.length; i++) assert.ok((seqs[i] ?? 0) > (seqs[i - 1] ?? 0), `seq order at line ${i + 1}`);
    const have = new Set(seqs);
    for (const op of [...first.ops, ...second.ops]) assert.ok(have.has(op.seq), `workload op ${op.seq} exported`);
    const faults = lines.filter((l) => l.process === 'nemesis').map((l) => `${l.f} ${l.value}`);
    assert.deepEqual(
      faults,
      ['fault isolate host-3', 'heal isolate host-3', 'fault latency host-1 host-2 100ms'],
      'each fault once (the one noted into the workload file too)',
    );
    assert.equal(lines[0]?.value, 'isolate host-3', 'it starts with the run, not with the latest ops');
    assert.equal(lines.filter((l) => l.process === 'client-A').length, 2);
    assert.equal(lines.filter((l) => l.f === 'cluster-reset').length, 1);
    assert.equal(lines.filter((l) => l.process === 'workload').length, first.ops.length + second.ops.length);

    const md = await readFile(paths.markdown, 'utf8');
    assert.match(md, /## Ledger verdict: workload 1 of 2 \(client A, 200 writes\/s, started \+/);
    assert.match(md, /## Ledger verdict: workload 2 of 2 \(client A, 200 writes\/s, started \+/);
    assert.match(md, /\| acknowledged \| 1500 \|/, 'the first workload keeps its verdict');
    assert.match(md, /\| acknowledged \| 1200 \|/);
    assert.match(md, /Client operations: 1500 invoked, 1500 ok/, "the first workload's counts");
    assert.match(md, /2 workloads started \+/);
    assert.match(md, /fault: isolate host-3/);
    assert.match(md, /workload 1: final read on redis-1: 1500 members/);
  });

  it('a workload still running is said to be, beside the verdicts of the ones before', async () => {
    const work = await freshDir('work');
    const out = await freshDir('out');
    const lab = await open(fakeDeployment({ workDir: work }));
    await runWorkload(lab, work, 'w1', 20);
    lab.emitter.emit('workload', { running: true, client: 'B', ratePerSec: 50, startedAt: Date.now() });
    await settle(lab);
    const md = await readFile((await lab.exportRun(out)).markdown, 'utf8');
    assert.match(md, /\| acknowledged \| 20 \|/);
    assert.match(
      md,
      /## Ledger verdict: workload 2 of 2 \(client B, 50 writes\/s, started [^)]*\)\n\nThe workload is still running/,
    );
  });
});

describe('exportRun: a workload the reset ended', () => {
  it('has no verdict, and the report says why, beside the next one', async () => {
    const work = await freshDir('work');
    const out = await freshDir('out');
    const lab = await open(fakeDeployment({ workDir: work }));
    lab.emitter.emit('workload', { running: true, client: 'A', ratePerSec: 100, startedAt: Date.now() });
    lab.emitter.emit('cluster-reset');
    await runWorkload(lab, work, 'w2', 10);
    await settle(lab);
    const md = await readFile((await lab.exportRun(out)).markdown, 'utf8');
    assert.match(md, /## Ledger verdict: workload 1 of 2 [^\n]*\n\nThe cluster was reset while it ran/);
    assert.match(md, /\| acknowledged \| 10 \|/);
  });
});

describe('exportRun: the report after a cluster reset', () => {
  const rec = fixtureJson<RecordedFailover>('sentinel-events-failover.json');
  const byPort: Record<number, string> = {};
  for (const [id, port] of Object.entries(rec.ports)) byPort[port] = id;

  it('lists the reset before the fresh cluster, by seq, and keeps the failovers from before it', async () => {
    const out = await freshDir('out');
    const lab = await open(fakeDeployment({ workDir: await freshDir('work') }));
    const next = seqOf(lab);
    const t0 = Date.now() - 60_000;
    for (const r of rec.events) {
      const e: SentinelEvent = parseSentinelEvent({ ...r, at: t0 + r.t, seq: next() }, (ip, port) =>
        ip === '127.0.0.1' ? byPort[port] : undefined,
      );
      lab.emitter.emit('sentinel-event', e);
    }
    await settle(lab);
    assert.ok(lab.store.getState().failovers.length > 0, 'the old cluster failed over');
    lab.emitter.emit('cluster-reset');
    await settle(lab);
    // The fresh cluster's first event, stamped (as a Sentinel's log may be) a moment before the reset was folded.
    const monitor = parseSentinelEvent(
      {
        sentinelId: 'sentinel-1',
        channel: '+monitor',
        payload: 'master mymaster 127.0.0.1 27050 quorum 2',
        at: lab.store.getState().resets[0]?.at ?? Date.now(),
        seq: next(),
      },
      (_ip, port) => byPort[port],
    );
    lab.emitter.emit('sentinel-event', { ...monitor, at: monitor.at - 5 });
    await settle(lab);
    assert.equal(lab.store.getState().failovers.length, 0, 'the view shows only the fresh cluster');

    const md = await readFile((await lab.exportRun(out)).markdown, 'utf8');
    const rows = md.split('\n');
    const reset = rows.findIndex((l) => l.includes('cluster reset: fresh configs'));
    const monitorRow = rows.findIndex((l) => l.includes('`+monitor`'));
    const switched = rows.findIndex((l) => l.includes('`+switch-master`'));
    assert.ok(reset > switched && switched >= 0, 'the old cluster above the reset');
    assert.ok(monitorRow > reset, `+monitor of the fresh cluster below the reset:\n${md}`);
    assert.match(
      md,
      /## Failovers\n\n### failover of redis-1 -> redis-3 [^\n]*, cluster 1 of 2, before the reset at \+/,
    );
  });
});

describe('exportRun: file names', () => {
  it('an attached run is named after the run, and a second attachment never replaces the first export', async () => {
    const out = await freshDir('out');
    const remote = fakeDeployment({ kind: 'remote', id: 'remote-prod-cache' });
    const exportOnce = async () => {
      const lab = await open(remote);
      // What an attached run does: a confirmed SENTINEL FAILOVER, and what the Sentinels publish.
      const next = seqOf(lab);
      const a = { seq: next(), at: Date.now(), kind: 'failover', title: 'failover mymaster', equivalent: 'x' };
      lab.emitter.emit('action', { ...a, status: 'running' });
      lab.emitter.emit('action', { ...a, status: 'ok', result: 'OK' });
      lab.emitter.emit(
        'sentinel-event',
        parseSentinelEvent(
          {
            sentinelId: 'sentinel-2',
            channel: '+sdown',
            payload: 'master mymaster 10.0.0.5 6379',
            at: Date.now(),
            seq: next(),
          },
          () => undefined,
        ),
      );
      await settle(lab);
      const paths = await lab.exportRun(out);
      await lab.shutdown();
      return paths;
    };
    const one = await exportOnce();
    const firstText = await readFile(one.markdown, 'utf8');
    const two = await exportOnce();
    assert.notEqual(two.markdown, one.markdown);
    assert.notEqual(two.jsonl, one.jsonl);
    assert.equal(await readFile(one.markdown, 'utf8'), firstText, 'the first export is left as it was');
    for (const p of [one.markdown, two.markdown]) {
      assert.match(p, /redis-sentinel-lab-remote-prod-cache-\d{8}T\d{6}Z(-\d+)?\.md$/);
    }
    const lines = await jsonl(two.jsonl);
    assert.deepEqual(
      lines.map((l) => `${l.process} ${l.type} ${l.f} ${l.value}`),
      [
        'lab invoke action failover mymaster',
        'lab ok action failover mymaster',
        'sentinel-2 info event +sdown master mymaster 10.0.0.5 6379',
      ],
      'its history: the action and the Sentinel events, as a local run records them',
    );
  });

  it('a local run exported twice keeps both exports', async () => {
    const out = await freshDir('out');
    const lab = await open(fakeDeployment({ workDir: await freshDir('work'), id: 'lx-twice' }));
    const one = await lab.exportRun(out);
    const two = await lab.exportRun(out);
    assert.equal(one.markdown, join(out, 'redis-sentinel-lab-lx-twice.md'));
    assert.equal(two.markdown, join(out, 'redis-sentinel-lab-lx-twice-2.md'));
    assert.equal(two.jsonl, join(out, 'redis-sentinel-lab-lx-twice-2.jsonl'));
    const names = (await readdir(out)).sort();
    assert.deepEqual(names, [
      'redis-sentinel-lab-lx-twice-2.jsonl',
      'redis-sentinel-lab-lx-twice-2.md',
      'redis-sentinel-lab-lx-twice.jsonl',
      'redis-sentinel-lab-lx-twice.md',
    ]);
  });
});
