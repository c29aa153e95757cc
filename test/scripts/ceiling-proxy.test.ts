// scripts/bench/ceiling-proxy.mjs, the bench's measuring stick for the fabric: with two threads it forwards bytes
// both ways on every connection (the kernel spreads them over the threads), and it exits once its stdin closes, so
// a bench that ends or dies leaves no proxy behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../scripts/bench/ceiling-proxy.mjs', import.meta.url));

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
    const args = ['--expose-internals', '--no-warnings', SCRIPT, '127.0.0.1', '0', '127.0.0.1', String(targetPort)];
    const child = spawn(process.execPath, [...args, '2'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = once(child, 'exit');
    try {
      let out = '';
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ready line within 10 s: ${out}`)), 10_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /ready (\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
      });
      // Several connections, so both threads are likely to carry some; each must come back whole.
      const texts = Array.from({ length: 8 }, (_, i) => `hello ${i} ${'x'.repeat(i * 1000)}`);
      const replies = await Promise.all(texts.map((t) => roundTrip(port, t)));
      assert.deepEqual(
        replies,
        texts.map((t) => t.toUpperCase()),
      );
    } finally {
      child.stdin.end();
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), 5000);
    });
    const first = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (first === 'late') {
      child.kill('SIGKILL');
      await exited;
      assert.fail('the proxy was still running 5 s after its stdin closed');
    }
    assert.equal(first[0], 0);
  });
});
