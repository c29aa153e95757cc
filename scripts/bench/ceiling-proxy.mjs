// A measuring stick for the fabric, not part of the lab: the fastest TCP forwarding Node itself can do, to tell how
// much of the gap to haproxy any JavaScript data plane could close. Each connection is forwarded by Node's internal
// C++ StreamPipe (the same machinery http2 uses to send a file), so no JavaScript runs per chunk; with `threads` > 1
// every worker thread listens on the same address (`reusePort`) and the kernel spreads the connections. No faults,
// no accounting. It needs `node --expose-internals` (internal API, for measuring only; the lab never uses it).
//
//   node --expose-internals --no-warnings scripts/bench/ceiling-proxy.mjs <listenIp> <listenPort> <targetIp>
//        <targetPort> <threads>
//
// Prints `ready <port>` once every thread listens; exits when its stdin closes (the bench ends or dies).
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

if (isMainThread) {
  const [listenIp, listenPort, targetIp, targetPort, threads] = process.argv.slice(2);
  const count = Number(threads);
  if (!listenIp || !targetIp || !(count >= 1)) {
    console.error('usage: ceiling-proxy.mjs <listenIp> <listenPort> <targetIp> <targetPort> <threads>');
    process.exit(2);
  }
  const workers = [];
  let port = Number(listenPort);
  // The first thread takes the port (0: any free one); the others join it.
  for (let i = 0; i < count; i++) {
    const w = new Worker(new URL(import.meta.url), {
      workerData: { listenIp, port, targetIp, targetPort: Number(targetPort) },
      execArgv: process.execArgv,
    });
    workers.push(w);
    w.on('error', (err) => {
      console.error(`ceiling-proxy: ${err.message}`);
      process.exit(1);
    });
    port = await new Promise((resolve) => w.once('message', resolve));
  }
  process.stdout.write(`ready ${port}\n`);
  process.stdin.on('data', () => {});
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
} else {
  const { internalBinding } = createRequire(import.meta.url)('internal/test/binding');
  const { StreamPipe } = internalBinding('stream_pipe');
  const { listenIp, port, targetIp, targetPort } = workerData;
  const server = createServer({ pauseOnConnect: true, noDelay: true }, (caller) => {
    const upstream = connect({ host: targetIp, port: targetPort, noDelay: true });
    upstream.pause();
    const close = () => {
      caller.destroy();
      upstream.destroy();
    };
    caller.on('error', close);
    upstream.on('error', close);
    upstream.on('connect', () => {
      const up = new StreamPipe(caller._handle, upstream._handle);
      const down = new StreamPipe(upstream._handle, caller._handle);
      up.onunpipe = close;
      down.onunpipe = close;
      up.start();
      down.start();
    });
  });
  server.listen({ host: listenIp, port, reusePort: true }, () => parentPort.postMessage(server.address().port));
}
