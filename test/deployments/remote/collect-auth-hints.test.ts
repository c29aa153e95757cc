// Why no Sentinel answered, in the words of what was given (src/deployments/remote/collect.ts noSentinelHint): a seed
// that wants a password may be a data node, not a Sentinel, and a refused password typed at the prompt is not blamed
// on the --sentinel-password-env variable. A small RESP server stands in for a node with requirepass.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { collectSnapshot } from '../../../src/deployments/remote/collect.js';
import { RequestParser } from '../../../src/deployments/remote/resp-request.js';
import { UserError } from '../../../src/errors.js';

/** Listens on the first free port of 27000-27999 (the range these tests may use). */
async function listen(server: Server): Promise<number> {
  for (let port = 27000 + (process.pid % 900); port < 28000; port++) {
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) return port;
  }
  throw new Error('no free port in 27000-27999');
}

describe('no Sentinel answered: the hint', () => {
  let server: Server;
  let port = 0;
  const sockets = new Set<Socket>();

  before(async () => {
    // requirepass "right": NOAUTH before AUTH, WRONGPASS for any other password.
    server = createServer((sock) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
      sock.on('error', () => {});
      const parser = new RequestParser();
      let authed = false;
      sock.on('data', (chunk: Buffer) => {
        for (const { argv } of parser.push(chunk)) {
          const cmd = (argv[0] ?? '').toUpperCase();
          if (cmd === 'AUTH') {
            authed = argv.at(-1) === 'right';
            sock.write(authed ? '+OK\r\n' : '-WRONGPASS invalid username-password pair or user is disabled.\r\n');
          } else if (!authed) sock.write('-NOAUTH Authentication required.\r\n');
          else sock.write('+PONG\r\n');
        }
      });
    });
    port = await listen(server);
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function failure(opts: Partial<Parameters<typeof collectSnapshot>[0]>): Promise<UserError> {
    try {
      await collectSnapshot({
        seeds: [{ host: '127.0.0.1', port }],
        credentials: { data: {}, sentinel: {} },
        timeoutMs: 500,
        ...opts,
      });
    } catch (err) {
      assert.ok(err instanceof UserError, String(err));
      return err;
    }
    assert.fail('collectSnapshot resolved');
  }

  it('a seed that wants a password, given only the data nodes’ password: it may be a data node, not a Sentinel', async () => {
    const err = await failure({ credentials: { data: { password: 'right' }, sentinel: {} } });
    assert.match(err.message, /NOAUTH/);
    assert.match(err.hint ?? '', /If it is a data node, not a Sentinel \(--password-env is the data nodes' password\)/);
    assert.doesNotMatch(err.hint ?? '', /^The Sentinels want a password/);
  });

  it('a wrong Sentinel password typed at the prompt is said to be the typed one; from the variable, the variable', async () => {
    const typed = await failure({ ask: async () => 'wrong' });
    assert.match(typed.message, /WRONGPASS/);
    assert.match(typed.hint ?? '', /refused the password typed at the prompt/);
    assert.doesNotMatch(typed.hint ?? '', /--sentinel-password-env variable/);
    const fromEnv = await failure({ credentials: { data: {}, sentinel: { password: 'wrong' } } });
    assert.match(fromEnv.hint ?? '', /check the value of the --sentinel-password-env variable/);
  });
});
