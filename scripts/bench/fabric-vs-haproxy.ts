// The fabric against haproxy: `redis-benchmark -t set -c 20` against one throwaway master, directly, through the
// lab's Fabric (running in this process, as it does in the lab) and through haproxy `mode tcp` in front of the same
// master, in interleaved repetitions (the order rotates every repetition so drift hits every side alike).
// Without haproxy on PATH the bench says so and reports the fabric against the direct connection only.
// With `ceiling`, more sides join the same rotation: scripts/bench/ceiling-proxy.mjs with one and with two threads,
// the fastest forwarding Node can do (C++ per chunk, no faults), to show what a JavaScript data plane could reach at
// best on this machine; and scripts/bench/native-forwarder.c with one and two threads (compiled with `cc` when there
// is one), to show whether native code outside Node would.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Fabric } from '../../src/cluster/fabric/proxy.js';
import { median } from './stats.js';

export type Side = 'direct' | 'fabric' | 'haproxy' | 'ceiling-1' | 'ceiling-2' | 'native-1' | 'native-2';

export interface SideResult {
  /** requests/s of every repetition, in run order. */
  rps: number[];
  median: number;
  min: number;
  max: number;
}

export interface PipelineResult {
  pipeline: number;
  requests: number;
  sides: Partial<Record<Side, SideResult>>;
  /** fabric / haproxy of each repetition (same repetition, adjacent runs), and their median. */
  ratios?: { perRep: number[]; median: number; min: number; max: number };
  /** fabric / direct, for when haproxy is missing (and as context). */
  vsDirect: { perRep: number[]; median: number };
}

export interface FabricVsHaproxy {
  haproxy: { available: true; version: string; threads: string } | { available: false; why: string };
  clients: number;
  repetitions: number;
  results: PipelineResult[];
  /** With `ceiling`: whether the native forwarder could be built (it needs a C compiler). */
  native?: { available: true } | { available: false; why: string };
}

const SERVER_IP = '127.0.4.1';
const FABRIC_IP = '127.0.4.2';
const HAPROXY_IP = '127.0.4.3';
const CEILING_IP = '127.0.4.4';
const NATIVE_IP = '127.0.4.5';
const CEILING_PROXY = join(dirname(fileURLToPath(import.meta.url)), 'ceiling-proxy.mjs');
const NATIVE_SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'native-forwarder.c');
const PASSWORD = 'redis';

function run(cmd: string, args: string[], timeoutMs = 120_000): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

async function freePort(ip: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: ip, port: 0 }, resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once `ip:port` answers AUTH + PING with +PONG (through whatever sits in front of Redis). */
async function waitForPong(ip: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const req = `*2\r\n$4\r\nAUTH\r\n$${PASSWORD.length}\r\n${PASSWORD}\r\n*1\r\n$4\r\nPING\r\n`;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: ip, port });
      let buf = '';
      const done = (v: boolean) => {
        clearTimeout(t);
        s.destroy();
        resolve(v);
      };
      const t = setTimeout(() => done(false), 500);
      s.on('error', () => done(false));
      s.on('connect', () => s.write(req));
      s.on('data', (d) => {
        buf += d.toString('latin1');
        if (buf.includes('+PONG')) done(true);
        else if (buf.includes('-')) done(false);
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing answered PING on ${ip}:${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Proc {
  child: ChildProcess;
  stop(): Promise<void>;
}

function spawnProc(cmd: string, args: string[], stdio: 'ignore' | 'pipe' = 'ignore'): Proc {
  const child = spawn(cmd, args, { stdio });
  child.on('error', () => {});
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT');
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/**
 * Starts a measuring-stick forwarder (`name`: for errors) whose command line ends with `<listenIp> 0 <targetIp>
 * <targetPort> <threads>` and which prints `ready <port>`. Its stdin is a pipe from this process, so it exits by
 * itself if this process dies without stopping it.
 */
async function startForwarder(name: string, cmd: string, args: string[]): Promise<Proc & { port: number }> {
  const proc = spawnProc(cmd, args, 'pipe');
  const { child } = proc;
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start within 5 s`)), 5000);
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /ready (\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code}): ${err.trim().slice(-300)}`));
      });
    });
    return { ...proc, port };
  } catch (e) {
    await proc.stop();
    throw e;
  }
}

type Target = { ip: string; port: number };

/** Starts ceiling-proxy.mjs on `listenIp` (any free port) in front of `target`. */
export function startCeilingProxy(target: Target, threads: number, listenIp = CEILING_IP) {
  const args = ['--expose-internals', '--no-warnings', CEILING_PROXY, listenIp, '0', target.ip, String(target.port)];
  return startForwarder('ceiling-proxy', process.execPath, [...args, String(threads)]);
}

/**
 * Compiles native-forwarder.c with `cc` into `dir`. Returns the binary's path, or why there is none (not Linux, no
 * compiler, or it failed), so the bench can say so instead of reporting the rows.
 */
export async function buildNativeForwarder(dir: string): Promise<{ path: string } | { why: string }> {
  if (process.platform !== 'linux') return { why: 'it is Linux only (epoll)' };
  const path = join(dir, 'native-forwarder');
  try {
    await run('cc', ['-O2', '-pthread', '-o', path, NATIVE_SOURCE], 60_000);
    return { path };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') return { why: 'no C compiler (cc) on PATH' };
    return { why: `cc failed: ${(err.stderr ?? err.message).trim().split('\n')[0]}` };
  }
}

/** Starts the compiled native forwarder on `listenIp` (any free port) in front of `target`. */
export function startNativeForwarder(binary: string, target: Target, threads: number, listenIp = NATIVE_IP) {
  return startForwarder('native-forwarder', binary, [listenIp, '0', target.ip, String(target.port), String(threads)]);
}

export async function haproxyVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await run('haproxy', ['-v'], 5000);
    return /version (\S+)/i.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}

/** Parses `redis-benchmark --csv` (7.x): a header line, then `"SET","<rps>",...`. */
export function parseBenchmarkCsv(out: string): number {
  for (const line of out.split('\n')) {
    const cells = line.split(',').map((c) => c.replace(/^"|"$/g, ''));
    if (cells[0] === 'SET') {
      const rps = Number(cells[1]);
      if (Number.isFinite(rps) && rps > 0) return rps;
    }
  }
  throw new Error(`no SET line in redis-benchmark output: ${out.slice(0, 300)}`);
}

async function redisBenchmark(ip: string, port: number, o: { clients: number; pipeline: number; requests: number }) {
  // -r: distinct keys, like a real write load; --csv: one machine-readable line.
  const args = ['-h', ip, '-p', String(port), '-a', PASSWORD, '-t', 'set'];
  args.push('-c', String(o.clients), '-P', String(o.pipeline), '-n', String(o.requests), '-r', '100000', '--csv');
  const { stdout } = await run('redis-benchmark', args);
  return parseBenchmarkCsv(stdout);
}

function summarize(rps: number[]): SideResult {
  return { rps, median: median(rps), min: Math.min(...rps), max: Math.max(...rps) };
}

export async function benchFabricVsHaproxy(opts: {
  repetitions?: number;
  clients?: number;
  pipelines?: number[];
  /** Requests per redis-benchmark run, by pipeline depth (sized so one run takes about a second or two). */
  requests?: (pipeline: number) => number;
  log?: (s: string) => void;
  /** Also measure ceiling-proxy.mjs and native-forwarder.c, with one and two threads each, in the same rotation. */
  ceiling?: boolean;
}): Promise<FabricVsHaproxy> {
  const reps = opts.repetitions ?? 5;
  const clients = opts.clients ?? 20;
  const pipelines = opts.pipelines ?? [1, 16];
  const requests = opts.requests ?? ((p: number) => (p === 1 ? 100_000 : 600_000));
  const log = opts.log ?? (() => {});
  const dir = await mkdtemp(join(tmpdir(), 'rsl-bench-haproxy-'));
  const procs: Proc[] = [];
  const fabric = new Fabric({ hosts: [{ id: 'server', ip: SERVER_IP }] });
  try {
    const redisPort = await freePort(SERVER_IP);
    // biome-ignore format: one flag per pair reads better
    const redis = spawnProc('redis-server', ['--port', String(redisPort), '--bind', SERVER_IP, '--requirepass', PASSWORD,
      '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', '']);
    procs.push(redis);
    await waitForPong(SERVER_IP, redisPort, 5000);

    const { port: fabricPort } = await fabric.listen({
      nodeId: 'bench-master',
      host: 'server',
      listenIp: FABRIC_IP,
      listenPort: 0,
      targetIp: SERVER_IP,
      targetPort: redisPort,
    });
    await waitForPong(FABRIC_IP, fabricPort, 5000);

    let haproxy: FabricVsHaproxy['haproxy'];
    let haproxyPort = 0;
    const version = await haproxyVersion();
    if (!version) {
      haproxy = { available: false, why: 'haproxy is not installed (not on PATH)' };
    } else {
      haproxyPort = await freePort(HAPROXY_IP);
      const cfg = join(dir, 'haproxy.cfg');
      // A plain TCP proxy with haproxy's defaults (threads = cores); the timeouts only silence its warnings.
      await writeFile(
        cfg,
        [
          'global',
          '  log stderr local0 emerg',
          'defaults',
          '  mode tcp',
          '  timeout connect 5s',
          '  timeout client 1m',
          '  timeout server 1m',
          'listen redis',
          `  bind ${HAPROXY_IP}:${haproxyPort}`,
          `  server master ${SERVER_IP}:${redisPort}`,
          '',
        ].join('\n'),
      );
      const hp = spawnProc('haproxy', ['-db', '-f', cfg]);
      procs.push(hp);
      await waitForPong(HAPROXY_IP, haproxyPort, 5000);
      haproxy = { available: true, version, threads: 'default (one per core)' };
    }
    log(
      haproxy.available
        ? `fabric vs haproxy ${haproxy.version}: redis-benchmark SET, ${clients} clients`
        : `fabric vs direct (${haproxy.why})`,
    );

    const targets: Array<{ side: Side; ip: string; port: number }> = [
      { side: 'direct', ip: SERVER_IP, port: redisPort },
      { side: 'fabric', ip: FABRIC_IP, port: fabricPort },
    ];
    if (haproxy.available) targets.push({ side: 'haproxy', ip: HAPROXY_IP, port: haproxyPort });
    let native: FabricVsHaproxy['native'];
    if (opts.ceiling) {
      const server = { ip: SERVER_IP, port: redisPort };
      for (const threads of [1, 2] as const) {
        const cp = await startCeilingProxy(server, threads);
        procs.push(cp);
        await waitForPong(CEILING_IP, cp.port, 5000);
        targets.push({ side: `ceiling-${threads}`, ip: CEILING_IP, port: cp.port });
      }
      const built = await buildNativeForwarder(dir);
      native = 'path' in built ? { available: true } : { available: false, why: built.why };
      if ('path' in built) {
        for (const threads of [1, 2] as const) {
          const nf = await startNativeForwarder(built.path, server, threads);
          procs.push(nf);
          await waitForPong(NATIVE_IP, nf.port, 5000);
          targets.push({ side: `native-${threads}`, ip: NATIVE_IP, port: nf.port });
        }
      }
    }

    const results: PipelineResult[] = [];
    for (const pipeline of pipelines) {
      const n = requests(pipeline);
      // Warm-up (JIT, connection pools, page cache) on every side, not counted.
      for (const t of targets) await redisBenchmark(t.ip, t.port, { clients, pipeline, requests: Math.ceil(n / 5) });
      const rps = Object.fromEntries(targets.map((t) => [t.side, [] as number[]])) as Record<Side, number[]>;
      for (let rep = 0; rep < reps; rep++) {
        const order = targets.map((_, i) => targets[(i + rep) % targets.length] as (typeof targets)[number]);
        for (const t of order) rps[t.side].push(await redisBenchmark(t.ip, t.port, { clients, pipeline, requests: n }));
        log(
          `  P${pipeline} rep ${rep + 1}/${reps}: ${targets.map((t) => `${t.side} ${Math.round(rps[t.side][rep] ?? 0)}`).join(', ')}`,
        );
      }
      const sides: PipelineResult['sides'] = {};
      for (const t of targets) sides[t.side] = summarize(rps[t.side]);
      const perRepDirect = rps.fabric.map((f, i) => f / (rps.direct[i] ?? Number.NaN));
      const r: PipelineResult = {
        pipeline,
        requests: n,
        sides,
        vsDirect: { perRep: perRepDirect, median: median(perRepDirect) },
      };
      if (haproxy.available) {
        const perRep = rps.fabric.map((f, i) => f / (rps.haproxy[i] ?? Number.NaN));
        r.ratios = { perRep, median: median(perRep), min: Math.min(...perRep), max: Math.max(...perRep) };
      }
      results.push(r);
    }
    return { haproxy, clients, repetitions: reps, results, ...(native ? { native } : {}) };
  } finally {
    await fabric.close();
    for (const p of procs.reverse()) await p.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
