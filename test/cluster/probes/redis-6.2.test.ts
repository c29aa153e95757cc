// The probes on Redis 6.2, which takes one INFO section and one CONFIG GET parameter per call (several arrived in
// 7.0): a small RESP server answers as 6.2.9 does (its refusals from src/server.c and src/config.c at that tag, its
// INFO texts from test/fixtures/remote/redis-6.2.9-healthy.json) and the probe still sees the node.
import assert from 'node:assert/strict';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RedisObservation } from '../../../src/cluster/observe/types.js';
import { RedisProbe } from '../../../src/cluster/probes/redis-probe.js';
import { RequestParser } from '../../../src/deployments/remote/resp-request.js';
import { snapshot } from '../../diagnosis/fixtures.js';
import { eventually } from '../../helpers/wait.js';

const bulk = (s: string) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;

describe('RedisProbe on Redis 6.2', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  const seen: string[] = [];
  const raw = snapshot('redis-6.2.9-healthy');
  const replica = raw.nodes.find(
    (n) => n.infoReplication?.ok && String(n.infoReplication.value).includes('role:slave'),
  );
  const text = (r: unknown) => String((r as { value: unknown }).value);

  before(async () => {
    assert.ok(replica?.infoServer && replica.infoReplication);
    const info: Record<string, string> = {
      server: text(replica.infoServer),
      replication: text(replica.infoReplication),
    };
    server = createServer((sock) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
      sock.on('error', () => {});
      const parser = new RequestParser();
      sock.on('data', (chunk: Buffer) => {
        for (const { argv } of parser.push(chunk)) {
          const [cmd = '', ...args] = argv;
          seen.push(argv.join(' ').toLowerCase());
          const c = cmd.toUpperCase();
          if (c === 'HELLO') sock.write('-NOPROTO unsupported protocol version\r\n');
          else if (c === 'CLIENT') sock.write('+OK\r\n');
          else if (c === 'INFO') {
            const section = args[0];
            if (args.length > 1) sock.write('-ERR syntax error\r\n');
            else sock.write(bulk(section ? (info[section] ?? '') : `${info.server}\r\n${info.replication}`));
          } else if (c === 'CONFIG' && args[0]?.toUpperCase() === 'GET') {
            if (args.length !== 2) {
              sock.write("-ERR Unknown subcommand or wrong number of arguments for 'get'. Try CONFIG HELP.\r\n");
            } else {
              const v = { 'min-replicas-to-write': '1', 'min-replicas-max-lag': '10', masterauth: 'x' }[args[1] ?? ''];
              sock.write(v === undefined ? '*0\r\n' : `*2\r\n${bulk(args[1] ?? '')}${bulk(v)}`);
            }
          } else if (c === 'DBSIZE') sock.write(':0\r\n');
          else sock.write(`-ERR unknown command '${cmd}'\r\n`);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('falls back to one section and one parameter per call, and sees the replica', async () => {
    const observations: RedisObservation[] = [];
    const probe = new RedisProbe({
      id: 'redis-2',
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      intervalMs: 100,
      resolve: () => undefined,
      onObservation: (o) => observations.push(o),
    });
    probe.start();
    try {
      const o = await eventually(() => observations.find((x) => x.reachable), { timeoutMs: 3000, what: 'an answer' });
      assert.equal(o.replication?.role, 'replica');
      assert.equal(o.replication?.masterLinkStatus, 'up');
      assert.equal(o.minReplicasToWrite, 1);
      assert.equal(o.hasMasterauth, true);
      assert.match(o.runId ?? '', /^[0-9a-f]{40}$/);
      assert.ok(seen.includes('info server replication'), 'asked the 7.0 way first');
      assert.ok(seen.includes('info replication') && seen.includes('config get masterauth'), 'then one by one');
    } finally {
      await probe.stop();
    }
  });
});
