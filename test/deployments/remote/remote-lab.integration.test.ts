// A lab observing a deployment it did not start (plain redis-server processes): the same store, views and events as
// on the lab's own cluster; keys it cannot honour refused with the reason and recorded nowhere; CKQUORUM answered;
// a confirmed SENTINEL FAILOVER seen through to +switch-master and a failover timeline; nothing left behind.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { discover, openRemoteLab } from '../../../src/commands/remote-lab.js';
import { parseSentinels } from '../../../src/commands/sentinel-options.js';
import type { RemoteDeployment } from '../../../src/deployments/remote/remote-deployment.js';
import type { Lab } from '../../../src/engine/lab.js';
import { selectLags, selectMastership } from '../../../src/state/selectors.js';
import { type ForeignDeployment, startForeignDeployment } from '../../helpers/foreign-deployment.js';
import { eventually } from '../../helpers/wait.js';

const SOCKETS = new Set(['TCPSocketWrap', 'TCPServerWrap']);

describe('remote lab on a deployment the lab did not start (real Redis)', () => {
  let d: ForeignDeployment;
  let lab: Lab<RemoteDeployment> | undefined;

  before(async () => {
    d = await startForeignDeployment({ replicas: 2, downAfterMs: 2000 });
    process.env.RSL_TEST_REMOTE_PW = d.password;
  });

  after(async () => {
    await lab?.shutdown();
    await d?.cleanup();
    delete process.env.RSL_TEST_REMOTE_PW;
  });

  it('discovers the nodes, names them in address order and shows the complete view', async () => {
    const found = await discover({ sentinel: parseSentinels(d.sentinelArg), passwordEnv: 'RSL_TEST_REMOTE_PW' });
    assert.deepEqual(found.masters, ['mymaster']);
    lab = await openRemoteLab(found, 'mymaster', { flushMs: 10 });
    const dep = lab.deployment;
    assert.deepEqual(
      dep.topology.nodes.map((n) => `${n.id} ${dep.addresses.public(n.id).port}`),
      [
        `redis-1 ${d.master.port}`,
        ...d.replicas.map((r, i) => `redis-${i + 2} ${r.port}`),
        ...d.sentinels.map((s, i) => `sentinel-${i + 1} ${s.port}`),
      ],
    );
    // Probes go to the local gateway, never straight to the node.
    assert.equal(dep.addresses.admin('redis-1').host, '127.0.0.1');
    assert.notEqual(dep.addresses.admin('redis-1').port, d.master.port);
    const l = lab;
    await eventually(
      () => {
        const s = l.store.getState();
        return (
          dep.topology.nodes.every((n) =>
            n.kind === 'redis' ? s.redis[n.id]?.replication : s.sentinels[n.id]?.master,
          ) && selectLags(s).length === 2
        );
      },
      { timeoutMs: 5000, what: 'every node observed' },
    );
    const s = l.store.getState();
    const m = selectMastership(s);
    assert.equal(m.master, 'redis-1');
    assert.equal(m.agree, true);
    assert.deepEqual(
      Object.values(s.processes).map((p) => p.state),
      Array(dep.topology.nodes.length).fill('running'),
    );
    assert.equal(s.processes['redis-2']?.cliLine, `redis-cli -h 127.0.0.1 -p ${d.replicas[0]?.port}`);
    assert.deepEqual(dep.refused, []);
  });

  it('refuses what the deployment cannot do, with the reason, recording nothing', async () => {
    const l = lab;
    assert.ok(l);
    assert.deepEqual(Object.keys(l.missing).sort(), [
      'network',
      'notifications',
      'pause',
      'reconfigure',
      'reset',
      'runtime',
      'traffic',
    ]);
    const before = l.store.getState().actions.length;
    for (const a of [
      { kind: 'kill', node: 'redis-1' },
      { kind: 'freeze', node: 'sentinel-1' },
      { kind: 'isolate', host: 'host-1' },
      { kind: 'write', client: 'A', key: 'k', value: 'v' },
      { kind: 'min-replicas', toWrite: 0 },
      { kind: 'sentinel-set', option: 'quorum', value: 3 },
      { kind: 'reset' },
    ] as const) {
      const out = await l.perform(a);
      assert.deepEqual(out, { ok: false, text: l.missing.runtime?.reason }, a.kind);
    }
    await l.waitFor(() => true, 1000); // folds whatever was queued
    assert.equal(l.store.getState().actions.length, before);
    // The data node's own FAILOVER needs the failover capability this deployment has, but is not one of the two
    // actions offered: refused by the deployment (one failed row), and the allow-list would not send it anyway.
    const sf = await l.perform({ kind: 'server-failover', node: 'redis-1' });
    assert.equal(sf.ok, false);
    assert.match(sf.text, /FAILOVER command is not offered/);
    assert.equal(await d.command(d.master, 'PING'), 'PONG');
    assert.equal((await d.sentinelFields(d.sentinels[0] ?? d.master, 'MASTER')).quorum, '2');
  });

  it('SENTINEL CKQUORUM answers through the confirmed path', async () => {
    const l = lab;
    assert.ok(l);
    const out = await l.perform({ kind: 'ckquorum', sentinel: 'sentinel-2' });
    assert.deepEqual(out, {
      ok: true,
      text: 'OK 3 usable Sentinels. Quorum and failover authorization can be reached',
    });
    const rec = await eventually(
      () => l.store.getState().actions.find((a) => a.kind === 'ckquorum' && a.status === 'ok'),
      { timeoutMs: 2000, what: 'the CKQUORUM record in the store' },
    );
    assert.equal(rec.equivalent, `redis-cli -h 127.0.0.1 -p ${d.sentinels[1]?.port} SENTINEL CKQUORUM mymaster`);
  });

  it('a confirmed SENTINEL FAILOVER: +switch-master in the store, a new master, a failover timeline', async () => {
    const l = lab;
    assert.ok(l);
    const out = await l.perform({ kind: 'failover' });
    assert.deepEqual(out, { ok: true, text: 'OK' });
    await eventually(() => l.store.getState().events.some((e) => e.channel === '+switch-master'), {
      timeoutMs: 20_000,
      what: '+switch-master from the deployment',
    });
    await eventually(
      () => {
        const m = selectMastership(l.store.getState());
        return m.master !== undefined && m.master !== 'redis-1' && m.agree;
      },
      { timeoutMs: 20_000, what: 'a new master every Sentinel names' },
    );
    const s = l.store.getState();
    const sw = s.events.find((e) => e.channel === '+switch-master');
    assert.equal(sw?.fromId, 'redis-1');
    assert.ok(s.failovers.length >= 1, 'a failover timeline');
    assert.deepEqual(l.deployment.refused, []);
  });

  it('shutdown leaves no connection or listener, and the deployment running', async () => {
    const l = lab;
    assert.ok(l);
    await l.shutdown();
    lab = undefined;
    assert.equal(l.deployment.gatewayConnections, 0);
    await eventually(() => !process.getActiveResourcesInfo().some((r) => SOCKETS.has(r)), {
      timeoutMs: 3000,
      what: `no TCP handle left (${process.getActiveResourcesInfo().join(', ')})`,
    });
    for (const n of [d.master, ...d.replicas, ...d.sentinels]) assert.equal(await d.command(n, 'PING'), 'PONG');
  });
});
