import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LabEmitter, type NodeExit } from '../../../src/cluster/events.js';
import { isAlive } from '../../../src/cluster/process/proc.js';
import { pingOnce } from '../../../src/cluster/process/readiness.js';
import { Supervisor } from '../../../src/cluster/process/supervisor.js';
import { ProcessError } from '../../../src/errors.js';
import { eventually, freeBase } from '../../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'rsl-sup-'));
const emitter = new LabEmitter();
const sup = new Supervisor({ binary: 'redis-server', emitter });
const exits: NodeExit[] = [];
emitter.on('node-exited', (e) => exits.push(e));
let port = 0;

function procState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.split(') ')[1]?.[0] ?? '?';
  } catch {
    return 'gone';
  }
}

before(async () => {
  port = await freeBase();
  const conf = join(dir, 'redis.conf');
  writeFileSync(
    conf,
    `port ${port}\nbind 127.0.0.1\nrequirepass redis\nsave ""\nappendonly no\ndir "${dir}"\nlogfile ""\n`,
  );
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
  const bad = join(dir, 'bad.conf');
  writeFileSync(bad, `port ${port + 1}\nbind 127.0.0.1\nno-such-directive yes\n`);
  sup.add({
    id: 'redis-bad',
    kind: 'redis',
    confPath: bad,
    dir,
    logPath: join(dir, 'bad.txt'),
    host: '127.0.0.1',
    port: port + 1,
  });
});

after(async () => {
  await sup.killAll();
  rmSync(dir, { recursive: true, force: true });
});

const ping = () => pingOnce({ host: '127.0.0.1', port, password: 'redis', timeoutMs: 300 });

describe('supervisor against a real redis-server', () => {
  it('starts and waits for readiness (PING answered)', async () => {
    await sup.start('redis-1');
    assert.equal(sup.state('redis-1'), 'running');
    assert.equal(await ping(), 'ready');
    assert.ok(sup.logTail('redis-1', 50).some((l) => /Ready to accept connections/.test(l)));
  });

  it('freeze stops answering without dying; thaw resumes', async () => {
    const pid = sup.pid('redis-1')!;
    sup.freeze('redis-1');
    assert.equal(sup.state('redis-1'), 'frozen');
    await eventually(() => procState(pid) === 'T', { timeoutMs: 2000, what: 'process state T' });
    assert.equal(await ping(), 'down');
    sup.thaw('redis-1');
    assert.equal(await eventually(async () => (await ping()) === 'ready', { timeoutMs: 2000 }), true);
  });

  it('kill of a frozen process works (SIGCONT before SIGKILL) and the exit is reported', async () => {
    const pid = sup.pid('redis-1')!;
    sup.freeze('redis-1');
    await sup.kill('redis-1');
    assert.equal(sup.state('redis-1'), 'exited');
    assert.equal(isAlive(pid), false);
    assert.equal(exits.at(-1)?.signal, 'SIGKILL');
    assert.equal(exits.at(-1)?.expected, true);
  });

  it('restart uses the same config and logs survive restarts', async () => {
    await sup.restart('redis-1');
    assert.equal(await ping(), 'ready');
    const tail = sup.logTail('redis-1', 200).filter((l) => /Ready to accept connections/.test(l));
    assert.ok(tail.length >= 2, 'log keeps both starts');
  });

  it('graceful stop runs SHUTDOWN (exit code 0) and frees the port', async () => {
    await sup.stop('redis-1');
    assert.equal(sup.state('redis-1'), 'stopped');
    assert.equal(exits.at(-1)?.code, 0);
    assert.equal(await ping(), 'down');
  });

  it('a node that dies during startup is reported with its log tail', async () => {
    await assert.rejects(sup.start('redis-bad'), (e: unknown) => {
      assert.ok(e instanceof ProcessError);
      assert.match(e.message, /exited during startup/);
      assert.ok(
        e.logTail.some((l) => /no-such-directive|Bad directive/i.test(l)),
        e.logTail.join('\n'),
      );
      return true;
    });
  });

  it('runs children in their own session (Ctrl+Z to the lab does not stop them)', async () => {
    await sup.start('redis-1');
    const pid = sup.pid('redis-1')!;
    const pgrpOf = (p: number | 'self') =>
      Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]);
    assert.notEqual(pgrpOf(pid), pgrpOf('self'));
  });
});
