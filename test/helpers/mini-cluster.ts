// Test helper: a small real Redis cluster (1 master, N replicas, M Sentinels) on 127.0.0.1 in a temp dir.
// Every process gets its own writable config; cleanup SIGCONTs and SIGKILLs everything and removes the dir.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { buildTopology, nodeIdByAddress, type Topology } from '../../src/cluster/topology.js';

export const MINI_PASSWORD = 'redis';
export const MINI_MASTER_NAME = 'mymaster';
const HOST = '127.0.0.1';
/** The only port range tests may use. */
const PORT_MIN = 27000;
const PORT_MAX = 27299;

export interface MiniClusterOptions {
  /** Redis ports are basePort.., Sentinel ports basePort+100.. (the lab's own layout). */
  basePort: number;
  replicas?: number;
  sentinels?: number;
  downAfterMs?: number;
  failoverTimeoutMs?: number;
  /** Extra redis.conf lines for every data node. */
  redisConf?: string[];
}

export interface MiniNode {
  id: string;
  kind: 'redis' | 'sentinel';
  host: string;
  port: number;
  dir: string;
  confPath: string;
  logPath: string;
  proc?: ChildProcess;
}

export interface MiniCluster {
  topology: Topology;
  dir: string;
  nodes: Record<string, MiniNode>;
  redisIds: string[];
  sentinelIds: string[];
  resolve(ip: string, port: number): string | undefined;
  node(id: string): MiniNode;
  pid(id: string): number;
  /** SIGKILL and wait for the exit. */
  kill(id: string): Promise<void>;
  pause(id: string): void;
  resume(id: string): void;
  /** Starts the node again from its (possibly rewritten) config and waits until it answers PING. */
  restart(id: string): Promise<void>;
  /** A short-lived command client (password for data nodes); caller must quit(). */
  client(id: string): Redis;
  /** Runs one command on a node with a fresh client. */
  command(id: string, ...args: (string | number)[]): Promise<unknown>;
  cleanup(): Promise<void>;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  what?: string;
}

/** Polls `fn` until it returns a truthy value (errors count as "not yet"); throws after the timeout. */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${opts.what ?? 'condition'}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, HOST, () => srv.close(() => resolve(true)));
  });
}

function redisConf(node: MiniNode, masterPort: number | undefined, extra: string[]): string {
  return [
    `port ${node.port}`,
    `bind ${HOST}`,
    `dir ${node.dir}`,
    `logfile ${node.logPath}`,
    'daemonize no',
    `requirepass ${MINI_PASSWORD}`,
    `masterauth ${MINI_PASSWORD}`,
    'save ""',
    'appendonly no',
    'repl-diskless-sync-delay 0',
    ...(masterPort === undefined ? [] : [`replicaof ${HOST} ${masterPort}`]),
    ...extra,
    '',
  ].join('\n');
}

function sentinelConf(
  node: MiniNode,
  myId: string,
  masterPort: number,
  replicaPorts: number[],
  peers: Array<{ port: number; myId: string }>,
  opts: { downAfterMs: number; failoverTimeoutMs: number },
): string {
  // Pre-seeded replicas and peers make the cluster ready in ~1 s instead of ~2-3 s (facts appendix B).
  return [
    `port ${node.port}`,
    `bind ${HOST}`,
    `dir ${node.dir}`,
    `logfile ${node.logPath}`,
    'daemonize no',
    `sentinel myid ${myId}`,
    `sentinel monitor ${MINI_MASTER_NAME} ${HOST} ${masterPort} 2`,
    `sentinel auth-pass ${MINI_MASTER_NAME} ${MINI_PASSWORD}`,
    `sentinel down-after-milliseconds ${MINI_MASTER_NAME} ${opts.downAfterMs}`,
    `sentinel failover-timeout ${MINI_MASTER_NAME} ${opts.failoverTimeoutMs}`,
    `sentinel parallel-syncs ${MINI_MASTER_NAME} 1`,
    ...replicaPorts.map((p) => `sentinel known-replica ${MINI_MASTER_NAME} ${HOST} ${p}`),
    ...peers.map((p) => `sentinel known-sentinel ${MINI_MASTER_NAME} ${HOST} ${p.port} ${p.myId}`),
    '',
  ].join('\n');
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort if a test process dies without running its cleanup.
  process.once('exit', () => {
    for (const p of live) {
      if (p.pid === undefined) continue;
      try {
        process.kill(p.pid, 'SIGCONT');
        process.kill(p.pid, 'SIGKILL');
      } catch {}
    }
  });
}

export async function startMiniCluster(opts: MiniClusterOptions): Promise<MiniCluster> {
  const replicas = opts.replicas ?? 2;
  const sentinels = opts.sentinels ?? 3;
  const downAfterMs = opts.downAfterMs ?? 1000;
  const failoverTimeoutMs = opts.failoverTimeoutMs ?? 10_000;
  const topology = buildTopology(
    { redis: replicas + 1, sentinels, sentinel: { downAfterMs, failoverTimeoutMs } },
    opts.basePort,
    'single-ip',
  );
  for (const n of topology.nodes) {
    if (n.port < PORT_MIN || n.port > PORT_MAX) throw new Error(`port ${n.port} outside ${PORT_MIN}-${PORT_MAX}`);
    if (!(await portIsFree(n.port))) throw new Error(`port ${n.port} is busy`);
  }
  installExitHook();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rsl-mini-'));
  const nodes: Record<string, MiniNode> = {};
  for (const n of topology.nodes) {
    const nodeDir = path.join(dir, n.id);
    mkdirSync(nodeDir);
    nodes[n.id] = {
      id: n.id,
      kind: n.kind,
      host: HOST,
      port: n.port,
      dir: nodeDir,
      confPath: path.join(nodeDir, n.kind === 'redis' ? 'redis.conf' : 'sentinel.conf'),
      logPath: path.join(nodeDir, 'log.txt'),
    };
  }
  const redisIds = topology.nodes.filter((n) => n.kind === 'redis').map((n) => n.id);
  const sentinelIds = topology.nodes.filter((n) => n.kind === 'sentinel').map((n) => n.id);
  const node = (id: string): MiniNode => {
    const n = nodes[id];
    if (!n) throw new Error(`unknown node ${id}`);
    return n;
  };
  const masterPort = node(redisIds[0] ?? '').port;
  const replicaPorts = redisIds.slice(1).map((id) => node(id).port);
  const myIds = new Map(sentinelIds.map((id) => [id, randomBytes(20).toString('hex')]));
  for (const id of redisIds) {
    const n = node(id);
    writeFileSync(n.confPath, redisConf(n, n.port === masterPort ? undefined : masterPort, opts.redisConf ?? []));
  }
  for (const id of sentinelIds) {
    const n = node(id);
    const peers = sentinelIds.filter((p) => p !== id).map((p) => ({ port: node(p).port, myId: myIds.get(p) ?? '' }));
    writeFileSync(
      n.confPath,
      sentinelConf(n, myIds.get(id) ?? '', masterPort, replicaPorts, peers, { downAfterMs, failoverTimeoutMs }),
    );
  }

  const spawnNode = (n: MiniNode): void => {
    const err = openSync(path.join(n.dir, 'err.txt'), 'a');
    const args = n.kind === 'sentinel' ? [n.confPath, '--sentinel'] : [n.confPath];
    // Own process group: a Ctrl-Z or signal aimed at the test runner must not reach the cluster.
    const proc = spawn(process.env.REDIS_SERVER ?? 'redis-server', args, {
      stdio: ['ignore', 'ignore', err],
      detached: true,
    });
    closeSync(err);
    live.add(proc);
    proc.once('exit', () => live.delete(proc));
    n.proc = proc;
  };

  const clientFor = (id: string): Redis => {
    const n = node(id);
    const c = new Redis({
      host: n.host,
      port: n.port,
      password: n.kind === 'redis' ? MINI_PASSWORD : undefined,
      lazyConnect: true,
      enableOfflineQueue: true,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      commandTimeout: 2000,
      retryStrategy: () => null,
      enableReadyCheck: false,
    });
    c.on('error', () => {});
    return c;
  };
  const command = async (id: string, ...args: (string | number)[]): Promise<unknown> => {
    const c = clientFor(id);
    try {
      const [cmd, ...rest] = args;
      return await c.call(String(cmd), ...rest);
    } finally {
      c.disconnect();
    }
  };
  const waitUp = (id: string) =>
    waitFor(async () => (await command(id, 'PING')) === 'PONG', { timeoutMs: 10_000, what: `${id} PING` });

  const waitExit = (n: MiniNode): Promise<void> =>
    new Promise((resolve) => {
      const p = n.proc;
      if (!p || p.exitCode !== null || p.signalCode !== null) return resolve();
      p.once('exit', () => resolve());
    });

  const cluster: MiniCluster = {
    topology,
    dir,
    nodes,
    redisIds,
    sentinelIds,
    resolve: (ip, port) => nodeIdByAddress(topology, ip, port),
    node,
    pid(id) {
      const pid = node(id).proc?.pid;
      if (pid === undefined) throw new Error(`${id} has no pid`);
      return pid;
    },
    async kill(id) {
      const n = node(id);
      const p = n.proc;
      if (!p?.pid) return;
      try {
        process.kill(p.pid, 'SIGCONT');
        process.kill(p.pid, 'SIGKILL');
      } catch {}
      await waitExit(n);
    },
    pause(id) {
      process.kill(cluster.pid(id), 'SIGSTOP');
    },
    resume(id) {
      process.kill(cluster.pid(id), 'SIGCONT');
    },
    async restart(id) {
      const n = node(id);
      await cluster.kill(id);
      await waitFor(() => portIsFree(n.port), { timeoutMs: 5000, what: `${id} port free` });
      spawnNode(n);
      await waitUp(id);
    },
    client: clientFor,
    command,
    async cleanup() {
      const all = Object.values(nodes);
      for (const n of all) {
        const pid = n.proc?.pid;
        if (pid === undefined) continue;
        try {
          process.kill(pid, 'SIGCONT');
          process.kill(pid, 'SIGKILL');
        } catch {}
      }
      await Promise.all(all.map(waitExit));
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    for (const id of redisIds) spawnNode(node(id));
    await Promise.all(redisIds.map(waitUp));
    const master = redisIds[0] ?? '';
    await waitFor(
      async () => {
        const info = String(await command(master, 'INFO', 'replication'));
        return (info.match(/state=online/g) ?? []).length === replicas;
      },
      { timeoutMs: 15_000, what: 'replicas online' },
    );
    for (const id of sentinelIds) spawnNode(node(id));
    await Promise.all(sentinelIds.map(waitUp));
    await waitFor(
      async () => {
        for (const id of sentinelIds) {
          const reply = (await command(id, 'SENTINEL', 'MASTER', MINI_MASTER_NAME)) as string[];
          const f = new Map<string, string>();
          for (let i = 0; i + 1 < reply.length; i += 2) f.set(String(reply[i]), String(reply[i + 1]));
          if (f.get('num-slaves') !== String(replicas)) return false;
          if (f.get('num-other-sentinels') !== String(sentinels - 1)) return false;
          if (f.get('flags') !== 'master') return false;
          // Pre-seeded peers start out unconfirmed; wait until every peer link is healthy.
          const peers = (await command(id, 'SENTINEL', 'SENTINELS', MINI_MASTER_NAME)) as string[][];
          for (const p of peers) {
            const flags = p[p.indexOf('flags') + 1] ?? '';
            if (flags !== 'sentinel') return false;
          }
        }
        return true;
      },
      { timeoutMs: 15_000, what: 'sentinels ready' },
    );
  } catch (err) {
    const logs = Object.values(nodes)
      .map((n) => {
        try {
          return `--- ${n.id}\n${readFileSync(n.logPath, 'utf8').split('\n').slice(-8).join('\n')}`;
        } catch {
          return '';
        }
      })
      .join('\n');
    await cluster.cleanup();
    throw new Error(`mini cluster failed to start: ${(err as Error).message}\n${logs}`);
  }
  return cluster;
}
