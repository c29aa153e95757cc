// The bench's measuring sticks for the fabric, started as the bench starts them: scripts/bench/ceiling-proxy.mjs
// and scripts/bench/native-forwarder.c (built with `cc` into a temporary directory). With two threads each forwards
// bytes both ways on every connection (the kernel spreads them over the threads), and each exits once its stdin
// closes, so a bench that ends or dies leaves no forwarder behind.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  buildNativeForwarder,
  type Proc,
  startCeilingProxy,
  startNativeForwarder,
} from '../../scripts/bench/fabric-vs-haproxy.js';

// An upper-casing echo server: the reply proves the bytes went through the target, not straight back.
const target = createServer((s) => s.on('data', (d) => s.write(d.toString().toUpperCase())));
let targetPort = 0;
before(async () => {
  target.listen(0, '127.0.0.1');
  await once(target, 'listening');
  targetPort = (target.address() as AddressInfo).port;
});
after(() => target.close());

function roundTrip(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s: Socket = connect({ host: '127.0.0.1', port });
    let got = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no full reply within 5 s (got ${got.length} of ${text.length} bytes)`));
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

/** Forwards eight connections (one of them larger than a read buffer), then checks the exit on stdin's end. */
async function forwardsThenExitsOnStdinEnd(
  proxy: Proc & { port: number },
  largest: number,
  knownAbort?: RegExp,
): Promise<void> {
  const exited = once(proxy.child, 'exit');
  let stderr = '';
  proxy.child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  try {
    // Several connections, so both threads are likely to carry some; each must come back whole.
    const texts = Array.from({ length: 8 }, (_, i) => `hello ${i} ${'x'.repeat((i * largest) / 7)}`);
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
    assert.fail('the forwarder was still running 5 s after its stdin closed');
  }
  const [code, signal] = first as [number | null, NodeJS.Signals | null];
  if (knownAbort && signal === 'SIGABRT' && knownAbort.test(stderr)) return;
  assert.equal(code, 0, `exit ${code} ${signal}: ${stderr.slice(-300)}`);
}

describe('scripts/bench/ceiling-proxy.mjs', () => {
  it('forwards both ways with two threads and exits when its stdin closes', async () => {
    const proxy = await startCeilingProxy({ ip: '127.0.0.1', port: targetPort }, 2, '127.0.0.1');
    // Node's internal StreamPipe (Node 22) now and then aborts the process while a thread is torn down at exit
    // ("pure virtual method called", SIGABRT): 6 of 20 exits right after the last connection closed on a loaded
    // 2-core machine, none of 10 when the exit came 300 ms later.
    // Waiting for the connections to close, then collecting garbage in each thread, before exiting did not stop it.
    // The process still goes when its stdin closes, which is what the bench needs; any other ending fails here.
    await forwardsThenExitsOnStdinEnd(proxy, 7000, /pure virtual method called/);
  });
});

function hasCc(): boolean {
  try {
    execFileSync('cc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// It uses epoll, so the bench builds it on Linux only.
const nativeSkip = process.platform !== 'linux' ? 'Linux only' : hasCc() ? false : 'no C compiler (cc) on PATH';

describe('scripts/bench/native-forwarder.c', { skip: nativeSkip }, () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rsl-test-native-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('builds, forwards both ways with two threads (past a full socket buffer) and exits when its stdin closes', async () => {
    const built = await buildNativeForwarder(dir);
    assert.ok('path' in built, `not built: ${'why' in built ? built.why : ''}`);
    const proxy = await startNativeForwarder(built.path, { ip: '127.0.0.1', port: targetPort }, 2, '127.0.0.1');
    // Two event-loop threads besides the main one, which only waits on stdin.
    assert.equal(readdirSync(`/proc/${proxy.child.pid}/task`).length, 3);
    // 4 MB on the largest connection: more than a loopback socket takes at once, so sends come back short and
    // the forwarder must hold the rest and wait until the other side can take it.
    await forwardsThenExitsOnStdinEnd(proxy, 4 * 1024 * 1024);
  });

  it('reports a missing compiler as a reason, not a failure', async () => {
    const saved = process.env.PATH;
    process.env.PATH = dir; // an empty directory: no cc
    try {
      assert.deepEqual(await buildNativeForwarder(dir), { why: 'no C compiler (cc) on PATH' });
    } finally {
      process.env.PATH = saved;
    }
  });
});
