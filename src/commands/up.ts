// `redis-sentinel-lab up`: start the cluster headless, print how to reach every node, stay until SIGINT/SIGTERM.
import { publicAddress, redisCliLine } from '../cluster/topology.js';
import { Lab, type LocalLab } from '../engine/lab.js';
import type { LabState } from '../state/store.js';
import { guardLab } from './lifecycle.js';
import { type CommonOptions, findBinary } from './options.js';

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
  const out = (s: string) => process.stdout.write(s);
  try {
    const moved = lab.deployment.portsMoved;
    if (moved && !opts.json) {
      out(`Ports ${moved.from}… are busy (${moved.reason}); the lab moved its whole block to ${moved.to}.\n`);
    }
    if (!opts.json)
      out(
        `Starting ${lab.topology.nodes.length} processes with ${binary.flavor} ${binary.version} (${binary.path})…\n`,
      );
    const started = lab.start();
    const first = await Promise.race([started.then(() => 'ready' as const), guard.signalled]);
    if (first !== 'ready') {
      await lab.shutdown();
      return 0;
    }
    const { readyMs } = await started;
    const rows = nodeRows(lab, lab.store.getState());
    if (opts.json) {
      out(
        `${JSON.stringify({
          event: 'ready',
          readyMs,
          runId: lab.runId,
          runDir: lab.deployment.runDir,
          basePort: lab.deployment.ports.basePort,
          portsMoved: moved ?? null,
          networkMode: lab.topology.networkMode,
          nodes: rows,
        })}\n`,
      );
    } else {
      out(`\nReady in ${(readyMs / 1000).toFixed(2)} s.\n\n${formatTable(rows)}\n\nPress Ctrl+C to stop everything.\n`);
    }
    const sig = await guard.signalled;
    if (!opts.json) out(`\n${sig}: stopping ${lab.aliveProcesses()} processes…\n`);
    await lab.shutdown();
    if (opts.json) out(`${JSON.stringify({ event: 'stopped', signal: sig })}\n`);
    else out('Stopped. Nothing left running.\n');
    return 0;
  } catch (err) {
    await lab.shutdown();
    throw err;
  } finally {
    guard.dispose();
  }
}
