// The control socket (engine/control.ts) over a Lab with an in-memory deployment (no Redis): an action goes through
// Lab.perform like a key, an action the deployment lacks is refused with its reason, a bad request is refused, the
// socket is 0600, followers hear "stopping" when it closes. And the pure lab selection of watch/do.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { LabEmitter } from '../../src/cluster/events.js';
import type { ActiveFault } from '../../src/cluster/fabric/plan.js';
import { processRunState, processUid } from '../../src/cluster/process/proc.js';
import { type RunManifest, writeManifest } from '../../src/cluster/process/run-dir.js';
import { buildTopology } from '../../src/cluster/topology.js';
import { followLab, performRemote } from '../../src/commands/control-client.js';
import { chooseLab, formatLabList, type RunningLab, runningLabs } from '../../src/commands/select-lab.js';
import type { Capabilities, Deployment, MissingCapabilities } from '../../src/deployments/deployment.js';
import { ControlServer, controlSocketPath, controlTargetOf } from '../../src/engine/control.js';
import { Lab } from '../../src/engine/lab.js';
import type { UserError } from '../../src/errors.js';
import { eventually } from '../helpers/wait.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function fake(events: LabEmitter, capabilities: Capabilities, missing: MissingCapabilities): Deployment {
  void events;
  const topology = buildTopology({ redis: 3, sentinels: 3 }, 6379, 'hosts');
  const at = (id: string) => ({ host: '127.0.0.1', port: topology.nodes.find((n) => n.id === id)?.port ?? 0 });
  return {
    kind: 'fake',
    id: 'fake-1',
    label: 'a fake deployment',
    topology,
    addresses: { admin: at, public: at, nodeAt: () => undefined },
    capabilities,
    missing,
    start: async () => {},
    shutdown: async () => {},
    shutdownSync: () => {},
  };
}

describe('control socket', () => {
  it('performs through the catalog, refuses what the deployment lacks, and tells followers it stops', async () => {
    const calls: string[] = [];
    const lab = await Lab.open((events) =>
      fake(
        events,
        {
          runtime: {
            start: async () => {},
            kill: async (id) => {
              calls.push(`kill ${id}`);
            },
            stop: async () => {},
            restart: async () => {},
            pid: (id) => (id === 'redis-1' ? 4242 : undefined),
            configPath: () => undefined,
            aliveCount: () => 6,
          },
        },
        { network: { reason: 'no loopback addresses here', hint: 'add aliases' } },
      ),
    );
    const dir = mkdtempSync(join(tmpdir(), 'rsl-control-'));
    dirs.push(dir);
    const server = await ControlServer.listen(dir, controlTargetOf(lab));
    try {
      assert.equal(statSync(server.path).mode & 0o777, 0o600);
      const ok = await performRemote(dir, { kind: 'kill', node: 'redis-1' });
      assert.equal(ok.ok, true);
      assert.equal(ok.title, 'kill redis-1');
      assert.match(ok.equivalent ?? '', /^kill -9 4242/);
      assert.deepEqual(calls, ['kill redis-1']);
      const refused = await performRemote(dir, { kind: 'isolate', host: 'host-2' });
      assert.equal(refused.ok, false);
      assert.deepEqual(refused.refused, { reason: 'no loopback addresses here', hint: 'add aliases' });
      const invalid = await performRemote(dir, { kind: 'kill', node: 'nope' });
      assert.equal(invalid.ok, false);
      assert.match(invalid.invalid ?? '', /node/);
      // One record for the kill; none for the refused or invalid requests.
      await eventually(
        () => {
          assert.deepEqual(
            lab.store.getState().actions.map((a) => `${a.title} ${a.status}`),
            ['kill redis-1 ok'],
          );
          return true;
        },
        { timeoutMs: 2000 },
      );
      // A fault in force before a follower attaches is in its hello (a watch attached mid-experiment shows it).
      const fault: ActiveFault = {
        id: 'f1',
        spec: { kind: 'isolate', host: 'host-2' } as ActiveFault['spec'],
        rules: [],
        appliedAt: Date.now(),
        description: 'isolate host-2',
      };
      lab.emitter.emit('fault-applied', fault);
      await eventually(() => lab.store.getState().faults.length === 1, {
        timeoutMs: 2000,
        what: 'the fault in the store',
      });
      let gone: string | undefined;
      const messages: string[] = [];
      let helloFaults: unknown;
      await followLab(dir, {
        onGone: (why) => (gone = why),
        onMessage: (m) => {
          messages.push(String(m.type));
          if (m.type === 'hello') helloFaults = m.faults;
        },
      });
      assert.deepEqual(messages, ['hello']);
      assert.deepEqual(helloFaults, [fault]);
      await server.close();
      await eventually(() => gone === 'the lab is stopping', {
        timeoutMs: 2000,
        what: 'the follower to hear "stopping"',
      });
    } finally {
      await server.close();
      await lab.shutdown();
    }
  });
});

describe('a lab that does not answer (stopped with Ctrl+Z, or hung)', () => {
  it('do and watch give up after the answer deadline and say why: stopped, with how to continue it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rsl-silent-'));
    dirs.push(dir);
    // The kernel accepts a connection on a Unix socket even when the process behind it is stopped: a server that
    // accepts and never answers is what `do` meets.
    const silent = createServer((sock) => {
      sock.on('error', () => {});
      sock.resume(); // reads (and drops) the request, so it sees the client hang up and closes
    });
    await new Promise<void>((resolve) => silent.listen(controlSocketPath(dir), resolve));
    chmodSync(controlSocketPath(dir), 0o600);
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = sleeper.pid ?? 0;
    writeManifest(dir, {
      runId: 'silent',
      labPid: pid,
      startedAt: Date.now(),
      basePort: 30000,
      nodes: {},
    } as unknown as RunManifest);
    try {
      const t0 = Date.now();
      await assert.rejects(performRemote(dir, { kind: 'kill', node: 'redis-1' }, 120_000, 300), (err: Error) => {
        assert.match(
          err.message,
          new RegExp(`^The lab \\(pid ${pid}\\) did not answer within 0.3 s, so it cannot do the action`),
        );
        return true;
      });
      assert.ok(Date.now() - t0 < 5000, 'gave up at the deadline, not at the action timeout');
      sleeper.kill('SIGSTOP');
      await eventually(() => processRunState(pid) === 'stopped', { timeoutMs: 2000, what: 'the process stopped' });
      await assert.rejects(performRemote(dir, { kind: 'kill', node: 'redis-1' }, 120_000, 300), (err: UserError) => {
        assert.match(err.message, new RegExp(`^The lab \\(pid ${pid}\\) is stopped \\(Ctrl\\+Z or SIGSTOP\\)`));
        assert.match(err.hint ?? '', new RegExp(`kill -CONT ${pid}`));
        return true;
      });
      await assert.rejects(
        followLab(dir, { onGone: () => {} }, 300),
        /is stopped \(Ctrl\+Z or SIGSTOP\), so it cannot be followed/,
      );
    } finally {
      sleeper.kill('SIGKILL');
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('lab selection', () => {
  const lab = (runId: string, basePort: number, startedAt: number): RunningLab => ({
    dir: `/runs/run-${runId}`,
    manifest: { runId, labPid: 100 + basePort, startedAt, basePort, nodes: {} } as RunManifest,
  });
  const a = lab('aaa', 30000, 1);
  const b = lab('bbb', 30500, 2);

  it('takes the only one, refuses to guess among several, and honours --run / --base-port', () => {
    assert.deepEqual(chooseLab([], {}), { kind: 'none' });
    assert.deepEqual(chooseLab([a], {}), { kind: 'one', lab: a });
    assert.deepEqual(chooseLab([a, b], {}), { kind: 'several' });
    assert.deepEqual(chooseLab([a, b], { basePort: 30500 }), { kind: 'one', lab: b });
    assert.deepEqual(chooseLab([a, b], { run: 'aaa' }), { kind: 'one', lab: a });
    assert.deepEqual(chooseLab([a, b], { run: 'run-bbb' }), { kind: 'one', lab: b });
    assert.deepEqual(chooseLab([a], { basePort: 30500 }), { kind: 'no-match', what: 'base port 30500' });
    assert.deepEqual(chooseLab([a, b], { run: 'aaa', basePort: 30500 }), {
      kind: 'no-match',
      what: 'run aaa and base port 30500',
    });
  });

  it('never offers a lab whose process runs as another user, even in a run directory of ours', async (t) => {
    if (process.getuid?.() !== 0) {
      t.skip('needs root to start a process as another user');
      return;
    }
    const root = mkdtempSync(join(tmpdir(), 'rsl-select-'));
    dirs.push(root);
    chmodSync(root, 0o700);
    const mine = spawn('sleep', ['30'], { stdio: 'ignore' });
    const theirs = spawn('sleep', ['30'], { stdio: 'ignore', uid: 65534, gid: 65534 });
    try {
      for (const [id, child] of [
        ['mine', mine],
        ['theirs', theirs],
      ] as const) {
        const dir = join(root, `run-${id}`);
        mkdirSync(dir, { mode: 0o700 });
        writeManifest(dir, { runId: id, labPid: child.pid ?? 0, startedAt: 1, basePort: 30000, nodes: {} });
      }
      await eventually(() => processUid(theirs.pid ?? 0) === 65534, { timeoutMs: 2000, what: 'the other uid' });
      assert.deepEqual(
        runningLabs(root).map((l) => l.manifest.runId),
        ['mine'],
      );
    } finally {
      mine.kill('SIGKILL');
      theirs.kill('SIGKILL');
    }
  });

  it('lists run id, base port, pid and start time', () => {
    const text = formatLabList([a, b]);
    assert.match(text, /run aaa {2}base port 30000 {2}pid 30100 {2}started 1970-01-01T00:00:00.001Z/);
    assert.equal(text.split('\n').length, 2);
  });
});
