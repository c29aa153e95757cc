// The subscriber's promise to the engine: onSubscribing before the PSUBSCRIBE leaves, onSubscribed before the first
// message it brings. Against a real Sentinel the confirmation and an event can arrive in one TCP read (seen in CI:
// a Sentinel's `+slave` landed before what it had logged earlier); ioredis then emits the message before the
// command's promise settles. A peer that always answers that way makes the race certain. It speaks RESP3 as Redis
// 7 does after ioredis's HELLO 3: pub/sub replies are push frames. The peer also answers late, to show that a slow
// Sentinel is neither asked again while it owes a reply nor left unconfirmed when its reply beat the client's timeout
// only on the Sentinel's side.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { SentinelSubscriber, type SentinelSubscriberOptions } from '../../../src/cluster/probes/sentinel-subscriber.js';
import { eventually } from '../../helpers/wait.js';

const bulk = (s: string) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
const CONFIRM_AND_EVENT = `>3\r\n${bulk('psubscribe')}${bulk('*')}:1\r\n>4\r\n${bulk('pmessage')}${bulk('*')}${bulk('+slave')}${bulk('slave 127.0.2.2:6380 127.0.2.2 6380 @ mymaster 127.0.2.1 6379')}`;

const CONFIRM = `>3\r\n${bulk('psubscribe')}${bulk('*')}:1\r\n`;
const EVENT = `>4\r\n${bulk('pmessage')}${bulk('*')}${bulk('+slave')}${bulk('slave 127.0.2.3:6381 127.0.2.3 6381 @ mymaster 127.0.2.1 6379')}`;

/** How the peer answers a PING (by default at once). */
let pingAnswer: (socket: Socket) => void = (socket) => socket.write('+OK\r\n');

/** How the peer answers the n-th PSUBSCRIBE (0-based) of a connection; every other command gets +OK. */
type Answer = (socket: Socket, n: number) => void;
let answer: Answer = (socket) => socket.write(CONFIRM_AND_EVENT);

let server: Server;
let port = 0;
before(async () => {
  server = createServer((socket) => {
    socket.on('error', () => {});
    let psubscribes = 0;
    socket.on('data', (d) => {
      for (const cmd of d.toString().split(/(?=\*\d+\r\n\$)/)) {
        if (!cmd) continue;
        if (/psubscribe/i.test(cmd)) answer(socket, psubscribes++);
        else if (/ping/i.test(cmd)) pingAnswer(socket);
        else socket.write('+OK\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  port = typeof a === 'object' && a ? a.port : 0;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The peer's late answers, cancelled at the end of each test. */
const timers: NodeJS.Timeout[] = [];
const later = (ms: number, fn: () => void) => timers.push(setTimeout(fn, ms));

/** A subscriber on the peer that records, in order, what it tells the engine. */
function watch(o: Partial<SentinelSubscriberOptions>) {
  const order: string[] = [];
  const sub = new SentinelSubscriber({
    sentinelId: 'sentinel-1',
    host: '127.0.0.1',
    port,
    pingIntervalMs: 60_000,
    onSubscribing: () => order.push('subscribing'),
    onSubscribed: () => order.push('subscribed'),
    onMessage: (m) => order.push(`message ${m.channel}`),
    ...o,
  });
  /** Waits until `ok()` holds; a timeout names what was recorded. */
  const until = (ok: () => boolean, timeoutMs: number) =>
    eventually(() => ok() || Promise.reject(new Error(`saw ${order.join(', ')}`)), { timeoutMs, intervalMs: 10 });
  sub.start();
  return { sub, order, until };
}

describe('SentinelSubscriber ordering', () => {
  let sub: SentinelSubscriber | undefined;
  afterEach(async () => {
    pingAnswer = (socket) => socket.write('+OK\r\n');
    for (const t of timers.splice(0)) clearTimeout(t);
    await sub?.stop();
    sub = undefined;
  });

  it('says subscribed before the first message, even when both arrive in one read', async () => {
    answer = (socket) => socket.write(CONFIRM_AND_EVENT);
    const w = watch({});
    sub = w.sub;
    await w.until(() => w.order.includes('message +slave'), 5000);
    // The promise's own settling comes after: it must not announce the subscription twice.
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(w.order, ['subscribing', 'subscribed', 'message +slave']);
    assert.equal(w.sub.subscriptions, 1);
    assert.equal(w.sub.subscribed, true);
  });

  it('sends no second PSUBSCRIBE while one awaits its reply, and confirms at that reply', async () => {
    // The reply comes after three PING periods: a retry meanwhile could only be answered after it.
    answer = (socket) => later(300, () => socket.write(CONFIRM));
    const w = watch({ pingIntervalMs: 100, timeouts: { commandTimeoutMs: 2000 } });
    sub = w.sub;
    await w.until(() => w.sub.subscribed, 2000);
    await new Promise((r) => setTimeout(r, 250)); // two more PING periods: still nothing to retry
    assert.deepEqual(w.order, ['subscribing', 'subscribed']);
    assert.equal(w.sub.subscriptions, 1);
  });

  it('takes a message as the confirmation when the PSUBSCRIBE reply came after its timeout', async () => {
    // The client gave up on the reply (its promise rejected), yet the Sentinel subscribed: its event proves it.
    answer = (socket, n) => {
      if (n === 0) later(400, () => socket.write(CONFIRM_AND_EVENT));
    };
    const w = watch({ timeouts: { commandTimeoutMs: 200 } });
    sub = w.sub;
    await w.until(() => w.order.includes('message +slave'), 3000);
    assert.deepEqual(w.order, ['subscribing', 'subscribed', 'message +slave']);
    assert.equal(w.sub.subscribed, true);
    assert.equal(w.sub.state.error, undefined);
  });

  it('marks the round trip settled once a PING after the confirmation is answered, after what came before it', async () => {
    // The Sentinel published an event between confirming and reading the marker: it comes before the marker's reply.
    answer = (socket) => socket.write(CONFIRM);
    let marked = false;
    pingAnswer = (socket) => {
      if (!marked) socket.write(EVENT);
      marked = true;
      socket.write('+PONG\r\n');
    };
    const w: ReturnType<typeof watch> = watch({
      onMarker: () => {
        w.order.push(`marker (settled ${w.sub.settled})`);
      },
    });
    sub = w.sub;
    await w.until(() => w.order.some((o) => o.startsWith('marker')), 3000);
    assert.deepEqual(w.order, ['subscribing', 'subscribed', 'message +slave', 'marker (settled true)']);
    assert.equal(w.sub.settled, true);
  });
});
