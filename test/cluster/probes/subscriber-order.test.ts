// The subscriber's promise to the engine: onSubscribing before the PSUBSCRIBE leaves, onSubscribed before the first
// message it brings. Against a real Sentinel the confirmation and an event can arrive in one TCP read (seen in CI:
// a Sentinel's `+slave` landed before what it had logged earlier); ioredis then emits the message before the
// command's promise settles. A peer that always answers that way makes the race certain. It speaks RESP3 as Redis
// 7 does after ioredis's HELLO 3: pub/sub replies are push frames.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SentinelSubscriber } from '../../../src/cluster/probes/sentinel-subscriber.js';

const bulk = (s: string) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
const CONFIRM_AND_EVENT = `>3\r\n${bulk('psubscribe')}${bulk('*')}:1\r\n>4\r\n${bulk('pmessage')}${bulk('*')}${bulk('+slave')}${bulk('slave 127.0.2.2:6380 127.0.2.2 6380 @ mymaster 127.0.2.1 6379')}`;

let server: Server;
let port = 0;
before(async () => {
  server = createServer((socket) => {
    socket.on('error', () => {});
    socket.on('data', (d) => {
      // One reply per command of the chunk: +OK, except PSUBSCRIBE's confirmation with an event right behind it.
      for (const cmd of d.toString().split(/(?=\*\d+\r\n\$)/)) {
        if (!cmd) continue;
        socket.write(/psubscribe/i.test(cmd) ? CONFIRM_AND_EVENT : '+OK\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  port = typeof a === 'object' && a ? a.port : 0;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('SentinelSubscriber ordering', () => {
  it('says subscribed before the first message, even when both arrive in one read', async () => {
    const order: string[] = [];
    let done: () => void = () => {};
    const seen = new Promise<void>((resolve) => {
      done = resolve;
    });
    const sub = new SentinelSubscriber({
      sentinelId: 'sentinel-1',
      host: '127.0.0.1',
      port,
      pingIntervalMs: 60_000,
      onSubscribing: () => order.push('subscribing'),
      onSubscribed: () => order.push('subscribed'),
      onMessage: (m) => {
        order.push(`message ${m.channel}`);
        done();
      },
    });
    sub.start();
    try {
      await Promise.race([
        seen,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`no message; saw ${order.join(', ')}`)), 5000)),
      ]);
      // The promise's own settling comes after: it must not announce the subscription twice.
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(order, ['subscribing', 'subscribed', 'message +slave']);
      assert.equal(sub.subscriptions, 1);
      assert.equal(sub.subscribed, true);
    } finally {
      await sub.stop();
    }
  });
});
