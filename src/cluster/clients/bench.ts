// What recording the ledger costs: the same max-rate SADD loop with and without recording (counts, the verdict's
// recorder and the history file, as the lab records), interleaved in one process against one Redis so both
// variants see the same machine load.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ClientActor } from './client-actor.js';
import { Workload } from './workload.js';

export interface BenchOptions {
  host?: string;
  port: number;
  password: string;
  /** Measuring time per variant (split into alternating rounds). */
  durationMs: number;
  /** In-flight SADDs on the one connection. */
  concurrency?: number;
  rounds?: number;
}

export interface BenchResult {
  recordingOpsPerSec: number;
  plainOpsPerSec: number;
  /** Share of throughput lost to recording: 1 − recording/plain (0.05 = 5%; slightly negative = noise). */
  overheadRatio: number;
  concurrency: number;
  rounds: number;
}

export async function benchWorkload(options: BenchOptions): Promise<BenchResult> {
  const host = options.host ?? '127.0.0.1';
  const rounds = options.rounds ?? 3;
  const concurrency = options.concurrency ?? 64;
  const roundMs = Math.max(100, Math.floor(options.durationMs / rounds));
  const admin = new Redis({ host, port: options.port, password: options.password, lazyConnect: true });
  admin.on('error', () => {});
  await admin.connect();
  const total = { plain: { ok: 0, ms: 0 }, recording: { ok: 0, ms: 0 } };
  const dir = mkdtempSync(join(tmpdir(), 'rsl-bench-ledger-'));
  try {
    await runRound(false, Math.min(300, roundMs)); // warm-up: JIT, connection, Redis allocator
    for (let i = 0; i < rounds; i++) {
      // Alternate which variant goes first so drift in machine load does not favour one.
      const order = i % 2 === 0 ? [false, true] : [true, false];
      for (const recording of order) {
        const r = await runRound(recording, roundMs);
        const t = recording ? total.recording : total.plain;
        t.ok += r.ok;
        t.ms += r.ms;
      }
    }
  } finally {
    admin.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
  const plainOpsPerSec = Math.round((total.plain.ok * 1000) / total.plain.ms);
  const recordingOpsPerSec = Math.round((total.recording.ok * 1000) / total.recording.ms);
  return {
    recordingOpsPerSec,
    plainOpsPerSec,
    overheadRatio: plainOpsPerSec === 0 ? 0 : 1 - recordingOpsPerSec / plainOpsPerSec,
    concurrency,
    rounds,
  };

  async function runRound(recording: boolean, ms: number): Promise<{ ok: number; ms: number }> {
    const tag = `bench${recording ? 'R' : 'P'}${Date.now().toString(36)}`;
    const setKey = `rsl:bench:${tag}`;
    const actor = new ClientActor({
      name: 'A',
      password: options.password,
      target: { kind: 'node', host, port: options.port, nodeId: 'bench' },
      resolveNode: () => undefined,
      process: 'workload',
    });
    const w = new Workload({
      actor,
      runTag: tag,
      setKey,
      ratePerSec: 'max',
      concurrency,
      recording,
      ...(recording ? { history: { file: join(dir, `${tag}.jsonl`) } } : {}),
    });
    // Connect first so the round measures requests, not the handshake.
    await actor.read('rsl:bench:warm');
    const t0 = performance.now();
    w.start();
    await new Promise((r) => setTimeout(r, ms));
    await w.stop();
    const elapsed = performance.now() - t0;
    const ok = w.stats().ok;
    await w.close();
    await actor.close();
    await admin.del(setKey);
    return { ok, ms: elapsed };
  }
}
