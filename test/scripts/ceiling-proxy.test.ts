// scripts/bench/ceiling-proxy.mjs, the bench's measuring stick for the fabric, started as the bench starts it: with
// two threads it forwards bytes both ways on every connection (the kernel spreads them over the threads), and it
// exits once its stdin closes, so a bench that ends or dies leaves no proxy behind.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { startCeilingProxy } from '../../scripts/bench/fabric-vs-haproxy.js';

// An upper-casing echo server: the reply proves the bytes went through the target, not straight back.
const target = createServer((s) => s.on('data', (d) => s.write(d.toString().toUpperCase())));
after(() => target.close());

function roundTrip(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s: Socket = connect({ host: '127.0.0.1', port });
    let got = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no full reply within 5 s (got ${JSON.stringify(got)})`));
    }, 5000);
    s.on('error', reject);
    s.on('connect', () => s.write(text));
    s.on('data', (d) => {
      got += d.toString();
      if (got.length >= text.length) {
        clearTimeout(timer);
        s.destroy();
        resolve(got);
      }
    });
  });
}

describe('scripts/bench/ceiling-proxy.mjs', () => {
  it('forwards both ways with two threads and exits when its stdin closes', async () => {
    target.listen(0, '127.0.0.1');
    await once(target, 'listening');
    const { port: targetPort } = target.address() as AddressInfo;
    const proxy = await startCeilingProxy({ ip: '127.0.0.1', port: targetPort }, 2, '127.0.0.1');
    const exited = once(proxy.child, 'exit');
    try {
      // Several connections, so both threads are likely to carry some; each must come back whole.
      const texts = Array.from({ length: 8 }, (_, i) => `hello ${i} ${'x'.repeat(i * 1000)}`);
      const replies = await Promise.all(texts.map((t) => roundTrip(proxy.port, t)));
      assert.deepEqual(
        replies,
        texts.map((t) => t.toUpperCase()),
      );
    } finally {
      // What a bench that dies without stopping it leaves: the pipe's end, nothing else.
      proxy.child.stdin?.end();
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), 5000);
    });
    const first = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (first === 'late') {
      await proxy.stop();
      assert.fail('the proxy was still running 5 s after its stdin closed');
    }
    assert.equal(first[0], 0);
  });
});
