// `npm run bench`: every benchmark the issues name, against real processes, in one run; one table (or --json).
// Ratios compare against a baseline measured in the same run where one exists.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchColdStart, benchEventToStore, benchFailover, benchIdleCpu } from '../src/bench/lab-bench.js';
import { median, percentile } from '../src/bench/stats.js';
import { benchWorkload } from '../src/cluster/clients/bench.js';
import { LabEmitter } from '../src/cluster/events.js';
import { benchFabric } from '../src/cluster/fabric/bench.js';
import { resolveServerBinary } from '../src/cluster/process/binaries.js';
import { canBind } from '../src/cluster/process/ports.js';
import { Supervisor } from '../src/cluster/process/supervisor.js';
import { benchAttach } from './bench-attach.js';

interface Row {
  figure: string;
  median: number;
  p95?: number;
  unit: string;
  target: string;
  pass?: boolean;
  baseline?: string;
  ratio?: number;
  n: number;
}

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const log = (s: string) => process.stderr.write(`${s}\n`);

async function freeBlock(): Promise<number> {
  for (let base = 43379; base < 60000; base += 1000) {
    let ok = true;
    for (const p of [base, base + 4, base + 100, base + 102]) if (!(await canBind('127.0.0.1', p))) ok = false;
    if (ok) return base;
  }
  throw new Error('no free port block for the benchmark');
}

async function throwawayRedis(binary: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'rsl-bench-redis-'));
  const port = (await freeBlock()) + 50;
  const conf = join(dir, 'redis.conf');
  writeFileSync(
    conf,
    `port ${port}\nbind 127.0.0.1\nrequirepass redis\nsave ""\nappendonly no\ndir "${dir}"\nlogfile ""\n`,
  );
  const emitter = new LabEmitter();
  const sup = new Supervisor({ binary, emitter });
  sup.add({
    id: 'bench',
    kind: 'redis',
    confPath: conf,
    dir,
    logPath: join(dir, 'log.txt'),
    host: '127.0.0.1',
    port,
    password: 'redis',
  });
  await sup.start('bench');
  return {
    port,
    stop: async () => {
      await sup.killAll();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const binary = await resolveServerBinary({ env: process.env.REDIS_SERVER, pathEnv: process.env.PATH });
  const rows: Row[] = [];
  const base = await freeBlock();
  log(`bench: ${binary.flavor} ${binary.version}, ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}`);

  log('bench: cold start (up to ready)…');
  const cold = await benchColdStart(binary, base, quick ? 3 : 5);
  rows.push({
    figure: 'cold start to ready (1 master, 4 replicas, 3 Sentinels)',
    median: median(cold),
    p95: percentile(cold, 95),
    unit: 'ms',
    target: '<= 3000 ms',
    pass: median(cold) <= 3000,
    n: cold.length,
  });

  log('bench: failover timing…');
  const fo = await benchFailover(binary, base, quick ? 2 : 3);
  const sw = fo.samples.map((s) => s.firstSwitchMs);
  const ag = fo.samples.map((s) => s.agreedMs);
  rows.push({
    figure: 'kill master -> first +switch-master',
    median: median(sw),
    p95: percentile(sw, 95),
    unit: 'ms',
    target: `≈ down-after + 1.3 s (facts §2.3)`,
    baseline: `down-after ${fo.downAfterMs} ms`,
    ratio: median(sw) / fo.downAfterMs,
    n: sw.length,
  });
  rows.push({
    figure: 'kill master -> every Sentinel names the new master',
    median: median(ag),
    p95: percentile(ag, 95),
    unit: 'ms',
    target: 'informational',
    baseline: `down-after ${fo.downAfterMs} ms`,
    ratio: median(ag) / fo.downAfterMs,
    n: ag.length,
  });

  log('bench: event-to-store latency…');
  const ev = await benchEventToStore(binary, base, quick ? 20 : 60);
  rows.push({
    figure: 'Sentinel publish -> store updated',
    median: median(ev),
    p95: percentile(ev, 99),
    unit: 'ms (p99 in p95 column)',
    target: '<= 50 ms',
    pass: median(ev) <= 50 && percentile(ev, 99) <= 50,
    n: ev.length,
  });

  log('bench: probes CPU with the cluster idle…');
  const idle = await benchIdleCpu(binary, base, quick ? 10_000 : 30_000);
  rows.push({
    figure: 'engine CPU, default cluster idle (probes + fabric + store)',
    median: idle.cpuPercent,
    unit: '% of one core',
    target: '<= 2 %',
    pass: idle.cpuPercent <= 2,
    n: 1,
  });

  log('bench: fabric vs direct…');
  const fab = await benchFabric({ durationMs: quick ? 2000 : 4000 });
  rows.push({
    figure: `throughput through the fabric (${fab.connections} conns × ${fab.pipeline} pipelined PING)`,
    median: fab.proxied.opsPerSec,
    unit: 'ops/s',
    target: '>= 0.7 × direct',
    baseline: `direct ${Math.round(fab.direct.opsPerSec)} ops/s`,
    ratio: fab.ratio,
    pass: fab.ratio >= 0.7,
    n: 1,
  });
  rows.push({
    figure: 'added median latency per fabric hop',
    median: fab.addedP50Ms,
    unit: 'ms',
    target: '<= 0.2 ms',
    baseline: `direct p50 ${fab.direct.p50Ms.toFixed(3)} ms`,
    pass: fab.addedP50Ms <= 0.2,
    n: 1,
  });

  log('bench: workload and ledger overhead…');
  const r = await throwawayRedis(binary.path);
  try {
    const w = await benchWorkload({ port: r.port, password: 'redis', durationMs: quick ? 2000 : 4000 });
    rows.push({
      figure: 'workload acknowledged writes/s (recording the ledger)',
      median: w.recordingOpsPerSec,
      unit: 'writes/s',
      target: '>= 5000',
      pass: w.recordingOpsPerSec >= 5000,
      n: w.rounds,
    });
    rows.push({
      figure: 'ledger recording cost (same loop, no recording = baseline)',
      median: w.overheadRatio * 100,
      unit: '% slower',
      target: '<= 15 %',
      baseline: `plain ${w.plainOpsPerSec} writes/s`,
      ratio: w.recordingOpsPerSec / w.plainOpsPerSec,
      pass: w.overheadRatio <= 0.15,
      n: w.rounds,
    });
  } finally {
    await r.stop();
  }

  log('bench: attach to a deployment the lab did not start, and inspect it…');
  const att = await benchAttach({ rounds: quick ? 3 : 7, log });
  rows.push({
    figure: 'attach -> first complete view (1 master, 4 replicas, 3 Sentinels the lab did not start)',
    median: median(att.viewMs),
    p95: percentile(att.viewMs, 95),
    unit: 'ms',
    target: '<= 500 ms',
    baseline: `discovery alone ${median(att.discoveryMs).toFixed(0)} ms`,
    ratio: median(att.viewMs) / median(att.discoveryMs),
    pass: median(att.viewMs) <= 500,
    n: att.viewMs.length,
  });
  rows.push({
    figure: 'inspect wall time, Node start included (node dist/cli.js inspect --sentinel …)',
    median: median(att.inspectMs),
    p95: percentile(att.inspectMs, 95),
    unit: 'ms',
    target: '<= 2000 ms',
    baseline: `node dist/cli.js --version ${median(att.versionMs).toFixed(0)} ms`,
    ratio: median(att.inspectMs) / median(att.versionMs),
    pass: median(att.inspectMs) <= 2000,
    n: att.inspectMs.length,
  });

  try {
    const { benchTui } = await import('../src/bench/tui.js');
    log('bench: TUI idle CPU/RSS and key latency (tmux)…');
    const tui = await benchTui({
      idleMs: quick ? 10_000 : 30_000,
      presses: quick ? 10 : 20,
    });
    rows.push({
      figure: 'TUI process CPU, cluster idle',
      median: tui.cpuPercent ?? Number.NaN,
      unit: '% of one core',
      target: '<= 3 %',
      pass: (tui.cpuPercent ?? 99) <= 3,
      n: 1,
    });
    rows.push({
      figure: 'TUI process RSS, cluster idle',
      median: tui.rssMb ?? Number.NaN,
      unit: 'MB',
      target: '<= 150 MB',
      pass: (tui.rssMb ?? 999) <= 150,
      n: 1,
    });
    rows.push({
      figure: 'key press -> visible change (via tmux)',
      median: tui.keyToVisibleMsMedian ?? Number.NaN,
      p95: tui.keyToVisibleMsP95,
      unit: 'ms',
      target: '<= 100 ms',
      pass: (tui.keyToVisibleMsMedian ?? 999) <= 100,
      n: quick ? 10 : 20,
    });
    if (tui.idleBytesPerSec !== undefined)
      rows.push({
        figure: 'terminal bytes written while idle',
        median: tui.idleBytesPerSec,
        unit: 'bytes/s',
        target: 'no full redraw',
        n: 1,
      });
  } catch (err) {
    log(`bench: TUI benchmark unavailable: ${(err as Error).message}`);
  }

  if (json) {
    process.stdout.write(
      `${JSON.stringify({ machine: { cores: cpus().length, cpu: cpus()[0]?.model, redis: `${binary.flavor} ${binary.version}`, node: process.version }, rows }, null, 2)}\n`,
    );
    return;
  }
  const fmt = (n: number | undefined) =>
    n === undefined || Number.isNaN(n) ? '' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2);
  const header = ['figure', 'median', 'p95', 'unit', 'target', 'met', 'baseline (same run)', 'ratio', 'n'];
  const body = rows.map((r) => [
    r.figure,
    fmt(r.median),
    fmt(r.p95),
    r.unit,
    r.target,
    r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
    r.baseline ?? '',
    r.ratio === undefined ? '' : r.ratio.toFixed(2),
    String(r.n),
  ]);
  process.stdout.write(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n`);
  for (const b of body) process.stdout.write(`| ${b.join(' | ')} |\n`);
  process.stdout.write(
    `\nMachine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${binary.flavor} ${binary.version}, Node ${process.version}.\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
