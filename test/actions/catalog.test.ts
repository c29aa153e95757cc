// The action catalog: one definition per kind, and everything derived from it agreeing (schema, defaults, words,
// equivalents, cross-checks, capabilities).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACTION_KINDS,
  ActionSchema,
  actionBusy,
  actionDef,
  actionLine,
  checkAction,
  describeAction,
  isDisruptive,
  isNodeAction,
  type LabAction,
  normalizeAction,
  requiredCapability,
} from '../../src/actions/catalog.js';
import { faultHostNotes } from '../../src/actions/network.js';
import { type FaultSpec, planFault } from '../../src/cluster/fabric/plan.js';
import { buildTopology } from '../../src/cluster/topology.js';

const t = buildTopology({ redis: 5, sentinels: 3 }, 6379, 'hosts');
const refs = {
  redis: new Set(['redis-1', 'redis-2', 'redis-3']),
  sentinels: new Set(['sentinel-1', 'sentinel-2', 'sentinel-3']),
  hosts: ['host-1', 'host-2', 'host-3'],
  replicas: 2,
};

/** One valid action of every kind, in catalog order. */
const EXAMPLES: LabAction[] = [
  { kind: 'kill', node: 'redis-1' },
  { kind: 'stop', node: 'redis-2' },
  { kind: 'freeze', node: 'sentinel-1' },
  { kind: 'thaw', node: 'sentinel-1' },
  { kind: 'restart', node: 'redis-1' },
  { kind: 'partition', groups: [['host-1'], ['host-2', 'host-3']] },
  { kind: 'isolate', host: 'host-3', mode: 'reject' },
  { kind: 'cut', from: 'host-1', to: 'host-2' },
  { kind: 'latency', from: 'host-1', to: 'host-2', latencyMs: 200 },
  { kind: 'bandwidth', from: 'host-1', to: 'host-2', bytesPerSec: 1200 },
  { kind: 'heal', fault: 'fault-1' },
  { kind: 'heal-all' },
  { kind: 'write', client: 'A', key: 'age', value: '222' },
  { kind: 'read', client: 'B', key: 'age' },
  { kind: 'workload-start', client: 'A' },
  { kind: 'workload-stop' },
  { kind: 'wait', client: 'B', key: 'order', value: '2', replicas: 1, timeoutMs: 1000 },
  { kind: 'failover' },
  { kind: 'ckquorum' },
  { kind: 'sentinel-set', option: 'quorum', value: 2 },
  { kind: 'sentinel-reset', sentinel: 'sentinel-1' },
  { kind: 'server-failover', node: 'redis-1', to: 'redis-2' },
  { kind: 'min-replicas', toWrite: 1 },
  { kind: 'masterauth', node: 'redis-1', enabled: false },
  { kind: 'replica-priority', node: 'redis-2', priority: 0 },
  { kind: 'reset' },
  { kind: 'nat', host: 'host-3', enabled: true },
  { kind: 'announce-port', node: 'redis-3', published: true },
  { kind: 'persistence', node: 'redis-1', enabled: true },
  { kind: 'sentinel-password', sentinel: 'sentinel-3', enabled: false },
  { kind: 'decommission', node: 'sentinel-3' },
  { kind: 'heartbeat', running: true },
  { kind: 'client-target', client: 'B', target: 'sentinel' },
];

describe('the action catalog', () => {
  it('has one definition per kind, and the schema accepts exactly the catalog kinds', () => {
    assert.deepEqual(
      EXAMPLES.map((a) => a.kind),
      ACTION_KINDS,
    );
    for (const a of EXAMPLES) {
      assert.equal(actionDef(a.kind).kind, a.kind);
      assert.deepEqual(ActionSchema.parse(a), a, a.kind);
    }
    assert.equal(ActionSchema.safeParse({ kind: 'explode', node: 'redis-1' }).success, false);
    assert.equal(ActionSchema.safeParse({ kind: 'kill', node: 'redis-1', extra: 1 }).success, false, 'strict objects');
  });

  it('applies defaults once, the same way everywhere; normalize is idempotent', () => {
    for (const a of EXAMPLES) {
      const n = normalizeAction(a);
      assert.deepEqual(normalizeAction(n), n, a.kind);
    }
    assert.deepEqual(normalizeAction({ kind: 'latency', from: 'host-1', to: 'host-2', latencyMs: 200 }), {
      kind: 'latency',
      from: 'host-1',
      to: 'host-2',
      latencyMs: 200,
      jitterMs: 0,
      bothWays: true,
    });
    assert.deepEqual(normalizeAction({ kind: 'cut', from: 'host-1', to: 'host-2' }), {
      kind: 'cut',
      from: 'host-1',
      to: 'host-2',
      mode: 'drop',
    });
    const w = normalizeAction<LabAction>({ kind: 'workload-start', client: 'B' });
    assert.equal(w.kind === 'workload-start' ? w.ratePerSec : undefined, 200);
  });

  it('an unset bothWays reads, plans and applies as both directions', () => {
    const a: LabAction = { kind: 'latency', from: 'host-1', to: 'host-2', latencyMs: 200 };
    assert.equal(actionLine(a), 'latency host-1 ⇄ host-2 200 ms');
    const d = describeAction(a, t);
    assert.equal(d.title, 'latency host-1 <-> host-2 200 ms');
    assert.match(d.equivalent, /# on host-1 and host-2$/);
    const rules = planFault(normalizeAction(a) as FaultSpec, refs.hosts);
    assert.deepEqual(
      rules.map((r) => `${r.from}>${r.to}`),
      ['host-1>host-2', 'host-2>host-1'],
    );
    const oneWay: LabAction = { ...a, bothWays: false };
    assert.equal(actionLine(oneWay), 'latency host-1 → host-2 200 ms');
    assert.match(describeAction(oneWay, t).equivalent, /# on host-1$/);
  });

  it('keeps the action log titles and equivalents (tests and lesson checks read them)', () => {
    const facts = { pid: () => 4242, configPath: (id: string) => `/run/${id}/redis.conf` };
    assert.deepEqual(describeAction({ kind: 'kill', node: 'redis-1' }, t, facts), {
      title: 'kill redis-1',
      equivalent: 'kill -9 4242   # SIGKILL: redis-1 crashes, no SHUTDOWN',
    });
    assert.deepEqual(describeAction({ kind: 'stop', node: 'redis-4' }, t, facts), {
      title: 'stop redis-4',
      equivalent: 'kill -TERM 4242   # same as: redis-cli -h 127.0.2.4 -p 6382 -a redis SHUTDOWN',
    });
    // A running node (it has a pid) is stopped first; one that exited is only started.
    assert.equal(
      describeAction({ kind: 'restart', node: 'sentinel-2' }, t, facts).equivalent,
      'kill -TERM 4242; redis-server /run/sentinel-2/redis.conf --sentinel   # running: stopped first (SHUTDOWN), then started',
    );
    assert.equal(
      describeAction({ kind: 'restart', node: 'redis-2' }, t, { ...facts, pid: () => undefined }).equivalent,
      'redis-server /run/redis-2/redis.conf',
    );
    assert.equal(describeAction({ kind: 'failover' }, t).title, 'SENTINEL FAILOVER via sentinel-1');
    assert.equal(
      describeAction({ kind: 'min-replicas', toWrite: 2 }, t).title,
      'min-replicas-to-write 2, max-lag 10 on every Redis node',
    );
    assert.equal(
      describeAction({ kind: 'partition', groups: [['host-1'], ['host-2']] }, t).title,
      'partition {host-1} | {host-2} (drop)',
    );
  });

  it('writes `outside` (every caller on no lab host) as the addresses outside the hosts, never as a word', () => {
    const eq = (a: LabAction) => describeAction(a, t).equivalent;
    assert.equal(
      eq({ kind: 'partition', groups: [['outside'], ['host-2']] }),
      'iptables -A INPUT ! -s 127.0.1.0/24 -d 127.0.1.2 -j DROP   # and the reverse, on each host',
    );
    assert.equal(
      eq({ kind: 'partition', groups: [['host-1'], ['outside', 'host-3']], mode: 'reject' }),
      'iptables -A INPUT -s 127.0.1.3 -d 127.0.1.1 -j REJECT --reject-with tcp-reset; iptables -A INPUT ! -s 127.0.1.0/24 -d 127.0.1.1 -j REJECT --reject-with tcp-reset   # and the reverse, on each host',
    );
    assert.equal(
      eq({ kind: 'cut', from: 'host-1', to: 'outside' }),
      'iptables -A OUTPUT -s 127.0.1.1 ! -d 127.0.1.0/24 -j DROP   # one way only',
    );
    assert.match(
      eq({ kind: 'latency', from: 'outside', to: 'host-2', latencyMs: 100 }),
      /# on the outside caller's machine and host-2$/,
    );
    for (const a of [
      { kind: 'partition', groups: [['outside'], ['host-2']] },
      { kind: 'cut', from: 'outside', to: 'host-2' },
      { kind: 'bandwidth', from: 'host-2', to: 'outside', bytesPerSec: 1000 },
    ] as LabAction[]) {
      assert.doesNotMatch(eq(a), /-[sd] outside|on outside/, a.kind);
    }
  });

  it('describes without knowing pids, and never throws for a node the topology lacks', () => {
    assert.equal(describeAction({ kind: 'kill', node: 'redis-1' }, t).equivalent.startsWith('kill -9 <pid>'), true);
    const d = describeAction({ kind: 'stop', node: 'redis-9' }, t);
    assert.equal(d.title, 'stop redis-9');
    assert.match(d.equivalent, /redis-cli -p <port>/);
  });

  it('has words for every kind', () => {
    for (const a of EXAMPLES) {
      const d = describeAction(a, t);
      assert.ok(d.title.length > 0 && d.equivalent.length > 0, a.kind);
      assert.ok(actionLine(a).length > 0, a.kind);
      assert.ok(actionBusy(a).endsWith('…'), a.kind);
    }
    assert.equal(actionBusy({ kind: 'kill', node: 'redis-1' }), 'killing redis-1 (SIGKILL)…');
    assert.equal(actionLine({ kind: 'isolate', host: 'host-3' }), 'isolate host-3 (drop)');
    assert.equal(actionLine({ kind: 'kill', node: 'redis-1' }), 'kill redis-1');
  });

  it("names the topology's programs in every line (valkey-cli, valkey-server when the lab runs Valkey)", () => {
    const vk = { ...t, cli: 'valkey-cli' as const, server: 'valkey-server' as const };
    const facts = { pid: () => 4242, configPath: (id: string) => `/run/${id}/redis.conf` };
    let named = 0;
    for (const a of EXAMPLES) {
      const line = describeAction(a, vk, facts).equivalent;
      assert.doesNotMatch(line, /redis-(cli|server)/, `${a.kind}: ${line}`);
      if (/valkey-(cli|server)/.test(line)) named++;
      // The same action with the default programs names Redis's exactly where the Valkey line names Valkey's.
      assert.equal(
        describeAction(a, t, facts).equivalent,
        line.replaceAll('valkey-cli', 'redis-cli').replaceAll('valkey-server', 'redis-server'),
        a.kind,
      );
    }
    assert.ok(named >= 5, `only ${named} lines name a client`);
    assert.match(describeAction({ kind: 'stop', node: 'redis-9' }, vk).equivalent, /valkey-cli -p <port>/);
  });

  it('names the capability each kind needs, and which kinds can cause a failover', () => {
    const needs = Object.fromEntries(EXAMPLES.map((a) => [a.kind, requiredCapability(a.kind)]));
    assert.deepEqual(needs, {
      kill: 'runtime',
      stop: 'runtime',
      freeze: 'pause',
      thaw: 'pause',
      restart: 'runtime',
      partition: 'network',
      isolate: 'network',
      cut: 'network',
      latency: 'network',
      bandwidth: 'network',
      heal: 'network',
      'heal-all': 'network',
      write: 'traffic',
      read: 'traffic',
      'workload-start': 'traffic',
      'workload-stop': 'traffic',
      wait: 'traffic',
      failover: 'failover',
      ckquorum: 'failover',
      'sentinel-set': 'reconfigure',
      'sentinel-reset': 'reconfigure',
      'server-failover': 'failover',
      'min-replicas': 'reconfigure',
      masterauth: 'reconfigure',
      'replica-priority': 'reconfigure',
      reset: 'reset',
      nat: 'network',
      'announce-port': 'reconfigure',
      persistence: 'reconfigure',
      'sentinel-password': 'reconfigure',
      decommission: 'runtime',
      heartbeat: 'traffic',
      'client-target': 'traffic',
    });
    assert.deepEqual(
      ACTION_KINDS.filter((k) => isDisruptive(k)),
      // restart stops a running node first; failover asks Sentinel for one: both can be a failover's cause.
      [
        'kill',
        'stop',
        'freeze',
        'restart',
        'partition',
        'isolate',
        'cut',
        'failover',
        'server-failover',
        'nat',
        'decommission',
      ],
    );
    assert.equal(isDisruptive('no-such-kind'), false);
    assert.deepEqual(
      ACTION_KINDS.filter((k) => isNodeAction(k)),
      ['kill', 'stop', 'freeze', 'thaw', 'restart'],
    );
  });

  it('cross-checks against a lesson topology, network kinds through the fabric validator', () => {
    const problems = (a: LabAction) => {
      const out: string[] = [];
      checkAction(a, refs, (p, m) => out.push(`${p.join('.')}: ${m}`));
      return out;
    };
    for (const a of EXAMPLES)
      if (a.kind !== 'min-replicas' || a.toWrite <= 2) assert.deepEqual(problems(a), [], a.kind);
    assert.deepEqual(problems({ kind: 'kill', node: 'redis-7' }), ['node: unknown node "redis-7"']);
    assert.deepEqual(problems({ kind: 'cut', from: 'host-1', to: 'host-1' }), [
      'to: must differ from "from" (both are "host-1")',
    ]);
    assert.deepEqual(problems({ kind: 'partition', groups: [['host-1'], ['host-9']] }), [
      'groups.1: unknown host "host-9"',
    ]);
    assert.deepEqual(problems({ kind: 'min-replicas', toWrite: 3 }), [
      'toWrite: 3 good replicas required but the topology has 2',
    ]);
    assert.deepEqual(problems({ kind: 'sentinel-set', option: 'quorum', value: 4 }), [
      'value: quorum 4 is more than the 3 Sentinels',
    ]);
    const none = { ...refs, sentinels: new Set<string>() };
    const out: string[] = [];
    checkAction({ kind: 'failover' }, none, (p, m) => out.push(`${p.join('.')}: ${m}`));
    assert.deepEqual(out, ['kind: failover needs Sentinels but the topology has none']);
  });

  it('words, equivalents and checks of the lesson mechanism actions (reset, priority, WAIT, FAILOVER)', () => {
    assert.deepEqual(describeAction({ kind: 'sentinel-reset', sentinel: 'sentinel-2' }, t), {
      title: 'SENTINEL RESET on sentinel-2',
      equivalent: 'redis-cli -h 127.0.2.2 -p 6480 SENTINEL RESET mymaster',
    });
    assert.equal(
      describeAction({ kind: 'replica-priority', node: 'redis-3', priority: 10 }, t).equivalent,
      'redis-cli -h 127.0.2.3 -p 6381 -a redis CONFIG SET replica-priority 10   # old name: slave-priority',
    );
    assert.equal(
      actionLine({ kind: 'replica-priority', node: 'redis-2', priority: 0 }),
      'replica-priority 0 on redis-2 (never promoted)',
    );
    const wait: LabAction = { kind: 'wait', client: 'B', key: 'order', value: '2', replicas: 1, timeoutMs: 1000 };
    assert.equal(actionLine(wait), 'client B: SET order 2, then WAIT 1 1000');
    assert.equal(
      describeAction(wait, t).equivalent,
      "printf 'SET order 2\\nWAIT 1 1000\\n' | redis-cli -h 127.0.2.1 -p 6379 -a redis   # one connection, from host-1",
    );
    assert.equal(
      describeAction({ kind: 'server-failover', node: 'redis-1', to: 'redis-2', timeoutMs: 5000, force: true }, t)
        .equivalent,
      'redis-cli -h 127.0.2.1 -p 6379 -a redis FAILOVER TO 127.0.2.2 6380 FORCE TIMEOUT 5000',
    );
    assert.equal(ActionSchema.safeParse({ ...wait, timeoutMs: 0 }).success, false, 'WAIT 0 would block forever');
    assert.equal(ActionSchema.safeParse({ kind: 'server-failover', node: 'redis-1', force: true }).success, false);
    assert.equal(ActionSchema.safeParse({ kind: 'server-failover', node: 'redis-1', to: 'redis-1' }).success, false);
    assert.equal(ActionSchema.safeParse({ kind: 'replica-priority', node: 'sentinel-1', priority: 1 }).success, false);
    const problems = (a: LabAction) => {
      const out: string[] = [];
      checkAction(a, refs, (p, m) => out.push(`${p.join('.')}: ${m}`));
      return out;
    };
    assert.deepEqual(problems({ kind: 'sentinel-reset', sentinel: 'sentinel-4' }), [
      'sentinel: unknown node "sentinel-4"',
    ]);
    assert.deepEqual(problems({ kind: 'server-failover', node: 'redis-1', to: 'redis-5' }), [
      'to: unknown node "redis-5"',
    ]);
    assert.deepEqual(problems({ kind: 'replica-priority', node: 'redis-9', priority: 1 }), [
      'node: unknown node "redis-9"',
    ]);
  });

  it('puts each active fault on the hosts it touches', () => {
    assert.deepEqual(faultHostNotes({ kind: 'isolate', host: 'host-3', mode: 'drop' }, 'host-3'), [
      '╳ partitioned (drop)',
    ]);
    const latency = normalizeAction({ kind: 'latency', from: 'host-1', to: 'host-2', latencyMs: 50, jitterMs: 5 });
    assert.deepEqual(faultHostNotes(latency as FaultSpec, 'host-2'), ['~ 50±5 ms ⇄ host-1'], 'both ways by default');
    assert.deepEqual(faultHostNotes({ kind: 'cut', from: 'host-1', to: 'host-2', mode: 'drop' }, 'host-2'), []);
  });
});
