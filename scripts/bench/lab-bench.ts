// Benchmarks of the engine against real processes: cold start, failover timing, event-to-store latency and
// the CPU the probes use while the cluster is idle. Each returns raw samples; scripts/bench.ts tabulates them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ServerBinary } from '../../src/cluster/process/binaries.js';
import { privateAddress } from '../../src/cluster/topology.js';
import { adminCommand } from '../../src/deployments/admin.js';
import { Lab } from '../../src/engine/lab.js';
import { selectMastership, selectSentinelMasters } from '../../src/state/selectors.js';

export async function withLab<T>(binary: ServerBinary, basePort: number, fn: (lab: Lab) => Promise<T>): Promise<T> {
  const runRoot = mkdtempSync(join(tmpdir(), 'rsl-bench-'));
  const lab = await Lab.create({ binary, basePort, runRoot });
  try {
    await lab.start();
    return await fn(lab);
  } finally {
    await lab.shutdown();
    rmSync(runRoot, { recursive: true, force: true });
  }
}

/** Cold start to ready, in-process (create + start), `runs` times. */
export async function benchColdStart(binary: ServerBinary, basePort: number, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const runRoot = mkdtempSync(join(tmpdir(), 'rsl-bench-'));
    const t0 = performance.now();
    const lab = await Lab.create({ binary, basePort, runRoot });
    try {
      await lab.start();
      out.push(performance.now() - t0);
    } finally {
      await lab.shutdown();
      rmSync(runRoot, { recursive: true, force: true });
    }
  }
  return out;
}

export interface FailoverSample {
  /** Kill -> first +switch-master (followers). */
  firstSwitchMs: number;
  /** Kill -> every Sentinel names the new master and it answers as master. */
  agreedMs: number;
}

/** Kills the current master `runs` times (restarting the old one and waiting for convergence in between). */
export async function benchFailover(
  binary: ServerBinary,
  basePort: number,
  runs: number,
): Promise<{ downAfterMs: number; samples: FailoverSample[] }> {
  return withLab(binary, basePort, async (lab) => {
    const samples: FailoverSample[] = [];
    for (let i = 0; i < runs; i++) {
      const before = selectMastership(lab.store.getState()).master;
      if (!before) throw new Error('no master to kill');
      const seq0 = Math.max(0, ...lab.store.getState().events.map((e) => e.seq));
      const t0 = Date.now();
      await lab.perform({ kind: 'kill', node: before });
      await lab.waitFor(
        (s) => s.events.some((e) => e.seq > seq0 && e.channel === '+switch-master'),
        30_000,
        '+switch-master',
      );
      const sw = lab.store.getState().events.find((e) => e.seq > seq0 && e.channel === '+switch-master');
      await lab.waitFor(
        (s) => {
          const m = selectMastership(s);
          return (
            m.basis === 'sole-claim' &&
            m.master !== before &&
            Object.values(selectSentinelMasters(s)).every((x) => x === m.master)
          );
        },
        30_000,
        'every Sentinel naming the new master',
      );
      samples.push({ firstSwitchMs: (sw?.at ?? Date.now()) - t0, agreedMs: Date.now() - t0 });
      await lab.perform({ kind: 'restart', node: before });
      await lab.waitFor(
        (s) =>
          s.redis[before]?.replication?.role === 'replica' && s.redis[before]?.replication?.masterLinkStatus === 'up',
        45_000,
        'the old master back as a replica',
      );
    }
    return { downAfterMs: lab.topology.sentinel.downAfterMs, samples };
  });
}

/**
 * Sentinel publish -> store updated: `SENTINEL SET` makes sentinel-1 publish +set; time until the store has it.
 * Back to back (`gapMs` 0) each event follows the last one's batch within the store's rate bound, as in a burst;
 * with a gap, each comes after a quiet moment, as a single event does.
 */
export async function benchEventToStore(
  binary: ServerBinary,
  basePort: number,
  samples: number,
  gapMs = 0,
): Promise<number[]> {
  return withLab(binary, basePort, async (lab) => {
    const t = lab.topology;
    const addr = privateAddress(t, 'sentinel-1');
    const out: number[] = [];
    for (let i = 0; i < samples; i++) {
      if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
      const seq0 = Math.max(0, ...lab.store.getState().events.map((e) => e.seq));
      const seen = new Promise<number>((resolve) => {
        const unsub = lab.store.subscribe((s) => {
          if (s.events.some((e) => e.seq > seq0 && e.channel === '+set')) {
            unsub();
            resolve(performance.now());
          }
        });
      });
      const t0 = performance.now();
      await adminCommand(addr, undefined, [
        'SENTINEL',
        'SET',
        t.sentinel.masterName,
        'failover-timeout',
        10_000 + (i % 2),
      ]);
      out.push((await seen) - t0);
    }
    return out;
  });
}

/** CPU of this process (probes, fabric, store) with the default cluster idle, as % of one core. */
export async function benchIdleCpu(
  binary: ServerBinary,
  basePort: number,
  idleMs: number,
): Promise<{ cpuPercent: number; rssMb: number }> {
  return withLab(binary, basePort, async () => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let rss = 0;
    const end = t0 + idleMs;
    while (performance.now() < end) {
      rss = Math.max(rss, process.memoryUsage().rss);
      await new Promise((r) => setTimeout(r, 500));
    }
    const c = process.cpuUsage(c0);
    const wall = performance.now() - t0;
    return { cpuPercent: ((c.user + c.system) / 1000 / wall) * 100, rssMb: rss / 1024 / 1024 };
  });
}
