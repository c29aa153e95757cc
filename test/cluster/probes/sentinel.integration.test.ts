// SentinelProbe and SentinelSubscriber against a real cluster (Redis 27010-27012, Sentinels 27110-27112): a
// failover seen through both, a Sentinel restart, and a frozen Sentinel whose +tilt still arrives.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SentinelEvent } from '../../../src/cluster/events.js';
import { updateTimelines } from '../../../src/cluster/observe/failover-timeline.js';
import { parseSentinelEvent } from '../../../src/cluster/observe/sentinel-events.js';
import type { FailoverTimeline, SentinelObservation } from '../../../src/cluster/observe/types.js';
import { SentinelProbe } from '../../../src/cluster/probes/sentinel-probe.js';
import {
  type SentinelMessage,
  SentinelSubscriber,
  type SubscriberStatus,
} from '../../../src/cluster/probes/sentinel-subscriber.js';
import { MINI_MASTER_NAME, type MiniCluster, startMiniCluster, waitFor } from '../../helpers/mini-cluster.js';

describe('Sentinel probes and subscribers on a real cluster', { timeout: 60_000 }, () => {
  let c: MiniCluster;
  const probes = new Map<string, SentinelProbe>();
  const subs = new Map<string, SentinelSubscriber>();
  const seen: Record<string, SentinelObservation[]> = {};
  const messages: SentinelMessage[] = [];
  const statuses: SubscriberStatus[] = [];
  const latest = (id: string) => seen[id]?.at(-1);
  const from = (id: string) => messages.filter((m) => m.sentinelId === id);

  before(async () => {
    // down-after 2000, not 1000: at 1000 a follower occasionally flags the new master SDOWN right after
    // +switch-master (reconnects are throttled to 1 s) and starts a second failover, which this test is not about.
    c = await startMiniCluster({ basePort: 27010, replicas: 2, sentinels: 3, downAfterMs: 2000 });
    for (const id of c.sentinelIds) {
      const n = c.node(id);
      const p = new SentinelProbe({
        id,
        host: n.host,
        port: n.port,
        masterName: MINI_MASTER_NAME,
        intervalMs: 200,
        resolve: c.resolve,
        onObservation: (o) => {
          seen[id] ??= [];
          seen[id]?.push(o);
        },
      });
      probes.set(id, p);
      p.start();
      const s = new SentinelSubscriber({
        sentinelId: id,
        host: n.host,
        port: n.port,
        pingIntervalMs: 250,
        onMessage: (m) => messages.push(m),
        onStatus: (st) => statuses.push(st),
      });
      subs.set(id, s);
      s.start();
    }
    await waitFor(() => [...subs.values()].every((s) => s.subscribed), { what: 'all subscribed' });
  });

  after(async () => {
    await Promise.all([...probes.values(), ...subs.values()].map((p) => p.stop()));
    await c?.cleanup();
  });

  it("reports each Sentinel's view, with every instance resolved to a lab id", async () => {
    const o = await waitFor(() => {
      const x = latest('sentinel-1');
      return x?.master && x.sentinels.length === 2 ? x : undefined;
    });
    assert.equal(o.reachable, true);
    assert.equal(o.masterId, 'redis-1');
    assert.equal(o.master?.nodeId, 'redis-1');
    assert.equal(o.master?.quorum, 2);
    assert.deepEqual(o.replicas.map((r) => r.nodeId).sort(), ['redis-2', 'redis-3']);
    assert.deepEqual(o.sentinels.map((r) => r.nodeId).sort(), ['sentinel-2', 'sentinel-3']);
    assert.equal(o.info?.sentinelsSeen, 3);
    assert.match(o.myId ?? '', /^[0-9a-f]{40}$/);
    // Peers list this Sentinel under its myid.
    const peerView = await waitFor(() => latest('sentinel-2')?.sentinels.find((s) => s.nodeId === 'sentinel-1'));
    assert.equal(peerView.runId, o.myId);
  });

  it('after the master is killed, every Sentinel reports +sdown .. +switch-master in order and the probes follow', async () => {
    const killedAt = Date.now();
    await c.kill('redis-1');
    await waitFor(() => c.sentinelIds.every((id) => from(id).some((m) => m.channel === '+switch-master')), {
      what: '+switch-master from every Sentinel',
      timeoutMs: 20_000,
    });
    assert.ok(
      messages.some((m) => m.channel === '+odown'),
      'some Sentinel reached ODOWN',
    );
    const newMaster = c.resolve(...addrOfSwitch(messages.find((m) => m.channel === '+switch-master')));
    assert.ok(newMaster === 'redis-2' || newMaster === 'redis-3', `new master ${newMaster}`);
    for (const id of c.sentinelIds) {
      const own = from(id).filter((m) => m.at >= killedAt);
      const idx = (ch: string, payloadStart = '') =>
        own.findIndex((m) => m.channel === ch && m.payload.startsWith(payloadStart));
      const sdown = idx('+sdown', 'master ');
      const odown = idx('+odown');
      const sw = idx('+switch-master');
      assert.ok(sw >= 0, `${id} switched`);
      if (sdown >= 0) assert.ok(sdown < sw, `${id}: +sdown before +switch-master`);
      if (odown >= 0) assert.ok((sdown < 0 || sdown < odown) && odown < sw, `${id}: +odown between`);
      for (let i = 1; i < own.length; i++) assert.ok((own[i]?.at ?? 0) >= (own[i - 1]?.at ?? 0), 'arrival order');
      assert.ok(!own.some((m) => m.channel === '__sentinel__:hello'), 'hello gossip is not an event');
    }
    for (const id of c.sentinelIds) {
      await waitFor(() => latest(id)?.masterId === newMaster, { what: `${id} probe names ${newMaster}` });
    }
    // End to end: the parsed stream assembles into one failover timeline.
    let timelines: FailoverTimeline[] = [];
    const events: SentinelEvent[] = messages
      .filter((m) => m.at >= killedAt)
      .map((m, i) => parseSentinelEvent({ ...m, seq: i }, c.resolve));
    for (const e of events) {
      timelines = updateTimelines(timelines, e, { downAfterMs: 2000, failoverTimeoutMs: 10_000 });
    }
    // A Sentinel may briefly flag the new master SDOWN right after the switch (it resets its link to the new
    // master and reconnects at most once a second: sentinelResetMaster / sentinelReconnectInstance in Redis's
    // sentinel.c): that is a timeline of its own, closed by -sdown; the failover of redis-1 is exactly one.
    const ofOld = timelines.filter((x) => x.oldMasterId === 'redis-1');
    const dump = events.map((e) => `${e.at - killedAt} ${e.sentinelId} ${e.channel} ${e.payload}`).join('\n');
    assert.equal(ofOld.length, 1, dump);
    assert.equal(ofOld[0]?.newMasterId, newMaster);
    assert.ok(ofOld[0]?.phases.odown !== undefined && ofOld[0]?.phases['switch-master'] !== undefined);
  });

  it('re-subscribes after a Sentinel restart and keeps delivering its events', async () => {
    const sub = subs.get('sentinel-3') as SentinelSubscriber;
    const before = sub.subscriptions;
    await c.restart('sentinel-3');
    await waitFor(() => sub.subscriptions > before, { what: 're-subscription', timeoutMs: 5000 });
    const t = Date.now();
    await c.command('sentinel-3', 'SENTINEL', 'SET', MINI_MASTER_NAME, 'quorum', '2');
    const set = await waitFor(() => from('sentinel-3').find((m) => m.at >= t && m.channel === '+set'), {
      what: '+set after restart',
    });
    assert.match(set.payload, /^master mymaster 127\.0\.0\.1 \d+ quorum 2$/);
    await waitFor(() => latest('sentinel-3')?.reachable === true && latest('sentinel-3')?.masterAddr, {
      what: 'probe back on sentinel-3',
    });
  });

  it('a frozen Sentinel is noticed by PING, keeps its subscription, and its +tilt arrives on resume', async () => {
    const sub = subs.get('sentinel-2') as SentinelSubscriber;
    const before = sub.subscriptions;
    const t = Date.now();
    c.pause('sentinel-2');
    try {
      await waitFor(() => statuses.some((s) => s.sentinelId === 'sentinel-2' && s.at >= t && !s.responsive), {
        what: 'unresponsive status',
        timeoutMs: 3000,
      });
      await waitFor(() => latest('sentinel-2')?.reachable === false, { what: 'probe sees it unreachable' });
      // TILT needs the Sentinel's own timer to stall for more than 2 s (sentinelCheckTiltCondition in sentinel.c;
      // "TILT mode" on redis.io's Sentinel page).
      await waitFor(() => Date.now() - t > 2600, { timeoutMs: 4000 });
    } finally {
      c.resume('sentinel-2');
    }
    await waitFor(() => from('sentinel-2').some((m) => m.at >= t && m.channel === '+tilt'), {
      what: '+tilt from the resumed Sentinel',
      timeoutMs: 5000,
    });
    assert.equal(sub.subscriptions, before, 'same subscription, no reconnect needed');
    const tilted = await waitFor(() => (latest('sentinel-2')?.info?.tilt ? latest('sentinel-2') : undefined), {
      what: 'INFO sentinel shows TILT',
    });
    assert.equal(tilted.reachable, true);
  });
});

function addrOfSwitch(m: SentinelMessage | undefined): [string, number] {
  const w = m?.payload.split(' ') ?? [];
  return [w[3] ?? '', Number(w[4])];
}
