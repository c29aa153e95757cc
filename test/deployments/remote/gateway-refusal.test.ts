// The gateway when the node refuses the real credentials (src/deployments/remote/gateway.ts): the lab's probe gets
// the node's own refusal (-WRONGPASS …) as the answer to what it asked, so the screen can say "refused" (the node
// answers, but not to us) rather than "no answer"; the password never appears. A small RESP server stands in for a
// data node with a requirepass the lab does not know.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Gateway } from '../../../src/deployments/remote/gateway.js';
import { encodeRequest, RequestParser } from '../../../src/deployments/remote/resp-request.js';

/** Listens on the first free port of 27000-27999 (the range these tests may use). */
async function listen(server: Server): Promise<number> {
  for (let port = 27100 + (process.pid % 800); port < 28000; port++) {
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) return port;
  }
  throw new Error('no free port in 27000-27999');
}

/** Writes raw requests on a fresh socket; resolves what came back once the gateway closed it (or after 2 s). */
function raw(port: number, requests: string[][]): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port });
    let text = '';
    const timer = setTimeout(() => {
      sock.destroy();
      resolve({ text, closed: false });
    }, 2000);
    sock.on('error', reject);
    sock.on('connect', () => sock.write(Buffer.concat(requests.map(encodeRequest))));
    sock.on('data', (d) => {
      text += d.toString('latin1');
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
  });
}

describe('gateway: the node refuses the credentials', () => {
  let upstream: Server;
  let gw: Gateway;
  const sockets = new Set<Socket>();
  const problems: string[] = [];
  const token = randomBytes(16).toString('hex');
  const password = `pw-${randomBytes(8).toString('hex')}`;

  before(async () => {
    upstream = createServer((sock) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
      sock.on('error', () => {});
      const parser = new RequestParser();
      sock.on('data', (chunk: Buffer) => {
        for (const { argv } of parser.push(chunk)) {
          const cmd = (argv[0] ?? '').toUpperCase();
          sock.write(
            cmd === 'AUTH'
              ? '-WRONGPASS invalid username-password pair or user is disabled.\r\n'
              : '-NOAUTH Authentication required.\r\n',
          );
        }
      });
    });
    const port = await listen(upstream);
    gw = await Gateway.open([{ id: 'redis-1', kind: 'redis', host: '127.0.0.1', port, credentials: { password } }], {
      token,
      onProblem: (id, text) => problems.push(`${id}: ${text}`),
    });
  });

  after(async () => {
    await gw?.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it('answers what the lab asked with the node’s refusal, then closes; the password is never shown', async () => {
    const r = await raw(gw.address('redis-1').port, [
      ['AUTH', token],
      ['INFO', 'replication'],
    ]);
    assert.equal(r.text, '+OK\r\n-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    assert.equal(r.closed, true);
    assert.match(problems.join('\n'), /^redis-1: AUTH refused: WRONGPASS/);
    assert.equal(`${r.text}${problems.join('\n')}`.includes(password), false);
  });
});
