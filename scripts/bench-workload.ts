// Measures what recording the ledger costs: starts a throwaway redis-server (temp dir, port 27500-27599, no
// persistence), runs benchWorkload, prints JSON, and always kills the server and removes its dir.
// Usage: tsx scripts/bench-workload.ts [durationMsPerVariant=3000] [concurrency=64]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { benchWorkload } from '../src/cluster/clients/bench.js';

const PASSWORD = 'redis';

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function main(): Promise<void> {
  const durationMs = Number(process.argv[2] ?? 3000);
  const concurrency = Number(process.argv[3] ?? 64);
  let port = 0;
  for (let p = 27500; p <= 27599 && !port; p++) if (await portFree(p)) port = p;
  if (!port) throw new Error('no free port in 27500-27599');
  const dir = mkdtempSync(join(tmpdir(), 'rsl-bench-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'].concat([
      '--requirepass',
      PASSWORD,
      '--logfile',
      join(dir, 'redis.log'),
    ]),
    { stdio: 'ignore' },
  );
  const kill = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  };
  process.once('exit', kill);
  try {
    await waitReady(port);
    const result = await benchWorkload({ port, password: PASSWORD, durationMs, concurrency });
    console.log(
      JSON.stringify(
        { ...result, overheadPercent: Number((result.overheadRatio * 100).toFixed(1)), durationMs, port },
        null,
        2,
      ),
    );
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    kill();
    if (child.exitCode === null && child.signalCode === null) await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

async function waitReady(port: number): Promise<void> {
  const end = Date.now() + 5000;
  for (;;) {
    const c = new Redis({ port, password: PASSWORD, lazyConnect: true, retryStrategy: null, maxRetriesPerRequest: 0 });
    c.on('error', () => {});
    try {
      await c.connect();
      if ((await c.ping()) === 'PONG') return;
    } catch {
      if (Date.now() > end) throw new Error(`redis-server on ${port} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      c.disconnect();
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
