// The engine alone, as `node dist/cli.js up --json` runs it (probes, fabric, store; no UI): CPU and RSS of that
// process while the cluster idles. Beside the TUI's figures it shows how much of them the engine is.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from './stats.js';
import { cpuSeconds, rssMb } from './tui.js';

export interface EngineIdle {
  cpuPercent: number;
  /** Median of VmRSS sampled once a second during the idle window (as benchTui). */
  rssMb: number;
  /** Largest VmRSS seen during the idle window. */
  rssMaxMb: number;
  idleMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchEngineIdle(o: {
  entry: string;
  basePort: number;
  idleMs: number;
  /** Ready -> start of the idle window, as in benchTui. */
  settleMs: number;
  node?: string;
}): Promise<EngineIdle> {
  if (process.platform !== 'linux') throw new Error('the engine idle figure reads /proc (Linux only)');
  const root = mkdtempSync(join(tmpdir(), 'rsl-bench-idle-'));
  let child: ChildProcess | undefined;
  try {
    child = spawn(o.node ?? process.execPath, [o.entry, 'up', '--json', '--base-port', String(o.basePort)], {
      env: { ...process.env, RSL_RUN_ROOT: root, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = child;
    const pid = proc.pid;
    if (pid === undefined) throw new Error('could not start up --json');
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    let out = '';
    const ready = await new Promise<boolean>((resolve) => {
      proc.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('"event":"ready"')) resolve(true);
      });
      void exited.then(() => resolve(false));
    });
    if (!ready) throw new Error('up --json exited before it was ready');
    // Start-up work (first probe rounds, discovery) settles first, as in the TUI benchmark.
    await sleep(o.settleMs);
    const c0 = cpuSeconds(pid);
    const t0 = performance.now();
    const rss = [rssMb(pid)];
    while (performance.now() - t0 < o.idleMs) {
      await sleep(1000);
      rss.push(rssMb(pid));
    }
    const cpuPercent = ((cpuSeconds(pid) - c0) / ((performance.now() - t0) / 1000)) * 100;
    proc.kill('SIGTERM');
    await exited;
    return {
      cpuPercent: Math.round(cpuPercent * 100) / 100,
      rssMb: Math.round(median(rss) * 10) / 10,
      rssMaxMb: Math.round(Math.max(...rss) * 10) / 10,
      idleMs: o.idleMs,
    };
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  }
}
