// Discovery against a Sentinel that only knows Valkey's PRIMARY spellings (PRIMARIES, GET-PRIMARY-ADDR-BY-NAME; the
// old names are gone): a small RESP server answers with the replies recorded from Redis 7.0.15 under the new names.
import assert from 'node:assert/strict';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { collectSnapshot } from '../../../src/deployments/remote/collect.js';
import { RequestParser } from '../../../src/deployments/remote/resp-request.js';
import { factsFrom } from '../../../src/diagnosis/facts.js';
import { snapshot } from '../../diagnosis/fixtures.js';

function resp(v: unknown): string {
  if (v === null || v === undefined) return '*-1\r\n';
  if (Array.isArray(v)) return `*${v.length}\r\n${v.map(resp).join('')}`;
  if (typeof v === 'number') return `:${v}\r\n`;
  const s = String(v);
  return `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
}

describe('discovery with PRIMARY spellings only', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  const asked: string[] = [];
  const rec = snapshot('redis-7.0.15-healthy').sentinels[0];

  before(async () => {
    assert.ok(rec?.masters?.ok && rec.infoServer?.ok && rec.infoSentinel?.ok);
    const value = (r: { ok: boolean; value?: unknown } | undefined) => (r?.ok ? r.value : undefined);
    // The recorded master's address is replaced by this server's own: the test must reach no real process.
    const self = () => String((server.address() as AddressInfo).port);
    const masters = () =>
      (value(rec.masters) as string[][]).map((m) => m.map((x, i) => (m[i - 1] === 'port' ? self() : x)));
    server = createServer((sock) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
      sock.on('error', () => {});
      const parser = new RequestParser();
      sock.on('data', (chunk: Buffer) => {
        for (const { argv } of parser.push(chunk)) {
          const [cmd = '', sub = '', ...rest] = argv.map((a, i) => (i < 2 ? a.toUpperCase() : a));
          asked.push([cmd, sub].join(' ').trim());
          const reply = (() => {
            if (cmd === 'PING') return '+PONG\r\n';
            if (cmd === 'CLIENT') return '+OK\r\n';
            if (cmd === 'INFO') return resp(value(sub === 'SERVER' ? rec.infoServer : rec.infoSentinel));
            if (cmd !== 'SENTINEL') return `-ERR unknown command '${cmd}'\r\n`;
            if (sub === 'MYID') return resp(value(rec.myId));
            if (sub === 'PRIMARIES') return resp(masters());
            if (sub === 'GET-PRIMARY-ADDR-BY-NAME' && rest[0] === 'mymaster') return resp(['127.0.0.1', self()]);
            if (sub === 'REPLICAS' || sub === 'SENTINELS') return '*0\r\n';
            if (sub === 'CKQUORUM')
              return '+OK 1 usable Sentinels. Quorum and failover authorization can be reached\r\n';
            return `-ERR unknown subcommand '${argv[1]}'. Try SENTINEL HELP.\r\n`;
          })();
          sock.write(reply);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('asks the old names first, then the PRIMARY ones, and reads the master', async () => {
    const port = (server.address() as AddressInfo).port;
    const { snapshot: snap } = await collectSnapshot({
      seeds: [{ host: '127.0.0.1', port }],
      credentials: { data: {}, sentinel: {} },
      timeoutMs: 500,
    });
    assert.ok(asked.includes('SENTINEL MASTERS') && asked.includes('SENTINEL PRIMARIES'));
    assert.ok(
      asked.includes('SENTINEL GET-MASTER-ADDR-BY-NAME') && asked.includes('SENTINEL GET-PRIMARY-ADDR-BY-NAME'),
    );
    const f = factsFrom(snap);
    assert.deepEqual(
      f.masters.map((m) => m.name),
      ['mymaster'],
    );
    const named = f.sentinels[0]?.views.mymaster?.named;
    assert.deepEqual(named, { host: '127.0.0.1', port });
    assert.deepEqual(
      snap.nodes.map((n) => n.endpoint),
      [{ host: '127.0.0.1', port }],
      'the only data node asked is this server',
    );
    assert.equal(f.sentinels[0]?.views.mymaster?.master?.quorum, 2);
  });
});
