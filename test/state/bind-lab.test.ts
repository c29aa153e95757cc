// The lab store has exactly one writer, state/bind-lab.ts: the store it hands out has no setter, no other module can
// create a lab store, and everything the store learns (engine facts, readiness, a reset, lesson inputs) is folded
// by its reducer, in order.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { LabEmitter } from '../../src/cluster/events.js';
import { buildTopology } from '../../src/cluster/topology.js';
import { bindLab, type Fold, reduceBatch } from '../../src/state/bind-lab.js';
import { initialLabState, type LabState, LIMITS } from '../../src/state/store.js';

const root = new URL('../..', import.meta.url).pathname;
const topology = buildTopology({ redis: 2, sentinels: 1 }, 6379, 'hosts');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(e) ? [p] : [];
  });
}

describe('the store has one writer', () => {
  it('hands out a frozen store without a setter', () => {
    const b = bindLab(new LabEmitter(), initialLabState(topology));
    assert.equal('setState' in b.store, false);
    assert.equal(Object.isFrozen(b.store), true);
    assert.throws(() => {
      (b.store as unknown as Record<string, unknown>).setState = () => {};
    }, TypeError);
    b.dispose();
  });

  it('no other module in src/ creates a store or calls setState on one it did not create', () => {
    const offenders: string[] = [];
    for (const file of sources(join(root, 'src'))) {
      const rel = relative(root, file);
      const text = readFileSync(file, 'utf8');
      // Only two stores exist: the lab store (bind-lab) and the UI's own (ui-store).
      if (/\bcreateStore\b/.test(text) && rel !== 'src/state/bind-lab.ts' && rel !== 'src/ui/state/ui-store.ts') {
        offenders.push(`${rel} creates a store`);
      }
      for (const m of text.matchAll(/([\w.]*)\.setState\(/g)) {
        const receiver = m[1] ?? '';
        const ok =
          (rel === 'src/state/bind-lab.ts' && receiver === 'api') ||
          (rel === 'src/ui/state/ui-store.ts' && receiver === 'store') ||
          (rel.startsWith('src/ui/') && /(^|\.)uiStore$/.test(receiver)) ||
          // A class's own private method of that name (the supervisor's process states), not a store.
          (receiver === 'this' && /private setState\(/.test(text));
        if (!ok) offenders.push(`${rel}: ${receiver}.setState(`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});

describe('bindLab and reduceBatch', () => {
  it('folds readiness and a reset as facts: what was gathered of the old cluster lands before the clearing', () => {
    const s0 = initialLabState(topology);
    const probe = { id: 'redis-1', at: 1, reachable: true } as const;
    const event = {
      seq: 1,
      at: 1,
      sentinelId: 'sentinel-1',
      channel: '+sdown',
      payload: 'slave 127.0.2.2:6380 127.0.2.2 6380 @ mymaster 127.0.2.1 6379',
      severity: 'warning',
      gloss: '',
      known: true,
    } as const;
    const next = reduceBatch(
      s0,
      [
        { kind: 'redis-probed', args: [probe] },
        { kind: 'sentinel-event', args: [event] },
        { kind: 'cluster-reset', args: [] },
        { kind: 'started', args: [{ readyMs: 321 }] },
      ],
      { now: 5 },
    );
    assert.equal(next.readyMs, 321);
    assert.deepEqual(next.redis, {}, 'cleared by the reset');
    assert.deepEqual(next.lagHistory, {});
    assert.equal(next.events.length, 1, 'the old event is in the log (folded before the reset, not after)');
    assert.deepEqual(next.resets, [{ at: 5, afterSeq: 1 }], 'the reset, and the last event before it');
    // The same +sdown from another Sentinel, after the reset: a group of its own, not a join with the old cluster's.
    const later = reduceBatch(
      next,
      [{ kind: 'sentinel-event', args: [{ ...event, seq: 2, at: 6, sentinelId: 'sentinel-2' }] }],
      {
        now: 7,
      },
    );
    assert.deepEqual(
      later.eventGroups.map((g) => g.sentinelIds),
      [['sentinel-1'], ['sentinel-2']],
    );
  });

  it('a reset ends the workload and the heartbeat (the reset closed the clients): a new start counts from zero', () => {
    const s0 = initialLabState(topology);
    const running = reduceBatch(
      s0,
      [
        { kind: 'workload', args: [{ running: true, client: 'B', ratePerSec: 200, startedAt: 1 }] },
        { kind: 'heartbeat', args: [{ running: true, everyMs: 250, startedAt: 1 }] },
      ],
      { now: 2 },
    );
    assert.equal(running.workload.running, true);
    const withCounts = {
      ...running,
      workload: { ...running.workload, counts: { ...running.workload.counts, ok: 709 } },
    };
    const reset = reduceBatch(withCounts, [{ kind: 'cluster-reset', args: [] }], { now: 3 });
    assert.equal(reset.workload.running, false);
    assert.deepEqual(reset.heartbeat, { running: false });
    const again = reduceBatch(
      reset,
      [{ kind: 'workload', args: [{ running: true, client: 'B', ratePerSec: 200, startedAt: 4 }] }],
      { now: 4 },
    );
    assert.equal(again.workload.counts.ok, 0, 'the new run counts its own operations only');
  });

  it('runs a fold: its inputs in order with the facts before them, and afterBatch after every batch', () => {
    const emitter = new LabEmitter();
    const b = bindLab(emitter, initialLabState(topology), { flushMs: 10_000, now: () => 42 });
    const seen: string[] = [];
    const fold: Fold<string> = {
      input(s, input, now) {
        seen.push(`${input}@${now} phase=${s.phase}`);
        return { ...s, runId: `${s.runId}+${input}` };
      },
      afterBatch(s) {
        seen.push(`after runId=${s.runId}`);
        return s;
      },
    };
    const channel = b.use(fold);
    let updates = 0;
    b.store.subscribe(() => updates++);
    emitter.emit('phase', 'ready');
    assert.equal(b.store.getState().phase, 'starting', 'facts wait for the flush');
    channel.send('a');
    assert.equal(b.store.getState().phase, 'ready', 'an input flushes the facts queued before it');
    assert.equal(b.store.getState().runId, 'test+a');
    assert.deepEqual(seen, ['a@42 phase=ready', 'after runId=test+a']);
    assert.equal(updates, 1, 'one batch, one store update');
    channel.remove();
    emitter.emit('phase', 'stopping');
    b.flush();
    assert.equal(seen.length, 2, 'a removed fold is not run');
    b.dispose();
  });

  it('folds what a person waits to see at once, the rest within flushMs, and bounds both rates', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    const emitter = new LabEmitter();
    const b = bindLab(emitter, initialLabState(topology), { flushMs: 100, monotonic: () => Date.now() });
    let updates = 0;
    b.store.subscribe(() => updates++);
    const state = (id: string) => b.store.getState().processes[id]?.state;
    const tail = (id: string) => b.store.getState().processes[id]?.logTail.at(-1);
    // A log line waits for its batch, flushMs after it.
    emitter.emit('node-log', { id: 'redis-1', at: 1, line: 'Ready to accept connections' });
    t.mock.timers.tick(99);
    assert.equal(updates, 0, 'a log line waits up to flushMs');
    t.mock.timers.tick(1);
    assert.equal(tail('redis-1'), 'Ready to accept connections');
    assert.equal(updates, 1);
    // A process state right after that batch is folded at once: the other facts' batches do not hold it back.
    emitter.emit('node-state', { id: 'redis-2', state: 'exited', at: 2 });
    t.mock.timers.tick(0);
    assert.equal(state('redis-2'), 'exited', 'a process that died shows at once');
    assert.equal(updates, 2);
    // Another within flushMs of that prompt batch waits for the bound.
    t.mock.timers.tick(30);
    emitter.emit('node-state', { id: 'redis-2', state: 'running', at: 3 });
    t.mock.timers.tick(69);
    assert.equal(state('redis-2'), 'exited', 'no second prompt batch within flushMs');
    t.mock.timers.tick(1);
    assert.equal(state('redis-2'), 'running');
    assert.equal(updates, 3);
    // A log line already waiting goes out with a prompt fact, in one batch.
    t.mock.timers.tick(500);
    emitter.emit('node-log', { id: 'redis-1', at: 4, line: 'Connection with replica lost' });
    t.mock.timers.tick(10);
    emitter.emit('node-state', { id: 'redis-1', state: 'exited', at: 5 });
    t.mock.timers.tick(0);
    assert.equal(state('redis-1'), 'exited');
    assert.equal(tail('redis-1'), 'Connection with replica lost');
    assert.equal(updates, 4);
    t.mock.timers.tick(1000);
    assert.equal(updates, 4, 'nothing left to fold');
    b.dispose();
  });

  it('a prompt batch that a flush called meanwhile already folded does not hold back the next one', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    const emitter = new LabEmitter();
    const b = bindLab(emitter, initialLabState(topology), { flushMs: 100, monotonic: () => Date.now() });
    emitter.emit('node-state', { id: 'redis-2', state: 'exited', at: 1 });
    b.flush();
    assert.equal(b.store.getState().processes['redis-2']?.state, 'exited');
    t.mock.timers.tick(10);
    emitter.emit('node-state', { id: 'redis-2', state: 'running', at: 2 });
    t.mock.timers.tick(0);
    assert.equal(b.store.getState().processes['redis-2']?.state, 'running');
    b.dispose();
  });

  it('an input sent while the store notifies is folded in the same flush', () => {
    const b = bindLab(new LabEmitter(), initialLabState(topology), { flushMs: 10_000 });
    const channel = b.use<string>({ input: (s, i) => ({ ...s, runId: `${s.runId}>${i}` }) });
    const unsubscribe = b.store.subscribe((s: LabState) => {
      if (s.runId === 'test>1') channel.send('2');
    });
    channel.send('1');
    assert.equal(b.store.getState().runId, 'test>1>2');
    unsubscribe();
    b.dispose();
  });
});

describe('failover timelines use the settings in force', () => {
  const t3 = buildTopology({ redis: 2, sentinels: 3 }, 6379, 'hosts');
  const master = (downAfterMs: number, quorum: number) => ({
    name: 'mymaster',
    ip: '127.0.2.1',
    port: 6379,
    flags: ['master'],
    fields: {},
    configEpoch: 0,
    quorum,
    numReplicas: 1,
    numOtherSentinels: 2,
    downAfterMs,
    failoverTimeoutMs: 10_000,
    parallelSyncs: 1,
  });
  const probed = (id: string, downAfterMs: number, quorum = 2) => ({
    kind: 'sentinel-probed' as const,
    args: [{ id, at: 1, reachable: true, replicas: [], sentinels: [], master: master(downAfterMs, quorum) }] as [never],
  });
  const sdown = (sentinelId: string, at: number, seq: number) => ({
    kind: 'sentinel-event' as const,
    args: [
      {
        seq,
        at,
        sentinelId,
        channel: '+sdown',
        payload: 'master mymaster 127.0.2.1 6379',
        severity: 'warning' as const,
        gloss: '',
        instanceType: 'master',
        subjectId: 'redis-1',
        known: true,
      },
    ] as [never],
  });

  it('a SENTINEL SET made from outside is what the next timeline records, not the topology', () => {
    assert.equal(t3.sentinel.downAfterMs, 1000);
    const s = reduceBatch(
      initialLabState(t3),
      [probed('sentinel-1', 3000), probed('sentinel-2', 3000), probed('sentinel-3', 3000), sdown('sentinel-1', 10, 1)],
      { now: 10 },
    );
    assert.equal(s.failovers[0]?.downAfterMs, 3000);
    assert.equal(s.failovers[0]?.quorum, 2);
  });

  it('a clock tick closes an outage that never reached ODOWN as "no quorum"', () => {
    const s1 = reduceBatch(initialLabState(t3), [probed('sentinel-1', 1000), sdown('sentinel-1', 1000, 1)], {
      now: 1000,
    });
    assert.equal(s1.failovers[0]?.done, false);
    const s2 = reduceBatch(s1, [{ kind: 'tick', args: [{ at: 1500 }] }], { now: 1500 });
    assert.equal(s2, s1, 'too early: nothing changes, not even the state object');
    const s3 = reduceBatch(s1, [{ kind: 'tick', args: [{ at: 6000 }] }], { now: 6000 });
    assert.equal(s3.failovers[0]?.outcome, 'no-quorum');
  });

  it('keeps the latest LIMITS.failovers timelines only', () => {
    let s = reduceBatch(initialLabState(t3), [probed('sentinel-1', 1000)], { now: 0 });
    // Outages far apart, each closed by a tick as "no quorum": one timeline each.
    const n = LIMITS.failovers + 5;
    for (let i = 0; i < n; i++) {
      const at = 1000 + i * 60_000;
      const down = sdown('sentinel-1', at, 2 * i + 1);
      const up = sdown('sentinel-1', at + 40_000, 2 * i + 2);
      up.args[0] = { ...(up.args[0] as object), channel: '-sdown' } as never;
      s = reduceBatch(s, [down, { kind: 'tick', args: [{ at: at + 30_000 }] }, up], { now: at + 40_000 });
    }
    assert.equal(s.failovers.length, LIMITS.failovers);
    assert.equal(s.failovers.at(-1)?.startedAt, 1000 + (n - 1) * 60_000);
  });
});
