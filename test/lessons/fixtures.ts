// Hand-built LabState snapshots for lesson tests: a healthy cluster, and small edits that break it the way the lessons do.
import type { SentinelEvent } from '../../src/cluster/events.js';
import type { FailoverTimeline, RedisObservation, SentinelObservation } from '../../src/cluster/observe/types.js';
import { buildTopology, redisNodes, sentinelNodes, type TopologyShape } from '../../src/cluster/topology.js';
import { markStep } from '../../src/lessons/checks.js';
import type { Lesson } from '../../src/lessons/schema.js';
import type { StepMark } from '../../src/lessons/types.js';
import { validateLessonDoc } from '../../src/lessons/validate.js';
import { initialLabState, type LabState } from '../../src/state/store.js';

export function replicaObs(id: string, master: string, linkUp = true): RedisObservation {
  return {
    id,
    at: 0,
    reachable: true,
    masterId: master,
    hasMasterauth: true,
    replication: {
      role: 'replica',
      masterReplOffset: 100,
      connectedReplicas: 0,
      replicas: [],
      masterLinkStatus: linkUp ? 'up' : 'down',
      replicaOffset: 100,
    },
  };
}

export function masterObs(id: string, replicas: string[], goodReplicas?: number): RedisObservation {
  return {
    id,
    at: 0,
    reachable: true,
    hasMasterauth: true,
    replication: {
      role: 'master',
      masterReplOffset: 100,
      connectedReplicas: replicas.length,
      ...(goodReplicas === undefined ? {} : { goodReplicas }),
      replicas: replicas.map((r, i) => ({
        ip: '127.0.2.9',
        port: 6380 + i,
        state: 'online',
        ackOffset: 100,
        ackAgeSec: 0,
        nodeId: r,
      })),
    },
  };
}

export function sentinelObs(id: string, master: string | undefined, tilt = false): SentinelObservation {
  return {
    id,
    at: 0,
    reachable: true,
    // selectSentinelMasters reads the address first, then its node id.
    ...(master === undefined
      ? {}
      : {
          masterId: master,
          masterAddr: { ip: '127.0.2.1', port: 6379 },
          // A cluster that never failed over: config-epoch 0.
          master: {
            name: 'mymaster',
            ip: '127.0.2.1',
            port: 6379,
            flags: ['master'],
            fields: {},
            configEpoch: 0,
            quorum: 2,
            numReplicas: 4,
            numOtherSentinels: 2,
            downAfterMs: 1000,
            failoverTimeoutMs: 10000,
          },
        }),
    replicas: [],
    sentinels: [],
    info: { tilt, runningScripts: 0 },
  };
}

export function down(id: string, error = 'connect ECONNREFUSED'): RedisObservation & SentinelObservation {
  return { id, at: 0, reachable: false, error, replicas: [], sentinels: [] };
}

/** Every process running, `master` the master of every other Redis node, every Sentinel naming it. */
export function healthy(shape: TopologyShape = { redis: 5, sentinels: 3 }, master = 'redis-1'): LabState {
  const s = initialLabState(buildTopology(shape, 6379, 'hosts'));
  const redis = redisNodes(s.topology).map((n) => n.id);
  for (const p of Object.values(s.processes)) p.state = 'running';
  const replicas = redis.filter((id) => id !== master);
  s.redis[master] = masterObs(master, replicas);
  for (const r of replicas) s.redis[r] = replicaObs(r, master);
  for (const n of sentinelNodes(s.topology)) s.sentinels[n.id] = sentinelObs(n.id, master);
  s.phase = 'ready';
  return s;
}

let seq = 1000;
export function event(channel: string, opts: Partial<SentinelEvent> = {}): SentinelEvent {
  return {
    seq: ++seq,
    at: Date.now(),
    sentinelId: 'sentinel-1',
    channel,
    payload: '',
    severity: 'warning',
    gloss: '',
    known: true,
    ...opts,
  };
}

export function withEvents(s: LabState, ...events: SentinelEvent[]): LabState {
  return { ...s, events: [...s.events, ...events] };
}

export function timeline(id: string, opts: Partial<FailoverTimeline> = {}): FailoverTimeline {
  return {
    id,
    oldMasterId: 'redis-1',
    newMasterId: 'redis-2',
    startedAt: 1000,
    phases: {},
    switchedBy: {},
    reconfigured: [],
    done: false,
    downAfterMs: 1000,
    failoverTimeoutMs: 10000,
    ...opts,
  };
}

/** The mark of a step that started on `s` at time 0. */
export function markOf(s: LabState, at = 0): StepMark {
  return markStep(s, at);
}

/**
 * A edited deep copy: the selectors memoise on slice identity, so tests must never edit a state in place that a
 * check has already seen.
 */
export function edit(s: LabState, fn: (draft: LabState) => void): LabState {
  const draft = structuredClone(s);
  fn(draft);
  return draft;
}

/** A valid prediction, for lesson files built in tests (every lesson must ask at least one). */
export const PREDICT = {
  question: 'What will happen?',
  choices: [{ text: 'This', correct: true }, { text: 'That' }],
  explain: 'Because.',
};

/** A validated in-memory lesson (prose = the step title); throws on invalid input so tests fail loudly. */
export function makeLesson(
  steps: Array<Record<string, unknown>>,
  topology: Record<string, unknown> = { redis: 5, sentinels: 3 },
): Lesson {
  const raw = {
    format: 1,
    id: 'demo',
    title: 'Demo',
    summary: 'A lesson built in a test.',
    topology,
    steps: steps.map((s, i) => ({
      id: `step-${i + 1}`,
      title: `Step ${i + 1}`,
      text: `step-${i + 1}.md`,
      solution: [],
      ...s,
    })),
  };
  const v = validateLessonDoc(raw, '99-demo');
  if (!v.doc) throw new Error(v.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return { ...v.doc, folder: '99-demo', dir: '', steps: v.doc.steps.map((s) => ({ ...s, prose: `# ${s.title}` })) };
}
