// The read-only gateway and the command path against real redis-server processes the lab did not start: only this
// lab (the token) gets in, the real credentials are used upstream and never handed out, a refused command reaches
// nothing and leaves the node as it was.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { oneCommand, RefusedCommandError, RemoteConnection } from '../../../src/deployments/remote/connection.js';
import { Gateway } from '../../../src/deployments/remote/gateway.js';
import { encodeRequest } from '../../../src/deployments/remote/resp-request.js';
import { type ForeignDeployment, startForeignDeployment } from '../../helpers/foreign-deployment.js';
import { eventually } from '../../helpers/wait.js';

/** Writes raw requests on a fresh socket; resolves everything the server sent until it closed or went quiet. */
function raw(port: number, requests: string[][], quietMs = 300): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port });
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    const done = (closed: boolean) => {
      if (timer) clearTimeout(timer);
      sock.destroy();
      resolve({ text, closed });
    };
    const quiet = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => done(false), quietMs);
    };
    sock.on('error', reject);
    sock.on('connect', () => {
      sock.write(Buffer.concat(requests.map(encodeRequest)));
      quiet();
    });
    sock.on('data', (d) => {
      text += d.toString('latin1');
      quiet();
    });
    sock.on('close', () => done(true));
  });
}

describe('read-only gateway and command path (real Redis)', () => {
  let d: ForeignDeployment;
  let gw: Gateway;
  const token = randomBytes(16).toString('hex');
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const sentinelPassword = `spw-${randomBytes(8).toString('hex')}`;
  const refused: string[] = [];
  const problems: string[] = [];

  before(async () => {
    d = await startForeignDeployment({ replicas: 1, sentinels: 1, password, sentinelPassword, quorum: 1 });
    gw = await Gateway.open(
      [
        { id: 'redis-1', kind: 'redis', host: '127.0.0.1', port: d.master.port, credentials: { password } },
        {
          id: 'sentinel-1',
          kind: 'sentinel',
          host: '127.0.0.1',
          port: d.sentinels[0]?.port ?? 0,
          credentials: { password: sentinelPassword },
        },
        { id: 'wrong', kind: 'redis', host: '127.0.0.1', port: d.master.port, credentials: { password: 'not-it' } },
      ],
      {
        token,
        onRefused: (id, reason) => refused.push(`${id}: ${reason}`),
        onProblem: (id, text) => problems.push(`${id}: ${text}`),
      },
    );
  });

  after(async () => {
    await gw?.close();
    await d?.cleanup();
  });

  it('answers NOAUTH to anyone without the token and forwards nothing', async () => {
    const port = gw.address('redis-1').port;
    const r = await raw(port, [['PING'], ['AUTH', 'guess'], ['CONFIG', 'GET', 'masterauth']]);
    assert.equal(
      r.text,
      '-NOAUTH Authentication required.\r\n-WRONGPASS invalid username-password pair or user is disabled.\r\n-NOAUTH Authentication required.\r\n',
    );
  });

  it('with the token: reads pass, authenticated upstream with the real password', async () => {
    const port = gw.address('redis-1').port;
    const r = await raw(port, [['AUTH', token], ['PING'], ['ROLE'], ['CONFIG', 'GET', 'min-replicas-to-write']]);
    assert.match(r.text, /^\+OK\r\n\+PONG\r\n\*3\r\n\$6\r\nmaster\r\n/);
    assert.match(r.text, /\$21\r\nmin-replicas-to-write\r\n\$1\r\n1\r\n$/);
    assert.equal(r.closed, false);
  });

  it('a probe-like ioredis client (RESP3, HELLO 3 AUTH default <token>) works through it', async () => {
    const c = new Redis({
      ...gw.address('sentinel-1'),
      password: token,
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    c.on('error', () => {});
    try {
      await c.connect();
      const masters = (await c.call('SENTINEL', 'MASTERS')) as unknown[];
      assert.equal(masters.length, 1);
    } finally {
      c.disconnect();
    }
  });

  it('drops the connection at a refused command: neither it nor anything after it reaches the node', async () => {
    const before = await d.command(d.master, 'CONFIG', 'GET', 'min-replicas-to-write');
    const port = gw.address('redis-1').port;
    const r = await raw(port, [
      ['AUTH', token],
      ['CONFIG', 'SET', 'min-replicas-to-write', '7'],
      ['SET', 'planted', 'x'],
      ['PING'],
    ]);
    assert.equal(r.text, '+OK\r\n', 'nothing but our own +OK: no reply from the node');
    assert.equal(r.closed, true);
    assert.deepEqual(await d.command(d.master, 'CONFIG', 'GET', 'min-replicas-to-write'), before);
    assert.equal(await d.command(d.master, 'EXISTS', 'planted'), 0);
    assert.match(refused.at(-1) ?? '', /^redis-1: refused "CONFIG SET"/);
    for (const argv of [['SHUTDOWN'], ['DEBUG', 'SLEEP', '5'], ['REPLICAOF', 'NO', 'ONE'], ['CONFIG', 'GET', '*']]) {
      const again = await raw(port, [['AUTH', token], argv]);
      assert.deepEqual(again, { text: '+OK\r\n', closed: true }, argv.join(' '));
    }
    assert.equal(await d.command(d.master, 'PING'), 'PONG', 'the node never saw SHUTDOWN');
    const s = await raw(gw.address('sentinel-1').port, [
      ['AUTH', token],
      ['SENTINEL', 'SET', 'mymaster', 'quorum', '3'],
    ]);
    assert.deepEqual(s, { text: '+OK\r\n', closed: true });
    assert.equal((await d.sentinelFields(d.sentinels[0] ?? d.master, 'MASTER')).quorum, '1');
  });

  it('reports credentials the node refuses, without the password', async () => {
    const r = await raw(gw.address('wrong').port, [['AUTH', token], ['PING']]);
    assert.equal(r.closed, true);
    await eventually(() => problems.some((p) => /^wrong: AUTH refused: WRONGPASS/.test(p)), {
      timeoutMs: 2000,
      what: 'the AUTH problem',
    });
    assert.equal(problems.join('\n').includes('not-it'), false);
  });

  it('the command path refuses before connecting, and authenticates itself', async () => {
    const e = { host: '127.0.0.1', port: d.master.port };
    const clientsBefore = (await d.info(d.master, 'stats')).total_connections_received;
    await assert.rejects(
      oneCommand(e, 'redis', { password }, ['CONFIG', 'SET', 'appendonly', 'no']),
      RefusedCommandError,
    );
    assert.equal(
      Number((await d.info(d.master, 'stats')).total_connections_received),
      Number(clientsBefore) + 1,
      'only the INFO just now connected: the refused command opened no connection',
    );
    assert.equal(await oneCommand(e, 'redis', { password }, ['PING']), 'PONG');
    const conn = await RemoteConnection.open(e, 'redis', { password });
    try {
      await assert.rejects(conn.batch([['INFO'], ['FLUSHALL']]), RefusedCommandError);
      assert.deepEqual((await conn.batch([['ROLE']]))[0]?.ok, true);
    } finally {
      conn.close();
    }
    await assert.rejects(RemoteConnection.open(e, 'redis', { password: 'nope' }), /WRONGPASS/);
  });

  it('closes every listener and connection', async () => {
    await gw.close();
    assert.equal(gw.connections, 0);
    await assert.rejects(raw(gw.address('redis-1').port, [['PING']]), /ECONNREFUSED/);
  });
});
