// The headless lesson check against a fake lab: a real vanilla store that a fake `perform` edits like the engine would.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoreApi } from 'zustand/vanilla';
import type { ActionOutcome, LabAction } from '../../src/actions/catalog.js';
import type { TopologyShape } from '../../src/cluster/topology.js';
import { markStep } from '../../src/lessons/checks.js';
import { type HeadlessLab, runLessonHeadless, type StepReport, stepEventLines } from '../../src/lessons/headless.js';
import type { LabState } from '../../src/state/store.js';
import { testLabStore } from '../helpers/store.js';

type LabStore = StoreApi<LabState>;

import { down, event, healthy, makeLesson, masterObs, replicaObs, sentinelObs } from './fixtures.js';

interface FakeLab extends HeadlessLab {
  performed: string[];
  shutdowns: number;
  shape?: TopologyShape;
}

/** Applies `fn` to a copy of the store's state after `ms`, as the engine's probes would report it later. */
function later(store: LabStore, ms: number, fn: (s: LabState) => void): void {
  setTimeout(() => {
    const next = structuredClone(store.getState());
    fn(next);
    store.setState(next, true);
  }, ms);
}

function fakeLab(
  react: Partial<Record<LabAction['kind'], (a: LabAction, store: LabStore) => ActionOutcome | undefined>> = {},
): FakeLab {
  const store = testLabStore(healthy());
  const lab: FakeLab = {
    store,
    performed: [],
    shutdowns: 0,
    async perform(a) {
      lab.performed.push('node' in a ? `${a.kind} ${a.node}` : a.kind);
      return react[a.kind]?.(a, store) ?? { ok: true, text: `${a.kind} done` };
    },
    async shutdown() {
      lab.shutdowns++;
    },
  };
  return lab;
}

/** The engine's story for "kill redis-1": SDOWN after 30 ms, redis-2 promoted and everyone switched after 60 ms. */
const killMaster = (_: LabAction, store: LabStore) => {
  later(store, 30, (s) => {
    s.processes['redis-1']!.state = 'exited';
    s.redis['redis-1'] = down('redis-1');
    s.events.push(event('+sdown', { subjectId: 'redis-1' }));
  });
  later(store, 60, (s) => {
    s.redis['redis-2'] = masterObs('redis-2', ['redis-3', 'redis-4', 'redis-5']);
    for (const r of ['redis-3', 'redis-4', 'redis-5']) s.redis[r] = replicaObs(r, 'redis-2');
    for (const id of ['sentinel-1', 'sentinel-2', 'sentinel-3']) s.sentinels[id] = sentinelObs(id, 'redis-2');
    s.events.push(event('+switch-master', { subjectId: 'redis-2' }));
  });
  return undefined;
};

const restartOldMaster = (_: LabAction, store: LabStore) => {
  later(store, 40, (s) => {
    s.processes['redis-1']!.state = 'running';
    s.redis['redis-1'] = replicaObs('redis-1', 'redis-2');
  });
  return undefined;
};

const start = (lab: FakeLab) => ({
  startLab: async (shape: TopologyShape) => {
    lab.shape = shape;
    return lab;
  },
});

const failoverLesson = makeLesson(
  [
    {
      goal: { all: [{ masterIsNot: 'redis-1' }, { sentinelsAgree: true }], holdMs: 100 },
      solution: [{ kind: 'kill', node: 'redis-1' }],
    },
    { goal: { roleOf: { node: 'redis-1', role: 'replica' } }, solution: [{ kind: 'restart', node: 'redis-1' }] },
  ],
  { redis: 5, sentinels: 3, 'down-after': 1000 },
);

describe('runLessonHeadless', () => {
  it('passes a lesson whose solutions reach every goal, and always shuts down', async () => {
    const lab = fakeLab({ kill: killMaster, restart: restartOldMaster });
    const seen: StepReport[] = [];
    const report = await runLessonHeadless(failoverLesson, start(lab), { pollMs: 5, onStep: (r) => seen.push(r) });
    assert.equal(report.passed, true, JSON.stringify(report));
    assert.deepEqual(
      report.steps.map((s) => [s.id, s.passed]),
      [
        ['step-1', true],
        ['step-2', true],
      ],
    );
    assert.equal(report.steps[0]?.detail, 'redis-2 is the master; every answering Sentinel names redis-2');
    assert.ok((report.steps[0]?.ms ?? 0) >= 160, 'waited for the promotion and the 100 ms hold');
    assert.deepEqual(seen, report.steps);
    assert.deepEqual(lab.performed, ['kill redis-1', 'restart redis-1']);
    assert.equal(lab.shutdowns, 1);
    assert.deepEqual(lab.shape, { redis: 5, sentinels: 3, sentinel: { downAfterMs: 1000 } });
  });

  it('fails a step whose goal already holds before its solution', async () => {
    const lesson = makeLesson([
      { goal: { masterIs: 'redis-1' }, solution: [{ kind: 'kill', node: 'redis-2' }] },
      { goal: { converged: true } },
    ]);
    const lab = fakeLab();
    const report = await runLessonHeadless(lesson, start(lab), { pollMs: 5 });
    assert.equal(report.passed, false);
    assert.match(
      report.steps[0]?.detail ?? '',
      /^the goal already holds before the solution \(redis-1 is the master\)/,
    );
    assert.deepEqual(report.steps[1], {
      id: 'step-2',
      passed: false,
      ms: 0,
      detail: 'not run: an earlier step failed',
      skipped: true,
    });
    assert.deepEqual(lab.performed, [], 'the solution was not played');
    assert.equal(lab.shutdowns, 1);
  });

  it('allows that for an alreadySolved step', async () => {
    const lesson = makeLesson([{ goal: { converged: true }, alreadySolved: true }]);
    const report = await runLessonHeadless(lesson, start(fakeLab()), { pollMs: 5 });
    assert.equal(report.passed, true);
  });

  describe('a step whose outcome a race decides (attempts)', () => {
    // The race: the first kill is followed by no failover (the store never changes); after a reset the next one is.
    const racy = (attempts: number) =>
      makeLesson([{ goal: { masterIsNot: 'redis-1' }, solution: [{ kind: 'kill', node: 'redis-1' }], attempts }]);
    const reset = (_: LabAction, store: LabStore) => {
      store.setState(healthy(), true);
      return undefined;
    };
    const labWithRace = () => {
      let kills = 0;
      return fakeLab({ kill: (a, store) => (++kills >= 2 ? killMaster(a, store) : undefined), reset });
    };

    it('tries again after the reset and passes, naming the miss', async () => {
      const lab = labWithRace();
      const report = await runLessonHeadless(racy(3), start(lab), { pollMs: 5, stepTimeoutMs: 150 });
      assert.equal(report.passed, true, JSON.stringify(report));
      assert.deepEqual(lab.performed, ['kill redis-1', 'reset', 'kill redis-1']);
      assert.equal(report.steps[0]?.attempts, 2);
      assert.equal(
        report.steps[0]?.detail,
        'redis-2 is the master (on attempt 2 of 3; attempt 1: goal not met within 150 ms: redis-1 is the master)',
      );
      assert.ok((report.steps[0]?.ms ?? 0) >= 150, 'the time of both attempts');
      assert.equal(lab.shutdowns, 1);
    });

    it('without attempts the same step fails, and nothing resets', async () => {
      const lab = labWithRace();
      const report = await runLessonHeadless(racy(1), start(lab), { pollMs: 5, stepTimeoutMs: 150 });
      assert.equal(report.passed, false);
      assert.deepEqual(lab.performed, ['kill redis-1']);
      assert.equal(report.steps[0]?.attempts, undefined);
    });

    it('fails after its last attempt, with every miss in the detail', async () => {
      const lab = fakeLab({ reset });
      const report = await runLessonHeadless(racy(2), start(lab), { pollMs: 5, stepTimeoutMs: 100 });
      assert.equal(report.passed, false);
      assert.equal(report.steps[0]?.attempts, 2);
      assert.equal(
        report.steps[0]?.detail,
        'attempt 2: goal not met within 100 ms: redis-1 is the master (missed 2 times; attempt 1: goal not met within 100 ms: redis-1 is the master)',
      );
      assert.deepEqual(lab.performed, ['kill redis-1', 'reset', 'kill redis-1']);
    });

    it('stops trying when the reset fails, and says so', async () => {
      const lab = fakeLab({ reset: () => ({ ok: false, text: 'redis-3 did not start' }) });
      const report = await runLessonHeadless(racy(3), start(lab), { pollMs: 5, stepTimeoutMs: 100 });
      assert.equal(report.passed, false);
      assert.deepEqual(lab.performed, ['kill redis-1', 'reset']);
      assert.equal(
        report.steps[0]?.detail,
        'goal not met within 100 ms: redis-1 is the master; the reset before attempt 2 failed: redis-3 did not start',
      );
    });
  });

  it('fails with a timeout when the goal is never met', async () => {
    const lesson = makeLesson([{ goal: { masterIsNot: 'redis-1' }, solution: [{ kind: 'kill', node: 'redis-1' }] }]);
    const lab = fakeLab();
    const report = await runLessonHeadless(lesson, start(lab), { pollMs: 5, stepTimeoutMs: 150 });
    assert.equal(report.passed, false);
    assert.equal(report.steps[0]?.detail, 'goal not met within 150 ms: redis-1 is the master');
    assert.ok((report.steps[0]?.ms ?? 0) >= 150);
    assert.equal(lab.shutdowns, 1);
  });

  it("lists a failed step's Sentinel events, one line per event however many Sentinels sent it", async () => {
    const lesson = makeLesson([
      {
        goal: { eventSeen: { channel: '+convert-to-slave', subject: 'redis-1' } },
        solution: [{ kind: 'restart', node: 'redis-1' }],
      },
    ]);
    const lab = fakeLab({
      restart: (_, store) => {
        later(store, 10, (s) => {
          const at = Date.now();
          for (const id of ['sentinel-1', 'sentinel-3']) {
            s.events.push(event('+sdown', { sentinelId: id, subjectId: 'redis-2', payload: 'master x', at }));
          }
          s.events.push(event('+slave-reconf-sent', { sentinelId: 'sentinel-3', subjectId: 'redis-1', at }));
        });
        return undefined;
      },
    });
    const report = await runLessonHeadless(lesson, start(lab), { pollMs: 5, stepTimeoutMs: 150 });
    const lines = report.steps[0]?.events ?? [];
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0] ?? '', /^\+0\.\d s {2}\+sdown redis-2 {2}\(sentinel-1, sentinel-3\)$/);
    assert.match(lines[1] ?? '', /^\+0\.\d s {2}\+slave-reconf-sent redis-1 {2}\(sentinel-3\)$/);
  });

  it('keeps only the newest event lines of a busy step', () => {
    const store = testLabStore(healthy());
    const at = Date.now();
    const events = Array.from({ length: 10 }, (_, i) =>
      event(`+e${i}`, { subjectId: `redis-${i}`, at: at + i * 2000 }),
    );
    store.setState({ ...store.getState(), events }, true);
    const since = { ...markStep(store.getState(), at), eventSeq: (events[0]?.seq ?? 0) - 1 };
    const lines = stepEventLines(store, since, 4);
    assert.deepEqual(lines, [
      '… 7 earlier event(s) left out',
      '+14.0 s  +e7 redis-7  (sentinel-1)',
      '+16.0 s  +e8 redis-8  (sentinel-1)',
      '+18.0 s  +e9 redis-9  (sentinel-1)',
    ]);
  });

  it("prefers the step's own timeout", async () => {
    const lesson = makeLesson([
      { goal: { masterIsNot: 'redis-1' }, solution: [{ kind: 'kill', node: 'redis-1' }], timeoutMs: 1000 },
    ]);
    const t0 = Date.now();
    const report = await runLessonHeadless(lesson, start(fakeLab()), { pollMs: 5, stepTimeoutMs: 60_000 });
    assert.match(report.steps[0]?.detail ?? '', /^goal not met within 1000 ms/);
    assert.ok(Date.now() - t0 < 5000);
  });

  it('fails when a solution action fails', async () => {
    const lesson = makeLesson([{ goal: { masterIsNot: 'redis-1' }, solution: [{ kind: 'kill', node: 'redis-1' }] }]);
    const lab = fakeLab({ kill: () => ({ ok: false, text: 'unknown node "redis-1"' }) });
    const report = await runLessonHeadless(lesson, start(lab), { pollMs: 5 });
    assert.equal(report.steps[0]?.detail, 'solution failed: kill redis-1 failed: unknown node "redis-1"');
  });

  it('plays waitFor entries by polling the store, never by sleeping a fixed time', async () => {
    const lesson = makeLesson([
      {
        goal: {
          all: [
            { eventSeen: { channel: '+sdown', subject: 'redis-1' } },
            { processState: { node: 'redis-1', state: 'running' } },
          ],
        },
        solution: [
          { kind: 'freeze', node: 'redis-1' },
          { waitFor: { eventSeen: { channel: '+sdown', subject: 'redis-1' } }, timeoutMs: 2000 },
          { kind: 'thaw', node: 'redis-1' },
        ],
      },
    ]);
    let sdownAt = 0;
    let thawAt = 0;
    const lab = fakeLab({
      freeze: (_, store) => {
        later(store, 0, (s) => {
          s.processes['redis-1']!.state = 'frozen';
        });
        later(store, 80, (s) => {
          sdownAt = Date.now();
          s.events.push(event('+sdown', { subjectId: 'redis-1' }));
        });
        return undefined;
      },
      thaw: (_, store) => {
        thawAt = Date.now();
        later(store, 0, (s) => {
          s.processes['redis-1']!.state = 'running';
        });
        return undefined;
      },
    });
    const report = await runLessonHeadless(lesson, start(lab), { pollMs: 5 });
    assert.equal(report.passed, true, JSON.stringify(report));
    assert.ok(sdownAt > 0 && thawAt >= sdownAt, 'thawed only after the +sdown arrived');
  });

  it('fails a waitFor that times out', async () => {
    const lesson = makeLesson([
      {
        goal: { masterIsNot: 'redis-1' },
        solution: [
          { waitFor: { eventSeen: { channel: '+odown' } }, timeoutMs: 50 },
          { kind: 'kill', node: 'redis-1' },
        ],
      },
    ]);
    const lab = fakeLab();
    const report = await runLessonHeadless(lesson, start(lab), { pollMs: 5 });
    assert.equal(
      report.steps[0]?.detail,
      'solution failed: waited 50 ms for "+odown seen": +odown not seen since the step started',
    );
    assert.deepEqual(lab.performed, []);
  });

  it('runs setup before checking that the goal is not met yet', async () => {
    const lesson = makeLesson([
      {
        goal: { processState: { node: 'redis-3', state: 'running' } },
        setup: [
          { kind: 'stop', node: 'redis-3' },
          { waitFor: { processState: { node: 'redis-3', state: 'stopped' } }, timeoutMs: 500 },
        ],
        solution: [{ kind: 'restart', node: 'redis-3' }],
      },
    ]);
    const set = (state: 'stopped' | 'running') => (_: LabAction, store: LabStore) => {
      later(store, 10, (s) => {
        s.processes['redis-3']!.state = state;
      });
      return undefined;
    };
    const lab = fakeLab({ stop: set('stopped'), restart: set('running') });
    const report = await runLessonHeadless(lesson, start(lab), { pollMs: 5 });
    assert.equal(report.passed, true, JSON.stringify(report));
    assert.deepEqual(lab.performed, ['stop redis-3', 'restart redis-3']);
  });

  it('reports a lab that does not start, and one that does not shut down', async () => {
    const r1 = await runLessonHeadless(failoverLesson, {
      startLab: async () => {
        throw new Error('no redis-server on PATH');
      },
    });
    assert.equal(r1.passed, false);
    assert.equal(r1.error, 'the lab did not start: no redis-server on PATH');
    assert.ok(r1.steps.every((s) => s.skipped));

    const lab = fakeLab({ kill: killMaster, restart: restartOldMaster });
    lab.shutdown = async () => {
      throw new Error('pid 4242 would not die');
    };
    const r2 = await runLessonHeadless(failoverLesson, start(lab), { pollMs: 5 });
    assert.equal(r2.passed, false);
    assert.equal(r2.error, 'shutdown failed: pid 4242 would not die');
  });
});
