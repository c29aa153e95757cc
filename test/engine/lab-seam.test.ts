// The Lab over the Deployment seam, with an in-memory deployment (no Redis): actions reach exactly the capability
// they require, a missing capability is refused with the deployment's reason, and one action is one record.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { LabEmitter } from '../../src/cluster/events.js';
import type { FaultSpec } from '../../src/cluster/fabric/plan.js';
import { buildTopology } from '../../src/cluster/topology.js';
import type { Capabilities, Deployment, MissingCapabilities } from '../../src/deployments/deployment.js';
import { Lab, STILL_STARTING } from '../../src/engine/lab.js';
import { UserError } from '../../src/errors.js';

function fakeDeployment(
  events: LabEmitter,
  capabilities: Capabilities,
  missing: MissingCapabilities = {},
): Deployment & { calls: string[] } {
  const topology = buildTopology({ redis: 3, sentinels: 3 }, 6379, 'hosts');
  const calls: string[] = [];
  void events;
  return {
    kind: 'fake',
    id: 'fake-1',
    label: 'a fake deployment',
    topology,
    addresses: {
      admin: (id) => ({ host: '127.0.0.1', port: topology.nodes.find((n) => n.id === id)?.port ?? 0 }),
      public: (id) => ({ host: '127.0.0.1', port: topology.nodes.find((n) => n.id === id)?.port ?? 0 }),
      nodeAt: () => undefined,
    },
    capabilities,
    missing,
    calls,
    start: async () => {},
    shutdown: async () => {},
    shutdownSync: () => {},
  };
}

function runtime(calls: string[], fail?: Error): NonNullable<Capabilities['runtime']> {
  const act = (verb: string) => async (id: string) => {
    calls.push(`${verb} ${id}`);
    if (fail) throw fail;
  };
  return {
    start: act('start'),
    kill: act('kill'),
    stop: act('stop'),
    restart: act('restart'),
    pid: (id) => (id === 'redis-1' ? 4242 : undefined),
    configPath: (id) => `/conf/${id}`,
    aliveCount: () => 6,
  };
}

const labs: Lab[] = [];
afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.shutdown();
});

async function open(caps: (calls: string[]) => Capabilities, missing?: MissingCapabilities) {
  const calls: string[] = [];
  const lab = await Lab.open((events) => fakeDeployment(events, caps(calls), missing), { flushMs: 5 });
  labs.push(lab);
  const settled = async () => {
    await lab.waitFor(() => true, 100);
    return lab.store.getState();
  };
  return { lab, calls, settled };
}

describe('the lab over a deployment', () => {
  it('carries out an action through the capability it requires, recorded once with its real command', async () => {
    const { lab, calls, settled } = await open((c) => ({ runtime: runtime(c) }));
    const r = await lab.perform({ kind: 'kill', node: 'redis-1' });
    assert.deepEqual(r, { ok: true, text: 'redis-1 killed' });
    assert.deepEqual(calls, ['kill redis-1']);
    const s = await settled();
    assert.equal(s.actions.length, 1);
    assert.deepEqual(
      { ...s.actions[0], seq: 0, at: 0 },
      {
        seq: 0,
        at: 0,
        kind: 'kill',
        title: 'kill redis-1',
        equivalent: 'kill -9 4242   # SIGKILL: redis-1 crashes, no SHUTDOWN',
        status: 'ok',
        result: 'redis-1 killed',
      },
    );
    assert.equal(lab.aliveProcesses(), 6);
    assert.equal(lab.nodePid('redis-1'), 4242);
  });

  it('refuses an action whose capability is missing, with the reason, and records nothing', async () => {
    const { lab, settled } = await open(() => ({}), {
      runtime: { reason: 'this deployment is observed only' },
    });
    assert.deepEqual(await lab.perform({ kind: 'stop', node: 'redis-2' }), {
      ok: false,
      text: 'this deployment is observed only',
    });
    assert.deepEqual(await lab.perform({ kind: 'write', client: 'A', key: 'k', value: 'v' }), {
      ok: false,
      text: 'this fake deployment cannot do that (traffic)',
    });
    assert.deepEqual((await settled()).actions, []);
    assert.deepEqual(Object.keys(lab.missing).sort(), [
      'failover',
      'network',
      'notifications',
      'pause',
      'reconfigure',
      'reset',
      'runtime',
      'traffic',
    ]);
  });

  it('a failed action is one failed record carrying the hint; no separate notice', async () => {
    const boom = new UserError('no such process', { hint: 'restart it first' });
    const { lab, settled } = await open((c) => ({ runtime: runtime(c, boom) }));
    assert.deepEqual(await lab.perform({ kind: 'kill', node: 'redis-1' }), { ok: false, text: 'no such process' });
    assert.deepEqual(await lab.perform({ kind: 'kill', node: 'redis-9' }), {
      ok: false,
      text: 'unknown node "redis-9"',
    });
    const s = await settled();
    assert.deepEqual(
      s.actions.map((a) => [a.title, a.status, a.result, a.hint]),
      [
        ['kill redis-1', 'failed', 'no such process', 'restart it first'],
        [
          'kill redis-9',
          'failed',
          'unknown node "redis-9"',
          'Nodes: redis-1, redis-2, redis-3, sentinel-1, sentinel-2, sentinel-3',
        ],
      ],
    );
    assert.deepEqual(s.notices, []);
  });

  it('hands the network capability the normalized fault and records it in the history', async () => {
    const applied: FaultSpec[] = [];
    const { lab, settled } = await open(() => ({
      network: {
        apply: (spec) => {
          applied.push(spec);
          return { id: 'fault-1', spec, rules: [], appliedAt: 1, description: 'isolate host-2 (drop)' };
        },
        heal: () => {
          throw new Error('not used');
        },
        healAll: () => [],
        active: () => [],
      },
    }));
    const r = await lab.perform({ kind: 'isolate', host: 'host-2' });
    assert.deepEqual(r, { ok: true, text: 'fault-1: isolate host-2 (drop)' });
    assert.deepEqual(applied, [{ kind: 'isolate', host: 'host-2', mode: 'drop' }]);
    const s = await settled();
    assert.deepEqual(
      s.history.map((h) => [h.process, h.f, h.value]),
      [['nemesis', 'fault', 'isolate host-2 (drop)']],
    );
  });

  it('refuses every action while the cluster starts, records none, and acts again once the start is over', async () => {
    const calls: string[] = [];
    let failStart: (err: Error) => void = () => {};
    const started = new Promise<void>((_, reject) => {
      failStart = reject;
    });
    const lab = await Lab.open(
      (events) => ({ ...fakeDeployment(events, { runtime: runtime(calls) }), start: () => started }),
      { flushMs: 5 },
    );
    labs.push(lab);
    const starting = lab.start();
    assert.deepEqual(await lab.perform({ kind: 'kill', node: 'redis-1' }), { ok: false, text: STILL_STARTING });
    assert.deepEqual(await lab.perform({ kind: 'write', client: 'A', key: 'k', value: 'v' }), {
      ok: false,
      text: STILL_STARTING,
    });
    assert.deepEqual(calls, []);
    // The start ends (here it fails, so no probe ever connects anywhere); actions are carried out again.
    failStart(new UserError('redis-1 did not answer PING'));
    await assert.rejects(starting, /did not answer PING/);
    assert.equal((await lab.perform({ kind: 'kill', node: 'redis-1' })).ok, true);
    assert.deepEqual(calls, ['kill redis-1']);
    await lab.waitFor(() => true, 100);
    assert.deepEqual(
      lab.store.getState().actions.map((a) => a.title),
      ['kill redis-1'],
      'the refused ones are not in the action log',
    );
  });
});
