// Test helper: a Sentinel deployment the lab did NOT start — plain redis-server processes with configs written by hand
// here (not through the lab's engine, supervisor or config renderer), on 127.0.0.1 in a temp dir, on a port block
// from freeBase(). Healthy by default (min-replicas-to-write 1, AOF on, replica-priority 100, down-after 5000 ms,
// quorum 2 of 3), with options to plant each misconfiguration `inspect` must find. cleanup() SIGKILLs every process
// (SIGCONT first, in case a test froze one), waits for each to exit and removes the dir.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { canBind } from '../../src/cluster/process/ports.js';
import { eventually, freeBase } from './wait.js';

const HOST = '127.0.0.1';

export interface ForeignOptions {
  /** The server binary every process runs; default $REDIS_SERVER, else redis-server on PATH. */
  serverBinary?: string;
  replicas?: number;
  sentinels?: number;
  masterName?: string;
  /** requirepass (and masterauth, sentinel auth-pass) of the data nodes. */
  password?: string;
  /** The Sentinels' own requirepass (and sentinel sentinel-pass between them); none by default. */
  sentinelPassword?: string;
  quorum?: number;
  /** down-after-milliseconds for every Sentinel, or per Sentinel (index 0 = the first). */
  downAfterMs?: number | number[];
  /** Extra redis.conf lines of the master. */
  masterConf?: string[];
  /** Extra redis.conf lines per replica (index 0 = the first replica). */
  replicaConf?: Record<number, string[]>;
  /** Extra lines for every data node (after the healthy defaults, so they override them). */
  dataConf?: string[];
  /** Replicas (index 0 = the first) written without masterauth. */
  withoutMasterauth?: number[];
  /** Sentinel i (index 0 = the first) monitors this data node (index into [master, ...replicas]) instead of the master. */
  sentinelMonitors?: Record<number, number>;
  /** Extra sentinel.conf lines for every Sentinel (e.g. an ACL user). */
  sentinelConf?: string[];
  /** Replicas (index 0 = the first) that announce a port nothing listens on (replica-announce-port). */
  announceUnreachable?: number[];
  /** known-replica entries for replicas that do not exist (free ports nothing listens on). */
  ghostReplicas?: number;
  /** known-sentinel entries for Sentinels that do not exist. */
  ghostSentinels?: number;
  /** Replicas (index 0 = the first) the Sentinels' configs do not pre-seed: Sentinel learns them from the master. */
  unseededReplicas?: number[];
}

export interface ForeignNode {
  name: string;
  kind: 'redis' | 'sentinel';
  port: number;
  dir: string;
  proc?: ChildProcess;
}

export interface ForeignDeployment {
  dir: string;
  masterName: string;
  password: string;
  sentinelPassword?: string;
  master: ForeignNode;
  replicas: ForeignNode[];
  sentinels: ForeignNode[];
  ghostPorts: number[];
  /** `127.0.0.1:p1,127.0.0.1:p2,…`: the --sentinel value. */
  sentinelArg: string;
  /** Every process of the deployment. */
  pids(): number[];
  /** One command on a fresh connection with the right password. */
  command(node: ForeignNode, ...args: (string | number)[]): Promise<unknown>;
  /** INFO of a node as field/value pairs (every section asked for). */
  info(node: ForeignNode, section?: string): Promise<Record<string, string>>;
  /** A Sentinel's SENTINEL <sub> <master> entry as field/value pairs. */
  sentinelFields(sentinel: ForeignNode, sub: 'MASTER'): Promise<Record<string, string>>;
  sentinelList(sentinel: ForeignNode, sub: 'REPLICAS' | 'SENTINELS'): Promise<Array<Record<string, string>>>;
  pause(node: ForeignNode): void;
  resume(node: ForeignNode): void;
  cleanup(): Promise<void>;
}

function pairs(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) for (let i = 0; i + 1 < v.length; i += 2) out[String(v[i])] = String(v[i + 1]);
  return out;
}

const live = new Set<ChildProcess>();
let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const p of live) {
      try {
        if (p.pid) {
          process.kill(-p.pid, 'SIGCONT');
          process.kill(-p.pid, 'SIGKILL');
        }
      } catch {}
    }
  });
}

export async function startForeignDeployment(o: ForeignOptions = {}): Promise<ForeignDeployment> {
  hookExit();
  const replicas = o.replicas ?? 2;
  const sentinels = o.sentinels ?? 3;
  const masterName = o.masterName ?? 'mymaster';
  const password = o.password ?? 'redis';
  const base = await freeBase();
  const dir = mkdtempSync(join(tmpdir(), 'rsl-foreign-'));
  const node = (name: string, kind: 'redis' | 'sentinel', port: number): ForeignNode => {
    const d = join(dir, name);
    mkdirSync(d);
    return { name, kind, port, dir: d };
  };
  const master = node('master', 'redis', base);
  const reps = Array.from({ length: replicas }, (_, i) => node(`replica-${i + 1}`, 'redis', base + 1 + i));
  const sents = Array.from({ length: sentinels }, (_, i) => node(`sentinel-${i + 1}`, 'sentinel', base + 100 + i));
  const ghostPorts: number[] = [];
  const wanted = (o.ghostReplicas ?? 0) + (o.ghostSentinels ?? 0) + (o.announceUnreachable?.length ?? 0);
  for (let p = base + 50; ghostPorts.length < wanted; p++) {
    if (await canBind(HOST, p)) ghostPorts.push(p);
  }
  const data = [master, ...reps];
  const ghostReplicaPorts = ghostPorts.slice(0, o.ghostReplicas ?? 0);
  const ghostSentinelPorts = ghostPorts.slice(o.ghostReplicas ?? 0, (o.ghostReplicas ?? 0) + (o.ghostSentinels ?? 0));
  const announcePorts = ghostPorts.slice((o.ghostReplicas ?? 0) + (o.ghostSentinels ?? 0));
  const announced = (i: number | undefined) => {
    const k = i === undefined ? -1 : (o.announceUnreachable ?? []).indexOf(i);
    return k >= 0 ? [`replica-announce-port ${announcePorts[k]}`] : [];
  };

  // redis.conf, by hand: what a careful operator writes (the healthy defaults), then the test's own lines.
  const redisConf = (n: ForeignNode, i: number | undefined) =>
    [
      `port ${n.port}`,
      `bind ${HOST}`,
      `dir "${n.dir}"`,
      // A replica without masterauth retries thousands of times a second: keep that out of the disk.
      `logfile "${o.withoutMasterauth?.includes(i ?? -1) ? '' : join(n.dir, 'redis.log')}"`,
      'daemonize no',
      `requirepass ${password}`,
      ...(i !== undefined && o.withoutMasterauth?.includes(i) ? [] : [`masterauth ${password}`]),
      'appendonly yes',
      'save ""',
      'min-replicas-to-write 1',
      'min-replicas-max-lag 10',
      'replica-priority 100',
      'repl-diskless-sync-delay 0',
      ...(i !== undefined ? [`replicaof ${HOST} ${master.port}`] : []),
      ...announced(i),
      ...(o.dataConf ?? []),
      ...(i === undefined ? (o.masterConf ?? []) : (o.replicaConf?.[i] ?? [])),
      '',
    ].join('\n');
  writeFileSync(join(master.dir, 'redis.conf'), redisConf(master, undefined));
  for (const [i, r] of reps.entries()) writeFileSync(join(r.dir, 'redis.conf'), redisConf(r, i));

  const ids = sents.map(() => randomBytes(20).toString('hex'));
  const ghostIds = Array.from({ length: o.ghostSentinels ?? 0 }, () => randomBytes(20).toString('hex'));
  sents.forEach((s, i) => {
    const monitored = data[o.sentinelMonitors?.[i] ?? 0] ?? master;
    const da = Array.isArray(o.downAfterMs) ? (o.downAfterMs[i] ?? 5000) : (o.downAfterMs ?? 5000);
    // A replica that announces another address is known to Sentinel only by that address (from the master's INFO).
    const knownReplicas =
      monitored === master
        ? reps.filter((_, k) => !o.unseededReplicas?.includes(k) && !o.announceUnreachable?.includes(k))
        : [];
    const lines = [
      `port ${s.port}`,
      `bind ${HOST}`,
      `dir "${s.dir}"`,
      `logfile "${join(s.dir, 'sentinel.log')}"`,
      'daemonize no',
      `sentinel myid ${ids[i]}`,
      `sentinel monitor ${masterName} ${HOST} ${monitored.port} ${o.quorum ?? 2}`,
      `sentinel auth-pass ${masterName} ${password}`,
      `sentinel down-after-milliseconds ${masterName} ${da}`,
      `sentinel failover-timeout ${masterName} 10000`,
      `sentinel parallel-syncs ${masterName} 1`,
      ...(o.sentinelPassword
        ? [`requirepass ${o.sentinelPassword}`, `sentinel sentinel-pass ${o.sentinelPassword}`]
        : []),
      // Pre-seeded state, as a Sentinel that has run a while writes it: start-up takes ~1 s instead of ~3.
      ...knownReplicas.map((r) => `sentinel known-replica ${masterName} ${HOST} ${r.port}`),
      ...(monitored === master
        ? ghostReplicaPorts.map((p) => `sentinel known-replica ${masterName} ${HOST} ${p}`)
        : []),
      ...sents.flatMap((p, k) =>
        k === i ? [] : [`sentinel known-sentinel ${masterName} ${HOST} ${p.port} ${ids[k]}`],
      ),
      ...ghostSentinelPorts.map((p, k) => `sentinel known-sentinel ${masterName} ${HOST} ${p} ${ghostIds[k]}`),
      ...(o.sentinelConf ?? []),
      '',
    ];
    writeFileSync(join(s.dir, 'sentinel.conf'), lines.join('\n'));
  });

  const all = [...data, ...sents];
  const spawnNode = (n: ForeignNode) => {
    const conf = join(n.dir, n.kind === 'redis' ? 'redis.conf' : 'sentinel.conf');
    const proc = spawn(
      o.serverBinary ?? process.env.REDIS_SERVER ?? 'redis-server',
      n.kind === 'sentinel' ? [conf, '--sentinel'] : [conf],
      {
        stdio: 'ignore',
        detached: true,
      },
    );
    live.add(proc);
    proc.once('exit', () => live.delete(proc));
    n.proc = proc;
  };
  const passwordOf = (n: ForeignNode) => (n.kind === 'redis' ? password : o.sentinelPassword);
  const command = async (n: ForeignNode, ...args: (string | number)[]): Promise<unknown> => {
    const c = new Redis({
      host: HOST,
      port: n.port,
      password: passwordOf(n),
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 1000,
      commandTimeout: 2000,
      enableReadyCheck: false,
    });
    c.on('error', () => {});
    try {
      await c.connect();
      const [cmd, ...rest] = args;
      return await c.call(String(cmd), ...rest);
    } finally {
      c.disconnect();
    }
  };
  const waitExit = (n: ForeignNode) =>
    new Promise<void>((resolve) => {
      const p = n.proc;
      if (!p || p.exitCode !== null || p.signalCode !== null) return resolve();
      p.once('exit', () => resolve());
    });
  const d: ForeignDeployment = {
    dir,
    masterName,
    password,
    ...(o.sentinelPassword ? { sentinelPassword: o.sentinelPassword } : {}),
    master,
    replicas: reps,
    sentinels: sents,
    ghostPorts,
    sentinelArg: sents.map((s) => `${HOST}:${s.port}`).join(','),
    pids: () => all.flatMap((n) => (n.proc?.pid ? [n.proc.pid] : [])),
    command,
    async info(n, section) {
      const text = String(await command(n, 'INFO', ...(section ? [section] : [])));
      const out: Record<string, string> = {};
      for (const line of text.split('\r\n')) {
        const i = line.indexOf(':');
        if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1);
      }
      return out;
    },
    async sentinelFields(s, sub) {
      return pairs(await command(s, 'SENTINEL', sub, masterName));
    },
    async sentinelList(s, sub) {
      const v = await command(s, 'SENTINEL', sub, masterName);
      return Array.isArray(v) ? v.map(pairs) : [];
    },
    pause(n) {
      if (n.proc?.pid) process.kill(n.proc.pid, 'SIGSTOP');
    },
    resume(n) {
      if (n.proc?.pid) process.kill(n.proc.pid, 'SIGCONT');
    },
    async cleanup() {
      for (const n of all) {
        const pid = n.proc?.pid;
        if (!pid) continue;
        try {
          // The whole process group: a forked child (AOF rewrite, BGSAVE) must not outlive it and write into the dir.
          process.kill(-pid, 'SIGCONT');
          process.kill(-pid, 'SIGKILL');
        } catch {}
      }
      await Promise.all(all.map(waitExit));
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    },
  };

  try {
    for (const n of data) spawnNode(n);
    await Promise.all(
      data.map((n) =>
        eventually(async () => (await command(n, 'PING')) === 'PONG', { timeoutMs: 10_000, what: `${n.name} PING` }),
      ),
    );
    const healthy = reps.filter((_, i) => !o.withoutMasterauth?.includes(i)).length;
    await eventually(async () => ((await d.info(master, 'replication')).connected_slaves ?? '') === String(healthy), {
      timeoutMs: 15_000,
      what: `${healthy} replicas online`,
    });
    for (const s of sents) spawnNode(s);
    await Promise.all(
      sents.map((s) =>
        eventually(async () => (await command(s, 'PING')) === 'PONG', { timeoutMs: 10_000, what: `${s.name} PING` }),
      ),
    );
  } catch (err) {
    await d.cleanup();
    throw err;
  }
  return d;
}

/**
 * What must not change when the lab only looks: CONFIG GET * on every data node, SENTINEL MASTER and SENTINEL CONFIG
 * GET * on every Sentinel, and every run id. Counters that move by themselves (ms-ago fields, offsets) are left out.
 */
export async function foreignState(d: ForeignDeployment): Promise<Record<string, unknown>> {
  const VOLATILE =
    /^(last-|info-refresh|role-reported-time|link-pending-commands|link-refcount|s-down-time|o-down-time|slave-repl-offset)/;
  const out: Record<string, unknown> = {};
  for (const n of [d.master, ...d.replicas]) {
    out[`${n.name} CONFIG GET *`] = pairs(await d.command(n, 'CONFIG', 'GET', '*'));
    out[`${n.name} run_id`] = (await d.info(n, 'server')).run_id;
  }
  for (const s of d.sentinels) {
    const m = await d.sentinelFields(s, 'MASTER');
    out[`${s.name} SENTINEL MASTER`] = Object.fromEntries(Object.entries(m).filter(([k]) => !VOLATILE.test(k)));
    out[`${s.name} SENTINEL CONFIG GET *`] = pairs(await d.command(s, 'SENTINEL', 'CONFIG', 'GET', '*'));
    out[`${s.name} run_id`] = (await d.info(s, 'server')).run_id;
  }
  return out;
}
