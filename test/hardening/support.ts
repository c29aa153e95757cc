// Shared checks for the hardening tests: what is listening, what is left behind, raw RESP on a socket.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { canBind } from '../../src/cluster/process/ports.js';
import { isAlive, processesInside } from '../../src/cluster/process/proc.js';
import { listRunDirs } from '../../src/cluster/process/run-dir.js';
import { buildTopology, candidateBasePorts, DEFAULT_SHAPE, topologyPorts } from '../../src/cluster/topology.js';

export interface Listener {
  ip: string;
  port: number;
  family: 4 | 6;
}

/** `0100007F:18EB` (little-endian IPv4 as /proc/net/tcp prints it) -> 127.0.0.1. */
function procIp4(hex: string): string {
  const n = Number.parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

function procIp6(hex: string): string {
  // Four little-endian 32-bit words; enough to tell ::1, :: and v4-mapped addresses apart.
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse());
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(`${bytes[i]}${bytes[i + 1]}`.replace(/^0+(?=.)/, '').toLowerCase());
  return groups.join(':');
}

/** TCP sockets in LISTEN state owned by `pid` (Linux: socket inodes of its fds matched against /proc/net/tcp{,6}). */
export function listenersOf(pid: number): Listener[] {
  const inodes = new Set<string>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // fd closed meanwhile
    }
  }
  const out: Listener[] = [];
  for (const [file, family] of [
    ['/proc/net/tcp', 4],
    ['/proc/net/tcp6', 6],
  ] as const) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const [local, , state] = [f[1], f[2], f[3]];
      const inode = f[9];
      if (!local || state !== '0A' || !inode || !inodes.has(inode)) continue;
      const [ipHex = '', portHex = ''] = local.split(':');
      out.push({ ip: family === 4 ? procIp4(ipHex) : procIp6(ipHex), port: Number.parseInt(portHex, 16), family });
    }
  }
  return out;
}

/** Every address the default topology uses at `base` (hosts mode), plus 127.0.0.1. */
export function blockAddresses(base: number): Array<{ ip: string; port: number }> {
  const t = buildTopology(DEFAULT_SHAPE, base, 'hosts');
  const ips = new Set(['127.0.0.1', ...t.hosts.flatMap((h) => [h.ip, h.publicIp])]);
  return topologyPorts(DEFAULT_SHAPE, base).flatMap((port) => [...ips].map((ip) => ({ ip, port })));
}

let nextTry = 0;
/**
 * A free block for one test: below the ephemeral range (32768+, where the lab's own replication and Sentinel links
 * take source ports on 127.0.1.x — helpers/wait.ts freeBase can pick such a port, found busy by the lab's planner),
 * away from the blocks `up` moves to (16379 + k·1000), and checked on every address the lab binds.
 */
export async function freeBlock(): Promise<number> {
  const avoid = candidateBasePorts();
  for (let i = 0; i < 400; i++) {
    const base = 20_000 + ((process.pid * 131 + nextTry++ * 257) % 12_500);
    if (avoid.some((c) => Math.abs(c - base) < 120)) continue;
    let ok = true;
    for (const a of blockAddresses(base)) {
      if (!(await canBind(a.ip, a.port))) {
        ok = false;
        break;
      }
    }
    if (ok) return base;
  }
  throw new Error('no free port block below the ephemeral range');
}

/** What a lab left behind under `runRoot` and in its port block; empty lists mean nothing. */
export async function leftovers(
  runRoot: string,
  base?: number,
  pids: readonly number[] = [],
): Promise<{ processes: number[]; busy: string[]; runDirs: string[] }> {
  const processes = [...new Set([...processesInside(runRoot), ...pids.filter((p) => isAlive(p))])];
  const busy: string[] = [];
  if (base !== undefined) {
    for (const a of blockAddresses(base)) if (!(await canBind(a.ip, a.port))) busy.push(`${a.ip}:${a.port}`);
  }
  return { processes, busy, runDirs: listRunDirs(runRoot) };
}

function resp(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/** Sends one command on a fresh connection and returns the first reply line (raw, e.g. `-NOAUTH …`). */
export function rawCommand(host: string, port: number, args: readonly string[], timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port });
    let buf = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no reply from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    sock.on('connect', () => sock.write(resp(args)));
    sock.on('data', (d) => {
      buf += d.toString('utf8');
      const i = buf.indexOf('\r\n');
      if (i < 0) return;
      clearTimeout(timer);
      sock.destroy();
      resolve(buf.slice(0, i));
    });
  });
}

/** The NDJSON `ready` line of `up --json`. */
export interface ReadyLine {
  event: 'ready';
  readyMs: number;
  runDir: string;
  basePort: number;
  portsMoved: { from: number; to: number; reason: string } | null;
  networkMode: 'hosts' | 'single-ip';
  nodes: Array<{ id: string; role: string; host: string; ip: string; port: number; pid: number }>;
  hosts: Array<{ id: string; ip: string; publicIp: string; gateway: string | null }>;
}
