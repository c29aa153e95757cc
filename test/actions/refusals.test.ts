// What an action refuses before it does anything: a node with no process to kill or stop (as freeze refuses one
// that is not running), and what the cluster's topology rules out (a Sentinel password it does not have).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActionEnv } from '../../src/actions/action.js';
import { actionDef, actionRefusal, type LabAction } from '../../src/actions/catalog.js';
import { buildTopology, nodeById, type Topology } from '../../src/cluster/topology.js';
import type { NodeRuntime } from '../../src/deployments/deployment.js';
import { UserError } from '../../src/errors.js';

const plain = buildTopology({ redis: 5, sentinels: 3 }, 6379, 'hosts');
const withPassword = buildTopology(
  { redis: 3, sentinels: 3, sentinelAuth: { password: 'sentinel-secret' } },
  6379,
  'hosts',
);

/** An env whose runtime knows a pid only for the nodes in `running` (as NodeRuntime.pid: while it runs). */
function envWith(running: readonly string[], topology: Topology = plain) {
  const calls: string[] = [];
  const runtime: NodeRuntime = {
    start: async (id) => void calls.push(`start ${id}`),
    kill: async (id) => void calls.push(`kill ${id}`),
    stop: async (id) => void calls.push(`stop ${id}`),
    restart: async (id) => void calls.push(`restart ${id}`),
    pid: (id) => (running.includes(id) ? 4242 : undefined),
    configPath: () => undefined,
    aliveCount: () => running.length,
  };
  const reconfigure = {
    sentinelPassword: async (id: string, on: boolean) => void calls.push(`sentinelPassword ${id} ${on}`),
  };
  const env = {
    topology,
    use: (c: string) => (c === 'runtime' ? runtime : c === 'reconfigure' ? reconfigure : undefined),
    node: (id: string) => {
      const n = nodeById(topology, id);
      if (!n) throw new UserError(`unknown node "${id}"`);
      return n;
    },
    pollNow: () => {},
  } as unknown as ActionEnv;
  return { env, calls };
}

async function run(a: LabAction, env: ActionEnv): Promise<string> {
  const def = actionDef(a.kind);
  return def.execute(def.normalize(a), env);
}

describe('refusals', () => {
  it('kill, stop and decommission refuse a node that is not running, and signal nothing', async () => {
    const { env, calls } = envWith(['redis-1', 'sentinel-1']);
    for (const kind of ['kill', 'stop', 'decommission'] as const) {
      await assert.rejects(run({ kind, node: 'redis-5' }, env), (err: unknown) => {
        assert.ok(err instanceof UserError);
        assert.equal(err.message, 'redis-5 is not running');
        assert.equal(err.hint, 'restart it first');
        return true;
      });
    }
    assert.deepEqual(calls, []);
    await assert.rejects(run({ kind: 'kill', node: 'redis-9' }, env), /unknown node "redis-9"/);
  });

  it('kill, stop and decommission act on a node that has a process (running, frozen, starting)', async () => {
    const { env, calls } = envWith(['redis-1', 'redis-2', 'sentinel-1']);
    assert.equal(await run({ kind: 'kill', node: 'redis-1' }, env), 'redis-1 killed');
    assert.equal(await run({ kind: 'stop', node: 'sentinel-1' }, env), 'sentinel-1 stopped');
    await run({ kind: 'decommission', node: 'redis-2' }, env);
    assert.deepEqual(calls, ['kill redis-1', 'stop sentinel-1', 'stop redis-2']);
  });

  it('sentinel-password is refused where the Sentinels have no password, before anything is done', async () => {
    const a: LabAction = { kind: 'sentinel-password', sentinel: 'sentinel-3', enabled: true };
    assert.deepEqual(actionRefusal(a, plain), {
      reason: 'the Sentinels of this cluster have no password',
      hint: 'a lesson topology with sentinelPassword gives them one',
    });
    assert.equal(actionRefusal(a, withPassword), undefined);
    assert.equal(actionRefusal({ kind: 'kill', node: 'redis-1' }, plain), undefined);
    const bare = envWith(['sentinel-3']);
    await assert.rejects(run(a, bare.env), /the Sentinels of this cluster have no password/);
    assert.deepEqual(bare.calls, []);
    const secured = envWith(['sentinel-3'], withPassword);
    await run(a, secured.env);
    assert.deepEqual(secured.calls, ['sentinelPassword sentinel-3 true']);
  });
});
