// Throwaway real redis-server / Sentinel processes for the client tests: temp dirs, ports in 27300-27599,
// conditions polled with timeouts, and every process killed (SIGCONT, then SIGKILL) and its dir removed.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export const PASSWORD = 'redis';
export const REDIS_BIN = process.env.REDIS_SERVER ?? 'redis-server';

export interface Proc {
  name: string;
  port: number;
  dir: string;
  child: ChildProcess;
  logFile: string;
}

/** Last lines of a process's log, for failure messages. */
export function logTail(p: Proc, lines = 20): string {
  try {
    return readFileSync(p.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const live = new Set<Proc>();

// Last resort if a test process dies without its after() hooks: never leave a redis behind.
process.once('exit', () => {
  for (const p of live) hardKill(p);
});

function hardKill(p: Proc): void {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  try {
    p.child.kill('SIGCONT');
    p.child.kill('SIGKILL');
  } catch {
    // already gone
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** `count` free ports from [from, to] (each test file uses its own sub-range of 27300-27599). */
export async function freePorts(from: number, to: number, count: number): Promise<number[]> {
  if (from < 27300 || to > 27599) throw new Error('tests may only use ports 27300-27599');
  const out: number[] = [];
  for (let p = from; p <= to && out.length < count; p++) if (await portFree(p)) out.push(p);
  if (out.length < count) throw new Error(`not enough free ports in ${from}-${to}`);
  return out;
}

// Logs go to a file, not pipes: a master's fork child (replication sync) would inherit the pipes and keep
// the test process alive after the master is killed.
function launch(name: string, port: number, dir: string, args: string[]): Proc {
  const child = spawn(REDIS_BIN, args, { cwd: dir, stdio: 'ignore' });
  const proc: Proc = { name, port, dir, child, logFile: join(dir, 'redis.log') };
  child.on('error', (err) => appendFileSync(proc.logFile, `spawn error: ${err.message}\n`));
  live.add(proc);
  return proc;
}

/** A redis-server with requirepass/masterauth `redis`, no persistence; resolves once it answers PING. */
export async function startRedis(name: string, port: number, extra: string[] = []): Promise<Proc> {
  const dir = mkdtempSync(join(tmpdir(), `rsl-test-${name}-`));
  const proc = launch(name, port, dir, [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--requirepass',
    PASSWORD,
    '--masterauth',
    PASSWORD,
    '--repl-diskless-sync-delay',
    '0',
    '--daemonize',
    'no',
    '--logfile',
    join(dir, 'redis.log'),
    ...extra,
  ]);
  await waitUp(proc, PASSWORD);
  return proc;
}

/** One Sentinel monitoring `masterName` at 127.0.0.1:masterPort with quorum 1 (`password`: its own requirepass). */
export async function startSentinel(
  name: string,
  port: number,
  masterPort: number,
  masterName = 'mymaster',
  downAfterMs = 1000,
  password?: string,
): Promise<Proc> {
  const dir = mkdtempSync(join(tmpdir(), `rsl-test-${name}-`));
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `logfile ${join(dir, 'redis.log')}`,
      `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 1`,
      `sentinel auth-pass ${masterName} ${PASSWORD}`,
      `sentinel down-after-milliseconds ${masterName} ${downAfterMs}`,
      `sentinel failover-timeout ${masterName} 5000`,
      ...(password ? [`requirepass ${password}`] : []),
      '',
    ].join('\n'),
  );
  const proc = launch(name, port, dir, [conf, '--sentinel']);
  await waitUp(proc, password);
  return proc;
}

async function waitUp(proc: Proc, password: string | undefined): Promise<void> {
  const c = admin(proc.port, password);
  try {
    await waitFor(
      `${proc.name} on port ${proc.port} to answer PING`,
      async () => {
        if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited:\n${logTail(proc)}`);
        if (c.status !== 'ready') await c.connect().catch(() => undefined);
        return c.status === 'ready' && (await c.ping()) === 'PONG';
      },
      5000,
    );
  } finally {
    c.disconnect();
  }
}

/** A plain, fail-fast admin connection (the test's own eyes, separate from the actors under test). */
export function admin(port: number, password: string | undefined = PASSWORD): Redis {
  const c = new Redis({
    host: '127.0.0.1',
    port,
    ...(password ? { password } : {}),
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: null,
    connectTimeout: 1000,
    commandTimeout: 2000,
    // A node that is syncing or dead may never answer our FIN; don't hold the test process for 2 s.
    disconnectTimeout: 100,
  });
  c.on('error', () => {});
  return c;
}

export async function connectedAdmin(port: number, password: string | undefined = PASSWORD): Promise<Redis> {
  const c = admin(port, password);
  await c.connect();
  return c;
}

/** `INFO <section>` as a key -> value map. */
export async function info(c: Redis, section: string): Promise<Record<string, string>> {
  const text = String(await c.info(section));
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** Kills (SIGCONT then SIGKILL), waits for exit, removes the dir. Safe to call twice. */
export async function stopProc(p: Proc): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) {
    const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
    hardKill(p);
    await exited;
  }
  live.delete(p);
  rmSync(p.dir, { recursive: true, force: true });
}

export async function stopAll(procs: Iterable<Proc | undefined>): Promise<void> {
  await Promise.all([...procs].filter((p): p is Proc => p !== undefined).map(stopProc));
}
