// A Sentinel restarted after a failover it missed, from outside the lab (by hand) or by the lab (`restart`): its
// first +config-update-from / +switch-master reach the stream (the subscriber reconnects by itself, promptly).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LocalLab } from '../../src/engine/lab.js';
import { startTestLab } from '../helpers/lab.js';
import { failoverWaitMs } from '../helpers/wait.js';

let lab: LocalLab;
let cleanup: () => Promise<void>;
let outside: ChildProcess | undefined;
// With sentinel-3 down, two Sentinels elect the leader; the failover wait covers split votes (failoverWaitMs).
const SHAPE = { redis: 3, sentinels: 3, sentinel: { downAfterMs: 1000, failoverTimeoutMs: 5000 } };
before(async () => {
  ({ lab, cleanup } = await startTestLab(SHAPE));
});
after(async () => {
  outside?.kill('SIGKILL');
  await cleanup?.();
});

/** sentinel-3 down, the master killed, the others fail over: sentinel-3 missed it. Returns the last event seq. */
async function missAFailover(l: LocalLab): Promise<number> {
  assert.ok((await l.perform({ kind: 'kill', node: 'sentinel-3' })).ok);
  assert.ok((await l.perform({ kind: 'kill', node: 'redis-1' })).ok);
  await l.waitFor(
    (s) => s.events.some((e) => e.channel === '+switch-master' && e.sentinelId === 'sentinel-1'),
    failoverWaitMs(SHAPE.sentinel),
    'the failover by sentinel-1 and sentinel-2 (split votes retried included)',
  );
  return l.store.getState().events.at(-1)?.seq ?? 0;
}

async function seesItsNews(l: LocalLab, since: number): Promise<void> {
  await l.waitFor(
    (s) =>
      s.events.some((e) => e.seq > since && e.sentinelId === 'sentinel-3' && e.channel === '+config-update-from') &&
      s.events.some((e) => e.seq > since && e.sentinelId === 'sentinel-3' && e.channel === '+switch-master'),
    20_000,
    "sentinel-3's +config-update-from and +switch-master after its restart",
  );
}

describe('a Sentinel restarted after a failover it missed', () => {
  it('restarted from outside: its first +config-update-from and +switch-master are captured', async () => {
    const runtime = lab.deployment.capabilities.runtime;
    assert.ok(runtime);
    const conf = runtime.configPath('sentinel-3');
    assert.ok(conf);
    const since = await missAFailover(lab);
    // By hand, as a person would: the same binary and config, not through the lab.
    outside = spawn('redis-server', [conf, '--sentinel'], { cwd: dirname(conf), stdio: 'ignore' });
    await seesItsNews(lab, since);
  });

  it('restarted by the lab: the same', async () => {
    const t = await startTestLab(SHAPE);
    try {
      const since = await missAFailover(t.lab);
      assert.ok((await t.lab.perform({ kind: 'restart', node: 'sentinel-3' })).ok);
      await seesItsNews(t.lab, since);
    } finally {
      await t.cleanup();
    }
  });
});
