// An outage's start stays put: while a node does not answer, every observation the loop emits carries the time of the
// first failed round, however the error text changes meanwhile ("not connected (reconnecting)", then "connect
// ECONNREFUSED …", then a timeout). Attached, the screen shows that time as "✗ no answer since HH:MM:SS"
// (ui/lib/observed.ts); it must not move forward with each new text. A plain TCP server keeps the ioredis client
// ready; the test's query decides what each round answers.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProbeLoop } from '../../../src/cluster/probes/probe-loop.js';

interface Obs {
  at: number;
  up: boolean;
  error?: string;
}

/** Enough of a server for the client to become ready: +OK to its HELLO (the test's query sends nothing). */
async function fakeServer(): Promise<{ port: number; close(): void }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.on('data', () => s.write('+OK\r\n'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return {
    port: address.port,
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

describe('ProbeLoop: when a node stopped answering', () => {
  it('keeps the first failed round as `at` while the error text changes, and starts anew after an answer', async () => {
    // What the next rounds answer: an error text to throw, or undefined for an answer.
    const script: Array<string | undefined> = [
      'not connected (reconnecting)',
      'connect ECONNREFUSED 127.0.0.1:1',
      'Command timed out',
      'LOADING Redis is loading the dataset in memory',
      undefined,
      'connect ECONNREFUSED 127.0.0.1:1',
      'Command timed out',
    ];
    const emitted: Obs[] = [];
    const server = await fakeServer();
    const port = server.port;
    const loop = new ProbeLoop<Obs>({
      clientOptions: {
        host: '127.0.0.1',
        port,
        lazyConnect: true,
        enableReadyCheck: false,
        maxRetriesPerRequest: 0,
        disableClientInfo: true,
      },
      intervalMs: 60_000,
      idleIntervalMs: 60_000,
      fastIntervalMs: 60_000,
      query: async (_client, at) => {
        const next = script.shift();
        if (next !== undefined) throw new Error(next);
        return { at, up: true };
      },
      unreachable: (error, at) => ({ at, up: false, error }),
      key: ({ at: _at, ...rest }) => JSON.stringify(rest),
      onObservation: (o) => emitted.push(o),
    });
    loop.start();
    try {
      // The first round runs by itself once the client is ready; then one round per pollNow.
      const deadline = Date.now() + 5000;
      while (emitted.length === 0 && Date.now() < deadline) await sleep(10);
      const rounds: Obs[] = [];
      while (script.length > 0) {
        await sleep(30); // rounds apart in time, so a moved start would show
        const o = await loop.pollNow();
        assert.ok(o);
        rounds.push(o);
      }
      const [first] = emitted;
      assert.ok(first && !first.up, JSON.stringify(emitted));
      const outage = emitted.filter((o) => !o.up && o.at === first.at);
      assert.ok(
        emitted.slice(0, 4).every((o) => !o.up && o.at === first.at),
        `one outage, one start: ${JSON.stringify(emitted.slice(0, 4))}`,
      );
      assert.ok(new Set(emitted.slice(0, 4).map((o) => o.error)).size >= 2, 'the text did change meanwhile');
      assert.ok(outage.length >= 2);
      const back = emitted.find((o) => o.up);
      assert.ok(back, 'it answered');
      const again = emitted.filter((o) => !o.up && o.at > back.at);
      assert.ok(again.length >= 2, JSON.stringify(emitted));
      assert.ok(
        again.every((o) => o.at === again[0]?.at),
        `the next outage has a start of its own: ${JSON.stringify(again)}`,
      );
      assert.ok((again[0]?.at ?? 0) >= back.at);
    } finally {
      await loop.stop();
      server.close();
    }
  });
});
