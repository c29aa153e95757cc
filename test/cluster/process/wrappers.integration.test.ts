// Children are awaited by their exit, not by their output pipe, and every wait has a deadline. Wrapper scripts around
// the real redis-server that do not `exec` it (so the shell, not Redis, is the lab's child and Redis inherits the
// pipe), that trap SIGTERM, that never listen, and whose `--version` hangs: each stop, kill, readiness error and
// version probe ends at its deadline and leaves no process behind.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { LabEmitter, type NodeExit } from '../../../src/cluster/events.js';
import { resolveServerBinary } from '../../../src/cluster/process/binaries.js';
import { canBind } from '../../../src/cluster/process/ports.js';
import { forceKill, isAlive, processesInside } from '../../../src/cluster/process/proc.js';
import { pingOnce } from '../../../src/cluster/process/readiness.js';
import { DRAIN_MS, Supervisor } from '../../../src/cluster/process/supervisor.js';
import { ProcessError, UserError } from '../../../src/errors.js';
import { eventually, freeBase } from '../../helpers/wait.js';

const tmp = mkdtempSync(join(tmpdir(), 'rsl-wrap-'));
const real = await resolveServerBinary({ env: process.env.REDIS_SERVER, pathEnv: process.env.PATH });
const sq = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** Every supervisor a test made, and the node dirs: nothing may outlive a test, even a failing one. */
const made: Array<{ sup: Supervisor; dir: string }> = [];
afterEach(async () => {
  for (const { sup, dir } of made.splice(0)) {
    await sup.killAll();
    for (const pid of processesInside(dir)) forceKill(pid);
  }
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function script(name: string, lines: string[]): string {
  const path = join(tmp, name);
  writeFileSync(path, ['#!/bin/sh', ...lines, ''].join('\n'));
  chmodSync(path, 0o755);
  return path;
}

/** The shell stays redis-server's parent (no exec); the trailing `exit` keeps shells from exec'ing the last command. */
const noExec = script('no-exec', [
  `if [ "$1" = --version ]; then exec ${sq(real.path)} "$@"; fi`,
  `${sq(real.path)} "$@"`,
  'exit $?',
]);

/** Ignores SIGTERM itself, runs redis-server in the background and never exits on its own. */
const trapTerm = script('trap-term', [
  `if [ "$1" = --version ]; then exec ${sq(real.path)} "$@"; fi`,
  'trap "echo wrapper: SIGTERM ignored" TERM',
  `${sq(real.path)} "$@" &`,
  'while :; do wait; sleep 0.2; done',
]);

/** Never listens: a shell waiting on a sleep that holds the output pipe. */
const neverListens = script('never-listens', [
  `if [ "$1" = --version ]; then exec ${sq(real.path)} "$@"; fi`,
  'sleep 600',
  'exit 0',
]);

let nextPort = 0;
async function node(binary: string, opts: { readyTimeoutMs?: number } = {}) {
  if (nextPort === 0) nextPort = await freeBase();
  const port = nextPort++;
  const dir = mkdtempSync(join(tmp, 'node-'));
  const conf = join(dir, 'redis.conf');
  writeFileSync(
    conf,
    `port ${port}\nbind 127.0.0.1\nrequirepass redis\nsave ""\nappendonly no\ndir "${dir}"\nlogfile ""\n`,
    { mode: 0o600 },
  );
  const emitter = new LabEmitter();
  const exits: NodeExit[] = [];
  emitter.on('node-exited', (e) => exits.push(e));
  const sup = new Supervisor({ binary, emitter, readyTimeoutMs: opts.readyTimeoutMs });
  made.push({ sup, dir });
  sup.add({
    id: 'redis-1',
    kind: 'redis',
    confPath: conf,
    dir,
    logPath: join(dir, 'log.txt'),
    host: '127.0.0.1',
    port,
    password: 'redis',
  });
  return { sup, dir, port, conf, exits };
}

/** The processes of a node: the wrapper and whatever it started (all run with the node dir as their cwd). */
const inside = (dir: string) => processesInside(dir).sort();

async function timed<T>(p: Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  const value = await p;
  return { value, ms: Date.now() - t0 };
}

describe('a wrapper that does not exec redis-server', () => {
  it('starts (PING answered through the grandchild), then kill ends the whole group at once', async () => {
    const { sup, dir, port, exits } = await node(noExec);
    await sup.start('redis-1');
    const wrapper = sup.pid('redis-1');
    const procs = inside(dir);
    assert.equal(procs.length, 2, `the shell and redis-server: ${procs.join(', ')}`);
    assert.ok(wrapper !== undefined && procs.includes(wrapper));
    const { ms } = await timed(sup.kill('redis-1'));
    assert.ok(ms < DRAIN_MS + 1000, `kill returned after ${ms} ms`);
    assert.equal(sup.state('redis-1'), 'exited');
    assert.deepEqual(
      procs.filter((p) => isAlive(p)),
      [],
      'neither the shell nor its redis-server survives',
    );
    assert.ok(await canBind('127.0.0.1', port), 'the port is free');
    assert.equal(exits.at(-1)?.signal, 'SIGKILL');
  });

  it('graceful stop: SIGTERM reaches redis-server, which finishes SHUTDOWN; the stop returns promptly', async () => {
    const { sup, dir, port } = await node(noExec);
    await sup.start('redis-1');
    const procs = inside(dir);
    const { ms } = await timed(sup.stop('redis-1', 5000));
    assert.ok(ms < 3000, `stop returned after ${ms} ms`);
    assert.equal(sup.state('redis-1'), 'stopped');
    assert.deepEqual(
      procs.filter((p) => isAlive(p)),
      [],
    );
    assert.ok(await canBind('127.0.0.1', port));
    const log = readFileSync(join(dir, 'log.txt'), 'utf8');
    assert.match(log, /Received SIGTERM scheduling shutdown/);
    assert.match(log, /Redis is now ready to exit, bye bye/, 'redis-server finished its SHUTDOWN');
  });

  it('freeze stops the whole group (redis-server too), thaw resumes it', async () => {
    const { sup, dir, port } = await node(noExec);
    await sup.start('redis-1');
    const procs = inside(dir);
    sup.freeze('redis-1');
    const state = (p: number) => readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.[0];
    await eventually(() => procs.every((p) => state(p) === 'T'), { timeoutMs: 2000, what: 'every process stopped' });
    assert.equal(await pingOnce({ host: '127.0.0.1', port, password: 'redis', timeoutMs: 300 }), 'down');
    sup.thaw('redis-1');
    await eventually(async () => (await pingOnce({ host: '127.0.0.1', port, password: 'redis' })) === 'ready', {
      timeoutMs: 2000,
      what: 'PONG after thaw',
    });
  });
});

describe('a wrapper that traps SIGTERM and never exits', () => {
  it('stop escalates to SIGKILL of the group at the grace deadline', async () => {
    const { sup, dir, port, exits } = await node(trapTerm);
    await sup.start('redis-1');
    const procs = inside(dir);
    const graceMs = 1000;
    const { ms } = await timed(sup.stop('redis-1', graceMs));
    assert.ok(ms >= graceMs - 50, `waited for the grace period (${ms} ms)`);
    assert.ok(ms < graceMs + DRAIN_MS + 1000, `stop returned after ${ms} ms`);
    assert.equal(exits.at(-1)?.signal, 'SIGKILL');
    assert.deepEqual(inside(dir), [], 'nothing left in the node dir');
    assert.deepEqual(
      procs.filter((p) => isAlive(p)),
      [],
    );
    assert.ok(await canBind('127.0.0.1', port));
  });

  it('killAll (the lab’s shutdown) is immediate', async () => {
    const { sup, dir } = await node(trapTerm);
    await sup.start('redis-1');
    const { ms } = await timed(sup.killAll());
    assert.ok(ms < DRAIN_MS + 1000, `killAll returned after ${ms} ms`);
    assert.deepEqual(inside(dir), []);
  });
});

describe('readiness deadline', () => {
  it('a wrapper whose child never listens: "did not answer PING" at the deadline, its child killed', async () => {
    const { sup, dir } = await node(neverListens, { readyTimeoutMs: 1500 });
    const t0 = Date.now();
    await assert.rejects(sup.start('redis-1'), (e: unknown) => {
      assert.ok(e instanceof ProcessError);
      assert.match(e.message, /redis-1 did not answer PING within 1500 ms/);
      return true;
    });
    const ms = Date.now() - t0;
    assert.ok(ms >= 1500 && ms < 1500 + DRAIN_MS + 1000, `gave up after ${ms} ms`);
    assert.deepEqual(inside(dir), [], 'the sleep holding the pipe is gone too');
  });
});

describe('the --version probe', () => {
  it('a --version that hangs (TERM ignored, a child holding the pipe): killed at the deadline, no orphan', async () => {
    const pidFile = join(tmp, 'hang.pid');
    const hang = script('hang-version', ["trap '' TERM", `sleep 600 & echo $! > ${sq(pidFile)}`, 'wait', 'exit 0']);
    const t0 = Date.now();
    await assert.rejects(resolveServerBinary({ flag: hang, versionTimeoutMs: 1000 }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /`.*hang-version --version` did not finish within 1 s; it was stopped\./);
      return true;
    });
    const ms = Date.now() - t0;
    assert.ok(ms < 1000 + 1500, `gave up after ${ms} ms`);
    const child = Number(readFileSync(pidFile, 'utf8'));
    await eventually(() => !isAlive(child), { timeoutMs: 2000, what: `the hung child ${child} gone` });
  });

  it('a --version that answers but leaves a child holding its output: accepted at the deadline, child killed', async () => {
    const pidFile = join(tmp, 'linger.pid');
    const linger = script('linger-version', [
      'echo "Redis server v=7.0.15 sha=00000000:0 malloc=libc bits=64 build=0"',
      `sleep 600 & echo $! > ${sq(pidFile)}`,
      'exit 0',
    ]);
    const { value, ms } = await timed(resolveServerBinary({ flag: linger, versionTimeoutMs: 1000 }));
    assert.equal(value.version, '7.0.15');
    assert.ok(ms < 1000 + 1500, `took ${ms} ms`);
    const child = Number(readFileSync(pidFile, 'utf8'));
    await eventually(() => !isAlive(child), { timeoutMs: 2000, what: `the lingering child ${child} gone` });
  });

  it('REDIS_SERVER and --redis-server given as a bare name are looked up on PATH', async () => {
    const bin = join(tmp, 'bin');
    mkdirSync(bin);
    const fake = join(bin, 'my-redis');
    writeFileSync(fake, '#!/bin/sh\necho "Redis server v=7.2.4 sha=0"\n');
    chmodSync(fake, 0o755);
    for (const input of [{ env: 'my-redis' }, { flag: 'my-redis' }]) {
      const b = await resolveServerBinary({ ...input, pathEnv: `${join(tmp, 'nowhere')}:${bin}` });
      assert.equal(b.path, fake);
      assert.equal(b.version, '7.2.4');
    }
    await assert.rejects(resolveServerBinary({ env: 'no-such-redis', pathEnv: bin }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /REDIS_SERVER is "no-such-redis", and no executable of that name is on PATH/);
      return true;
    });
  });
});

describe('listeners do not pile up across restarts', () => {
  it('the node log stream keeps one error listener through 15 restarts, kills and stops; no warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const { sup } = await node(real.path);
      await sup.start('redis-1');
      const before = sup.logListenerCounts('redis-1');
      assert.equal(before.error, 1);
      for (let i = 0; i < 15; i++) {
        if (i % 3 === 0) await sup.restart('redis-1');
        else if (i % 3 === 1) {
          await sup.kill('redis-1');
          await sup.start('redis-1');
        } else {
          await sup.stop('redis-1');
          await sup.start('redis-1');
        }
        assert.deepEqual(sup.logListenerCounts('redis-1'), before, `after round ${i + 1}`);
      }
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(
        warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message),
        [],
      );
    } finally {
      process.off('warning', onWarning);
    }
  });
});
