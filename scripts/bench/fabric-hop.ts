// Benchmark of one Fabric hop: pipelined PING throughput and per-request latency, direct vs proxied, same run.
// Target is a throwaway redis-server when one is on PATH, else an in-process echo server.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Fabric } from '../../src/cluster/fabric/proxy.js';

export type BenchSide = { opsPerSec: number; p50Ms: number };
export type BenchResult = {
  direct: BenchSide;
  proxied: BenchSide;
  ratio: number;
  addedP50Ms: number;
  /** Share of wall time the Fabric's event loop was busy during the proxied rounds (1 = saturated). */
  fabricLoopUtilization: number;
  target: 'redis-server' | 'echo';
  connections: number;
  pipeline: number;
};

type Target = { ip: string; port: number; replyBytes: number; kind: BenchResult['target']; stop(): Promise<void> };
type LoadResult = { ops: number; seconds: number; histogram: Uint32Array };

const PING = Buffer.from('*1\r\n$4\r\nPING\r\n');
const SERVER_IP = '127.0.3.1';
const CLIENT_IP = '127.0.3.2';
const PROXY_IP = '127.0.3.3';
// Latency histogram resolution: 1 µs buckets up to 100 ms.
const HIST_BUCKETS = 100_000;

export async function benchFabric(opts: {
  durationMs: number;
  connections?: number;
  pipeline?: number;
}): Promise<BenchResult> {
  const connections = opts.connections ?? 4;
  const pipeline = opts.pipeline ?? 16;
  const target = await startTarget();
  const fabric = new Fabric({
    hosts: [
      { id: 'client', ip: CLIENT_IP },
      { id: 'server', ip: SERVER_IP },
    ],
  });
  try {
    const { port: proxyPort } = await fabric.listen({
      nodeId: 'bench',
      host: 'server',
      listenIp: PROXY_IP,
      listenPort: 0,
      targetIp: target.ip,
      targetPort: target.port,
    });
    const load = (host: string, port: number, ms: number) =>
      runLoad({ host, port, localAddress: CLIENT_IP, connections, pipeline, replyBytes: target.replyBytes, ms });
    // Alternate rounds so drift (CPU frequency, other load) hits both sides alike.
    const half = Math.max(100, Math.floor(opts.durationMs / 2));
    const direct: LoadResult[] = [];
    const proxied: LoadResult[] = [];
    let busy = 0;
    let total = 0;
    for (let round = 0; round < 2; round++) {
      direct.push(await load(target.ip, target.port, half));
      const elu = performance.eventLoopUtilization();
      proxied.push(await load(PROXY_IP, proxyPort, half));
      const used = performance.eventLoopUtilization(elu);
      busy += used.active;
      total += used.idle + used.active;
    }
    const d = summarize(direct);
    const p = summarize(proxied);
    return {
      direct: d,
      proxied: p,
      ratio: round3(p.opsPerSec / d.opsPerSec),
      addedP50Ms: round3(p.p50Ms - d.p50Ms),
      fabricLoopUtilization: round3(busy / total),
      target: target.kind,
      connections,
      pipeline,
    };
  } finally {
    await fabric.close();
    await target.stop();
  }
}

function summarize(results: LoadResult[]): BenchSide {
  const histogram = new Uint32Array(HIST_BUCKETS);
  let ops = 0;
  let seconds = 0;
  for (const r of results) {
    ops += r.ops;
    seconds += r.seconds;
    for (let i = 0; i < HIST_BUCKETS; i++) histogram[i] = (histogram[i] ?? 0) + (r.histogram[i] ?? 0);
  }
  return { opsPerSec: Math.round(ops / seconds), p50Ms: round3(percentile(histogram, 0.5) / 1000) };
}

function percentile(histogram: Uint32Array, q: number): number {
  let total = 0;
  for (const n of histogram) total += n;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= total * q) return i;
  }
  return histogram.length;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

async function startTarget(): Promise<Target> {
  try {
    return await startRedis();
  } catch {
    return await startEcho();
  }
}

async function startRedis(): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), 'rsl-bench-'));
  let child: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child?.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const port = await freePort(SERVER_IP);
    // biome-ignore format: one flag per pair reads better
    const args = ['--port', String(port), '--bind', SERVER_IP, '--save', '', '--appendonly', 'no',
      '--dir', dir, '--protected-mode', 'no', '--logfile', ''];
    child = spawn('redis-server', args, { stdio: 'ignore' });
    const spawned = child;
    const failed = new Promise<never>((_, reject) => {
      spawned.once('error', reject);
      spawned.once('exit', (code) => reject(new Error(`redis-server exited early (${code})`)));
    });
    failed.catch(() => {});
    await Promise.race([waitForPong(SERVER_IP, port, 5000), failed]);
    return { ip: SERVER_IP, port, replyBytes: '+PONG\r\n'.length, kind: 'redis-server', stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function startEcho(): Promise<Target> {
  const server: Server = createServer({ noDelay: true }, (s) => {
    s.on('error', () => {});
    s.pipe(s);
  });
  await new Promise<void>((resolve) => server.listen({ host: SERVER_IP, port: 0 }, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ip: SERVER_IP,
    port,
    replyBytes: PING.length,
    kind: 'echo',
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
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

async function waitForPong(ip: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: ip, port });
      s.on('error', () => resolve(false));
      s.on('connect', () => s.write(PING));
      s.on('data', (d) => {
        s.destroy();
        resolve(d.toString().startsWith('+PONG'));
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server on ${ip}:${port} did not answer PING`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// The load generator runs in a worker thread so the client does not share the event loop with the Fabric.
const LOAD_WORKER = `
const { parentPort, workerData: w } = require('node:worker_threads');
const net = require('node:net');
const { performance } = require('node:perf_hooks');
const req = Buffer.from('*1\\r\\n$4\\r\\nPING\\r\\n');
const batch = Buffer.concat(Array.from({ length: w.pipeline }, () => req));
const hist = new Uint32Array(${HIST_BUCKETS});
const warmupMs = Math.min(300, w.ms / 4);
let counting = false, ops = 0, stopped = false, open = 0, startedAt = 0;
const sockets = [];
function conn() {
  const s = net.connect({ host: w.host, port: w.port, localAddress: w.localAddress, noDelay: true });
  const sent = new Float64Array(w.pipeline);
  let head = 0, tail = 0, carry = 0;
  const send = (n) => {
    const now = performance.now();
    for (let i = 0; i < n; i++) { sent[tail] = now; tail = (tail + 1) % w.pipeline; }
    s.write(n === w.pipeline ? batch : batch.subarray(0, n * req.length));
  };
  s.on('connect', () => { open++; send(w.pipeline); });
  s.on('data', (d) => {
    const now = performance.now();
    carry += d.length;
    const n = Math.floor(carry / w.replyBytes);
    carry -= n * w.replyBytes;
    for (let i = 0; i < n; i++) {
      if (counting) {
        const us = Math.floor((now - sent[head]) * 1000);
        hist[us < hist.length ? us : hist.length - 1]++;
      }
      head = (head + 1) % w.pipeline;
    }
    if (counting) ops += n;
    if (!stopped && n > 0) send(n);
  });
  s.on('error', (e) => { if (!stopped) { stopped = true; parentPort.postMessage({ error: String(e) }); } });
  sockets.push(s);
}
for (let i = 0; i < w.connections; i++) conn();
setTimeout(() => { counting = true; startedAt = performance.now(); }, warmupMs);
setTimeout(() => {
  const seconds = (performance.now() - startedAt) / 1000;
  counting = false; stopped = true;
  for (const s of sockets) s.destroy();
  parentPort.postMessage({ ops, seconds, histogram: hist }, [hist.buffer]);
}, warmupMs + w.ms);
`;

function runLoad(w: {
  host: string;
  port: number;
  localAddress: string;
  connections: number;
  pipeline: number;
  replyBytes: number;
  ms: number;
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_WORKER, { eval: true, workerData: w });
    worker.once('message', (msg: LoadResult | { error: string }) => {
      void worker.terminate();
      if ('error' in msg) reject(new Error(`bench client: ${msg.error}`));
      else resolve(msg);
    });
    worker.once('error', reject);
  });
}
