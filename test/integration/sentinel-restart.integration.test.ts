// A Sentinel restarted from outside the lab (by hand, not by the lab) after a failover it missed: its first
// +config-update-from / +switch-master reach the stream (the subscriber reconnects by itself, promptly).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LocalLab } from '../../src/engine/lab.js';
import { startTestLab } from '../helpers/lab.js';

let lab: LocalLab;
let cleanup: () => Promise<void>;
let outside: ChildProcess | undefined;
before(async () => {
  ({ lab, cleanup } = await startTestLab({ redis: 3, sentinels: 3, sentinel: { downAfterMs: 1000 } }));
});
after(async () => {
  outside?.kill('SIGKILL');
  await cleanup?.();
});

describe('a Sentinel restarted from outside', () => {
  it('has its first +config-update-from and +switch-master captured', async () => {
    const runtime = lab.deployment.capabilities.runtime;
    assert.ok(runtime);
    const conf = runtime.configPath('sentinel-3');
    assert.ok(conf);
    assert.ok((await lab.perform({ kind: 'kill', node: 'sentinel-3' })).ok);
    assert.ok((await lab.perform({ kind: 'kill', node: 'redis-1' })).ok);
    await lab.waitFor(
      (s) => s.events.some((e) => e.channel === '+switch-master' && e.sentinelId === 'sentinel-1'),
      20_000,
      'the failover by sentinel-1 and sentinel-2',
    );
    const before = lab.store.getState().events.at(-1)?.seq ?? 0;
    // By hand, as a person would: the same binary and config, not through the lab.
    outside = spawn('redis-server', [conf, '--sentinel'], { cwd: dirname(conf), stdio: 'ignore' });
    await lab.waitFor(
      (s) =>
        s.events.some((e) => e.seq > before && e.sentinelId === 'sentinel-3' && e.channel === '+config-update-from') &&
        s.events.some((e) => e.seq > before && e.sentinelId === 'sentinel-3' && e.channel === '+switch-master'),
      20_000,
      "sentinel-3's +config-update-from and +switch-master after its restart",
    );
  });
});
