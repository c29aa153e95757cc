// `redis-sentinel-lab up`: start the cluster headless, print how to reach every node (and, per host, the gateway an
// outside app uses to be on that host), serve the control socket `do` and `watch` use, stay until SIGINT/SIGTERM
// (or until the reader of its output goes away). Progress goes to stderr; stdout carries only the requested output.
import type { z } from 'zod';
import { cliProgram, publicAddress, redisCliLine } from '../cluster/topology.js';
import { Lab, type LocalLab } from '../engine/lab.js';
import type { LabState } from '../state/store.js';
import type { UpReady, UpStopped } from './json-schemas.js';
import { guardLab } from './lifecycle.js';
import { type CommonOptions, findBinary } from './options.js';
import { out, watchOutputReader } from './output.js';
import { SCHEMA_VERSION } from './schema-version.js';
import { type ServedControl, serveControl } from './serve-control.js';

export interface NodeRow {
  id: string;
  role: string;
  host: string;
  ip: string;
  port: number;
  pid: number | undefined;
  cli: string;
}

export function nodeRows(lab: LocalLab, s: LabState): NodeRow[] {
  const t = lab.topology;
  return t.nodes.map((n) => {
    const a = publicAddress(t, n.id);
    const role = n.kind === 'sentinel' ? 'sentinel' : (s.redis[n.id]?.replication?.role ?? n.initialRole);
    return {
      id: n.id,
      role,
      host: n.host,
      ip: a.host,
      port: a.port,
      pid: lab.nodePid(n.id),
      cli: redisCliLine(t, n.id),
    };
  });
}

export interface HostRow {
  id: string;
  ip: string;
  publicIp: string;
  gateway: string | null;
}

export function hostRows(lab: LocalLab): HostRow[] {
  const gateways = lab.deployment.gateways();
  return lab.topology.hosts.map((h) => ({ id: h.id, ip: h.ip, publicIp: h.publicIp, gateway: gateways[h.id] ?? null }));
}

/** `host-3  127.0.3.3  redis-cli -h 127.0.3.3 -p 6379 -a redis` lines: how an outside app joins a host. */
export function formatGateways(lab: LocalLab, hosts: readonly HostRow[]): string {
  const t = lab.topology;
  const first = t.nodes.find((n) => n.kind === 'redis');
  const withGw = hosts.filter((h) => h.gateway);
  if (!first || withGw.length === 0) return '';
  const lines = withGw.map(
    (h) => `  ${h.id}  ${h.gateway}   e.g. ${cliProgram(t)} -h ${h.gateway} -p ${first.port} -a ${t.password} PING`,
  );
  return [
    'To be a client on a host (partitioned and delayed with it), connect to its gateway on any node’s port:',
    ...lines,
  ].join('\n');
}

export function formatTable(rows: readonly NodeRow[]): string {
  const head = ['node', 'role', 'host', 'address', 'pid', 'connect with'];
  const body = rows.map((r) => [r.id, r.role, r.host, `${r.ip}:${r.port}`, String(r.pid ?? '-'), r.cli]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(head), ...body.map(line)].join('\n');
}

export async function upCommand(opts: CommonOptions): Promise<number> {
  const binary = await findBinary(opts);
  const lab = await Lab.create({
    binary,
    basePort: opts.basePort,
    strictPorts: opts.basePort !== undefined,
    keep: opts.keep,
  });
  const guard = guardLab(lab);
  // Progress and notes: stderr, so stdout holds only the table (or the JSON records).
  const note = (s: string) => process.stderr.write(s);
  const stopWatchingReader = watchOutputReader();
  let control: ServedControl | undefined;
  try {
    const moved = lab.deployment.portsMoved;
    if (moved) note(`Ports ${moved.from}… are busy (${moved.reason}); the lab moved its whole block to ${moved.to}.\n`);
    note(`Starting ${lab.topology.nodes.length} processes with ${binary.flavor} ${binary.version} (${binary.path})…\n`);
    const started = lab.start();
    const first = await Promise.race([started.then(() => 'ready' as const), guard.signalled]);
    if (first !== 'ready') {
      note(`\n${first}: stopping before the cluster was ready…\n`);
      await lab.shutdown();
      if (opts.json) {
        const stopped: z.input<typeof UpStopped> = { schemaVersion: SCHEMA_VERSION, event: 'stopped', signal: first };
        out(`${JSON.stringify(stopped)}\n`);
      } else out('Stopped before the cluster was ready. Nothing left running.\n');
      return 0;
    }
    const { readyMs } = await started;
    const served = await serveControl(lab);
    if ('error' in served) note(`warning: ${served.error}\n`);
    else control = served;
    const rows = nodeRows(lab, lab.store.getState());
    const hosts = hostRows(lab);
    if (opts.json) {
      const ready: z.input<typeof UpReady> = {
        schemaVersion: SCHEMA_VERSION,
        event: 'ready',
        readyMs,
        runId: lab.runId,
        runDir: lab.deployment.runDir,
        basePort: lab.deployment.ports.basePort,
        portsMoved: moved ?? null,
        networkMode: lab.topology.networkMode,
        controlSocket: control?.path ?? null,
        nodes: rows.map((r) => ({ ...r, pid: r.pid ?? null })),
        hosts,
      };
      out(`${JSON.stringify(ready)}\n`);
    } else {
      const gw = formatGateways(lab, hosts);
      // The blank line before it goes to stderr, after the progress lines: stdout's first line is the result.
      note('\n');
      out(
        `Ready in ${(readyMs / 1000).toFixed(2)} s (run ${lab.runId}).\n\n${formatTable(rows)}\n${gw ? `\n${gw}\n` : ''}\nPress Ctrl+C to stop everything.\n`,
      );
    }
    const sig = await guard.signalled;
    note(`\n${sig}: stopping ${lab.aliveProcesses()} processes…\n`);
    // Followers (`watch`) hear "stopping" first, so they can end while the processes are still being stopped.
    await control?.close();
    await lab.shutdown();
    if (opts.json) {
      const stopped: z.input<typeof UpStopped> = { schemaVersion: SCHEMA_VERSION, event: 'stopped', signal: sig };
      out(`${JSON.stringify(stopped)}\n`);
    } else out('Stopped. Nothing left running.\n');
    return 0;
  } catch (err) {
    await control?.close();
    await lab.shutdown();
    throw err;
  } finally {
    stopWatchingReader();
    guard.dispose();
  }
}
