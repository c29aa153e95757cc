// The misconfigure family and the clients' actions: schemas, defaults, words, the real commands they stand for,
// cross-checks, and what each asks of the deployment (through a recording ActionEnv).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActionEnv, ClientControl } from '../../src/actions/action.js';
import {
  ActionSchema,
  actionDef,
  actionLine,
  checkAction,
  describeAction,
  type LabAction,
  normalizeAction,
} from '../../src/actions/catalog.js';
import { buildTopology, nodeById, type Topology } from '../../src/cluster/topology.js';
import type { Capabilities } from '../../src/deployments/deployment.js';

const t = buildTopology({ redis: 3, sentinels: 3, sentinelAuth: { password: 'sentinel-secret' } }, 6379, 'hosts');
const facts = { pid: () => 4242, configPath: (id: string) => `/run/${id}/sentinel.conf` };
const refs = {
  redis: new Set(['redis-1', 'redis-2', 'redis-3']),
  sentinels: new Set(['sentinel-1', 'sentinel-2', 'sentinel-3']),
  hosts: ['host-1', 'host-2', 'host-3'],
  replicas: 2,
};

/** An ActionEnv that records every capability call, and can lack the optional methods. */
function recordingEnv(topology: Topology = t, opts: { bare?: boolean } = {}) {
  const calls: string[] = [];
  const rec =
    (name: string) =>
    async (...args: unknown[]) => {
      calls.push(`${name} ${JSON.stringify(args)}`);
    };
  const capabilities: Capabilities = {
    network: {
      apply: () => {
        throw new Error('not used');
      },
      heal: () => {
        throw new Error('not used');
      },
      healAll: () => [],
      active: () => [],
      ...(opts.bare ? {} : { remap: rec('remap') }),
    },
    reconfigure: {
      configSet: rec('configSet'),
      sentinelSet: async () => ({ accepted: 3, total: 3 }),
      sentinelReset: async () => 1,
      ...(opts.bare
        ? {}
        : {
            sentinelConfigSet: rec('sentinelConfigSet'),
            reconnectReplica: rec('reconnectReplica'),
            persistence: rec('persistence'),
            sentinelPassword: rec('sentinelPassword'),
          }),
    },
    runtime: {
      start: rec('start'),
      kill: rec('kill'),
      stop: rec('stop'),
      restart: rec('restart'),
      pid: () => 4242,
      configPath: () => undefined,
      aliveCount: () => 0,
    },
  };
  const clients = {
    startHeartbeat: (ms: number) => {
      calls.push(`startHeartbeat ${ms}`);
      return 'started';
    },
    stopHeartbeat: async () => {
      calls.push('stopHeartbeat');
      return 'stopped';
    },
    retarget: async (c: string, target: unknown) => {
      calls.push(`retarget ${c} ${JSON.stringify(target)}`);
      return 'ok';
    },
  } as unknown as ClientControl;
  const env: ActionEnv = {
    topology,
    use: (c) => {
      const cap = capabilities[c];
      if (!cap) throw new Error(`no ${c}`);
      return cap as NonNullable<Capabilities[typeof c]>;
    },
    node: (id) => {
      const n = nodeById(topology, id);
      if (!n) throw new Error(`unknown node "${id}"`);
      return n;
    },
    pollNow: (id) => calls.push(`pollNow ${id}`),
    clients: () => clients,
    nemesis: (f, d) => calls.push(`nemesis ${f} ${d}`),
    finalRead: async () => ({ node: 'redis-1', members: [] }),
    resetCluster: async () => {},
  };
  return { env, calls };
}

async function run(a: LabAction, env: ActionEnv): Promise<string> {
  const def = actionDef(a.kind);
  return def.execute(def.normalize(a), env);
}

describe('misconfigure actions', () => {
  it('schemas are strict and bounded', () => {
    for (const bad of [
      { kind: 'nat', host: 'host-3' },
      { kind: 'nat', host: 'host-3', enabled: true, port: 1 },
      { kind: 'announce-port', node: 'redis-3', published: 'yes' },
      { kind: 'persistence', node: 'sentinel-1', enabled: true },
      { kind: 'sentinel-password', sentinel: 'redis-1', enabled: false },
      { kind: 'heartbeat', running: true, everyMs: 50 },
      { kind: 'client-target', client: 'C', target: 'sentinel' },
      { kind: 'client-target', client: 'A', target: 'host-1' },
    ]) {
      assert.equal(ActionSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
    assert.deepEqual(normalizeAction({ kind: 'heartbeat', running: true }), {
      kind: 'heartbeat',
      running: true,
      everyMs: 500,
    });
  });

  it('say what they do, and the real command each stands for', () => {
    const d = (a: LabAction) => describeAction(a, t, facts);
    assert.deepEqual(d({ kind: 'nat', host: 'host-3', enabled: true }), {
      title: 'NAT host-3: ports +200',
      equivalent:
        "docker run -p 6581:6381 -p 6681:6481 …   # host-3's nodes answer at 127.0.2.3 only on the published ports; nothing listens on their own",
    });
    assert.equal(
      d({ kind: 'nat', host: 'host-3', enabled: false }).equivalent,
      'docker run -p 6381:6381 -p 6481:6481 …   # published 1:1 again',
    );
    assert.equal(
      d({ kind: 'announce-port', node: 'redis-3', published: true }).equivalent,
      'redis-cli -h 127.0.2.3 -p 6581 -a redis CONFIG SET replica-announce-port 6581; redis-cli -h 127.0.2.3 -p 6581 -a redis CONFIG REWRITE; redis-cli -h 127.0.2.3 -p 6581 -a redis CLIENT KILL TYPE master   # reconnect, so the master hears the new port',
    );
    assert.equal(
      d({ kind: 'announce-port', node: 'sentinel-3', published: false }).equivalent,
      'redis-cli -h 127.0.2.3 -p 6481 -a sentinel-secret SENTINEL CONFIG SET announce-port 6481',
    );
    assert.equal(
      d({ kind: 'persistence', node: 'redis-1', enabled: true }).equivalent,
      'redis-cli -h 127.0.2.1 -p 6379 -a redis CONFIG SET appendonly yes; redis-cli -h 127.0.2.1 -p 6379 -a redis CONFIG REWRITE',
    );
    assert.equal(
      d({ kind: 'sentinel-password', sentinel: 'sentinel-3', enabled: false }).equivalent,
      "kill -TERM 4242; sed -i '/^requirepass/d; /^sentinel sentinel-pass/d; /^user default/d' /run/sentinel-3/sentinel.conf; redis-server /run/sentinel-3/sentinel.conf --sentinel",
    );
    assert.match(
      d({ kind: 'decommission', node: 'sentinel-3' }).equivalent,
      /^kill -TERM 4242 {3}# and never start sentinel-3 again; no SENTINEL RESET/,
    );
    assert.match(d({ kind: 'heartbeat', running: true }).equivalent, /^while sleep 0\.5; do .* SET rsl:hb:A/);
    assert.equal(
      d({ kind: 'client-target', client: 'B', target: 'redis-2' }).equivalent,
      'redis-cli -h 127.0.2.2 -p 6380 -a redis   # a fixed address: no Sentinel involved',
    );
    assert.equal(
      actionLine({ kind: 'decommission', node: 'redis-3' }),
      'remove redis-3 for good, without SENTINEL RESET',
    );
    assert.equal(
      actionLine({ kind: 'persistence', node: 'redis-1', enabled: false }),
      'appendonly no on redis-1 (persistence off)',
    );
  });

  it('cross-check against a lesson topology', () => {
    const problems = (a: LabAction) => {
      const out: string[] = [];
      checkAction(a, refs, (p, m) => out.push(`${p.join('.')}: ${m}`));
      return out;
    };
    assert.deepEqual(problems({ kind: 'nat', host: 'host-9', enabled: true }), ['host: unknown host "host-9"']);
    assert.deepEqual(problems({ kind: 'announce-port', node: 'redis-7', published: true }), [
      'node: unknown node "redis-7"',
    ]);
    assert.deepEqual(problems({ kind: 'decommission', node: 'sentinel-4' }), ['node: unknown node "sentinel-4"']);
    assert.deepEqual(problems({ kind: 'client-target', client: 'A', target: 'redis-5' }), [
      'target: unknown node "redis-5"',
    ]);
    assert.deepEqual(problems({ kind: 'client-target', client: 'A', target: 'sentinel' }), []);
  });

  it('carry themselves out through the deployment’s capabilities', async () => {
    const { env, calls } = recordingEnv();
    await run({ kind: 'nat', host: 'host-2', enabled: true }, env);
    await run({ kind: 'announce-port', node: 'redis-2', published: true }, env);
    await run({ kind: 'announce-port', node: 'sentinel-2', published: true }, env);
    await run({ kind: 'persistence', node: 'redis-1', enabled: true }, env);
    await run({ kind: 'sentinel-password', sentinel: 'sentinel-3', enabled: false }, env);
    await run({ kind: 'decommission', node: 'redis-3' }, env);
    await run({ kind: 'heartbeat', running: true }, env);
    await run({ kind: 'client-target', client: 'B', target: 'sentinel' }, env);
    assert.deepEqual(
      calls.filter((c) => !c.startsWith('pollNow')),
      [
        'remap ["host-2",200]',
        'nemesis fault NAT host-2 +200',
        'configSet ["redis-2",[["replica-announce-port",6580]],{"rewrite":"best-effort"}]',
        'reconnectReplica ["redis-2"]',
        'sentinelConfigSet ["sentinel-2","announce-port",6680]',
        'persistence ["redis-1",true]',
        'sentinelPassword ["sentinel-3",false]',
        'stop ["redis-3"]',
        'startHeartbeat 500',
        'retarget B {"kind":"sentinel"}',
      ],
    );
  });

  it('refuse clearly where the deployment cannot do it', async () => {
    const { env } = recordingEnv(t, { bare: true });
    await assert.rejects(run({ kind: 'nat', host: 'host-2', enabled: true }, env), /cannot remap ports/);
    await assert.rejects(
      run({ kind: 'persistence', node: 'redis-1', enabled: true }, env),
      /cannot change persistence/,
    );
    await assert.rejects(run({ kind: 'persistence', node: 'sentinel-1', enabled: true } as LabAction, env), /Sentinel/);
  });
});
