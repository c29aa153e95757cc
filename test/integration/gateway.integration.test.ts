// An app outside the lab placed on a host: a plain `redis-cli` (the real binary) through host-3's gateway address
// counts as host-3. Host-3 (the master redis-3 and client B) isolated: the redis-cli's writes are acknowledged by the
// isolated master and lost after heal, exactly like client B's workload, whose ledger counts its losses on redis-3.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { TopologyShape } from '../../src/cluster/topology.js';
import type { LocalLab } from '../../src/engine/lab.js';
import { selectSentinelMasters } from '../../src/state/selectors.js';
import { startTestLab } from '../helpers/lab.js';
import { eventually, failoverWaitMs } from '../helpers/wait.js';

// Two Sentinels elect the leader here (sentinel-3 is cut off with host-3): the failover wait covers split votes.
const TIMING = { downAfterMs: 2000, failoverTimeoutMs: 5000 };
const SHAPE: TopologyShape = {
  redis: 3,
  sentinels: 3,
  master: 'redis-3',
  sentinel: TIMING,
  replication: { replTimeoutSec: 5 },
};

let lab: LocalLab;
let cleanup: () => Promise<void>;
before(async () => {
  ({ lab, cleanup } = await startTestLab(SHAPE));
});
after(async () => {
  await cleanup?.();
});

/** redis-cli through `ip` to redis-3's port; its reply (or error) as one string. Asynchronous: the fabric runs in
 * this very process, so a synchronous spawn would block the proxy it goes through. */
function cli(ip: string, ...args: string[]): Promise<string> {
  const port = lab.topology.nodes.find((n) => n.id === 'redis-3')?.port ?? 0;
  return new Promise((resolve) => {
    execFile(
      'redis-cli',
      ['-h', ip, '-p', String(port), '-a', 'redis', '--no-auth-warning', ...args],
      { encoding: 'utf8', timeout: 10_000 },
      (_err, stdout, stderr) => resolve(`${stdout}${stderr}`.trim()),
    );
  });
}

describe('an outside client on host-3 through its gateway', () => {
  it('is partitioned with host-3: acknowledged by the isolated master, then lost, like client B', async () => {
    const gw = lab.deployment.gateways()['host-3'];
    assert.equal(gw, '127.0.3.3');
    assert.equal(await cli(gw, 'SET', 'before', 'x'), 'OK');
    // The node sees host-3 calling (the gateway connects from host-3's address).
    assert.match(await cli(gw, 'CLIENT', 'LIST'), /addr=127\.0\.1\.3:/);

    assert.ok((await lab.perform({ kind: 'workload-start', client: 'B', ratePerSec: 50 })).ok);
    await lab.waitFor((s) => s.workload.counts.ok > 5, 10_000, 'a few acknowledged writes');
    assert.ok((await lab.perform({ kind: 'isolate', host: 'host-3' })).ok);
    await lab.waitFor(
      (s) => {
        const m = selectSentinelMasters(s)['sentinel-1'];
        return (m === 'redis-1' || m === 'redis-2') && s.redis[m]?.replication?.role === 'master';
      },
      failoverWaitMs(TIMING),
      'the majority to fail over (split votes retried included)',
    );
    // Split brain: the isolated old master still acknowledges the outside client's writes.
    assert.equal(await cli(gw, 'SET', 'during', 'y'), 'OK');
    assert.equal((await cli(gw, 'ROLE')).split('\n')[0], 'master');
    const okDuring = lab.store.getState().workload.counts.ok;
    await lab.waitFor((s) => s.workload.counts.ok > okDuring + 5, 10_000, 'client B acknowledged during the split');

    assert.ok((await lab.perform({ kind: 'heal-all' })).ok);
    await lab.waitFor((s) => s.redis['redis-3']?.replication?.role === 'replica', 30_000, 'redis-3 converted');
    const stopped = await lab.perform({ kind: 'workload-stop' });
    assert.ok(stopped.ok, stopped.text);
    const verdict = await eventually(() => lab.store.getState().workload.verdict, { timeoutMs: 10_000 });
    assert.ok((verdict.lostByNode['redis-3'] ?? 0) > 0, 'client B lost writes acknowledged by redis-3');
    // The outside client's write is gone the same way; the one from before the partition survived.
    await eventually(async () => (await cli(gw, 'GET', 'before')) === 'x', {
      timeoutMs: 10_000,
      what: 'the old write replicated',
    });
    assert.equal(await cli(gw, 'GET', 'during'), '');
  });
});
