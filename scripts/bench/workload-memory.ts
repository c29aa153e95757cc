// What a long-running write workload costs in memory. Each variant runs in a fresh process of its own (so neither
// inherits the other's heap), drives a Workload at a fixed rate against the same Redis, reads its own RSS once a
// second right after a full GC (as the soak does: memory still held, not garbage) and reports the least-squares
// slope after a warm-up. Variants: the history streamed to a file (what the lab does) and the history kept in
// memory (what it did before: the baseline, measured in the same run).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ClientActor } from '../../src/cluster/clients/client-actor.js';
import { Workload } from '../../src/cluster/clients/workload.js';
import { slope } from '../../src/soak/checks.js';
import { fullGc } from '../../src/soak/gc.js';

export type MemoryVariant = 'file' | 'memory';

export interface MemoryBenchOptions {
  host?: string;
  port: number;
  password: string;
  ratePerSec: number;
  durationMs: number;
  /** Samples before this are not judged (JIT, heap sizing, the connection). */
  warmupMs: number;
}

export interface MemoryVariantResult {
  variant: MemoryVariant;
  ratePerSec: number;
  durationMs: number;
  /** Acknowledged writes. */
  writes: number;
  rssStartMb: number;
  rssEndMb: number;
  slopeMbPerMin: number;
  /** The slope per write: what each write leaves behind. */
  bytesPerWrite: number;
}

const MB = 1024 * 1024;
const SAMPLE_MS = 1000;

/** Runs one variant in this process. */
export async function runMemoryVariant(variant: MemoryVariant, o: MemoryBenchOptions): Promise<MemoryVariantResult> {
  const dir = mkdtempSync(join(tmpdir(), 'rsl-bench-memory-'));
  const tag = `mem${variant}${Date.now().toString(36)}`;
  const actor = new ClientActor({
    name: 'A',
    password: o.password,
    target: { kind: 'node', host: o.host ?? '127.0.0.1', port: o.port, nodeId: 'bench' },
    resolveNode: () => undefined,
    process: 'workload',
  });
  const w = new Workload({
    actor,
    runTag: tag,
    setKey: `rsl:bench:${tag}`,
    ratePerSec: o.ratePerSec,
    history: variant === 'file' ? { file: join(dir, 'history.jsonl') } : 'memory',
  });
  const samples: Array<{ atMs: number; value: number }> = [];
  const gc = fullGc();
  try {
    await actor.read('rsl:bench:warm');
    const t0 = performance.now();
    w.start();
    while (performance.now() - t0 < o.durationMs) {
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
      gc?.();
      samples.push({ atMs: performance.now() - t0, value: process.memoryUsage().rss });
    }
    await w.stop();
  } finally {
    await w.close();
    await actor.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const judged = samples.filter((s) => s.atMs >= o.warmupMs);
  const perMs = slope(judged);
  const writes = w.stats().ok;
  return {
    variant,
    ratePerSec: o.ratePerSec,
    durationMs: o.durationMs,
    writes,
    rssStartMb: round1((judged[0]?.value ?? 0) / MB),
    rssEndMb: round1((judged[judged.length - 1]?.value ?? 0) / MB),
    slopeMbPerMin: Math.round(((perMs * 60_000) / MB) * 100) / 100,
    bytesPerWrite: Math.round((perMs * 1000) / o.ratePerSec),
  };
}

/** Both variants, each in a fresh process, one after the other (never at once: they would share the CPU). */
export async function benchWorkloadMemory(
  o: MemoryBenchOptions,
): Promise<{ file: MemoryVariantResult; memory: MemoryVariantResult }> {
  const file = await inChild('file', o);
  const memory = await inChild('memory', o);
  return { file, memory };
}

function inChild(variant: MemoryVariant, o: MemoryBenchOptions): Promise<MemoryVariantResult> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', self, variant, JSON.stringify(o)],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), timeout: o.durationMs + 60_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`memory bench (${variant}) failed: ${err.message}\n${stderr}`));
        try {
          resolve(JSON.parse(stdout) as MemoryVariantResult);
        } catch {
          reject(new Error(`memory bench (${variant}) printed no result: ${stdout}\n${stderr}`));
        }
      },
    );
  });
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

// The child: `node --import tsx workload-memory.ts <variant> <options JSON>` prints its result as JSON.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const variant = process.argv[2] === 'memory' ? 'memory' : 'file';
  const options = JSON.parse(process.argv[3] ?? '{}') as MemoryBenchOptions;
  runMemoryVariant(variant, options).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
