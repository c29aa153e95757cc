// `do <action>` as a script sees it, against a stand-in lab: the real CLI (a child process) finds a run directory
// whose manifest names this test process as the lab, and talks to a control socket served here by the real
// ControlServer with a target that records what it is asked. No Redis: what `do` parses, sends, refuses and prints.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { describeAction, type LabAction } from '../../src/actions/catalog.js';
import { createRunDir, writeManifest } from '../../src/cluster/process/run-dir.js';
import { buildTopology, DEFAULT_SHAPE, type TopologyShape } from '../../src/cluster/topology.js';
import type { Unavailable } from '../../src/deployments/deployment.js';
import { ControlServer, type ControlTarget } from '../../src/engine/control.js';
import { killAllClis, runCli } from '../helpers/cli.js';

// Nothing listens on these ports: the stand-in lab runs no Redis.
const BASE = 35_390;
const root = mkdtempSync(join(tmpdir(), 'rsl-do-'));
const env = { RSL_RUN_ROOT: root };
const performed: LabAction[] = [];
let refusal: Unavailable | undefined;
const servers: ControlServer[] = [];

/** A run directory for `shape`, served by a stand-in lab that does every action it is asked (unless refused). */
async function standIn(runId: string, basePort: number, shape: TopologyShape): Promise<void> {
  const topology = buildTopology(shape, basePort, 'hosts');
  const dir = createRunDir(root, runId);
  const target: ControlTarget = {
    runId,
    topology,
    perform: async (a) => {
      performed.push(a);
      return { ok: true, text: 'done' };
    },
    describe: (a) => describeAction(a, topology, { pid: () => 4242, configPath: () => '/run/x.conf' }),
    refusal: () => refusal,
    nodes: () => ({}),
    faults: () => [],
  };
  servers.push(await ControlServer.listen(dir, target));
  writeManifest(dir, {
    runId,
    labPid: process.pid,
    startedAt: Date.now(),
    basePort,
    nodes: {},
    shape,
    networkMode: 'hosts',
  });
}

const doCli = (args: string[], basePort = BASE) => runCli(['do', ...args, '--base-port', String(basePort)], env);

before(async () => {
  await standIn('do-test-a', BASE, DEFAULT_SHAPE);
  await standIn('do-test-b', BASE + 5, { ...DEFAULT_SHAPE, sentinelAuth: { password: 'sentinel-secret' } });
});
beforeEach(() => {
  performed.length = 0;
  refusal = undefined;
});
after(async () => {
  killAllClis();
  for (const s of servers) await s.close();
  rmSync(root, { recursive: true, force: true });
});

describe('do <action> against a lab', () => {
  it('takes a trailing drop or reject after the partition groups as the mode, as `do --help` writes it', async () => {
    const r = await doCli(['partition', 'host-1', 'host-2,host-3', 'reject']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(performed, [{ kind: 'partition', groups: [['host-1'], ['host-2', 'host-3']], mode: 'reject' }]);
    assert.match(r.stdout, /^\$ iptables -A INPUT -s 127\.0\.1\.2,127\.0\.1\.3 -d 127\.0\.1\.1 -j REJECT/);
  });

  it('names a bad host by its argument, not by a path inside the action', async () => {
    const r = await doCli(['partition', 'host-1', 'host-9']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /group 2 \(host-9\): unknown host "host-9"/);
    assert.doesNotMatch(r.stderr, /groups\.\d/);
    assert.deepEqual(performed, []);
  });

  it('refuses what this cluster cannot do at all without sending it, and prints no command as run', async () => {
    const r = await doCli(['sentinel-password', 'sentinel-3', 'true']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '✗ refused: the Sentinels of this cluster have no password');
    assert.deepEqual(performed, [], 'nothing reached the lab');
    const json = await doCli(['sentinel-password', 'sentinel-3', 'true', '--json']);
    assert.equal(json.code, 1);
    const rec = JSON.parse(json.stdout) as { ok: boolean; refused: { reason: string } | null; result: unknown };
    assert.equal(rec.ok, false);
    assert.equal(rec.refused?.reason, 'the Sentinels of this cluster have no password');
    assert.equal(rec.result, null);
    // Where the Sentinels have a password, it goes to the lab.
    const ok = await doCli(['sentinel-password', 'sentinel-3', 'false'], BASE + 5);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^\$ kill -TERM 4242; sed -i/);
    assert.deepEqual(performed, [{ kind: 'sentinel-password', sentinel: 'sentinel-3', enabled: false }]);
  });

  it('prints no `$` line for an action the lab refuses (nothing was attempted)', async () => {
    refusal = { reason: 'this attached deployment cannot do that (runtime)' };
    const r = await doCli(['kill', 'redis-2']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '✗ refused: this attached deployment cannot do that (runtime)');
  });
});
